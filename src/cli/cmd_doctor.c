/* cmd_doctor.c - umucg doctor: what works here for the caller, what does
 * not, and the fix for each "no". The facts are gathered once into one
 * struct and printed as text or, with --json, as one JSON object. libcgroup
 * names the controllers that cgroup v1 hierarchies hold. */
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libcgroup.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "libcap_dl.h"

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
}
#define cleanup_close_cli __attribute__((cleanup(close_fd)))

static const char doctor_help[] =
	"Usage: umucg doctor [--json]\n"
	"Explain what umucg can do here for the calling user: the cgroup mode, the\n"
	"cgroup2 mount, which controllers are usable and which cgroup v1 holds, the\n"
	"base 'run' would use and why, delegation, kernel features and the caller's\n"
	"capabilities. Every \"no\" comes with its fix.\n\n"
	"Options:\n"
	"  --base PATH  judge this base (as 'run --base PATH' would use it)\n"
	"  --json       the same facts and verdict as one JSON object\n"
	"  --help       this text\n\n"
	"Exit status: 0 when 'umucg run' with memory and pids limits would work for\n"
	"the caller, 1 when it would not, 125 on a usage error.\n";

#define FIX_BOOT "boot with cgroup_no_v1=all on the kernel command line, or on OpenRC set " \
	"rc_cgroup_mode=\"unified\" in /etc/rc.conf; then reboot"
#define FIX_PAM "as root: 'umucg setup --user %s --session $$' for this shell; for every login " \
	"add 'session optional pam_umucg.so' to the session stack, after pam_elogind " \
	"(/etc/pam.d/system-login, or common-session on Debian; see pam_umucg(8)) and log in again"

#define NCTRL 4 /* UMUCG_CTRL_MEMORY .. UMUCG_CTRL_IO */

struct v1_controller {
	char name[64];
	char path[256];
};

/* libcgroup, opened only when doctor runs: linked into umucg it cost every
 * `umucg run` about 170 us of relocations at start (bench/README). */
struct libcgroup {
	typeof(&cgroup_init) init;
	typeof(&cgroup_get_controller_begin) begin;
	typeof(&cgroup_get_controller_next) next;
	typeof(&cgroup_get_controller_end) end;
	typeof(&cgroup_strerror) strerror;
};

enum tri { TRI_NO, TRI_YES, TRI_UNKNOWN };

/* Where a check is printed in the text report. */
enum doc_section { SEC_MOUNT, SEC_BASE, SEC_CONTROLLERS, SEC_FEATURES, SEC_CAPS };

/* One verdict: "yes", "no" (with its fix) or unknown. */
struct doc_check {
	enum doc_section section;
	const char *id;      /* stable name for JSON: "base_writable", ... */
	char what[64];       /* for people: "base writable" */
	enum tri ok;
	bool blocking;       /* a "no" here means run with limits fails */
	char detail[512];
	char fix[768];
};

enum ctrl_state { CTRL_USABLE, CTRL_HELD_BY_V1, CTRL_NO_BASE, CTRL_NOT_ENABLED, CTRL_MISSING };

struct doctor {
	bool root;
	uid_t uid;
	char user[64];            /* the caller's name, or uid */
	enum umucg_cgroup_mode mode;
	bool mode_known;
	char *mount;              /* cgroup2 mount, NULL when none */
	unsigned offered;         /* UMUCG_CTRL_* in the mount root's cgroup.controllers */
	struct v1_controller v1[32];
	size_t nv1;
	int v1_error;             /* libcgroup's error, 0 when it listed them */
	struct libcgroup cg;      /* all NULL when libcgroup could not be loaded */
	bool base_tried;          /* a mount or --base to resolve it in */
	struct umucg_base base;
	bool base_ok;
	struct umucg_error base_err;
	enum tri delegated;       /* the caller lies in a delegated subtree */
	enum tri writable;        /* the caller can make groups and move there */
	enum tri own_procs;       /* the base has processes of its own */
	enum ctrl_state ctrl[NCTRL];
	struct umucg_features features;
	struct libcap lc;         /* loaded for the capability checks */
	char *caps_text;          /* cap_to_text of the caller's; NULL unknown */
	uint64_t caps_effective;  /* bit N: capability N is effective */
	bool caps_known;
	enum tri setup_caps;      /* enough for setup (asked for root only) */
	struct doc_check checks[24];
	size_t nchecks;
	bool usable;              /* the verdict */
	unsigned nos;
};

