/* state.c - what 'list' says of a group: running, frozen, empty or
 * manager gone, from cgroup.events, cgroup.procs and the group record. */
#include <string.h>
#include <sys/stat.h>

#include "internal.h"

const char *umucg_state_name(enum umucg_group_state state)
{
	switch (state) {
	case UMUCG_STATE_RUNNING: return "running";
	case UMUCG_STATE_FROZEN: return "frozen";
	case UMUCG_STATE_EMPTY: return "empty";
	case UMUCG_STATE_MANAGER_GONE: return "manager-gone";
	}
	return "unknown";
}

int umucg_group_info(const struct umucg_meta_store *store, int group_fd,
		     struct umucg_group_info *info, struct umucg_error *err)
{
	memset(info, 0, sizeof *info);
	int populated = umucg_group_populated(group_fd, err);
	if (populated < 0)
		return populated;
	info->populated = populated;
	/* Kernels before 5.2 have no "frozen" key: such a group is never frozen. */
	info->frozen = umucg_group_frozen(group_fd, NULL) == 1;
	pid_t *pids = NULL;
	int r = umucg_group_pids(group_fd, &pids, &info->nprocs, err);
	if (r < 0)
		return r;
	free(pids);
	info->has_meta = umucg_meta_read(store, group_fd, &info->meta, NULL) == 0;
	if (!info->has_meta)
		memset(&info->meta, 0, sizeof info->meta);
	info->manager_alive = info->has_meta && umucg_meta_manager_alive(&info->meta);
	struct stat st;
	if (info->has_meta && info->meta.started > 0)
		info->created = info->meta.started;
	else if (fstat(group_fd, &st) == 0)
		info->created = (long long)st.st_mtime;

	if (info->frozen)
		info->state = UMUCG_STATE_FROZEN;
	else if (info->has_meta && info->meta.manager_pid > 0 && !info->manager_alive)
		info->state = UMUCG_STATE_MANAGER_GONE;
	else
		info->state = info->populated ? UMUCG_STATE_RUNNING : UMUCG_STATE_EMPTY;
	return 0;
}
