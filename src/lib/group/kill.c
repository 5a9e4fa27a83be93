/* kill.c - killing every process of a group: cgroup.kill (5.14+), else
 * freeze, SIGKILL each, thaw (5.2+), else repeated SIGKILL sweeps. */
#include <signal.h>
#include <string.h>

#include "internal.h"

static int kill_sweeps(int group_fd, struct umucg_error *err)
{
	/* No freezer: a forking tree can outrun one sweep, so sweep until a
	 * sweep finds nobody (bounded, since each sweep kills what it saw). */
	for (int round = 0; round < 1000; round++) {
		int sent = umucg_group_signal(group_fd, SIGKILL, err);
		if (sent <= 0)
			return sent < 0 ? sent : 0;
	}
	return umucg_err(err, -EAGAIN, "cgroup: processes keep appearing faster than they are killed");
}

static int kill_by_freezing(int group_fd, struct umucg_error *err)
{
	int r = cgfile_write(group_fd, "cgroup.freeze", "1");
	if (r == -ENOENT)
		return kill_sweeps(group_fd, err);
	if (r < 0)
		return umucg_err(err, r, "cgroup.freeze: %s", strerror(-r));
	/* A task stuck in the kernel may not freeze in time: at most 2 s, then
	 * kill anyway (the wait's error is no reason not to). */
	static const struct events_want frozen_or_empty[] = { { "frozen", 1 }, { "populated", 0 } };
	cgroup_events_wait(group_fd, frozen_or_empty, 2, 2.0, -1, NULL);
	/* Frozen tasks cannot fork, so one sweep sees them all; SIGKILL reaches
	 * frozen tasks in cgroup v2. */
	int sent = umucg_group_signal(group_fd, SIGKILL, err);
	int t = cgfile_write(group_fd, "cgroup.freeze", "0");
	if (sent < 0)
		return sent;
	if (t < 0)
		return umucg_err(err, t, "cgroup.freeze: cannot thaw: %s", strerror(-t));
	return 0;
}

int umucg_group_kill(int group_fd, enum umucg_kill_method method,
		     struct umucg_error *err)
{
	if (method != UMUCG_KILL_FREEZE) {
		int r = cgfile_write(group_fd, "cgroup.kill", "1");
		if (r == 0)
			return 0;
		/* No cgroup.kill: an old kernel, or a group already removed,
		 * which holds nobody to kill. */
		if (r == -ENOENT && umucg_group_gone(group_fd))
			return 0;
		if (r != -ENOENT || method == UMUCG_KILL_CGROUP_KILL)
			return umucg_err(err, r, "cgroup.kill: %s", strerror(-r));
	}
	return kill_by_freezing(group_fd, err);
}
