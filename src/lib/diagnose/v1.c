/* v1.c - the controllers that cgroup v1 hierarchies hold, as libcgroup lists
 * them. libcgroup is loaded only for a diagnosis: linked into umucg it cost
 * every `umucg run` about 170 us of relocations at start (bench/README). */
#include <dlfcn.h>
#include <libcgroup.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

struct libcgroup {
	void *handle;
	typeof(&cgroup_init) init;
	typeof(&cgroup_get_controller_begin) begin;
	typeof(&cgroup_get_controller_next) next;
	typeof(&cgroup_get_controller_end) end;
	typeof(&cgroup_strerror) strerror;
};

static bool libcgroup_open(struct libcgroup *cg)
{
	memset(cg, 0, sizeof *cg);
	cg->handle = dlopen("libcgroup.so.2", RTLD_NOW | RTLD_LOCAL);
	if (!cg->handle)
		cg->handle = dlopen("libcgroup.so.1", RTLD_NOW | RTLD_LOCAL);
	if (!cg->handle)
		return false;
	*(void **)&cg->init = dlsym(cg->handle, "cgroup_init");
	*(void **)&cg->begin = dlsym(cg->handle, "cgroup_get_controller_begin");
	*(void **)&cg->next = dlsym(cg->handle, "cgroup_get_controller_next");
	*(void **)&cg->end = dlsym(cg->handle, "cgroup_get_controller_end");
	*(void **)&cg->strerror = dlsym(cg->handle, "cgroup_strerror");
	return cg->init && cg->begin && cg->next && cg->end && cg->strerror;
}

static void libcgroup_close(struct libcgroup *cg)
{
	if (cg->handle)
		dlclose(cg->handle);
	memset(cg, 0, sizeof *cg);
}

static void v1_failed(struct umucg_diagnosis *d, const struct libcgroup *cg, int code)
{
	snprintf(d->v1_error, sizeof d->v1_error, "libcgroup: %s",
		 cg->strerror ? cg->strerror(code) : "libcgroup.so.2 could not be loaded");
}

/* Every mounted controller libcgroup knows of that is not on the cgroup2
 * mount is a v1 hierarchy's. */
static void v1_walk(struct umucg_diagnosis *d, struct libcgroup *cg)
{
	void *h = NULL;
	struct cgroup_mount_point mp;
	const size_t room = sizeof d->v1 / sizeof *d->v1;
	int r;
	for (r = cg->begin(&h, &mp); r == 0 && d->nv1 < room; r = cg->next(&h, &mp)) {
		if (d->mount && strcmp(mp.path, d->mount) == 0)
			continue;
		snprintf(d->v1[d->nv1].controller, sizeof d->v1[d->nv1].controller, "%.63s", mp.name);
		snprintf(d->v1[d->nv1].path, sizeof d->v1[d->nv1].path, "%.255s", mp.path);
		d->nv1++;
	}
	if (r != 0 && r != ECGEOF)
		v1_failed(d, cg, r);
	cg->end(&h);
}

void diagnose_v1(struct umucg_diagnosis *d)
{
	struct libcgroup cg;
	if (!libcgroup_open(&cg)) {
		cg.strerror = NULL; /* a library without every symbol is no libcgroup */
		v1_failed(d, &cg, ECGFAIL);
		libcgroup_close(&cg);
		return;
	}
	int r = cg.init();
	if (r == 0)
		v1_walk(d, &cg);
	else if (r != ECGROUPNOTMOUNTED)
		v1_failed(d, &cg, r);
	libcgroup_close(&cg);
}
