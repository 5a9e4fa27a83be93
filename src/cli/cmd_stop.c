/* cmd_stop.c - umucg stop: signal every process of a group, wait for it to
 * empty (cgroup.events), cgroup.kill the rest after the grace, remove it. */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cli.h"

static const char stop_help[] =
	"Usage: umucg stop NAME [--grace D] [--signal SIG] [--force]\n"
	"Send SIG (default TERM) to every process of the group NAME, wait until\n"
	"the group is empty or D (default 10s) has passed, kill what is left with\n"
	"cgroup.kill, then remove the group. A frozen group is thawed so that the\n"
	"signal arrives. A directory that umucg did not make (a login session's\n"
	"leaf, another manager's group) and a group that holds umucg's caller\n"
	"(your shell) are refused unless --force.\n\n"
	"Options:\n"
	"  --grace D          how long to wait after SIG (s, m, h, d; 0: kill now)\n"
	"  --signal SIG       the first signal: a name (TERM, INT, HUP...) or number\n"
	"  --force            stop it even if umucg did not make it or it holds the caller\n";

enum { OPT_GRACE = 0x100, OPT_SIGNAL, OPT_FORCE };

static const struct option stop_options[] = {
	{ "grace", required_argument, NULL, OPT_GRACE },
	{ "signal", required_argument, NULL, OPT_SIGNAL },
	{ "force", no_argument, NULL, OPT_FORCE },
	{ NULL, 0, NULL, 0 },
};

struct stop_opts {
	double grace;
	int sig;
	bool force;
};

static int stop_option(void *ctx, int id, const char *arg)
{
	struct stop_opts *o = ctx;
	if (id == OPT_FORCE) {
		o->force = true;
		return 0;
	}
	if (id == OPT_GRACE)
		return cli_duration("--grace", arg, &o->grace);
	return cli_signal("--signal", arg, &o->sig);
}

/* A live manager ('umucg run') removes its group itself once it is empty:
 * give it a moment (its exit, seen through a pidfd) before removing it here. */
static void wait_manager(const struct umucg_meta *meta)
{
	if (!umucg_meta_manager_alive(meta))
		return;
	int pfd = (int)syscall(SYS_pidfd_open, meta->manager_pid, 0);
	if (pfd < 0)
		return;
	struct pollfd p = { .fd = pfd, .events = POLLIN };
	poll(&p, 1, 2000);
	close(pfd);
}

int cmd_stop(struct cli_global *g, int argc, char **argv)
{
	struct stop_opts o = { .grace = 10, .sig = SIGTERM };
	struct umucg_error err = { 0 };
	const struct cli_spec spec = {
		.cmd = "stop", .help = stop_help, .own = stop_options,
		.option = stop_option, .ctx = &o,
	};
	struct cli_args a;
	const char *name;
	int r = cli_parse(g, &spec, argc, argv, &a);
	if (r != CLI_GO_ON || (r = cli_one_name("stop", argc, argv, &a, &name)))
		return r;
	struct umucg_base base;
	int code = EXIT_UMUCG;
	int fd = umucg_group_lookup(g->base, name, &base, &err);
	if (fd >= 0 && cli_guard_group(g, "stop", name, fd, CLI_GUARD_RECORD | CLI_GUARD_CALLER,
				       o.force) != 0) {
		code = EXIT_UMUCG;
	} else if (fd >= 0 && umucg_group_stop(&g->store, fd, o.sig, o.grace, UMUCG_KILL_AUTO, &err) >= 0) {
		struct umucg_meta meta;
		if (umucg_meta_read(&g->store, fd, &meta, NULL) == 0)
			wait_manager(&meta);
		close(fd);
		fd = -1;
		/* Gone already: its manager removed it. */
		struct umucg_error rm = { 0 };
		r = umucg_group_remove(base.fd, name, &rm);
		if (r == 0 || r == -ENOENT)
			code = 0;
		else
			cli_error(&rm);
	} else {
		cli_error(&err);
	}
	if (fd >= 0)
		close(fd);
	umucg_base_release(&base);
	return code;
}
