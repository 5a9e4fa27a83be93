/* features.c - the kernel features umucg uses, probed by trying them, never
 * by version. */
#include <fcntl.h>
#include <limits.h>
#include <linux/sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <sys/xattr.h>

#include "internal.h"

#ifndef CLONE_INTO_CGROUP
#define CLONE_INTO_CGROUP 0x200000000ULL
#endif

/* clone3 with CLONE_INTO_CGROUP and an fd that is surely closed: a kernel
 * that knows the flag fails looking the fd up (EBADF) before any process
 * exists; one that does not rejects the flag or the call (E2BIG, EINVAL,
 * ENOSYS). Anything else (EPERM from a seccomp filter) is not knowing. */
static int probe_clone_into_cgroup(void)
{
	struct clone_args args;
	memset(&args, 0, sizeof args);
	args.flags = CLONE_INTO_CGROUP;
	args.exit_signal = SIGCHLD;
	args.cgroup = INT_MAX;
	long r = syscall(SYS_clone3, &args, sizeof args);
	if (r == 0)
		_exit(0); /* cannot happen with a closed fd; never run on in a child */
	if (r > 0) { /* idem; reap it */
		while (waitpid((pid_t)r, NULL, 0) < 0 && errno == EINTR)
			;
		return 1;
	}
	if (errno == EBADF)
		return 1;
	if (errno == ENOSYS || errno == E2BIG || errno == EINVAL)
		return 0;
	return -1;
}

void umucg_features_probe(int dir_fd, struct umucg_features *f)
{
	f->known = f->present = 0;
	int r = probe_clone_into_cgroup();
	if (r >= 0) {
		f->known |= UMUCG_FEATURE_CLONE_INTO_CGROUP;
		if (r)
			f->present |= UMUCG_FEATURE_CLONE_INTO_CGROUP;
	}
	if (dir_fd < 0)
		return;
	static const struct {
		unsigned bit;
		const char *file;
	} files[] = {
		{ UMUCG_FEATURE_CGROUP_KILL, "cgroup.kill" },
		{ UMUCG_FEATURE_FREEZE, "cgroup.freeze" },
	};
	for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
		if (faccessat(dir_fd, files[i].file, F_OK, AT_SYMLINK_NOFOLLOW) == 0)
			f->present |= files[i].bit;
		else if (errno != ENOENT)
			continue;
		f->known |= files[i].bit;
	}
	/* An attribute nobody set: ENODATA where user xattrs are allowed,
	 * EOPNOTSUPP where they are not. */
	char c;
	if (fgetxattr(dir_fd, "user.umucg.probe", &c, sizeof c) >= 0 || errno == ENODATA ||
	    errno == ERANGE) {
		f->known |= UMUCG_FEATURE_USER_XATTR;
		f->present |= UMUCG_FEATURE_USER_XATTR;
	} else if (errno == EOPNOTSUPP) {
		f->known |= UMUCG_FEATURE_USER_XATTR;
	}
}