/* ---- gathering the facts -------------------------------------------- */

/* Records a check; a "no" that matters for run (blocking) takes the
 * verdict down. */
static void check(struct doctor *d, enum doc_section section, const char *id, enum tri ok,
		  bool blocking, const char *what, const char *fix, const char *fmt, ...)
	__attribute__((format(printf, 8, 9)));
static void check(struct doctor *d, enum doc_section section, const char *id, enum tri ok,
		  bool blocking, const char *what, const char *fix, const char *fmt, ...)
{
	if (d->nchecks >= sizeof d->checks / sizeof *d->checks)
		abort(); /* a programming error: the table is sized for every check */
	struct doc_check *c = &d->checks[d->nchecks++];
	c->section = section;
	c->id = id;
	c->ok = ok;
	c->blocking = blocking;
	snprintf(c->what, sizeof c->what, "%s", what);
	snprintf(c->fix, sizeof c->fix, "%s", ok == TRI_NO && fix ? fix : "");
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->detail, sizeof c->detail, fmt, ap);
	va_end(ap);
	if (ok == TRI_NO) {
		d->nos++;
		if (blocking)
			d->usable = false;
	}
}

/* cgroup v1 hierarchies' controllers: libcgroup lists every mounted one;
 * those not on the cgroup2 mount are v1's. */
static bool libcgroup_load(struct libcgroup *cg)
{
	/* Never closed: doctor exits soon after, and cgroup_init keeps state. */
	void *dl = dlopen("libcgroup.so.2", RTLD_NOW | RTLD_LOCAL);
	if (!dl)
		dl = dlopen("libcgroup.so.1", RTLD_NOW | RTLD_LOCAL);
	if (!dl)
		return false;
	*(void **)&cg->init = dlsym(dl, "cgroup_init");
	*(void **)&cg->begin = dlsym(dl, "cgroup_get_controller_begin");
	*(void **)&cg->next = dlsym(dl, "cgroup_get_controller_next");
	*(void **)&cg->end = dlsym(dl, "cgroup_get_controller_end");
	*(void **)&cg->strerror = dlsym(dl, "cgroup_strerror");
	if (cg->init && cg->begin && cg->next && cg->end && cg->strerror)
		return true;
	memset(cg, 0, sizeof *cg);
	return false;
}

static const char *libcgroup_error(const struct doctor *d)
{
	return d->cg.strerror ? d->cg.strerror(d->v1_error) : "libcgroup.so.2 could not be loaded";
}

static void list_v1(struct doctor *d)
{
	if (!libcgroup_load(&d->cg)) {
		d->v1_error = ECGFAIL;
		return;
	}
	int r = d->cg.init();
	if (r != 0 && r != ECGROUPNOTMOUNTED) {
		d->v1_error = r;
		return;
	}
	if (r == ECGROUPNOTMOUNTED)
		return;
	void *h = NULL;
	struct cgroup_mount_point mp;
	for (r = d->cg.begin(&h, &mp); r == 0 && d->nv1 < 32; r = d->cg.next(&h, &mp)) {
		if (d->mount && strcmp(mp.path, d->mount) == 0)
			continue;
		snprintf(d->v1[d->nv1].name, sizeof d->v1[d->nv1].name, "%.63s", mp.name);
		snprintf(d->v1[d->nv1].path, sizeof d->v1[d->nv1].path, "%.255s", mp.path);
		d->nv1++;
	}
	if (r != 0 && r != ECGEOF)
		d->v1_error = r;
	d->cg.end(&h);
}

/* Where v1 holds a cgroup2 controller (its v1 name: blkio for io). */
static const char *v1_path(const struct doctor *d, unsigned ctrl)
{
	const char *name = ctrl == UMUCG_CTRL_IO ? "blkio" : umucg_controller_name(ctrl);
	for (size_t i = 0; i < d->nv1; i++)
		if (strcmp(d->v1[i].name, name) == 0)
			return d->v1[i].path;
	return NULL;
}

