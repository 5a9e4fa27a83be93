/* cmd_gc.c - umucg gc: remove the empty groups nobody will clean up. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static const char gc_help[] =
	"Usage: umucg gc [--min-age D] [--stop [--grace D]] [--json]\n"
	"Remove the empty groups under the base whose manager ('umucg run') is\n"
	"gone, and the empty groups made by 'umucg create' (which have no manager)\n"
	"that are older than D (default 10m), so that a group made for a sandbox\n"
	"that has not joined it yet survives. Groups with processes, with child\n"
	"groups, or with no umucg record are left alone. Prints nothing, or with\n"
	"--json the names removed.\n"
	"With --stop, first end the groups whose manager is gone but whose\n"
	"processes run on (umucg was killed): SIGTERM to all of them, then after\n"
	"the grace cgroup.kill, then remove them. Never a group whose manager\n"
	"lives, one made by 'create', one without a umucg record, nor one that\n"
	"holds umucg's caller (your shell): that one is named in a warning.\n\n"
	"Options:\n"
	"  --min-age D        minimum age of an empty created group (s, m, h, d)\n"
	"  --stop             also end the groups whose manager is gone\n"
	"  --grace D          with --stop: how long after SIGTERM (default 10s)\n"
	"  --json             print {\"removed\": [NAME...]} (with --stop also\n"
	"                     \"stopped\" and \"spared\")\n";

enum { OPT_MIN_AGE = 0x100, OPT_STOP, OPT_GRACE };

static const struct option gc_options[] = {
	{ "min-age", required_argument, NULL, OPT_MIN_AGE },
	{ "stop", no_argument, NULL, OPT_STOP },
	{ "grace", required_argument, NULL, OPT_GRACE },
	{ NULL, 0, NULL, 0 },
};

struct gc_opts {
	double min_age, grace;
	bool stop, grace_given;
};

static int gc_option(void *ctx, int id, const char *arg)
{
	struct gc_opts *o = ctx;
	switch (id) {
	case OPT_STOP:
		o->stop = true;
		return 0;
	case OPT_GRACE:
		o->grace_given = true;
		return cli_duration("--grace", arg, &o->grace);
	default:
		return cli_duration("--min-age", arg, &o->min_age);
	}
}

static void json_names(struct umucg_json *j, const char *key, char **names, size_t n)
{
	umucg_json_key(j, key);
	umucg_json_begin_array(j);
	for (size_t i = 0; i < n; i++)
		umucg_json_string(j, names[i]);
	umucg_json_end_array(j);
}

struct stopped {
	char **stopped, **spared;
	size_t nstopped, nspared;
};

static int print_json(char **removed, size_t n, const struct stopped *st, bool stop)
{
	struct umucg_json j;
	umucg_json_init(&j);
	umucg_json_begin_object(&j);
	json_names(&j, "removed", removed, n);
	if (stop) {
		json_names(&j, "stopped", st->stopped, st->nstopped);
		json_names(&j, "spared", st->spared, st->nspared);
	}
	umucg_json_end_object(&j);
	return cli_print_json(&j, "gc");
}

/* --stop: end the groups whose manager is gone; 0 or 125 after printing. */
static int stop_orphans(struct cli_global *g, int base_fd, const struct gc_opts *o,
			struct stopped *st)
{
	struct umucg_error err = { 0 };
	int r = umucg_gc_stop(&g->store, base_fd, SIGTERM, o->grace, UMUCG_KILL_AUTO, &st->stopped,
			      &st->nstopped, &st->spared, &st->nspared, &err);
	for (size_t i = 0; i < st->nspared; i++) {
		cli_warnf("gc --stop: left '%s' running: it holds umucg's caller (your shell or "
			  "session)", st->spared[i]);
		cli_hintf("end it from a shell outside it: umucg stop %s", st->spared[i]);
	}
	if (r < 0) {
		cli_error(&err);
		return EXIT_UMUCG;
	}
	return 0;
}

int cmd_gc(struct cli_global *g, int argc, char **argv)
{
	struct gc_opts o = { .min_age = 600, .grace = 10 };
	struct umucg_error err = { 0 };
	const struct cli_spec spec = {
		.cmd = "gc", .help = gc_help, .own = gc_options,
		.option = gc_option, .ctx = &o,
	};
	struct cli_args a;
	int r = cli_parse(g, &spec, argc, argv, &a);
	if (r != CLI_GO_ON || (r = cli_no_operands("gc", argc, argv, &a)))
		return r;
	if (o.grace_given && !o.stop)
		return cli_usage_error("gc", "--grace: only with --stop");

	struct umucg_base base;
	if (umucg_base_resolve(g->base, &base, &err) < 0) {
		cli_error(&err);
		return EXIT_UMUCG;
	}
	char **removed = NULL;
	size_t n = 0;
	struct stopped st = { 0 };
	/* A system base not made yet holds no group. */
	int code = base.fd >= 0 && o.stop ? stop_orphans(g, base.fd, &o, &st) : 0;
	if (base.fd >= 0 && umucg_gc(&g->store, base.fd, o.min_age, &removed, &n, &err) < 0) {
		cli_error(&err);
		code = EXIT_UMUCG;
	} else if (g->json && print_json(removed, n, &st, o.stop) < 0) {
		code = EXIT_UMUCG;
	}
	if (fflush(stdout) != 0)
		code = EXIT_UMUCG;
	umucg_names_free(removed, n);
	umucg_names_free(st.stopped, st.nstopped);
	umucg_names_free(st.spared, st.nspared);
	umucg_base_release(&base);
	return code;
}
