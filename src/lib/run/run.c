/* run.c - the whole run protocol in one place: take over the signals,
 * become the subreaper, make the group with its limits, start CMD in it,
 * supervise the tree, clean up (DESIGN.md, "run semantics"). */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

#include "internal.h"

struct umucg_run {
	struct umucg_run_opts opts;
	struct umucg_limits limits;   /* opts' limits without the skipped ones */
	struct run_signals signals;
	struct umucg_base base;
	int group_fd;
	int parent_fd;                /* pidfd of the parent (exit_with_parent) */
	int subreaper_before;
	char name[UMUCG_NAME_MAX + 1];
	bool opened;                  /* umucg_run_open succeeded: keep may apply */
	bool limits_refused;          /* a limit the base cannot take, or a base
				       * another user controls: never run
				       * without a group for it */
	char *group_path;
	struct umucg_error no_group;
	struct umucg_run_info info;
};

void umucg_run_opts_init(struct umucg_run_opts *o, char *const *argv)
{
	memset(o, 0, sizeof *o);
	o->argv = argv;
	o->grace = 10;
	o->linger = -1;
	o->spawn = UMUCG_SPAWN_AUTO;
	o->kill = UMUCG_KILL_AUTO;
}

static int opts_check(const struct umucg_run_opts *o, struct umucg_error *err)
{
	if (!o->argv || !o->argv[0] || !o->argv[0][0])
		return umucg_err(err, -EINVAL, "run: no command");
	if (!(o->grace >= 0) || !(o->timeout >= 0))
		return umucg_err(err, -EINVAL, "run: a negative grace or timeout");
	if (o->name)
		return umucg_name_validate(o->name, err);
	return 0;
}

/* Without a usable cgroup2 (no mount, no delegated subtree), CMD still runs
 * under a plain subreaper, unless the caller insisted on a group. */
static bool may_run_without_group(const struct umucg_run *run, int r)
{
	return !run->opts.strict && !(run->opts.base && *run->opts.base) && r != -EEXIST;
}

/* The base, with the controllers the limits need: those it lacks are
 * skipped (or, strict, an error). */
static int prepare_base(struct umucg_run *run, struct umucg_error *err)
{
	int r = umucg_base_resolve(run->opts.base, &run->base, err);
	if (r < 0)
		return r;
	/* Checked before anything is written there; a system base not made
	 * yet is checked once made. A base another user controls is refused,
	 * never left for a run without a group. */
	bool made_here = run->base.fd < 0;
	if (!run->opts.force && !made_here &&
	    (r = umucg_dir_check_trusted(run->base.fd, run->base.path, err)) < 0) {
		run->limits_refused = true;
		return r;
	}
	unsigned want = umucg_limits_controllers(&run->limits);
	unsigned missing = want & ~run->base.available;
	if (missing && run->opts.strict)
		return umucg_controllers_require(run->base.available, want, run->base.path, err);
	run->info.skipped = missing;
	umucg_limits_drop_controllers(&run->limits, missing);
	r = umucg_base_prepare(&run->base, want & ~missing, err);
	if (r == 0 && !run->opts.force && made_here &&
	    (r = umucg_dir_check_trusted(run->base.fd, run->base.path, err)) < 0)
		run->limits_refused = true;
	return r;
}

static int make_group(struct umucg_run *run, struct umucg_error *err)
{
	int r = prepare_base(run, err);
	if (r < 0)
		return r;
	bool suffix = !run->opts.name || run->opts.name_suffix;
	if (run->opts.name)
		str_copy(run->name, sizeof run->name, run->opts.name);
	else
		umucg_name_default(run->opts.argv[0], NULL, run->name);
	if ((r = umucg_limits_check(run->base.fd, &run->limits, err)) < 0) {
		run->limits_refused = true;
		return r;
	}
	struct umucg_meta meta = { 0 };
	umucg_meta_self(&meta, NULL);
	umucg_meta_set_command(&meta, run->opts.argv);
	/* The limits skipped are recorded: 'status' shows them as not applied. */
	if (run->opts.limits) {
		meta.unapplied = *run->opts.limits;
		umucg_limits_drop_controllers(&meta.unapplied, ~run->info.skipped);
	}
	int fd = umucg_group_create(run->base.fd, run->name, suffix, &meta, run->opts.store, err);
	if (fd < 0)
		return fd;
	run->group_fd = fd;
	r = umucg_limits_apply(fd, &run->limits, err);
	if (r < 0) /* a value the kernel refuses is always an error */
		return r;
	if (!(run->group_path = str_join(run->base.path, strlen(run->base.path), "/", run->name)))
		return umucg_err(err, -ENOMEM, "run: %s", strerror(ENOMEM));
	return 0;
}

