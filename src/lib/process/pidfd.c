/* pidfd.c - processes held by pidfds rather than numbers: a pidfd stays
 * bound to its process, so a signal sent through it can never reach a
 * process that got the same pid after the first one was reaped. */
#include <signal.h>
#include <sys/syscall.h>

#include "internal.h"

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_send_signal
#define SYS_pidfd_send_signal 424
#endif

int pidfd_of(pid_t pid)
{
	if (pid <= 0)
		return -ESRCH;
	int fd = (int)syscall(SYS_pidfd_open, pid, 0);
	return fd < 0 ? -errno : fd;
}

int pidfd_signal(int pidfd, int sig)
{
	return syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0) < 0 ? -errno : 0;
}

bool pidfd_unreaped(int pidfd)
{
	/* Signal 0 checks without sending; a zombie still counts, as it
	 * still holds its pid. */
	return pidfd_signal(pidfd, 0) == 0;
}
