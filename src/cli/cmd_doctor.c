/* cmd_doctor.c - umucg doctor: renders the library's diagnosis (what works
 * here for the caller, what does not, and the fix for each "no") as text or,
 * with --json, as one JSON object. */
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static const char doctor_help[] =
	"Usage: umucg doctor [--json]\n"
	"Explain what umucg can do here for the calling user: the cgroup mode, the\n"
	"cgroup2 mount, which controllers are usable and which cgroup v1 holds, the\n"
	"base 'run' would use and why, delegation, kernel features and the caller's\n"
	"capabilities. Every \"no\" comes with its fix.\n\n"
	"With --base PATH it judges that base, as 'run --base PATH' would use it.\n\n"
	"Options:\n"
	"  --json             the same facts and verdict as one JSON object\n";

static const char doctor_help_tail[] =
	"\nExit status: 0 when 'umucg run' with memory and pids limits would work for\n"
	"the caller, 1 when it would not, 125 on a usage error.\n";

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

/* ---- the text report ------------------------------------------------ */

static void line(const char *label, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void line(const char *label, const char *fmt, ...)
{
	char text[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	printf("%-16s ", label);
	cli_fputs_escaped(text, stdout); /* paths and names: anyone's bytes */
	putchar('\n');
}

static void print_checks(const struct umucg_diagnosis *d, enum umucg_diag_section section)
{
	for (size_t i = 0; i < d->nchecks; i++) {
		const struct umucg_diag_check *c = &d->checks[i];
		if (c->section != section)
			continue;
		printf("%-4s ", c->ok == UMUCG_ANSWER_UNKNOWN ? "?" :
		       c->ok == UMUCG_ANSWER_YES ? "yes" : "no");
		cli_fputs_escaped(c->what, stdout);
		fputs(": ", stdout);
		cli_fputs_escaped(c->detail, stdout);
		putchar('\n');
		if (c->ok == UMUCG_ANSWER_NO && c->fix[0]) {
			fputs("     fix: ", stdout);
			cli_fputs_escaped(c->fix, stdout);
			putchar('\n');
		}
	}
}

static void print_v1(const struct umucg_diagnosis *d)
{
	if (d->v1_error[0]) {
		line("cgroup v1 holds:", "unknown (%s)", d->v1_error);
	} else if (d->nv1 == 0) {
		line("cgroup v1 holds:", "nothing");
	} else {
		printf("%-16s ", "cgroup v1 holds:");
		for (size_t i = 0; i < d->nv1; i++) {
			fputs(i ? ", " : "", stdout);
			cli_fputs_escaped(d->v1[i].controller, stdout);
		}
		fputs(" (at ", stdout);
		cli_fputs_escaped(d->v1[0].path, stdout);
		printf("%s)\n", d->nv1 > 1 ? ", ..." : "");
	}
}

/* "memory, pids and io": the controllers of mask. */
static void controller_list(unsigned mask, char *out, size_t cap)
{
	size_t len = 0;
	out[0] = '\0';
	for (unsigned bit = 1; bit <= UMUCG_CTRL_IO; bit <<= 1) {
		if (!(mask & bit))
			continue;
		mask &= ~bit;
		len += (size_t)snprintf(out + len, cap - len, "%s%s", len == 0 ? "" : mask ? ", " :
					" and ", umucg_controller_name(bit));
		if (len >= cap)
			return;
	}
}

/* Where limits do not work, what run does without them: supervision with a
 * group, only without the limits; or, with no group to be had, a plain
 * subreaper. */
static void print_without_limits(const struct umucg_diagnosis *d, bool explicit_base)
{
	if (d->usable)
		return;
	if (!d->supervised) {
		line("without limits:", "%s", explicit_base ?
		     "'umucg run' with this base fails too: see the base above" :
		     "'umucg run -- CMD' still runs CMD, with one warning, as a plain subreaper: "
		     "no group, so no cgroup.events, no cgroup.kill and no limits");
		return;
	}
	unsigned f = d->features.present;
	const char *kill = f & UMUCG_FEATURE_CGROUP_KILL ? "cgroup.kill" :
			   f & UMUCG_FEATURE_FREEZE ? "killing by freezing" : "killing by SIGKILL sweeps";
	bool all_v1 = d->limits_missing != 0;
	for (unsigned i = 0; i < 4; i++)
		if ((d->limits_missing & (1u << i)) &&
		    d->controllers[i].state != UMUCG_CONTROLLER_HELD_BY_V1)
			all_v1 = false;
	char missing[64];
	controller_list(d->limits_missing, missing, sizeof missing);
	char why[160];
	if (!d->limits_missing)
		snprintf(why, sizeof why, "the kernel refuses their controllers here (see above)");
	else
		snprintf(why, sizeof why, "%s %s", missing, all_v1 ?
			 (d->limits_missing & (d->limits_missing - 1) ? "are bound to cgroup v1" :
			  "is bound to cgroup v1") : "cannot be used here (see above)");
	line("without limits:", "'umucg run -- CMD' works for %s: a group, a subreaper, cgroup.events "
	     "and %s. Only the limits are missing: %s; run warns and runs without those limits "
	     "(with --strict it fails instead)", d->user, kill, why);
}

static int print_text(const struct umucg_diagnosis *d, bool explicit_base)
{
	line("caller:", "%s (uid %u)", d->user, (unsigned)d->uid);
	line("cgroup mode:", "%s (%s)", umucg_cgroup_mode_name(d->mode), mode_why[d->mode]);
	if (d->mount)
		line("cgroup2 mount:", "%s", d->mount);
	print_checks(d, UMUCG_DIAG_MOUNT);
	print_v1(d);
	if (d->base_ok) {
		line("base:", "%s (%s%s)", d->base.path, base_why[d->base.source],
		     d->base.fd < 0 ? "; 'umucg setup' or the first run makes it" : "");
		if (d->base.source != UMUCG_BASE_DELEGATED && d->root)
			line("delegation:", "not needed (root)");
	}
	print_checks(d, UMUCG_DIAG_BASE);
	print_checks(d, UMUCG_DIAG_CONTROLLERS);
	print_checks(d, UMUCG_DIAG_FEATURES);
	line("capabilities:", "%s%s", d->caps_text ? d->caps_text : "unknown",
	     d->caps_text && strcmp(d->caps_text, "=") == 0 ? " (none)" : "");
	print_checks(d, UMUCG_DIAG_CAPABILITIES);
	printf("verdict:         'umucg run' with memory and pids limits %s for ",
	       d->usable ? "works" : "does NOT work");
	cli_fputs_escaped(d->user, stdout);
	putchar('\n');
	print_without_limits(d, explicit_base);
	return 0;
}

/* ---- the JSON report ------------------------------------------------ */

static void json_answer(struct umucg_json *j, const char *key, enum umucg_answer v)
{
	umucg_json_key(j, key);
	if (v == UMUCG_ANSWER_UNKNOWN)
		umucg_json_null(j);
	else
		umucg_json_bool(j, v == UMUCG_ANSWER_YES);
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

static void json_v1(struct umucg_json *j, const struct umucg_diagnosis *d)
{
	umucg_json_key(j, "cgroup_v1");
	umucg_json_begin_object(j);
	umucg_json_key(j, "error");
	umucg_json_string(j, d->v1_error[0] ? d->v1_error : NULL);
	umucg_json_key(j, "hierarchies");
	if (d->v1_error[0]) {
		umucg_json_null(j);
	} else {
		umucg_json_begin_array(j);
		for (size_t i = 0; i < d->nv1; i++) {
			umucg_json_begin_object(j);
			umucg_json_key(j, "controller");
			umucg_json_string(j, d->v1[i].controller);
			umucg_json_key(j, "path");
			umucg_json_string(j, d->v1[i].path);
			umucg_json_end_object(j);
		}
		umucg_json_end_array(j);
	}
	umucg_json_end_object(j);
}

static void json_base(struct umucg_json *j, const struct umucg_diagnosis *d)
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
		json_answer(j, "writable", d->writable);
		json_answer(j, "own_processes", d->own_procs);
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
	json_answer(j, "delegated_subtree", d->delegated);
}

static void json_controller_states(struct umucg_json *j, const struct umucg_diagnosis *d)
{
	static const char *const state[] = {
		[UMUCG_CONTROLLER_USABLE] = "usable",
		[UMUCG_CONTROLLER_HELD_BY_V1] = "held-by-v1",
		[UMUCG_CONTROLLER_NO_BASE] = "no-base",
		[UMUCG_CONTROLLER_NOT_ENABLED] = "not-enabled",
		[UMUCG_CONTROLLER_MISSING] = "missing",
	};
	umucg_json_key(j, "controllers");
	umucg_json_begin_object(j);
	for (unsigned i = 0; i < 4; i++) {
		umucg_json_key(j, umucg_controller_name(1u << i));
		umucg_json_begin_object(j);
		umucg_json_key(j, "state");
		umucg_json_string(j, state[d->controllers[i].state]);
		umucg_json_key(j, "v1_path");
		umucg_json_string(j, d->controllers[i].v1_path[0] ? d->controllers[i].v1_path : NULL);
		umucg_json_end_object(j);
	}
	umucg_json_end_object(j);
	/* the features are the checks of their section, by id */
	umucg_json_key(j, "features");
	umucg_json_begin_object(j);
	for (size_t i = 0; i < d->nchecks; i++)
		if (d->checks[i].section == UMUCG_DIAG_FEATURES)
			json_answer(j, d->checks[i].id, d->checks[i].ok);
	umucg_json_end_object(j);
}

static void json_caps(struct umucg_json *j, const struct umucg_diagnosis *d)
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
		for (size_t i = 0; i < d->ncaps_effective; i++)
			umucg_json_string(j, d->caps_effective[i]);
		umucg_json_end_array(j);
	}
	json_answer(j, "enough_for_setup", d->setup_caps);
	umucg_json_end_object(j);
}