/* The group, or the reason to go on without one. */
static int group_or_none(struct umucg_run *run, struct umucg_error *err)
{
	int r = make_group(run, err);
	if (r == 0)
		return 0;
	if (run->group_fd >= 0 || run->limits_refused || !may_run_without_group(run, r))
		return r;
	run->no_group = err ? *err : (struct umucg_error){ .code = r };
	if (err)
		memset(err, 0, sizeof *err);
	run->info.skipped = umucg_limits_controllers(run->opts.limits ? run->opts.limits
							     : &run->limits);
	umucg_base_release(&run->base);
	run->base.fd = -1;
	return 0;
}

/* The parent to end with: its pidfd, checked to be still our parent. */
static int watch_parent(struct umucg_run *run, struct umucg_error *err)
{
	pid_t ppid = getppid();
	run->parent_fd = (int)syscall(SYS_pidfd_open, ppid, 0);
	if (run->parent_fd < 0 && errno == ENOSYS) {
		/* Before 5.3: the death signal, sent when the thread that forked
		 * us ends (not the process), is the best there is. */
		if (prctl(PR_SET_PDEATHSIG, SIGTERM, 0, 0, 0) < 0)
			return umucg_err(err, -errno, "--exit-with-parent: %s", strerror(errno));
		run->parent_fd = -1;
	} else if (run->parent_fd < 0) {
		return umucg_err(err, -errno, "--exit-with-parent: pidfd_open: %s", strerror(errno));
	}
	if (getppid() != ppid)
		return umucg_err(err, -ESRCH, "--exit-with-parent: the parent has exited already");
	return 0;
}

static int run_prepare(struct umucg_run *run, struct umucg_error *err)
{
	int r = opts_check(&run->opts, err);
	if (r < 0)
		return r;
	if ((r = run_signals_take(&run->signals, err)) < 0)
		return r;
	if (run->opts.exit_with_parent && (r = watch_parent(run, err)) < 0)
		return r;
	if (prctl(PR_GET_CHILD_SUBREAPER, &run->subreaper_before, 0, 0, 0) < 0 ||
	    prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0)
		return umucg_err(err, -errno, "run: PR_SET_CHILD_SUBREAPER: %s", strerror(errno));
	return group_or_none(run, err);
}

int umucg_run_open(const struct umucg_run_opts *opts, struct umucg_run **out,
		   struct umucg_error *err)
{
	*out = NULL;
	struct umucg_run *run = calloc(1, sizeof *run);
	if (!run)
		return umucg_err(err, -ENOMEM, "run: %s", strerror(ENOMEM));
	run->opts = *opts;
	if (opts->limits)
		run->limits = *opts->limits;
	run->signals.fd = run->base.fd = run->group_fd = run->parent_fd = -1;
	int r = run_prepare(run, err);
	if (r < 0) {
		umucg_run_close(run, NULL);
		return r;
	}
	run->opened = true;
	run->info.group_path = run->group_path;
	run->info.group_name = run->group_fd >= 0 ? run->name : "";
	run->info.no_group = run->group_fd < 0 ? &run->no_group : NULL;
	*out = run;
	return 0;
}

const struct umucg_run_info *umucg_run_info(const struct umucg_run *run)
{
	return &run->info;
}

/* What umucg keeps while it supervises: no stdin, no stdout (and no cwd:
 * spawn_start has left it). */
static void release(const struct umucg_run_opts *o)
{
	/* Best effort: a failure only keeps what we had. */
	if (!o->release_stdio)
		return;
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null < 0)
		return;
	dup2(null, STDIN_FILENO);
	dup2(null, STDOUT_FILENO);
	if (null > STDERR_FILENO)
		close(null);
}

