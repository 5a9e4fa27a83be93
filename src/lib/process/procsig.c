/* procsig.c - the signals pending for a process, from /proc/PID/status. */
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

/* The hex mask after "KEY:\t" in a status text, 0 when absent. */
static uint64_t status_mask(const char *text, const char *key)
{
	const char *p = strstr(text, key);
	return p ? strtoull(p + strlen(key), NULL, 16) : 0;
}

int proc_pending_signals(pid_t pid, uint64_t *pending)
{
	char path[64], text[4096];
	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	cleanup_close int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ssize_t n = cgfile_pread_fd(fd, text, sizeof text);
	if (n < 0)
		return (int)n;
	/* Per thread and per process (a kill(2) to the process is shared). */
	*pending = status_mask(text, "\nSigPnd:") | status_mask(text, "\nShdPnd:");
	return 0;
}
