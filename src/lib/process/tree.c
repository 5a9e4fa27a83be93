/* tree.c - a group's processes as a tree with their command lines, for
 * 'status'. */
#include <string.h>

#include "internal.h"

void umucg_procs_free(struct umucg_proc *procs, size_t n)
{
	for (size_t i = 0; procs && i < n; i++)
		free(procs[i].cmdline);
	free(procs);
}

static int pid_cmp(const void *a, const void *b)
{
	pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;
	return (x > y) - (x < y);
}

/* Appends pids[i] and, depth first, its children among pids. */
static void visit(const pid_t *pids, const pid_t *ppids, bool *done, size_t n, size_t i,
		  unsigned depth, struct umucg_proc *out, size_t *count)
{
	done[i] = true;
	out[*count] = (struct umucg_proc){ .pid = pids[i], .ppid = ppids[i], .depth = depth };
	(*count)++;
	for (size_t c = 0; c < n; c++)
		if (!done[c] && ppids[c] == pids[i])
			visit(pids, ppids, done, n, c, depth + 1, out, count);
}

int umucg_group_tree(int group_fd, struct umucg_proc **procs, size_t *n,
		     struct umucg_error *err)
{
	*procs = NULL;
	*n = 0;
	cleanup_free pid_t *pids = NULL;
	size_t count = 0;
	int r = umucg_group_pids(group_fd, &pids, &count, err);
	if (r < 0)
		return r;
	if (count == 0)
		return 0;
	qsort(pids, count, sizeof *pids, pid_cmp);
	cleanup_free pid_t *ppids = calloc(count, sizeof *ppids);
	cleanup_free bool *done = calloc(count, sizeof *done);
	struct umucg_proc *out = calloc(count, sizeof *out);
	if (!ppids || !done || !out) {
		free(out);
		return umucg_err(err, -ENOMEM, "process tree: %s", strerror(ENOMEM));
	}
	for (size_t i = 0; i < count; i++) {
		struct proc_stat ps;
		/* A process that exited since cgroup.procs was read is shown as
		 * a root with no command line. */
		ppids[i] = proc_stat_read(pids[i], &ps) == 0 ? ps.ppid : 0;
	}
	size_t placed = 0;
	for (size_t i = 0; i < count; i++) {
		bool parent_inside = false;
		for (size_t p = 0; p < count && !parent_inside; p++)
			parent_inside = p != i && pids[p] == ppids[i];
		if (!parent_inside && !done[i])
			visit(pids, ppids, done, count, i, 0, out, &placed);
	}
	/* A cycle cannot happen in /proc, but a pid reused between reads can
	 * make one: place whatever is left as roots. */
	for (size_t i = 0; i < count; i++)
		if (!done[i])
			visit(pids, ppids, done, count, i, 0, out, &placed);
	for (size_t i = 0; i < placed; i++) {
		struct proc_stat ps;
		bool have = proc_stat_read(out[i].pid, &ps) == 0;
		out[i].cmdline = proc_cmdline(out[i].pid, have ? ps.comm : "?");
		if (!out[i].cmdline) {
			umucg_procs_free(out, placed);
			return umucg_err(err, -ENOMEM, "process tree: %s", strerror(ENOMEM));
		}
	}
	*procs = out;
	*n = placed;
	return 0;
}
