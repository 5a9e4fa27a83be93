/* lock.c - the base's lock (taken while a group name is chosen or removed),
 * waited for a bounded time only, and the mode that keeps other users from
 * holding it at all. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>

#include "internal.h"

/* Other users must not open a base (flock needs an open fd, and opening a
 * directory needs read permission): a base umucg makes or owns is 0711,
 * searchable but not readable by others. */
int base_protect_mode(int dir_fd, bool make_it)
{
	struct stat st;
	if (fstat(dir_fd, &st) < 0)
		return -errno;
	mode_t leaky = S_IRGRP | S_IWGRP | S_IROTH | S_IWOTH;
	if (!(st.st_mode & leaky))
		return 0;
	if (!make_it)
		return -EACCES;
	return fchmod(dir_fd, st.st_mode & 07777 & ~leaky) < 0 ? -errno : 0;
}

int umucg_proc_locks_holder(const char *text, unsigned dev_major, unsigned dev_minor,
			    unsigned long long ino, pid_t *pid, bool *exclusive)
{
	for (const char *line = text; line && *line;) {
		const char *nl = strchr(line, '\n');
		char type[16], kind[16], mode[16];
		int holder;
		unsigned maj, min;
		unsigned long long i;
		/* "1: FLOCK  ADVISORY  WRITE 1234 00:26:140150 0 EOF"; a waiter's
		 * line has "->" for its type and is skipped by the compare below. */
		if (sscanf(line, "%*d: %15s %15s %15s %d %x:%x:%llu", type, kind, mode, &holder,
			   &maj, &min, &i) == 7 &&
		    strcmp(type, "->") != 0 && maj == dev_major && min == dev_minor && i == ino) {
			*pid = holder;
			*exclusive = strcmp(mode, "WRITE") == 0;
			return 0;
		}
		line = nl ? nl + 1 : NULL;
	}
	return -ENOENT;
}

/* "pid 1234 (uid 65534, 'flock', shared)", or why it is unknown. */
static void describe_holder(int fd, char *out, size_t cap)
{
	struct stat st;
	cleanup_free char *text = NULL;
	cleanup_close int proc = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	pid_t pid = 0;
	bool exclusive = false;
	if (fstat(fd, &st) < 0 || proc < 0 || cgfile_read_alloc(proc, "locks", &text, NULL) < 0 ||
	    umucg_proc_locks_holder(text, major(st.st_dev), minor(st.st_dev),
				    (unsigned long long)st.st_ino, &pid, &exclusive) < 0) {
		snprintf(out, cap, "a process /proc/locks does not show");
		return;
	}
	if (pid <= 0) {
		snprintf(out, cap, "a process outside this pid namespace");
		return;
	}
	char rel[32], comm[64] = "?";
	struct stat pst;
	snprintf(rel, sizeof rel, "%d/comm", (int)pid);
	ssize_t n = cgfile_read(proc, rel, comm, sizeof comm);
	if (n > 0 && comm[n - 1] == '\n')
		comm[n - 1] = '\0';
	snprintf(rel, sizeof rel, "%d", (int)pid);
	if (fstatat(proc, rel, &pst, 0) < 0)
		snprintf(out, cap, "pid %d (gone now)", (int)pid);
	else
		snprintf(out, cap, "pid %d (uid %u, '%s', %s)", (int)pid, (unsigned)pst.st_uid, comm,
			 exclusive ? "exclusive" : "shared");
}

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The kernel offers no event for an flock's release, and a blocking flock
 * cannot be bounded without a signal handler (the library installs none):
 * retry without blocking, backing off from 1 to 16 ms, for at most
 * UMUCG_LOCK_WAIT_MS. Another umucg holds the lock for a mkdir, a record
 * and an rmdir or two (gc: one pass over the base), so waiting longer means
 * something else holds it; and a run that waits here with its stop signals
 * blocked acts on them within this bound. */
int umucg_base_lock(int base_fd, struct umucg_error *err)
{
	long long deadline = now_ms() + UMUCG_LOCK_WAIT_MS;
	long backoff_ms = 1;
	for (;;) {
		if (flock(base_fd, LOCK_EX | LOCK_NB) == 0)
			return 0;
		if (errno != EWOULDBLOCK && errno != EINTR)
			return umucg_err(err, -errno, "base: cannot lock: %s", strerror(errno));
		long long left = deadline - now_ms();
		if (left <= 0)
			break;
		if (backoff_ms > left)
			backoff_ms = (long)left;
		struct timespec ts = { 0, backoff_ms * 1000000L };
		nanosleep(&ts, NULL); /* EINTR: try again sooner, no harm */
		if (backoff_ms < 16)
			backoff_ms *= 2;
	}
	char who[192];
	describe_holder(base_fd, who, sizeof who);
	umucg_err(err, -EWOULDBLOCK, "base: locked by %s for more than %gs", who,
		  UMUCG_LOCK_WAIT_MS / 1000.0);
	return umucg_err_hint(err, "another umucg should hold it for milliseconds; a process that can "
			      "read the base can hold it: end it, or make the base unreadable to "
			      "others (mode 0711, as 'umucg setup' makes its bases)");
}

void umucg_base_unlock(int base_fd)
{
	int saved = errno;
	flock(base_fd, LOCK_UN);
	errno = saved;
}