static void json_checks(struct umucg_json *j, const struct umucg_diagnosis *d)
{
	umucg_json_key(j, "checks");
	umucg_json_begin_array(j);
	for (size_t i = 0; i < d->nchecks; i++) {
		const struct umucg_diag_check *c = &d->checks[i];
		umucg_json_begin_object(j);
		umucg_json_key(j, "id");
		umucg_json_string(j, c->id);
		umucg_json_key(j, "what");
		umucg_json_string(j, c->what);
		json_answer(j, "ok", c->ok);
		umucg_json_key(j, "blocking");
		umucg_json_bool(j, c->blocking);
		umucg_json_key(j, "detail");
		umucg_json_string(j, c->detail);
		umucg_json_key(j, "fix");
		umucg_json_string(j, c->ok == UMUCG_ANSWER_NO && c->fix[0] ? c->fix : NULL);
		umucg_json_end_object(j);
	}
	umucg_json_end_array(j);
}

static int print_json(const struct umucg_diagnosis *d)
{
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
	umucg_json_string(&j, d->mode_err.code ? NULL : umucg_cgroup_mode_name(d->mode));
	umucg_json_key(&j, "cgroup2_mount");
	umucg_json_string(&j, d->mount);
	json_controllers(&j, "cgroup2_controllers", d->offered);
	json_v1(&j, d);
	json_base(&j, d);
	json_controller_states(&j, d);
	json_caps(&j, d);
	json_checks(&j, d);
	umucg_json_key(&j, "nos");
	umucg_json_uint(&j, d->nos);
	umucg_json_key(&j, "supervision_works");
	umucg_json_bool(&j, d->supervised);
	umucg_json_key(&j, "run_with_limits_works");
	umucg_json_bool(&j, d->usable);
	umucg_json_end_object(&j);
	return cli_print_json(&j, "doctor");
}