static void gather_mode(struct doctor *d)
{
	struct umucg_error err = { 0 };
	d->mode = UMUCG_MODE_NONE;
	d->mode_known = umucg_cgroup_mode(&d->mode, &err) == 0;
	if (!d->mode_known)
		cli_error(&err);

	struct umucg_error merr = { 0 };
	if (umucg_cgroup2_mount(&d->mount, &merr) < 0) {
		d->mount = NULL;
		check(d, SEC_MOUNT, "cgroup2_mount", TRI_NO, true, "cgroup2 mount",
		      d->mode == UMUCG_MODE_LEGACY ?
		      "as root: 'umucg setup' mounts cgroup2 at /sys/fs/cgroup/unified; better, " FIX_BOOT :
		      "as root: 'umucg setup' mounts it (or: mount -t cgroup2 none /sys/fs/cgroup)",
		      "none in /proc/self/mountinfo");
	} else {
		cleanup_close_cli int root = umucg_open_dir_nofollow(d->mount, &merr);
		if (root >= 0)
			umucg_controllers_read(root, "cgroup.controllers", &d->offered, &merr);
	}
	/* Without a v1 mount there is nothing to ask libcgroup about (and on a
	 * pure cgroup2 system its cgroup_init may fail for want of v1). */
	if (d->mode == UMUCG_MODE_HYBRID || d->mode == UMUCG_MODE_LEGACY)
		list_v1(d);
}

static void gather_base(struct doctor *d, const char *explicit_base)
{
	d->delegated = d->writable = d->own_procs = TRI_UNKNOWN;
	if (!d->mount && !explicit_base)
		return;
	d->base_tried = true;
	d->base_ok = umucg_base_resolve(explicit_base, &d->base, &d->base_err) == 0;
	char fix[768];
	if (!d->base_ok) {
		if (!d->root && !explicit_base) {
			d->delegated = TRI_NO;
			snprintf(fix, sizeof fix, FIX_PAM, d->user);
			check(d, SEC_BASE, "delegated_subtree", TRI_NO, true, "delegated subtree", fix,
			      "%s", d->base_err.msg);
		} else {
			check(d, SEC_BASE, "base", TRI_NO, true, "base", d->base_err.hint, "%s",
			      d->base_err.msg);
		}
		return;
	}
	if (d->base.source == UMUCG_BASE_DELEGATED) {
		d->delegated = TRI_YES;
		check(d, SEC_BASE, "delegated_subtree", TRI_YES, true, "delegated subtree", NULL,
		      "the caller's cgroup lies in %s, owned by %s", d->base.path, d->user);
	}
	if (d->base.fd < 0)
		return;
	/* Writing where run writes: a new directory and cgroup.procs. */
	bool writable = faccessat(d->base.fd, ".", W_OK, AT_EACCESS) == 0 &&
			faccessat(d->base.fd, "cgroup.procs", W_OK, AT_EACCESS) == 0;
	d->writable = writable ? TRI_YES : TRI_NO;
	snprintf(fix, sizeof fix, d->root ? "pass a base root can write" :
		 "as root: 'umucg setup --user %s' hands it over", d->user);
	check(d, SEC_BASE, "base_writable", d->writable, true, "base writable", fix, "%s %s",
	      d->user, writable ? "can make groups and move processes there" : "cannot write there");
	/* The no-internal-process rule: controllers for the base's groups need
	 * a base without processes of its own. */
	char procs[64] = "";
	int fd = openat(d->base.fd, "cgroup.procs", O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd >= 0) {
		ssize_t n = read(fd, procs, sizeof procs - 1);
		procs[n > 0 ? n : 0] = '\0';
		d->own_procs = n < 0 ? TRI_UNKNOWN : procs[0] ? TRI_YES : TRI_NO;
		close(fd);
	}
	if (d->base.source != UMUCG_BASE_SYSTEM || d->own_procs != TRI_NO) {
		snprintf(fix, sizeof fix, "move them into a leaf (as root: 'umucg setup --user %s "
			 "--session PID' for a login's process)", d->user);
		enum tri ok = d->own_procs == TRI_UNKNOWN ? TRI_UNKNOWN :
			      d->own_procs == TRI_YES ? TRI_NO : TRI_YES;
		check(d, SEC_BASE, "base_no_processes", ok, true, "base has no processes of its own",
		      fix, "%s", ok == TRI_NO ? "it has, so the kernel refuses controllers for its groups" :
		      ok == TRI_YES ? "processes live in leaves only" : "its cgroup.procs cannot be read");
	}
}

