/* cmd_doctor.c - umucg doctor: what works here for the caller, what does
 * not, and the fix for each "no". libcgroup names the controllers that
 * cgroup v1 hierarchies hold. */
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
#include <sys/capability.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
}
#define cleanup_close_cli __attribute__((cleanup(close_fd)))

static const char doctor_help[] =
	"Usage: umucg doctor\n"
	"Explain what umucg can do here for the calling user: the cgroup mode, the\n"
	"cgroup2 mount, which controllers are usable and which cgroup v1 holds, the\n"
	"base 'run' would use and why, delegation, kernel features and the caller's\n"
	"capabilities. Every \"no\" comes with its fix.\n\n"
	"Options:\n"
	"  --base PATH  judge this base (as 'run --base PATH' would use it)\n"
	"  --help       this text\n\n"
	"Exit status: 0 when 'umucg run' with memory and pids limits would work for\n"
	"the caller, 1 when it would not, 125 on a usage error.\n";

#define FIX_BOOT "boot with cgroup_no_v1=all on the kernel command line, or on OpenRC set " \
	"rc_cgroup_mode=\"unified\" in /etc/rc.conf; then reboot"
#define FIX_PAM "as root: 'umucg setup --user %s --session $$' for this shell; for every login " \
	"add 'session optional pam_exec.so /usr/share/doc/umucg/examples/pam/umucg-session' to " \
	"/etc/pam.d/system-login (see umucg(1)) and log in again"

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

struct doctor {
	bool root;
	char user[64];            /* the caller's name, or uid */
	char *mount;              /* cgroup2 mount, NULL when none */
	unsigned offered;         /* UMUCG_CTRL_* in the mount root's cgroup.controllers */
	struct v1_controller v1[32];
	size_t nv1;
	int v1_error;             /* libcgroup's error, 0 when it listed them */
	struct libcgroup cg;      /* all NULL when libcgroup could not be loaded */
	struct umucg_base base;
	bool base_ok;
	struct umucg_error base_err;
	bool usable;              /* the verdict */
	unsigned nos;
};

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

/* A check with its verdict; a "no" that matters for run (blocking) takes
 * the verdict down. */
static void check(struct doctor *d, bool ok, bool blocking, const char *what, const char *fix,
		  const char *fmt, ...) __attribute__((format(printf, 6, 7)));
