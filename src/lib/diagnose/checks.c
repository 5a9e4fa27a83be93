/* checks.c - the checks of a diagnosis: one table, each row naming a check,
 * its judge of the gathered facts (yes, no or unknown, the detail, the fix)
 * and its fix where that is always the same; and the verdicts. A new check
 * is a row here and, unless an existing one serves, its judge. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

#define FIX_BOOT "boot with cgroup_no_v1=all on the kernel command line, or on OpenRC set " \
	"rc_cgroup_mode=\"unified\" in /etc/rc.conf; then reboot"
#define FIX_LOGIN "for every login: 'session optional pam_umucg.so' in the session stack " \
	"(/etc/pam.d/common-session or /etc/pam.d/system-login) and the boot service " \
	"('rc-update add umucg boot' on OpenRC), then log in again"

/* What a judge says: the answer, and the detail for people. */
static bool say(struct umucg_diag_check *c, enum umucg_answer ok, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static bool say(struct umucg_diag_check *c, enum umucg_answer ok, const char *fmt, ...)
{
	c->ok = ok;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->detail, sizeof c->detail, fmt, ap);
	va_end(ap);
	return true;
}

/* The fix, for when the answer is no. */
static void fix(struct umucg_diag_check *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fix(struct umucg_diag_check *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->fix, sizeof c->fix, fmt, ap);
	va_end(ap);
}

typedef bool judge_fn(const struct umucg_diagnosis *d, const struct umucg_diagnose_opts *o,
		      unsigned arg, struct umucg_diag_check *c);

/* ---- the judges: each returns false when its check does not apply ---- */

static bool judge_mount(const struct umucg_diagnosis *d, const struct umucg_diagnose_opts *o,
			unsigned arg, struct umucg_diag_check *c)
{
	if (d->mount)
		return false;
	if (d->mode == UMUCG_MODE_LEGACY)
		fix(c, "as root: 'umucg setup' mounts cgroup2 at /sys/fs/cgroup/unified; better, %s", FIX_BOOT);
	else
		fix(c, "as root: 'umucg setup' mounts it (or: mount -t cgroup2 none /sys/fs/cgroup)");
	return say(c, UMUCG_ANSWER_NO, "none in /proc/self/mountinfo");
}

/* Without the base run would use by default, an unprivileged caller lacks
 * a delegated subtree; root runs setup for them, naming the process to move
 * by its pid (in root's shell, $$ would be root's own). */
static bool judge_delegated(const struct umucg_diagnosis *d, const struct umucg_diagnose_opts *o,
			    unsigned arg, struct umucg_diag_check *c)
{
	if (d->delegated == UMUCG_ANSWER_YES)
		return say(c, UMUCG_ANSWER_YES, "the caller's cgroup lies in %s, owned by %s",
			   d->base.path, d->user);
	if (d->delegated != UMUCG_ANSWER_NO)
		return false;
	if (o->shell_pid > 0)
		fix(c, "as root: 'umucg setup --user %s --session %d' for this shell (pid %d); %s",
		    d->user, (int)o->shell_pid, (int)o->shell_pid, FIX_LOGIN);
	else
		fix(c, "as root: 'umucg setup --user %s --session PID' for a login's process PID; %s",
		    d->user, FIX_LOGIN);
	return say(c, UMUCG_ANSWER_NO, "%s", d->base_err.msg);
}

static bool judge_base(const struct umucg_diagnosis *d, const struct umucg_diagnose_opts *o,
		       unsigned arg, struct umucg_diag_check *c)
{
	if (!d->base_tried || d->base_ok || d->delegated == UMUCG_ANSWER_NO)
		return false;
	fix(c, "%s", d->base_err.hint);
	return say(c, UMUCG_ANSWER_NO, "%s", d->base_err.msg);
}

static bool judge_writable(const struct umucg_diagnosis *d, const struct umucg_diagnose_opts *o,
			   unsigned arg, struct umucg_diag_check *c)
{
	if (d->writable == UMUCG_ANSWER_UNKNOWN)
		return false;
	if (d->root)
		fix(c, "pass a base root can write");
	else
		fix(c, "as root: 'umucg setup --user %s' hands it over", d->user);
	return say(c, d->writable, "%s %s", d->user, d->writable == UMUCG_ANSWER_YES ?
		   "can make groups and move processes there" : "cannot write there");
}