static void gather_controllers(struct doctor *d)
{
	static const char *const ids[NCTRL] = {
		"memory_controller", "pids_controller", "cpu_controller", "io_controller",
	};
	unsigned avail = d->base_ok ? d->base.available : 0;
	for (unsigned i = 0; i < NCTRL; i++) {
		unsigned bit = 1u << i;
		const char *name = umucg_controller_name(bit);
		bool blocking = bit == UMUCG_CTRL_MEMORY || bit == UMUCG_CTRL_PIDS;
		char what[64], fix[768];
		snprintf(what, sizeof what, "%s controller", name);
		const char *held = v1_path(d, bit);
		if (avail & bit) {
			d->ctrl[i] = CTRL_USABLE;
			check(d, SEC_CONTROLLERS, ids[i], TRI_YES, blocking, what, NULL,
			      "usable at the base");
		} else if (held) {
			d->ctrl[i] = CTRL_HELD_BY_V1;
			check(d, SEC_CONTROLLERS, ids[i], TRI_NO, blocking, what, FIX_BOOT,
			      "held by cgroup v1 at %s", held);
		} else if (!d->base_ok) {
			d->ctrl[i] = CTRL_NO_BASE;
			check(d, SEC_CONTROLLERS, ids[i], TRI_NO, blocking, what, "see the base above",
			      "no base to use it in");
		} else if (d->offered & bit) {
			d->ctrl[i] = CTRL_NOT_ENABLED;
			snprintf(fix, sizeof fix, d->root ? "as root: 'umucg setup'" :
				 "as root: 'umucg setup --user %s', then log in again", d->user);
			check(d, SEC_CONTROLLERS, ids[i], TRI_NO, blocking, what, fix,
			      "offered by cgroup2 but not enabled down to the base");
		} else {
			d->ctrl[i] = CTRL_MISSING;
			check(d, SEC_CONTROLLERS, ids[i], TRI_NO, blocking, what, "a kernel built with "
			      "it (CONFIG_MEMCG, CONFIG_CGROUP_PIDS, CONFIG_CGROUP_SCHED, CONFIG_BLK_CGROUP)",
			      "the kernel does not offer it in cgroup2");
		}
	}
}

