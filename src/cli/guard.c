/* guard.c - the refusals of the commands that act on a group (DESIGN.md,
 * "Commands that act on a group"): only groups umucg made, and never by
 * mistake the one that holds the caller's own shell or umucg itself. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

/* "pid 1234, bash" from /proc (comm only: the caller's own processes). */
static void describe_pid(pid_t pid, char *out, size_t cap)
{
	char path[64], comm[64] = "";
	snprintf(path, sizeof path, "/proc/%d/comm", (int)pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		ssize_t n = read(fd, comm, sizeof comm - 1);
		comm[n > 0 ? n : 0] = '\0';
		comm[strcspn(comm, "\n")] = '\0';
		close(fd);
	}
	for (char *c = comm; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = '?';
	snprintf(out, cap, "pid %d%s%s", (int)pid, comm[0] ? ", " : "", comm);
}

/* Who that process is to umucg, for the message. */
static const char *relation(pid_t pid)
{
	if (pid == getpid())
		return "umucg itself";
	if (pid == getppid())
		return "the shell or program that ran umucg";
	if (pid == getsid(0))
		return "the leader of umucg's session";
	return "an ancestor of umucg";
}

static int refuse_foreign(const struct cli_global *g, const char *cmd, const char *name, int fd)
{
	struct umucg_meta meta;
	struct umucg_error err = { 0 };
	int r = umucg_meta_read(&g->store, fd, &meta, &err);
	if (r == 0)
		return 0;
	if (r == -ENODATA)
		cli_errorf("%s: group '%s': not made by umucg (it has no umucg record): a login "
			   "session's leaf or another manager's group", cmd, name);
	else
		cli_errorf("%s: group '%s': its umucg record cannot be read: %s", cmd, name, err.msg);
	cli_hintf("to act on it all the same: umucg %s --force %s%s", cmd, name,
		  strcmp(cmd, "set") == 0 ? " LIMITS" : "");
	return EXIT_UMUCG;
}

static int refuse_caller(const char *cmd, const char *name, int fd, bool force, bool always)
{
	pid_t who = 0;
	struct umucg_error err = { 0 };
	int r = umucg_group_holds_caller(fd, &who, &err);
	if (r == 0 || (force && !always))
		return 0;
	if (r < 0) {
		cli_errorf("%s: group '%s': cannot tell whether it holds umucg's caller: %s", cmd,
			   name, err.msg);
		cli_hintf("%s", always ? "freeze it from a shell outside the group"
			: "'--force' acts on it without this check");
		return EXIT_UMUCG;
	}
	char what[128];
	describe_pid(who, what, sizeof what);
	if (always) {
		cli_errorf("%s: group '%s' holds %s (%s): freezing it would freeze umucg's own "
			   "caller", cmd, name, relation(who), what);
		cli_hintf("freeze it from a shell outside the group");
	} else {
		cli_errorf("%s: group '%s' holds %s (%s): acting on it would hit your own shell or session",
			   cmd, name, relation(who), what);
		cli_hintf("if that is what you want: umucg %s --force %s", cmd, name);
	}
	return EXIT_UMUCG;
}

int cli_guard_group(const struct cli_global *g, const char *cmd, const char *name, int fd,
		    unsigned checks, bool force)
{
	int r = 0;
	if ((checks & CLI_GUARD_RECORD) && !force)
		r = refuse_foreign(g, cmd, name, fd);
	if (r == 0 && (checks & (CLI_GUARD_CALLER | CLI_GUARD_CALLER_ALWAYS)))
		r = refuse_caller(cmd, name, fd, force, checks & CLI_GUARD_CALLER_ALWAYS);
	return r;
}
