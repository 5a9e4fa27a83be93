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
	"Usage: umucg create NAME [LIMITS]\n"
	"Make the group NAME under the base with LIMITS and print its absolute\n"
	"path. No manager watches it: processes enter it with 'umucg join' or\n"
	"'umucg move'; 'umucg stop NAME' ends it. 'umucg gc' removes it once it is\n"
	"empty and older than gc's --min-age.\n\n"
	"Options:\n"
	"  --force            make it inside another user's subtree (that user could\n"
	"                     then move, freeze and kill what joins it)\n"
	"  --json             print {\"name\": NAME, \"path\": PATH}\n";

enum { OPT_FORCE = 0x100 };

static const struct option create_options[] = {
	{ "force", no_argument, NULL, OPT_FORCE },
	{ NULL, 0, NULL, 0 },
};

static int create_option(void *ctx, int id, const char *arg)
{
	(void)id, (void)arg; /* OPT_FORCE */
	*(bool *)ctx = true;
	return 0;
}

int cmd_create(struct cli_global *g, int argc, char **argv)
{
	struct umucg_limits limits = { 0 };
	struct umucg_error err = { 0 };
	bool force = false;
	const struct cli_spec spec = {
		.cmd = "create", .help = create_help, .own = create_options, .limits = &limits,
		.option = create_option, .ctx = &force,
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
	unsigned want = umucg_limits_controllers(&limits);
	if (umucg_base_resolve(g->base, &base, &err) < 0) {
		cli_error(&err);
		return EXIT_UMUCG;
	}
	int code = EXIT_UMUCG;
	/* Checked before anything is written there (a system base not made
	 * yet: once made). */
	bool made_here = base.fd < 0;
	if ((!force && !made_here && umucg_dir_check_trusted(base.fd, base.path, &err) < 0) ||
	    umucg_controllers_require(base.available, want, base.path, &err) < 0 ||
	    umucg_base_prepare(&base, want, &err) < 0 ||
	    (!force && made_here && umucg_dir_check_trusted(base.fd, base.path, &err) < 0)) {
		cli_error(&err);
		umucg_base_release(&base);
		return code;
	}
	/* No manager (pid 0): the record says who made it and when. */
	struct umucg_meta meta = { .started = (long long)time(NULL) };
	snprintf(meta.command, sizeof meta.command, "(created by uid %u)", (unsigned)getuid());
	int fd = umucg_group_create(base.fd, name, false, &meta, &g->store, &err);
	if (fd < 0) {
		if (fd == -EEXIST)
			snprintf(err.hint, sizeof err.hint, "choose another NAME, or end it with 'umucg stop %s'", name);
		cli_error(&err);
	} else if (umucg_limits_apply(fd, &limits, &err) < 0) {
		cli_error(&err);
		close(fd);
		umucg_group_remove(base.fd, name, NULL);
	} else {
		close(fd);
		if (g->json) {
			struct umucg_json j;
			char path[4096];
			const char *text;
			snprintf(path, sizeof path, "%s/%s", base.path, name);
			umucg_json_init(&j);
			umucg_json_begin_object(&j);
			umucg_json_key(&j, "name");
			umucg_json_string(&j, name);
			umucg_json_key(&j, "path");
			umucg_json_string(&j, path);
			umucg_json_end_object(&j);
			if (umucg_json_finish(&j, &text, NULL) == 0) {
				fputs(text, stdout);
				code = 0;
			}
			umucg_json_free(&j);
		} else {
			printf("%s/%s\n", base.path, name);
			code = 0;
		}
		if (fflush(stdout) != 0)
			code = EXIT_UMUCG;
	}
	umucg_base_release(&base);
	return code;
}
