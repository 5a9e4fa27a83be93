/* tree.c - a group's processes as a tree with their command lines, for
 * 'status': built in O(n log n) and walked without recursion, so that no
 * shape of tree (a chain of thousands) costs quadratic time or the stack. */
#include <stdio.h>
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

/* What one pass over /proc/PID/stat says of each pid (sorted). */
struct scan {
	const pid_t *pids;
	size_t n;
	size_t *parent;   /* index of the parent among pids, or n: none inside */
	size_t *first;    /* children of i: kids[first[i] .. first[i + 1]) */
	size_t *kids;     /* by parent, each parent's in pid order */
	char (*comm)[64];
};

static void scan_free(struct scan *s)
{
	free(s->parent);
	free(s->first);
	free(s->kids);
	free(s->comm);
}

static int scan_read(struct scan *s)
{
	size_t n = s->n;
	s->parent = calloc(n, sizeof *s->parent);
	s->first = calloc(n + 2, sizeof *s->first);
	s->kids = calloc(n, sizeof *s->kids);
	s->comm = calloc(n, sizeof *s->comm);
	if (!s->parent || !s->first || !s->kids || !s->comm)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		struct proc_stat ps;
		/* A process that exited since cgroup.procs was read is shown as
		 * a root with no command line. */
		bool ok = proc_stat_read(s->pids[i], &ps) == 0;
		pid_t ppid = ok ? ps.ppid : 0;
		snprintf(s->comm[i], sizeof s->comm[i], "%s", ok ? ps.comm : "?");
		const pid_t *p = ppid > 0 ? bsearch(&ppid, s->pids, n, sizeof *s->pids, pid_cmp) : NULL;
		s->parent[i] = p && (size_t)(p - s->pids) != i ? (size_t)(p - s->pids) : n;
	}
	/* Children lists by counting sort: first[] as offsets, then filled in
	 * pid order because i ascends. */
	for (size_t i = 0; i < n; i++)
		if (s->parent[i] < n)
			s->first[s->parent[i] + 2]++;
	for (size_t i = 2; i < n + 2; i++)
		s->first[i] += s->first[i - 1];
	for (size_t i = 0; i < n; i++)
		if (s->parent[i] < n)
			s->kids[s->first[s->parent[i] + 1]++] = i;
	return 0;
}

/* Depth-first from root with an explicit stack (stack: n entries), each
 * parent before its children, children in pid order. */
static void place(const struct scan *s, size_t root, bool *done, size_t *stack,
		  unsigned *depth, struct umucg_proc *out, size_t *count)
{
	size_t top = 0;
	stack[top++] = root;
	depth[root] = 0;
	while (top > 0) {
		size_t i = stack[--top];
		if (done[i])
			continue;
		done[i] = true;
		out[(*count)++] = (struct umucg_proc){
			.pid = s->pids[i], .depth = depth[i],
			.ppid = s->parent[i] < s->n ? s->pids[s->parent[i]] : 0,
		};
		/* Pushed last to first, so that the lowest pid comes out first. */
		for (size_t k = s->first[i + 1]; k > s->first[i]; k--) {
			size_t c = s->kids[k - 1];
			if (!done[c]) {
				depth[c] = depth[i] + 1;
				stack[top++] = c;
			}
		}
	}
}

static int fill_cmdlines(const struct scan *s, struct umucg_proc *out, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const pid_t *p = bsearch(&out[i].pid, s->pids, s->n, sizeof *s->pids, pid_cmp);
		out[i].cmdline = proc_cmdline(out[i].pid, p ? s->comm[p - s->pids] : "?");
		if (!out[i].cmdline)
			return -ENOMEM;
	}
	return 0;
}

int umucg_group_tree(int group_fd, struct umucg_proc **procs, size_t *n,
		     struct umucg_error *err)
{
	*procs = NULL;
	*n = 0;
	cleanup_free pid_t *pids = NULL;
	size_t count = 0;
	int r = umucg_group_pids(group_fd, &pids, &count, err);
	if (r < 0 || count == 0)
		return r;
	qsort(pids, count, sizeof *pids, pid_cmp);
	struct scan s = { .pids = pids, .n = count };
	cleanup_free bool *done = calloc(count, sizeof *done);
	cleanup_free size_t *stack = calloc(count, sizeof *stack);
	cleanup_free unsigned *depth = calloc(count, sizeof *depth);
	struct umucg_proc *out = calloc(count, sizeof *out);
	size_t placed = 0;
	r = done && stack && depth && out ? scan_read(&s) : -ENOMEM;
	if (r == 0) {
		for (size_t i = 0; i < count; i++)
			if (s.parent[i] == count)
				place(&s, i, done, stack, depth, out, &placed);
		/* A cycle cannot happen in /proc, but a pid reused between reads
		 * can make one: place whatever is left as roots. */
		for (size_t i = 0; i < count; i++)
			if (!done[i])
				place(&s, i, done, stack, depth, out, &placed);
		r = fill_cmdlines(&s, out, placed);
	}
	scan_free(&s);
	if (r < 0) {
		umucg_procs_free(out, placed);
		return umucg_err(err, r, "process tree: %s", strerror(-r));
	}
	*procs = out;
	*n = placed;
	return 0;
}
