/* privs.c - dropping from root to a user in the child before exec: groups,
 * gid, uid, then every capability (effective, permitted, inheritable,
 * ambient, bounding) and no_new_privs. */
#include <grp.h>
#include <sys/prctl.h>

#include "internal.h"
#include "libcap_dl.h"

int umucg_privileges_drop_with(const struct libcap *lc, uid_t uid, gid_t gid,
			       const gid_t *groups, size_t ngroups)
{
	if (setgroups(ngroups, groups) < 0)
		return -errno;
	/* The bounding set needs CAP_SETPCAP, which goes with the uid change.
	 * Up to the kernel's last capability, not the headers': a kernel newer
	 * than libcap knows more, and EINVAL marks the end. */
	for (cap_value_t c = 0; c < 64; c++) {
		if (lc->drop_bound(c) == 0)
			continue;
		if (errno == EINVAL && c > 0)
			break;
		return -errno;
	}
	if (lc->reset_ambient() < 0 && errno != EINVAL)
		return -errno;
	if (setresgid(gid, gid, gid) < 0)
		return -errno;
	if (setresuid(uid, uid, uid) < 0)
		return -errno;
	cap_t none = lc->init();
	if (!none)
		return -ENOMEM;
	int r = lc->set_proc(none);
	lc->free(none);
	if (r < 0)
		return -errno;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -errno;
	/* Paranoia: a uid change that left a way back is no drop at all. */
	if (uid != 0 && (setuid(0) == 0 || seteuid(0) == 0))
		return -EPERM;
	return 0;
}

int umucg_privileges_drop(uid_t uid, gid_t gid, const gid_t *groups, size_t ngroups)
{
	struct libcap lc;
	int r = libcap_open(&lc, NULL);
	if (r == 0)
		r = umucg_privileges_drop_with(&lc, uid, gid, groups, ngroups);
	libcap_close(&lc);
	return r;
}
