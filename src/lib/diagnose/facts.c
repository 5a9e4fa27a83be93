/* facts.c - umucg_diagnose: the facts a diagnosis judges, gathered once from
 * the mount table, the base as run would resolve it, the kernel's probes and
 * the caller's capabilities; then judged by the checks of checks.c. */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"
#include "process/libcap_dl.h"

static void gather_caller(struct umucg_diagnosis *d, const struct umucg_diagnose_opts *o)
{
	d->uid = geteuid();
	d->root = d->uid == 0;
	if (o->user && o->user[0])
		snprintf(d->user, sizeof d->user, "%s", o->user);
	else
		snprintf(d->user, sizeof d->user, "%u", (unsigned)d->uid);
}

static void gather_mount(struct umucg_diagnosis *d)
{
	d->mode = UMUCG_MODE_NONE;
	if (umucg_cgroup_mode(&d->mode, &d->mode_err) < 0)
		d->mode = UMUCG_MODE_NONE;
	struct umucg_error err = { 0 };
	if (umucg_cgroup2_mount(&d->mount, &err) < 0) {
		d->mount = NULL;
	} else {
		cleanup_close int root = umucg_open_dir_nofollow(d->mount, &err);
		if (root >= 0)
			umucg_controllers_read(root, "cgroup.controllers", &d->offered, &err);
	}
	/* Without a v1 mount there is nothing to ask libcgroup about (and on a
	 * pure cgroup2 system its cgroup_init may fail for want of v1). */
	if (d->mode == UMUCG_MODE_HYBRID || d->mode == UMUCG_MODE_LEGACY)
		diagnose_v1(d);
}

static void gather_base(struct umucg_diagnosis *d, const struct umucg_diagnose_opts *o)
{
	d->delegated = d->writable = d->own_procs = UMUCG_ANSWER_UNKNOWN;
	if (!d->mount && !o->explicit_base)
		return;
	d->base_tried = true;
	d->base_ok = umucg_base_resolve(o->explicit_base, &d->base, &d->base_err) == 0;
	if (!d->base_ok) {
		if (!d->root && !o->explicit_base)
			d->delegated = UMUCG_ANSWER_NO;
		return;
	}
	if (d->base.source == UMUCG_BASE_DELEGATED)
		d->delegated = UMUCG_ANSWER_YES;
	if (d->base.fd < 0)
		return;
	/* Writing where run writes: a new directory and cgroup.procs. */
	bool writable = faccessat(d->base.fd, ".", W_OK, AT_EACCESS) == 0 &&
			faccessat(d->base.fd, "cgroup.procs", W_OK, AT_EACCESS) == 0;
	d->writable = writable ? UMUCG_ANSWER_YES : UMUCG_ANSWER_NO;
	/* The no-internal-process rule: controllers for the base's groups need
	 * a base without processes of its own. One byte tells. */
	char procs[16];
	ssize_t n = cgfile_read(d->base.fd, "cgroup.procs", procs, sizeof procs);
	if (n >= 0)
		d->own_procs = n > 0 ? UMUCG_ANSWER_YES : UMUCG_ANSWER_NO;
}

/* Where v1 holds a cgroup2 controller (its v1 name: blkio for io). */
static const char *v1_path(const struct umucg_diagnosis *d, unsigned ctrl)
{
	const char *name = ctrl == UMUCG_CTRL_IO ? "blkio" : umucg_controller_name(ctrl);
	for (size_t i = 0; i < d->nv1; i++)
		if (strcmp(d->v1[i].controller, name) == 0)
			return d->v1[i].path;
	return NULL;
}

static void gather_controllers(struct umucg_diagnosis *d)
{
	unsigned avail = d->base_ok ? d->base.available : 0;
	for (unsigned i = 0; i < 4; i++) {
		unsigned bit = 1u << i;
		const char *held = v1_path(d, bit);
		enum umucg_controller_state *s = &d->controllers[i].state;
		if (avail & bit)
			*s = UMUCG_CONTROLLER_USABLE;
		else if (held)
			*s = UMUCG_CONTROLLER_HELD_BY_V1;
		else if (!d->base_ok)
			*s = UMUCG_CONTROLLER_NO_BASE;
		else if (d->offered & bit)
			*s = UMUCG_CONTROLLER_NOT_ENABLED;
		else
			*s = UMUCG_CONTROLLER_MISSING;
		if (*s == UMUCG_CONTROLLER_HELD_BY_V1)
			snprintf(d->controllers[i].v1_path, sizeof d->controllers[i].v1_path, "%s", held);
		if (*s != UMUCG_CONTROLLER_USABLE)
			d->limits_missing |= bit;
	}
}

