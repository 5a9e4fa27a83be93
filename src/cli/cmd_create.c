/* cmd_create.c - umucg create: make an empty group with limits, print its
 * absolute path (for a sandbox to 'join' later). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

static const char create_help[] =
	"Usage: umucg create NAME [LIMITS] [--strict]\n"
	"Make the group NAME under the base with LIMITS and print its absolute\n"
	"path. No manager watches it: processes enter it with 'umucg join' or\n"
	"'umucg move'; 'umucg stop NAME' ends it. 'umucg gc' removes it once it is\n"
	"empty and older than gc's --min-age. A limit whose controller is missing\n"
	"here is left out with one warning and recorded: 'umucg status' shows it\n"
	"as not applied.\n\n"
	"Options:\n"
	"  --strict           a limit whose controller is missing is an error (125)\n"
	"  --best-effort      the default: warn and make the group without it\n"
	"  --force            make it inside another user's subtree (that user could\n"
	"                     then move, freeze and kill what joins it)\n"
	"  --json             print {\"name\": NAME, \"path\": PATH}\n";

enum { OPT_STRICT = 0x100, OPT_BEST_EFFORT, OPT_FORCE };

static const struct option create_options[] = {
	{ "strict", no_argument, NULL, OPT_STRICT },
	{ "best-effort", no_argument, NULL, OPT_BEST_EFFORT },
	{ "force", no_argument, NULL, OPT_FORCE },
	{ NULL, 0, NULL, 0 },
};

struct create_opts {
	bool strict, force;
};

static int create_option(void *ctx, int id, const char *arg)
{
	(void)arg;
	struct create_opts *o = ctx;
	if (id == OPT_FORCE)
		o->force = true;
	else /* --best-effort is the default, accepted for symmetry with run; the
	      * last of the two given wins. */
		o->strict = id == OPT_STRICT;
	return 0;
}

/* The limits whose controller the base lacks: an error with --strict, else
 * one warning naming the controllers and the fix, and they move into
 * *unapplied. 0, or 125 after printing. */
static int leave_out_missing(const struct umucg_base *base, const char *name, bool strict,
			     struct umucg_limits *limits, struct umucg_limits *unapplied)
{
	struct umucg_error err = { 0 };
	unsigned want = umucg_limits_controllers(limits);
	memset(unapplied, 0, sizeof *unapplied);
	if (umucg_controllers_require(base->available, want, base->path, &err) == 0)
		return 0;
	if (strict) {
		cli_error(&err);
		return EXIT_UMUCG;
	}
	unsigned missing = want & ~base->available;
	*unapplied = *limits;
	umucg_limits_drop_controllers(unapplied, ~missing);
	umucg_limits_drop_controllers(limits, missing);
	char options[128] = "";
	size_t o = 0;
	for (unsigned i = 0; umucg_limit_option(i); i++) {
		if (!(unapplied->set & (1u << i)))
			continue;
		int n = snprintf(options + o, sizeof options - o, "%s--%s", o ? ", " : "",
				 umucg_limit_option(i));
		if (n < 0 || (size_t)n >= sizeof options - o)
			break;
		o += (size_t)n;
	}
	char why[sizeof err.msg];
	snprintf(why, sizeof why, "%s", err.msg);
	snprintf(err.msg, sizeof err.msg, "%.300s: making '%s' without %s ('umucg status %s' "
		 "shows it as not applied)", why, name, options, name);
	cli_warn(&err);
	return 0;
}

static int print_created(const struct cli_global *g, const struct umucg_base *base,
			 const char *name)
{
	if (!g->json) {
		printf("%s/%s\n", base->path, name);
		return fflush(stdout) != 0 ? EXIT_UMUCG : 0;
	}
	struct umucg_json j;
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", base->path, name);
	umucg_json_init(&j);
	umucg_json_begin_object(&j);
	umucg_json_key(&j, "name");
	umucg_json_string(&j, name);
	umucg_json_key(&j, "path");
	umucg_json_string(&j, path);
	umucg_json_end_object(&j);
	if (cli_print_json(&j, "create") < 0)
		return EXIT_UMUCG;
	return fflush(stdout) != 0 ? EXIT_UMUCG : 0;
}

int cmd_create(struct cli_global *g, int argc, char **argv)
{
	struct umucg_limits limits = { 0 }, unapplied;
	struct umucg_error err = { 0 };
	struct create_opts o = { 0 };
	const struct cli_spec spec = {
		.cmd = "create", .help = create_help, .limits = &limits, .own = create_options,
		.option = create_option, .ctx = &o,
	};
	struct cli_args a;
	const char *arg;
	int r = cli_parse(g, &spec, argc, argv, &a);
	if (r != CLI_GO_ON || (r = cli_one_name("create", argc, argv, &a, &arg)))
		return r;
	char name[UMUCG_NAME_MAX + 1];
	if (umucg_name_validate(arg, &err) < 0) {
		cli_error(&err);
		return EXIT_UMUCG;
	}
	snprintf(name, sizeof name, "%s", arg);

	struct umucg_base base;
	if (umucg_base_resolve(g->base, &base, &err) < 0) {
		cli_error(&err);
		return EXIT_UMUCG;
	}
	int code = EXIT_UMUCG;
	/* Checked before anything is written there (a system base not made
	 * yet: once made). */
	bool made_here = base.fd < 0;
	if ((!o.force && !made_here && umucg_dir_check_trusted(base.fd, base.path, &err) < 0) ||
	    (r = leave_out_missing(&base, name, o.strict, &limits, &unapplied)) != 0 ||
	    umucg_base_prepare(&base, umucg_limits_controllers(&limits), &err) < 0 ||
	    (!o.force && made_here && umucg_dir_check_trusted(base.fd, base.path, &err) < 0) ||
	    umucg_limits_check(base.fd, &limits, &err) < 0) {
		if (r == 0)
			cli_error(&err);
		umucg_base_release(&base);
		return code;
	}
	/* No manager (pid 0): the record says who made it and when, and the
	 * limits left out. */
	struct umucg_meta meta = { .started = (long long)time(NULL), .unapplied = unapplied };
	snprintf(meta.command, sizeof meta.command, "(created by uid %u)", (unsigned)getuid());
	int fd = umucg_group_create(base.fd, name, false, &meta, &g->store, &err);
	if (fd < 0) {
		cli_error(&err);
	} else if (umucg_limits_apply(fd, &limits, &err) < 0) {
		cli_error(&err);
		close(fd);
		umucg_group_remove(base.fd, name, NULL);
	} else {
		close(fd);
		code = print_created(g, &base, name);
	}
	umucg_base_release(&base);
	return code;
}