static int64_t now_usec(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* What the group used, just before it goes: what the caller asked for, and
 * the OOM and pids counters where the base has those controllers (they say
 * why processes died; a run without them reads nothing). */
static void read_usage(const struct umucg_run *run, struct umucg_run_result *res)
{
	unsigned what = run->opts.usage;
	if (run->base.available & UMUCG_CTRL_MEMORY)
		what |= UMUCG_USAGE_MEMORY_EVENTS;
	if (run->base.available & UMUCG_CTRL_PIDS)
		what |= UMUCG_USAGE_PIDS_EVENTS;
	/* res->usage is zeroed: with nothing to read, it stays so */
	if (what && run->group_fd >= 0)
		umucg_group_usage(run->group_fd, what, &res->usage, NULL);
}

int umucg_run_wait(struct umucg_run *run, struct umucg_run_result *res,
		   struct umucg_error *err)
{
	memset(res, 0, sizeof *res);
	const struct umucg_run_opts *o = &run->opts;
	struct umucg_spawn_opts sp = {
		.argv = o->argv, .group_fd = run->group_fd, .method = o->spawn,
		.child_sigmask = &run->signals.old_mask,
		.drop_privileges = o->drop_privileges, .uid = o->uid, .gid = o->gid,
		.groups = o->groups, .ngroups = o->ngroups,
	};
	int64_t start = now_usec();
	int r = spawn_start(&sp, &run->signals.handled, o->release_cwd, &run->info.pid,
			    &res->exec_errno, err);
	if (r < 0)
		return r;
	release(o);
	struct supervise_opts so = {
		.group_fd = run->group_fd, .main_pid = run->info.pid,
		.signal_fd = run->signals.fd, .parent_fd = run->parent_fd,
		.grace = o->grace, .timeout = o->timeout, .linger = o->linger,
		.kill_on_crash = o->kill_on_crash, .kill_method = o->kill,
	};
	r = supervise(&so, res, err);
	if (r < 0 && run->group_fd >= 0) {
		/* Leave nothing running behind a failed supervisor. */
		umucg_group_kill(run->group_fd, o->kill, NULL);
		umucg_group_wait_event(run->group_fd, "populated", 0, 10, NULL);
	}
	res->wall_usec = now_usec() - start;
	read_usage(run, res);
	return r;
}

int umucg_run_close(struct umucg_run *run, struct umucg_error *err)
{
	int r = 0;
	if (run->group_fd >= 0) {
		close(run->group_fd);
		/* ENOENT: 'umucg stop' (or gc) removed the emptied group first. */
		struct umucg_error rm = { 0 };
		if (!(run->opts.keep && run->opened) && (r = umucg_group_remove(run->base.fd, run->name, &rm)) < 0) {
			if (r == -ENOENT)
				r = 0;
			else if (err)
				*err = rm;
		}
	}
	if (run->parent_fd >= 0)
		close(run->parent_fd);
	prctl(PR_SET_CHILD_SUBREAPER, run->subreaper_before, 0, 0, 0);
	run_signals_give_back(&run->signals);
	umucg_base_release(&run->base);
	free(run->group_path);
	free(run);
	return r;
}

int umucg_run(const struct umucg_run_opts *opts, struct umucg_run_result *res,
	      struct umucg_error *err)
{
	memset(res, 0, sizeof *res);
	struct umucg_run *run;
	int r = umucg_run_open(opts, &run, err);
	if (r < 0)
		return r;
	r = umucg_run_wait(run, res, err);
	int c = umucg_run_close(run, r < 0 ? NULL : err);
	return r < 0 ? r : c;
}

int umucg_run_exit_code(const struct umucg_run_result *res)
{
	if (res->exec_errno)
		return res->exec_errno == ENOENT ? 127 : 126;
	if (res->timed_out)
		return 124;
	if (WIFEXITED(res->status))
		return WEXITSTATUS(res->status);
	if (WIFSIGNALED(res->status))
		return 128 + WTERMSIG(res->status);
	return 128; /* not reached: a reaped process exited or was killed */
}