/* The no-internal-process rule: the kernel refuses controllers to the
 * groups of a base that has processes itself. Root's system base is only
 * mentioned when it has. */
static bool judge_own_procs(const struct umucg_diagnosis *d, const struct umucg_diagnose_opts *o,
			    unsigned arg, struct umucg_diag_check *c)
{
	if (!d->base_ok || d->base.fd < 0 ||
	    (d->base.source == UMUCG_BASE_SYSTEM && d->own_procs == UMUCG_ANSWER_NO))
		return false;
	if (d->root)
		fix(c, "move them into a leaf below it (make a directory there and write each pid to "
		    "its cgroup.procs), or pass a base without processes of its own");
	else
		fix(c, "move them into a leaf (as root: 'umucg setup --user %s --session PID' for a "
		    "login's process)", d->user);
	switch (d->own_procs) {
	case UMUCG_ANSWER_YES:
		return say(c, UMUCG_ANSWER_NO, "it has, so the kernel refuses controllers for its groups");
	case UMUCG_ANSWER_NO:
		return say(c, UMUCG_ANSWER_YES, "processes live in leaves only");
	default:
		return say(c, UMUCG_ANSWER_UNKNOWN, "its cgroup.procs cannot be read");
	}
}

static bool judge_controller(const struct umucg_diagnosis *d, const struct umucg_diagnose_opts *o,
			     unsigned bit, struct umucg_diag_check *c)
{
	unsigned i = (unsigned)__builtin_ctz(bit);
	switch (d->controllers[i].state) {
	case UMUCG_CONTROLLER_USABLE:
		return say(c, UMUCG_ANSWER_YES, "usable at the base");
	case UMUCG_CONTROLLER_HELD_BY_V1:
		fix(c, FIX_BOOT);
		return say(c, UMUCG_ANSWER_NO, "held by cgroup v1 at %s", d->controllers[i].v1_path);
	case UMUCG_CONTROLLER_NO_BASE:
		fix(c, "see the base above");
		return say(c, UMUCG_ANSWER_NO, "no base to use it in");
	case UMUCG_CONTROLLER_NOT_ENABLED:
		if (d->root)
			fix(c, "as root: 'umucg setup'");
		else
			fix(c, "as root: 'umucg setup --user %s', then log in again", d->user);
		return say(c, UMUCG_ANSWER_NO, "offered by cgroup2 but not enabled down to the base");
	default:
		fix(c, "a kernel built with it (CONFIG_MEMCG, CONFIG_CGROUP_PIDS, CONFIG_CGROUP_SCHED, "
		    "CONFIG_BLK_CGROUP)");
		return say(c, UMUCG_ANSWER_NO, "the kernel does not offer it in cgroup2");
	}
}

static bool judge_feature(const struct umucg_diagnosis *d, const struct umucg_diagnose_opts *o,
			  unsigned bit, struct umucg_diag_check *c)
{
	if (!(d->features.known & bit))
		return say(c, UMUCG_ANSWER_UNKNOWN, "unknown (no cgroup directory to probe)");
	if (d->features.present & bit)
		return say(c, UMUCG_ANSWER_YES, "the kernel has it");
	return say(c, UMUCG_ANSWER_NO, "missing");
}

static bool judge_setup_caps(const struct umucg_diagnosis *d, const struct umucg_diagnose_opts *o,
			     unsigned arg, struct umucg_diag_check *c)
{
	if (d->setup_caps == UMUCG_ANSWER_UNKNOWN)
		return false;
	fix(c, "%s", d->setup_caps_err.hint);
	if (d->setup_caps == UMUCG_ANSWER_YES)
		return say(c, UMUCG_ANSWER_YES, "CAP_CHOWN and write access to root's cgroup files");
	return say(c, UMUCG_ANSWER_NO, "%s", d->setup_caps_err.msg);
}

/* ---- the table, in report order ---- */

