/* gc_stop.c - 'gc --stop': ending the groups whose manager is gone but whose
 * processes run on (the umucg that watched them was SIGKILLed): all signalled
 * at once, one grace period for all, then killed. */
#include <string.h>
#include <time.h>

#include "internal.h"

struct victim {
	char *name;
	int fd;
};

struct gc_lists {
	char **stopped, **spared;
	size_t nstopped, nspared;
};

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* 1 when the group is one to end: a record whose manager is dead, and
 * processes. Groups made by 'create' have no manager (pid 0) and are left
 * alone: a sandbox may live in one. */
static int orphaned(const struct umucg_meta_store *store, int fd)
{
	struct umucg_group_info info;
	if (umucg_group_info(store, fd, &info, NULL) < 0)
		return 0;
	return info.has_meta && info.meta.manager_pid > 0 && !info.manager_alive && info.populated;
}

static int push_name(char ***names, size_t *n, char *name)
{
	char **bigger = realloc(*names, (*n + 1) * sizeof *bigger);
	if (!bigger)
		return -ENOMEM;
	*names = bigger;
	bigger[(*n)++] = name;
	return 0;
}

/* Sorts the base's groups into victims (opened) and spared names. */
static int gather(const struct umucg_meta_store *store, int base_fd, struct victim **victims,
		  size_t *nvictims, struct gc_lists *out, struct umucg_error *err)
{
	char **names = NULL;
	size_t n = 0;
	int r = umucg_group_list(store, base_fd, &names, &n, err);
	if (r < 0)
		return r;
	*victims = calloc(n ? n : 1, sizeof **victims);
	if (!*victims)
		r = -ENOMEM;
	for (size_t i = 0; i < n && r == 0; i++) {
		int fd = umucg_group_open(base_fd, names[i], NULL);
		if (fd < 0 || !orphaned(store, fd)) {
			if (fd >= 0)
				close(fd);
			continue;
		}
		/* Never the group of umucg's own shell or session, even here. */
		if (umucg_group_holds_caller(fd, NULL, NULL) != 0) {
			close(fd);
			r = push_name(&out->spared, &out->nspared, names[i]);
		} else {
			(*victims)[(*nvictims)++] = (struct victim){ names[i], fd };
		}
		if (r == 0)
			names[i] = NULL;
	}
	umucg_names_free(names, n);
	return r < 0 ? umucg_err(err, r, "gc --stop: %s", strerror(-r)) : 0;
}

/* Signal all, one grace for all, kill the rest; the first error is kept
 * and the others are still ended. */
static int end_all(struct victim *v, size_t n, int sig, double grace,
		   enum umucg_kill_method method, struct umucg_error *err)
{
	int first = 0;
	for (size_t i = 0; i < n; i++) {
		umucg_group_signal(v[i].fd, sig, NULL);
		/* A frozen process gets the signal only once thawed. */
		if (umucg_group_frozen(v[i].fd, NULL) == 1)
			umucg_group_set_frozen(v[i].fd, false, NULL);
	}
	double deadline = now_seconds() + grace;
	for (size_t i = 0; i < n; i++) {
		double left = deadline - now_seconds();
		if (left > 0 && umucg_group_wait_event(v[i].fd, "populated", 0, left, NULL) == 0)
			continue;
		if (umucg_group_populated(v[i].fd, NULL) == 0 || umucg_group_gone(v[i].fd))
			continue;
		struct umucg_error e = { 0 };
		int r = umucg_group_kill(v[i].fd, method, &e);
		if (r == 0)
			r = umucg_group_wait_event(v[i].fd, "populated", 0, 30, &e);
		if (r < 0 && !first) {
			first = r;
			*err = e;
			umucg_err_prefix(err, "gc --stop: group '%s'", v[i].name);
		}
	}
	return first;
}

int umucg_gc_stop(const struct umucg_meta_store *store, int base_fd, int sig, double grace,
		  enum umucg_kill_method method, char ***stopped, size_t *nstopped,
		  char ***spared, size_t *nspared, struct umucg_error *err)
{
	struct gc_lists out = { 0 };
	struct victim *v = NULL;
	size_t n = 0;
	int r = gather(store, base_fd, &v, &n, &out, err);
	int ended = r == 0 ? end_all(v, n, sig, grace, method, err) : r;
	for (size_t i = 0; i < n; i++) {
		close(v[i].fd);
		/* Gathered but never signalled (gather failed): not stopped. */
		if (r < 0 || push_name(&out.stopped, &out.nstopped, v[i].name) < 0)
			free(v[i].name);
	}
	free(v);
	*stopped = out.stopped;
	*nstopped = out.nstopped;
	*spared = out.spared;
	*nspared = out.nspared;
	return ended;
}