static void check(struct doctor *d, bool ok, bool blocking, const char *what, const char *fix,
		  const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	printf("%-4s %s: ", ok ? "yes" : "no", what);
	vprintf(fmt, ap);
	putchar('\n');
	va_end(ap);
	if (!ok && fix && *fix)
		printf("     fix: %s\n", fix);
	if (!ok) {
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

static void report_mode(struct doctor *d)
{
	struct umucg_error err = { 0 };
	enum umucg_cgroup_mode mode = UMUCG_MODE_NONE;
	if (umucg_cgroup_mode(&mode, &err) < 0)
		cli_error(&err);
	static const char *const why[] = {
		[UMUCG_MODE_NONE] = "no cgroup file system is mounted",
		[UMUCG_MODE_LEGACY] = "cgroup v1 hierarchies only",
		[UMUCG_MODE_HYBRID] = "cgroup2 beside cgroup v1 hierarchies",
		[UMUCG_MODE_UNIFIED] = "cgroup2 only",
	};
	line("cgroup mode:", "%s (%s)", umucg_cgroup_mode_name(mode), why[mode]);

	struct umucg_error merr = { 0 };
	if (umucg_cgroup2_mount(&d->mount, &merr) < 0) {
		d->mount = NULL;
		check(d, false, true, "cgroup2 mount", mode == UMUCG_MODE_LEGACY ?
		      "as root: 'umucg setup' mounts cgroup2 at /sys/fs/cgroup/unified; better, " FIX_BOOT :
		      "as root: 'umucg setup' mounts it (or: mount -t cgroup2 none /sys/fs/cgroup)",
		      "none in /proc/self/mountinfo");
	} else {
		line("cgroup2 mount:", "%s", d->mount);
		cleanup_close_cli int root = umucg_open_dir_nofollow(d->mount, &merr);
		if (root >= 0)
			umucg_controllers_read(root, "cgroup.controllers", &d->offered, &merr);
	}
	/* Without a v1 mount there is nothing to ask libcgroup about (and on a
	 * pure cgroup2 system its cgroup_init may fail for want of v1). */
	if (mode == UMUCG_MODE_HYBRID || mode == UMUCG_MODE_LEGACY)
		list_v1(d);
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
}

static void report_base(struct doctor *d, const char *explicit_base)
{
	if (!d->mount && !explicit_base)
		return;
	d->base_ok = umucg_base_resolve(explicit_base, &d->base, &d->base_err) == 0;
	char fix[512];
	if (!d->base_ok) {
		if (!d->root && !explicit_base) {
			snprintf(fix, sizeof fix, FIX_PAM, d->user);
			check(d, false, true, "delegated subtree", fix, "%s", d->base_err.msg);
		} else {
			check(d, false, true, "base", d->base_err.hint, "%s", d->base_err.msg);
		}
		return;
	}
	static const char *const why[] = {
		[UMUCG_BASE_EXPLICIT] = "given by --base or UMUCG_BASE",
		[UMUCG_BASE_SYSTEM] = "root's system base",
		[UMUCG_BASE_DELEGATED] = "the top of the caller's delegated subtree",
	};
	line("base:", "%s (%s%s)", d->base.path, why[d->base.source],
	     d->base.fd < 0 ? "; 'umucg setup' or the first run makes it" : "");
	if (d->base.source == UMUCG_BASE_DELEGATED)
		check(d, true, true, "delegated subtree", NULL, "the caller's cgroup lies in %s, "
		      "owned by %s", d->base.path, d->user);
	else if (d->root)
		line("delegation:", "not needed (root)");
	if (d->base.fd < 0)
		return;
	/* Writing where run writes: a new directory and cgroup.procs. */
	bool writable = faccessat(d->base.fd, ".", W_OK, AT_EACCESS) == 0 &&
			faccessat(d->base.fd, "cgroup.procs", W_OK, AT_EACCESS) == 0;
	snprintf(fix, sizeof fix, d->root ? "pass a base root can write" :
		 "as root: 'umucg setup --user %s' hands it over", d->user);
	check(d, writable, true, "base writable", fix, "%s %s", d->user,
	      writable ? "can make groups and move processes there" : "cannot write there");
	/* The no-internal-process rule: controllers for the base's groups need
	 * a base without processes of its own. */
	char procs[64] = "";
	int fd = openat(d->base.fd, "cgroup.procs", O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd >= 0) {
		ssize_t n = read(fd, procs, sizeof procs - 1);
		procs[n > 0 ? n : 0] = '\0';
		close(fd);
	}
	if (d->base.source != UMUCG_BASE_SYSTEM || procs[0]) {
		snprintf(fix, sizeof fix, "move them into a leaf (as root: 'umucg setup --user %s "
			 "--session PID' for a login's process)", d->user);
		check(d, !procs[0], true, "base has no processes of its own", fix, "%s",
		      procs[0] ? "it has, so the kernel refuses controllers for its groups" :
		      "processes live in leaves only");
	}
}

static void report_controllers(struct doctor *d)
{
	unsigned avail = d->base_ok ? d->base.available : 0;
	for (unsigned bit = 1; bit <= UMUCG_CTRL_IO; bit <<= 1) {
		const char *name = umucg_controller_name(bit);
		bool blocking = bit == UMUCG_CTRL_MEMORY || bit == UMUCG_CTRL_PIDS;
		char what[64], fix[512];
		snprintf(what, sizeof what, "%s controller", name);
		const char *held = v1_path(d, bit);
		if (avail & bit) {
			check(d, true, blocking, what, NULL, "usable at the base");
		} else if (held) {
			check(d, false, blocking, what, FIX_BOOT, "held by cgroup v1 at %s", held);
		} else if (!d->base_ok) {
			check(d, false, blocking, what, "see the base above", "no base to use it in");
		} else if (d->offered & bit) {
			snprintf(fix, sizeof fix, d->root ? "as root: 'umucg setup'" :
				 "as root: 'umucg setup --user %s', then log in again", d->user);
			check(d, false, blocking, what, fix, "offered by cgroup2 but not enabled "
			      "down to the base");
		} else {
			check(d, false, blocking, what, "a kernel built with it (CONFIG_MEMCG, "
			      "CONFIG_CGROUP_PIDS, CONFIG_CGROUP_SCHED, CONFIG_BLK_CGROUP)",
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

static void report_features(struct doctor *d)
{
	cleanup_close_cli int dir = probe_dir(d);
	struct umucg_features f;
	umucg_features_probe(dir, &f);
	static const struct {
		unsigned bit;
		const char *what, *without;
	} feats[] = {
		{ UMUCG_FEATURE_CLONE_INTO_CGROUP, "clone3 into cgroup",
		  "run starts CMD by fork, join, exec (Linux >= 5.7 has it)" },
		{ UMUCG_FEATURE_CGROUP_KILL, "cgroup.kill",
		  "groups are killed by freezing them first (Linux >= 5.14 has it)" },
		{ UMUCG_FEATURE_FREEZE, "cgroup.freeze",
		  "freeze, thaw and the kill fallback need Linux >= 5.2" },
		{ UMUCG_FEATURE_USER_XATTR, "user xattrs",
		  "a group's manager is recorded in a file instead (Linux >= 5.7 has them)" },
	};
	for (size_t i = 0; i < sizeof feats / sizeof *feats; i++) {
		if (!(f.known & feats[i].bit)) {
			printf("?    %s: unknown (no cgroup directory to probe)\n", feats[i].what);
			continue;
		}
		bool has = f.present & feats[i].bit;
		check(d, has, false, feats[i].what, feats[i].without, "%s",
		      has ? "the kernel has it" : "missing");
	}
}

static void report_caps(struct doctor *d)
{
	cap_t caps = cap_get_proc();
	char *text = caps ? cap_to_text(caps, NULL) : NULL;
	line("capabilities:", "%s%s", text ? text : "unknown",
	     text && strcmp(text, "=") == 0 ? " (none)" : "");
	cap_free(text);
	cap_free(caps);
	if (!d->root)
		return;
	struct umucg_error err = { 0 };
	bool ok = umucg_setup_check_caps(false, true, &err) == 0;
	check(d, ok, false, "enough for 'umucg setup'", err.hint, "%s",
	      ok ? "CAP_CHOWN and write access to root's cgroup files" : err.msg);
}

int cmd_doctor(struct cli_global *g, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "base", required_argument, NULL, 'b' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	optind = 1;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		switch (c) {
		case 'b': g->base = optarg; break;
		case 'j': g->json = true; break;
		case 'h': fputs(doctor_help, stdout); return 0;
		case ':': return cli_usage_error("doctor", "%s: needs a value", argv[optind - 1]);
		default: return cli_usage_error("doctor", "%s: unknown option", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage_error("doctor", "%s: unexpected argument", argv[optind]);

	struct doctor d = { .root = geteuid() == 0, .usable = true, .base = { .fd = -1 } };
	struct passwd *pw = getpwuid(geteuid());
	if (pw)
		snprintf(d.user, sizeof d.user, "%s", pw->pw_name);
	else
		snprintf(d.user, sizeof d.user, "%u", (unsigned)geteuid());
	line("caller:", "%s (uid %u)", d.user, (unsigned)geteuid());
	report_mode(&d);
	report_base(&d, g->base);
	report_controllers(&d);
	report_features(&d);
	report_caps(&d);
	printf("verdict:         'umucg run' with memory and pids limits %s for %s\n",
	       d.usable ? "works" : "does NOT work", d.user);
	umucg_base_release(&d.base);
	free(d.mount);
	fflush(stdout);
	return d.usable ? 0 : 1;
}