/* A non-root cgroup directory to look for interface files in. */
static int probe_dir(struct doctor *d)
{
	if (d->base_ok && d->base.fd >= 0)
		return dup(d->base.fd);
	if (!d->mount)
		return -1;
	struct umucg_error err;
	int root = umucg_open_dir_nofollow(d->mount, &err);
	if (root < 0)
		return -1;
	DIR *dir = fdopendir(root);
	if (!dir) {
		close(root);
		return -1;
	}
	int fd = -1;
	struct dirent *e;
	while (fd < 0 && (e = readdir(dir)))
		if (e->d_type == DT_DIR && e->d_name[0] != '.')
			fd = openat(dirfd(dir), e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	closedir(dir);
	return fd;
}

static const struct {
	unsigned bit;
	const char *id, *what, *without;
} feats[] = {
	{ UMUCG_FEATURE_CLONE_INTO_CGROUP, "clone_into_cgroup", "clone3 into cgroup",
	  "run starts CMD by fork, join, exec (Linux >= 5.7 has it)" },
	{ UMUCG_FEATURE_CGROUP_KILL, "cgroup_kill", "cgroup.kill",
	  "groups are killed by freezing them first (Linux >= 5.14 has it)" },
	{ UMUCG_FEATURE_FREEZE, "cgroup_freeze", "cgroup.freeze",
	  "freeze, thaw and the kill fallback need Linux >= 5.2" },
	{ UMUCG_FEATURE_USER_XATTR, "user_xattr", "user xattrs",
	  "a group's manager is recorded in a file instead (Linux >= 5.7 has them)" },
};
#define NFEATS (sizeof feats / sizeof *feats)

static enum tri feature(const struct doctor *d, unsigned bit)
{
	if (!(d->features.known & bit))
		return TRI_UNKNOWN;
	return d->features.present & bit ? TRI_YES : TRI_NO;
}

static void gather_features(struct doctor *d)
{
	cleanup_close_cli int dir = probe_dir(d);
	umucg_features_probe(dir, &d->features);
	for (size_t i = 0; i < NFEATS; i++) {
		enum tri has = feature(d, feats[i].bit);
		check(d, SEC_FEATURES, feats[i].id, has, false, feats[i].what, feats[i].without, "%s",
		      has == TRI_UNKNOWN ? "unknown (no cgroup directory to probe)" :
		      has == TRI_YES ? "the kernel has it" : "missing");
	}
}

static void gather_caps(struct doctor *d)
{
	/* Without libcap the capabilities stay unknown, said as such. */
	cap_t caps = libcap_open(&d->lc, NULL) == 0 ? d->lc.get_proc() : NULL;
	if (caps) {
		d->caps_text = d->lc.to_text(caps, NULL);
		d->caps_known = true;
		cap_value_t max = d->lc.max_bits();
		for (cap_value_t v = 0; v < max && v < 64; v++) {
			cap_flag_value_t on = CAP_CLEAR;
			if (d->lc.get_flag(caps, v, CAP_EFFECTIVE, &on) == 0 && on == CAP_SET)
				d->caps_effective |= 1ull << v;
		}
		d->lc.free(caps);
	}
	d->setup_caps = TRI_UNKNOWN;
	if (!d->root)
		return;
	struct umucg_error err = { 0 };
	bool ok = umucg_setup_check_caps(false, true, &err) == 0;
	d->setup_caps = ok ? TRI_YES : TRI_NO;
	check(d, SEC_CAPS, "setup_capabilities", d->setup_caps, false, "enough for 'umucg setup'",
	      err.hint, "%s", ok ? "CAP_CHOWN and write access to root's cgroup files" : err.msg);
}

/* ---- the text report ------------------------------------------------ */

static void line(const char *label, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void line(const char *label, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	printf("%-16s ", label);
	vprintf(fmt, ap);
	putchar('\n');
	va_end(ap);
}

static void print_checks(const struct doctor *d, enum doc_section section)
{
	for (size_t i = 0; i < d->nchecks; i++) {
		const struct doc_check *c = &d->checks[i];
		if (c->section != section)
			continue;
		printf("%-4s %s: %s\n", c->ok == TRI_UNKNOWN ? "?" : c->ok == TRI_YES ? "yes" : "no",
		       c->what, c->detail);
		if (c->ok == TRI_NO && c->fix[0])
			printf("     fix: %s\n", c->fix);
	}
}

static const char *const mode_why[] = {
	[UMUCG_MODE_NONE] = "no cgroup file system is mounted",
	[UMUCG_MODE_LEGACY] = "cgroup v1 hierarchies only",
	[UMUCG_MODE_HYBRID] = "cgroup2 beside cgroup v1 hierarchies",
	[UMUCG_MODE_UNIFIED] = "cgroup2 only",
};

static const char *const base_why[] = {
	[UMUCG_BASE_EXPLICIT] = "given by --base or UMUCG_BASE",
	[UMUCG_BASE_SYSTEM] = "root's system base",
	[UMUCG_BASE_DELEGATED] = "the top of the caller's delegated subtree",
};

static int print_text(const struct doctor *d)
{
	line("caller:", "%s (uid %u)", d->user, (unsigned)d->uid);
	line("cgroup mode:", "%s (%s)", umucg_cgroup_mode_name(d->mode), mode_why[d->mode]);
	if (d->mount)
		line("cgroup2 mount:", "%s", d->mount);
	print_checks(d, SEC_MOUNT);
	if (d->v1_error) {
		line("cgroup v1 holds:", "unknown (libcgroup: %s)", libcgroup_error(d));
	} else if (d->nv1 == 0) {
		line("cgroup v1 holds:", "nothing");
	} else {
		printf("%-16s ", "cgroup v1 holds:");
		for (size_t i = 0; i < d->nv1; i++)
			printf("%s%s", i ? ", " : "", d->v1[i].name);
		printf(" (at %s%s)\n", d->v1[0].path, d->nv1 > 1 ? ", ..." : "");
	}
	if (d->base_ok) {
		line("base:", "%s (%s%s)", d->base.path, base_why[d->base.source],
		     d->base.fd < 0 ? "; 'umucg setup' or the first run makes it" : "");
		if (d->base.source != UMUCG_BASE_DELEGATED && d->root)
			line("delegation:", "not needed (root)");
	}
	print_checks(d, SEC_BASE);
	print_checks(d, SEC_CONTROLLERS);
	print_checks(d, SEC_FEATURES);
	line("capabilities:", "%s%s", d->caps_text ? d->caps_text : "unknown",
	     d->caps_text && strcmp(d->caps_text, "=") == 0 ? " (none)" : "");
	print_checks(d, SEC_CAPS);
	printf("verdict:         'umucg run' with memory and pids limits %s for %s\n",
	       d->usable ? "works" : "does NOT work", d->user);
	return 0;
}

/* ---- the JSON report ------------------------------------------------ */

static void json_tri(struct umucg_json *j, const char *key, enum tri v)
{
	umucg_json_key(j, key);
	if (v == TRI_UNKNOWN)
		umucg_json_null(j);
	else
		umucg_json_bool(j, v == TRI_YES);
}

static void json_controllers(struct umucg_json *j, const char *key, unsigned mask)
{
	umucg_json_key(j, key);
	umucg_json_begin_array(j);
	for (unsigned bit = 1; bit <= UMUCG_CTRL_IO; bit <<= 1)
		if (mask & bit)
			umucg_json_string(j, umucg_controller_name(bit));
	umucg_json_end_array(j);
}

static void json_v1(struct umucg_json *j, const struct doctor *d)
{
	umucg_json_key(j, "cgroup_v1");
	umucg_json_begin_object(j);
	umucg_json_key(j, "error");
	if (d->v1_error) {
		char msg[256];
		snprintf(msg, sizeof msg, "libcgroup: %s", libcgroup_error(d));
		umucg_json_string(j, msg);
	} else {
		umucg_json_null(j);
	}
	umucg_json_key(j, "hierarchies");
	if (d->v1_error) {
		umucg_json_null(j);
	} else {
		umucg_json_begin_array(j);
		for (size_t i = 0; i < d->nv1; i++) {
			umucg_json_begin_object(j);
			umucg_json_key(j, "controller");
			umucg_json_string(j, d->v1[i].name);
			umucg_json_key(j, "path");
			umucg_json_string(j, d->v1[i].path);
			umucg_json_end_object(j);
		}
		umucg_json_end_array(j);
	}
	umucg_json_end_object(j);
}

static void json_base(struct umucg_json *j, const struct doctor *d)
{
	static const char *const source[] = {
		[UMUCG_BASE_EXPLICIT] = "explicit",
		[UMUCG_BASE_SYSTEM] = "system",
		[UMUCG_BASE_DELEGATED] = "delegated",
	};
	umucg_json_key(j, "base");
	if (!d->base_ok) {
		umucg_json_null(j);
	} else {
		umucg_json_begin_object(j);
		umucg_json_key(j, "path");
		umucg_json_string(j, d->base.path);
		umucg_json_key(j, "source");
		umucg_json_string(j, source[d->base.source]);
		umucg_json_key(j, "reason");
		umucg_json_string(j, base_why[d->base.source]);
		umucg_json_key(j, "exists");
		umucg_json_bool(j, d->base.fd >= 0);
		json_tri(j, "writable", d->writable);
		json_tri(j, "own_processes", d->own_procs);
		json_controllers(j, "controllers", d->base.available);
		umucg_json_end_object(j);
	}
	umucg_json_key(j, "base_error");
	if (d->base_tried && !d->base_ok) {
		umucg_json_begin_object(j);
		umucg_json_key(j, "message");
		umucg_json_string(j, d->base_err.msg);
		umucg_json_key(j, "hint");
		umucg_json_string(j, d->base_err.hint[0] ? d->base_err.hint : NULL);
		umucg_json_end_object(j);
	} else {
		umucg_json_null(j);
	}
	umucg_json_key(j, "delegation_needed");
	umucg_json_bool(j, !d->root);
	json_tri(j, "delegated_subtree", d->delegated);
}

static void json_caps(struct umucg_json *j, const struct doctor *d)
{
	umucg_json_key(j, "capabilities");
	umucg_json_begin_object(j);
	umucg_json_key(j, "text");
	umucg_json_string(j, d->caps_text);
	umucg_json_key(j, "effective");
	if (!d->caps_known) {
		umucg_json_null(j);
	} else {
		umucg_json_begin_array(j);
		for (cap_value_t v = 0; v < 64; v++) {
			if (!(d->caps_effective & (1ull << v)))
				continue;
			char *name = d->lc.to_name(v);
			umucg_json_string(j, name);
			d->lc.free(name);
		}
		umucg_json_end_array(j);
	}
	json_tri(j, "enough_for_setup", d->setup_caps);
	umucg_json_end_object(j);
}

static void json_checks(struct umucg_json *j, const struct doctor *d)
{
	umucg_json_key(j, "checks");
	umucg_json_begin_array(j);
	for (size_t i = 0; i < d->nchecks; i++) {
		const struct doc_check *c = &d->checks[i];
		umucg_json_begin_object(j);
		umucg_json_key(j, "id");
		umucg_json_string(j, c->id);
		umucg_json_key(j, "what");
		umucg_json_string(j, c->what);
		json_tri(j, "ok", c->ok);
		umucg_json_key(j, "blocking");
		umucg_json_bool(j, c->blocking);
		umucg_json_key(j, "detail");
		umucg_json_string(j, c->detail);
		umucg_json_key(j, "fix");
		umucg_json_string(j, c->ok == TRI_NO && c->fix[0] ? c->fix : NULL);
		umucg_json_end_object(j);
	}
	umucg_json_end_array(j);
}

static int print_json(const struct doctor *d)
{
	static const char *const state[] = {
		[CTRL_USABLE] = "usable",
		[CTRL_HELD_BY_V1] = "held-by-v1",
		[CTRL_NO_BASE] = "no-base",
		[CTRL_NOT_ENABLED] = "not-enabled",
		[CTRL_MISSING] = "missing",
	};
	struct umucg_json j;
	umucg_json_init(&j);
	umucg_json_begin_object(&j);
	umucg_json_key(&j, "caller");
	umucg_json_begin_object(&j);
	umucg_json_key(&j, "user");
	umucg_json_string(&j, d->user);
	umucg_json_key(&j, "uid");
	umucg_json_uint(&j, d->uid);
	umucg_json_key(&j, "root");
	umucg_json_bool(&j, d->root);
	umucg_json_end_object(&j);
	umucg_json_key(&j, "cgroup_mode");
	umucg_json_string(&j, d->mode_known ? umucg_cgroup_mode_name(d->mode) : NULL);
	umucg_json_key(&j, "cgroup2_mount");
	umucg_json_string(&j, d->mount);
	json_controllers(&j, "cgroup2_controllers", d->offered);
	json_v1(&j, d);
	json_base(&j, d);
	umucg_json_key(&j, "controllers");
	umucg_json_begin_object(&j);
	for (unsigned i = 0; i < NCTRL; i++) {
		umucg_json_key(&j, umucg_controller_name(1u << i));
		umucg_json_begin_object(&j);
		umucg_json_key(&j, "state");
		umucg_json_string(&j, state[d->ctrl[i]]);
		umucg_json_key(&j, "v1_path");
		umucg_json_string(&j, d->ctrl[i] == CTRL_HELD_BY_V1 ? v1_path(d, 1u << i) : NULL);
		umucg_json_end_object(&j);
	}
	umucg_json_end_object(&j);
	umucg_json_key(&j, "features");
	umucg_json_begin_object(&j);
	for (size_t i = 0; i < NFEATS; i++)
		json_tri(&j, feats[i].id, feature(d, feats[i].bit));
	umucg_json_end_object(&j);
	json_caps(&j, d);
	json_checks(&j, d);
	umucg_json_key(&j, "nos");
	umucg_json_uint(&j, d->nos);
	umucg_json_key(&j, "run_with_limits_works");
	umucg_json_bool(&j, d->usable);
	umucg_json_end_object(&j);
	return cli_print_json(&j, "doctor");
}

int cmd_doctor(struct cli_global *g, int argc, char **argv)
{
	static const struct option opts[] = {
		CLI_COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	optind = 1;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, "+:", opts, NULL)) != -1) {
		int r = cli_common_option(g, c, "doctor", doctor_help, argv);
		if (r != CLI_OPT_NEXT)
			return r == CLI_OPT_OWN ? EXIT_UMUCG : r;
	}
	if (optind < argc)
		return cli_usage_error("doctor", "%s: unexpected argument", argv[optind]);

	struct doctor d = { .root = geteuid() == 0, .uid = geteuid(), .usable = true,
			    .base = { .fd = -1 } };
	struct passwd *pw = getpwuid(d.uid);
	if (pw)
		snprintf(d.user, sizeof d.user, "%s", pw->pw_name);
	else
		snprintf(d.user, sizeof d.user, "%u", (unsigned)d.uid);
	gather_mode(&d);
	gather_base(&d, g->base);
	gather_controllers(&d);
	gather_features(&d);
	gather_caps(&d);
	int r = g->json ? print_json(&d) : print_text(&d);
	umucg_base_release(&d.base);
	free(d.mount);
	if (d.caps_text)
		d.lc.free(d.caps_text);
	libcap_close(&d.lc);
	if (fflush(stdout) != 0 || r < 0)
		return EXIT_UMUCG;
	return d.usable ? 0 : 1;
}
