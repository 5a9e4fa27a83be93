/* gc.c - removing the groups nobody will clean up: empty, and their
 * manager dead, or made by 'create' long enough ago. */
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "internal.h"

/* 1 when the group may go, 0 when not. */
static int collectable(const struct umucg_meta_store *store, int group_fd, double min_age)
{
	struct umucg_group_info info;
	if (umucg_group_info(store, group_fd, &info, NULL) < 0)
		return 0;
	/* No record: not ours to judge (a session leaf, another tool's group). */
	if (info.populated || !info.has_meta)
		return 0;
	if (info.meta.manager_pid > 0)
		return !info.manager_alive;
	/* Made by 'create': no manager will ever come; the age protects a
	 * group whose sandbox has not joined it yet. */
	return (double)((long long)time(NULL) - info.created) >= min_age;
}

int umucg_gc(const struct umucg_meta_store *store, int base_fd, double min_age,
	     char ***removed, size_t *nremoved, struct umucg_error *err)
{
	*removed = NULL;
	*nremoved = 0;
	char **names = NULL;
	size_t n = 0;
	int r = umucg_group_list(store, base_fd, &names, &n, err);
	if (r < 0)
		return r;
	/* The same lock group_create takes: no name is taken meanwhile. */
	if ((r = umucg_base_lock(base_fd, err)) < 0) {
		umucg_names_free(names, n);
		return r;
	}
	uint64_t *live = calloc(n ? n : 1, sizeof *live);
	size_t nlive = 0, out = 0;
	r = live ? 0 : -ENOMEM;
	for (size_t i = 0; i < n && r == 0; i++) {
		cleanup_close int fd = openat(base_fd, names[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		struct stat st;
		if (fd < 0 || fstat(fd, &st) < 0)
			continue;
		/* A group that has children of its own, or became busy, stays. */
		/* umucg_group_remove waits out the EBUSY of a group whose last
		 * task the kernel is still tearing down (one gc --stop killed). */
		if (collectable(store, fd, min_age) && umucg_group_remove(base_fd, names[i], NULL) == 0) {
			/* out <= i: the removed names gather at the front. */
			char *gone = names[i];
			names[i] = NULL;
			free(names[out]);
			names[out++] = gone;
		} else {
			live[nlive++] = (uint64_t)st.st_ino;
		}
	}
	if (r == 0)
		meta_file_prune(store, base_fd, live, nlive);
	/* The empty leaves of login sessions that have ended (pam_umucg
	 * removes its leaf at close_session only when nothing is left in it). */
	if (r == 0) {
		for (size_t i = out; i < n; i++) {
			free(names[i]);
			names[i] = NULL;
		}
		n = out;
		r = login_prune_leaves(store, base_fd, &names, &n);
		out = n;
	}
	umucg_base_unlock(base_fd);
	free(live);
	if (r < 0) {
		umucg_names_free(names, n);
		return umucg_err(err, r, "gc: %s", strerror(-r));
	}
	for (size_t i = out; i < n; i++)
		free(names[i]);
	*removed = names;
	*nremoved = out;
	return 0;
}