static const struct check_row {
	const char *id;            /* stable, for JSON and scripts */
	const char *what;          /* for people */
	enum umucg_diag_section section;
	bool blocking;             /* a no means run with memory and pids limits fails */
	unsigned arg;              /* the controller or feature bit the judge looks at */
	judge_fn *judge;
	const char *fix;           /* the fix of a no, where the judge writes none */
} rows[] = {
	{ .id = "cgroup2_mount", .what = "cgroup2 mount", .section = UMUCG_DIAG_MOUNT,
	  .blocking = true, .judge = judge_mount },
	{ .id = "delegated_subtree", .what = "delegated subtree", .section = UMUCG_DIAG_BASE,
	  .blocking = true, .judge = judge_delegated },
	{ .id = "base", .what = "base", .section = UMUCG_DIAG_BASE, .blocking = true,
	  .judge = judge_base },
	{ .id = "base_writable", .what = "base writable", .section = UMUCG_DIAG_BASE,
	  .blocking = true, .judge = judge_writable },
	{ .id = "base_no_processes", .what = "base has no processes of its own",
	  .section = UMUCG_DIAG_BASE, .blocking = true, .judge = judge_own_procs },
	{ .id = "memory_controller", .what = "memory controller", .section = UMUCG_DIAG_CONTROLLERS,
	  .blocking = true, .arg = UMUCG_CTRL_MEMORY, .judge = judge_controller },
	{ .id = "pids_controller", .what = "pids controller", .section = UMUCG_DIAG_CONTROLLERS,
	  .blocking = true, .arg = UMUCG_CTRL_PIDS, .judge = judge_controller },
	{ .id = "cpu_controller", .what = "cpu controller", .section = UMUCG_DIAG_CONTROLLERS,
	  .arg = UMUCG_CTRL_CPU, .judge = judge_controller },
	{ .id = "io_controller", .what = "io controller", .section = UMUCG_DIAG_CONTROLLERS,
	  .arg = UMUCG_CTRL_IO, .judge = judge_controller },
	{ .id = "clone_into_cgroup", .what = "clone3 into cgroup", .section = UMUCG_DIAG_FEATURES,
	  .arg = UMUCG_FEATURE_CLONE_INTO_CGROUP, .judge = judge_feature,
	  .fix = "run starts CMD by fork, join, exec (Linux >= 5.7 has it)" },
	{ .id = "cgroup_kill", .what = "cgroup.kill", .section = UMUCG_DIAG_FEATURES,
	  .arg = UMUCG_FEATURE_CGROUP_KILL, .judge = judge_feature,
	  .fix = "groups are killed by freezing them first (Linux >= 5.14 has it)" },
	{ .id = "cgroup_freeze", .what = "cgroup.freeze", .section = UMUCG_DIAG_FEATURES,
	  .arg = UMUCG_FEATURE_FREEZE, .judge = judge_feature,
	  .fix = "freeze, thaw and the kill fallback need Linux >= 5.2" },
	{ .id = "user_xattr", .what = "user xattrs", .section = UMUCG_DIAG_FEATURES,
	  .arg = UMUCG_FEATURE_USER_XATTR, .judge = judge_feature,
	  .fix = "a group's manager is recorded in a file instead (Linux >= 5.7 has them)" },
	{ .id = "setup_capabilities", .what = "enough for 'umucg setup'",
	  .section = UMUCG_DIAG_CAPABILITIES, .judge = judge_setup_caps },
};
_Static_assert(sizeof rows / sizeof *rows <= UMUCG_DIAG_CHECKS_MAX, "a check without room");

void diagnose_judge(struct umucg_diagnosis *d, const struct umucg_diagnose_opts *o)
{
	d->usable = true;
	for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
		struct umucg_diag_check *c = &d->checks[d->nchecks];
		memset(c, 0, sizeof *c);
		if (!rows[i].judge(d, o, rows[i].arg, c))
			continue;
		c->id = rows[i].id;
		c->what = rows[i].what;
		c->section = rows[i].section;
		c->blocking = rows[i].blocking;
		if (!c->fix[0] && rows[i].fix)
			fix(c, "%s", rows[i].fix);
		if (c->ok != UMUCG_ANSWER_NO)
			c->fix[0] = '\0';
		d->nchecks++;
		if (c->ok == UMUCG_ANSWER_NO) {
			d->nos++;
			if (c->blocking)
				d->usable = false;
		}
	}
	/* Without limits run needs only a group it can make and move into:
	 * a writable base, or root's system base that run makes. */
	d->supervised = d->base_ok &&
			(d->writable == UMUCG_ANSWER_YES || (d->root && d->base.fd < 0));
}
