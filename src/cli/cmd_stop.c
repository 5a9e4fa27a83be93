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
	"Usage: umucg stop NAME [--grace S] [--signal SIG]\n"
	"Send SIG (default TERM) to every process of the group NAME, wait until\n"
	"the group is empty or S seconds (default 10) have passed, kill what is\n"
	"left with cgroup.kill, then remove the group. A frozen group is thawed so\n"
	"that the signal arrives.\n\n"
	"Options:\n"
	"  --grace S      seconds to wait after SIG (s, m, h, d suffixes; 0: kill now)\n"
	"  --signal SIG   the first signal: a name (TERM, INT, HUP...) or number\n"
	"  --base PATH    where groups live (see umucg --help)\n"
	"  --help         this text\n";

enum { OPT_GRACE = 0x100, OPT_SIGNAL };

static const struct option stop_options[] = {
	{ "grace", required_argument, NULL, OPT_GRACE },
	{ "signal", required_argument, NULL, OPT_SIGNAL },
	CLI_COMMON_LONGOPTS,
	{ NULL, 0, NULL, 0 },
};

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
	double grace = 10;
	int sig = SIGTERM;
	struct umucg_error err = { 0 };
	optind = 1;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, ":", stop_options, NULL)) != -1) {
		int r = cli_common_option(g, c, "stop", stop_help, argv);
		if (r == CLI_OPT_NEXT)
			continue;
		if (r != CLI_OPT_OWN)
			return r;
		if (c == OPT_GRACE)
			r = umucg_parse_duration(optarg, &grace, &err);
		else
			r = umucg_parse_signal(optarg, &sig, &err);
		if (r < 0) {
			cli_error(&err);
			return EXIT_UMUCG;
		}
	}
	const char *name;
	int bad = cli_one_name("stop", argc, argv, &name);
	if (bad)
		return bad;
	struct umucg_base base;
	int code = EXIT_UMUCG;
	int fd = umucg_group_lookup(g->base, name, &base, &err);
	if (fd >= 0 && umucg_group_stop(fd, sig, grace, UMUCG_KILL_AUTO, &err) >= 0) {
		struct umucg_meta meta;
		if (umucg_meta_read(fd, &meta, NULL) == 0)
			wait_manager(&meta);
		close(fd);
		fd = -1;
		/* Gone already: its manager removed it. */
		struct umucg_error rm = { 0 };
		int r = umucg_group_remove(base.fd, name, &rm);
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