int cmd_doctor(struct cli_global *g, int argc, char **argv)
{
	const struct cli_spec spec = {
		.cmd = "doctor", .help = doctor_help, .help_tail = doctor_help_tail,
	};
	struct cli_args a;
	int r = cli_parse(g, &spec, argc, argv, &a);
	if (r != CLI_GO_ON || (r = cli_no_operands("doctor", argc, argv, &a)))
		return r;

	/* The shell that ran doctor is the process setup's fix names. */
	struct passwd *pw = getpwuid(geteuid());
	struct umucg_diagnose_opts opts = {
		.explicit_base = g->base, .user = pw ? pw->pw_name : NULL, .shell_pid = getppid(),
	};
	struct umucg_diagnosis d;
	struct umucg_error err = { 0 };
	if (umucg_diagnose(&opts, &d, &err) < 0) {
		umucg_diagnosis_release(&d);
		cli_error(&err);
		return EXIT_UMUCG;
	}
	if (d.mode_err.code)
		cli_error(&d.mode_err);
	r = g->json ? print_json(&d) : print_text(&d, g->base != NULL);
	bool usable = d.usable;
	umucg_diagnosis_release(&d);
	if (fflush(stdout) != 0 || r < 0)
		return EXIT_UMUCG;
	return usable ? 0 : 1;
}