/* true when a and b are the same directory. */
static bool same_dir(int a, int b)
{
	struct stat sa, sb;
	return a >= 0 && b >= 0 && fstat(a, &sa) == 0 && fstat(b, &sb) == 0 &&
	       sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* The first directory below root (consumed). */
static int first_child_dir(int root)
{
	DIR *dir = fdopendir(root);
	if (!dir) {
		close(root);
		return -1;
	}
	int fd = -1;
	struct dirent *e;
	while (fd < 0 && (e = readdir(dir)))
		if (e->d_type == DT_DIR && e->d_name[0] != '.')
			fd = umucg_openat_beneath(dirfd(dir), e->d_name, O_RDONLY | O_DIRECTORY,
						  UMUCG_BENEATH_SAME_MOUNT, NULL);
	closedir(dir);
	return fd;
}

/* A non-root cgroup directory to look for interface files in (the root
 * cgroup has no cgroup.kill or cgroup.freeze of its own): the base, else
 * the first directory below the mount root. */
static int probe_dir(const struct umucg_diagnosis *d)
{
	const char *mount = d->base_ok ? d->base.mount : d->mount;
	cleanup_close int root = mount ? umucg_open_dir_nofollow(mount, NULL) : -1;
	if (d->base_ok && d->base.fd >= 0 && !same_dir(d->base.fd, root))
		return fcntl(d->base.fd, F_DUPFD_CLOEXEC, 0);
	if (root < 0)
		return -1;
	return first_child_dir(umucg_steal_fd(&root));
}

static void gather_features(struct umucg_diagnosis *d)
{
	cleanup_close int dir = probe_dir(d);
	umucg_features_probe(dir, &d->features);
}

static int gather_caps(struct umucg_diagnosis *d)
{
	/* Without libcap the capabilities stay unknown, said as such. */
	__attribute__((cleanup(libcap_close))) struct libcap lc = { 0 };
	cap_t caps = libcap_open(&lc, NULL) == 0 ? lc.get_proc() : NULL;
	int r = 0;
	if (caps) {
		char *text = lc.to_text(caps, NULL);
		d->caps_text = text ? strdup(text) : NULL;
		lc.free(text);
		if (text && !d->caps_text)
			r = -ENOMEM;
		d->caps_known = true;
		cap_value_t max = lc.max_bits();
		const size_t room = sizeof d->caps_effective / sizeof *d->caps_effective;
		for (cap_value_t v = 0; v < max && (size_t)v < room; v++) {
			cap_flag_value_t on = CAP_CLEAR;
			if (lc.get_flag(caps, v, CAP_EFFECTIVE, &on) < 0 || on != CAP_SET)
				continue;
			char *name = lc.to_name(v);
			snprintf(d->caps_effective[d->ncaps_effective++], sizeof *d->caps_effective,
				 "%s", name ? name : "?");
			lc.free(name);
		}
		lc.free(caps);
	}
	d->setup_caps = UMUCG_ANSWER_UNKNOWN;
	if (d->root)
		d->setup_caps = umucg_setup_check_caps(false, true, &d->setup_caps_err) == 0 ?
				UMUCG_ANSWER_YES : UMUCG_ANSWER_NO;
	return r;
}

int umucg_diagnose(const struct umucg_diagnose_opts *opts, struct umucg_diagnosis *d,
		   struct umucg_error *err)
{
	static const struct umucg_diagnose_opts defaults;
	const struct umucg_diagnose_opts *o = opts ? opts : &defaults;
	memset(d, 0, sizeof *d);
	d->base.fd = -1;
	gather_caller(d, o);
	gather_mount(d);
	gather_base(d, o);
	gather_controllers(d);
	gather_features(d);
	if (gather_caps(d) < 0)
		return umucg_err(err, -ENOMEM, "diagnose: out of memory");
	diagnose_judge(d, o);
	return 0;
}

void umucg_diagnosis_release(struct umucg_diagnosis *d)
{
	umucg_base_release(&d->base);
	free(d->mount);
	free(d->caps_text);
	d->mount = d->caps_text = NULL;
}
