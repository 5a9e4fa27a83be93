/* libumucg-demo.c - a complete launcher on libumucg: what
 * `umucg run --mem 4G --kill-on-crash -- CMD` does (its own group with
 * memory.high, subreaper, signals forwarded, Ctrl-Z freezing the group, the
 * rest of the tree ended with TERM, grace, cgroup.kill when CMD crashes,
 * the group removed) in one library call.
 *
 * Build:  cc libumucg-demo.c $(pkg-config --cflags --libs umucg)
 * Usage:  libumucg-demo [--base PATH] CMD [ARG...]
 */
#include <stdio.h>
#include <string.h>

#include <umucg.h>

static int fail(const struct umucg_error *err)
{
	fprintf(stderr, "libumucg-demo: %s\n", err->msg);
	if (err->hint[0])
		fprintf(stderr, "hint: %s\n", err->hint);
	return 125;
}

int main(int argc, char **argv)
{
	int first = argc > 2 && strcmp(argv[1], "--base") == 0 ? 3 : 1;
	if (first >= argc) {
		fprintf(stderr, "usage: libumucg-demo [--base PATH] CMD [ARG...]\n");
		return 125;
	}
	struct umucg_error err = { 0 };
	struct umucg_limits limits = { 0 };
	if (umucg_limits_parse_option(&limits, "mem", "4G", &err) < 0)
		return fail(&err);

	struct umucg_run_opts opts;
	umucg_run_opts_init(&opts, argv + first);
	opts.base = first == 3 ? argv[2] : NULL;
	opts.limits = &limits;
	opts.kill_on_crash = true;
	opts.release_cwd = true;

	struct umucg_run *run;
	if (umucg_run_open(&opts, &run, &err) < 0)
		return fail(&err);
	const struct umucg_run_info *info = umucg_run_info(run);
	if (info->no_group)
		fprintf(stderr, "libumucg-demo: no group: %s\n", info->no_group->msg);
	else if (info->skipped)
		fprintf(stderr, "libumucg-demo: %s: running without memory.high\n", info->group_path);

	struct umucg_run_result res;
	int r = umucg_run_wait(run, &res, &err);
	int code = r < 0 && !res.exec_errno ? fail(&err) : umucg_run_exit_code(&res);
	if (umucg_run_close(run, &err) < 0)
		code = fail(&err);
	return code;
}
