/* pidfd.c - processes held by pidfds rather than numbers: a pidfd stays
 * bound to its process, so a signal sent through it can never reach a
 * process that got the same pid after the first one was reaped. */
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>

#include "internal.h"

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_send_signal
#define SYS_pidfd_send_signal 424
#endif

/* PIDFD_GET_INFO (Linux 6.13), its first version: what the process is,
 * read through the pidfd (the kernel's uapi linux/pidfd.h). */
struct pidfd_info_v0 {
	uint64_t mask;
	uint64_t cgroupid;
	uint32_t pid, tgid, ppid, ruid, rgid, euid, egid, suid, sgid, fsuid, fsgid;
	uint32_t spare0[1];
};
#define PIDFD_INFO_CGROUPID_BIT (1ull << 2)
#define PIDFD_GET_INFO_V0 _IOWR(0xFF, 11, struct pidfd_info_v0)

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

int pidfd_cgroup_id(int pidfd, uint64_t *id)
{
	struct pidfd_info_v0 info = { .mask = PIDFD_INFO_CGROUPID_BIT };
	if (ioctl(pidfd, PIDFD_GET_INFO_V0, &info) < 0)
		return errno == ESRCH ? -ESRCH : -EOPNOTSUPP;
	if (!(info.mask & PIDFD_INFO_CGROUPID_BIT))
		return -EOPNOTSUPP;
	*id = info.cgroupid;
	return 0;
}

int cgroup_id_of(int dir_fd, uint64_t *id)
{
	/* cgroupfs's file handle of a directory is its cgroup id. */
	union {
		struct file_handle fh;
		char room[sizeof(struct file_handle) + 8];
	} h = { .fh.handle_bytes = 8 };
	int mount_id;
	if (name_to_handle_at(dir_fd, "", &h.fh, &mount_id, AT_EMPTY_PATH) < 0)
		return -errno;
	if (h.fh.handle_bytes != 8)
		return -EOPNOTSUPP;
	memcpy(id, h.fh.f_handle, sizeof *id);
	return 0;
}
