/* helpers.c - shared helpers of the integration tests: private bases under
 * the real cgroup2 mount, running the umucg binary, leftover checks. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <criterion/hooks.h>

#include "helpers.h"

extern char **environ;

double th_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

bool th_contains(const char *text, const char *needle)
{
	return text && strstr(text, needle);
}

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* ---- reading files ----------------------------------------------------- */

static char *read_fd_all(int fd)
{
	size_t cap = 4096, len = 0;
	char *buf = malloc(cap);
	if (!buf)
		return NULL;
	for (;;) {
		if (len + 1 >= cap) {
			char *bigger = realloc(buf, cap *= 2);
			if (!bigger) {
				free(buf);
				return NULL;
			}
			buf = bigger;
		}
		ssize_t n = read(fd, buf + len, cap - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			free(buf);
			return NULL;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	return buf;
}

static char *read_path(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	char *s = read_fd_all(fd);
	close(fd);
	return s;
}

/* ---- the cgroup2 mount ------------------------------------------------- */

/* Undoes mountinfo's octal escapes (\040 and friends) in place. */
static void unescape_octal(char *s)
{
	char *o = s;
	for (char *p = s; *p; p++) {
		if (p[0] == '\\' && p[1] >= '0' && p[1] <= '3' && p[2] >= '0' && p[2] <= '7' &&
		    p[3] >= '0' && p[3] <= '7') {
			*o++ = (char)((p[1] - '0') * 64 + (p[2] - '0') * 8 + (p[3] - '0'));
			p += 3;
		} else {
			*o++ = *p;
		}
	}
	*o = '\0';
}

const char *th_cgroup2_mount(void)
{
	static char mount[PATH_MAX];
	char *text = read_path("/proc/self/mountinfo");
	if (!text)
		return NULL;
	const char *found = NULL;
	for (char *save = NULL, *line = strtok_r(text, "\n", &save); line && !found;
	     line = strtok_r(NULL, "\n", &save)) {
		char *sep = strstr(line, " - ");
		if (!sep || strncmp(sep + 3, "cgroup2 ", 8) != 0)
			continue;
		/* id parent maj:min root MOUNTPOINT ... */
		char *f = line;
		for (int i = 0; i < 4 && f; i++) {
			f = strchr(f, ' ');
			if (f)
				f++;
		}
		if (!f)
			continue;
		size_t len = strcspn(f, " ");
		if (len == 0 || len >= sizeof mount)
			continue;
		memcpy(mount, f, len);
		mount[len] = '\0';
		unescape_octal(mount);
		found = mount;
	}
	free(text);
	return found;
}

/* ---- bases ------------------------------------------------------------- */

int th_count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	if (!d)
		return -1;
	int n = 0, self = dirfd(d);
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.' || atoi(e->d_name) == self)
			continue;
		n++;
	}
	closedir(d);
	return n;
}

void th_base_make(struct th_base *b)
{
	static int counter;
	memset(b, 0, sizeof *b);
	b->fd = -1;
	if (geteuid() != 0)
		cr_skip_test("SKIPPED: integration tests need root (euid %u): run 'make check' as root",
			     (unsigned)geteuid());
	const char *mount = th_cgroup2_mount();
	if (!mount)
		cr_skip_test("SKIPPED: no cgroup2 filesystem in /proc/self/mountinfo");
	snprintf(b->mount, sizeof b->mount, "%s", mount);
	snprintf(b->path, sizeof b->path, "%s/umucg-test-%d-%d-%d", mount, (int)getppid(),
		 (int)getpid(), ++counter);
	if (mkdir(b->path, 0755) < 0) {
		int e = errno;
		b->path[0] = '\0';
		cr_skip_test("SKIPPED: cannot make a test base under the cgroup2 mount %s: %s",
			     mount, strerror(e));
	}
	b->fd = open(b->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	cr_assert(b->fd >= 0, "open %s: %s", b->path, strerror(errno));
	b->fds_at_start = th_count_fds();
}

/* Appends "<path>: <pids>" of every populated group below dir to report
 * and returns how many processes it saw. */
static int count_procs_below(const char *dir, char *report, size_t cap)
{
	char path[PATH_MAX];
	snprintf(path, sizeof path, "%s/cgroup.procs", dir);
	int total = 0;
	char *procs = read_path(path);
	if (procs) {
		for (char *p = procs; *p;) {
			char *end;
			long pid = strtol(p, &end, 10);
			if (end == p)
				break;
			total++;
			char comm_path[64], comm[64] = "?";
			snprintf(comm_path, sizeof comm_path, "/proc/%ld/comm", pid);
			char *c = read_path(comm_path);
			if (c) {
				snprintf(comm, sizeof comm, "%.*s", (int)strcspn(c, "\n"), c);
				free(c);
			}
			size_t used = strlen(report);
			snprintf(report + used, cap - used, " process %ld (%s) in %s;", pid, comm, dir);
			p = end + strspn(end, "\n");
		}
		free(procs);
	}
	DIR *d = opendir(dir);
	if (!d)
		return total;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_type != DT_DIR || e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		total += count_procs_below(path, report, cap);
	}
	closedir(d);
	return total;
}

/* rmdir below-first; appends the names of the groups removed below the top
 * to report and returns how many there were. */
static int remove_tree(const char *dir, bool top, char *report, size_t cap)
{
	int groups = 0;
	DIR *d = opendir(dir);
	if (d) {
		struct dirent *e;
		while ((e = readdir(d))) {
			if (e->d_type != DT_DIR || e->d_name[0] == '.')
				continue;
			char path[PATH_MAX];
			snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
			groups += remove_tree(path, false, report, cap);
		}
		closedir(d);
	}
	if (!top) {
		groups++;
		size_t used = strlen(report);
		snprintf(report + used, cap - used, " group %s;", dir);
	}
	/* An emptied group can be busy for a moment while the kernel finishes
	 * tearing its last task down. */
	for (int i = 0; i < 200 && rmdir(dir) < 0 && errno == EBUSY; i++)
		sleep_ms(10);
	return groups;
}

/* Kills everything in the tree at dir and removes it; returns groups +
 * processes found, with their description in report. */
static int discard_path(const char *dir, char *report, size_t cap)
{
	report[0] = '\0';
	int procs = count_procs_below(dir, report, cap);
	if (procs > 0) {
		char path[PATH_MAX];
		snprintf(path, sizeof path, "%s/cgroup.kill", dir);
		int fd = open(path, O_WRONLY | O_CLOEXEC);
		if (fd >= 0) {
			if (write(fd, "1", 1) < 0)
				fprintf(stderr, "tests: %s: %s\n", path, strerror(errno));
			close(fd);
		}
		snprintf(path, sizeof path, "%s/cgroup.events", dir);
		for (int i = 0; i < 500; i++) {
			char *ev = read_path(path);
			bool empty = !ev || strstr(ev, "populated 0");
			free(ev);
			if (empty)
				break;
			sleep_ms(10);
		}
	}
	return procs + remove_tree(dir, true, report, cap);
}

int th_base_discard(struct th_base *b)
{
	if (b->fd >= 0)
		close(b->fd);
	b->fd = -1;
	if (!b->path[0])
		return 0;
	char report[4096];
	int n = discard_path(b->path, report, sizeof report);
	if (n)
		fprintf(stderr, "tests: left behind in %s:%s\n", b->path, report);
	b->path[0] = '\0';
	return n;
}

const char *th_base_groups(const struct th_base *b, int *count)
{
	static char names[4096];
	names[0] = '\0';
	int n = 0;
	DIR *d = b->path[0] ? opendir(b->path) : NULL;
	if (d) {
		struct dirent *e;
		while ((e = readdir(d))) {
			if (e->d_type != DT_DIR || e->d_name[0] == '.')
				continue;
			size_t used = strlen(names);
			snprintf(names + used, sizeof names - used, "%s%s", n ? " " : "", e->d_name);
			n++;
		}
		closedir(d);
	}
	if (count)
		*count = n;
	return names;
}

void th_end(struct th_base *b)
{
	char report[4096] = "", groups_left[4096] = "";
	int procs = 0, groups = 0, fds = -1, children, zombies = 0;
	if (b->path[0]) {
		procs = count_procs_below(b->path, report, sizeof report);
		snprintf(groups_left, sizeof groups_left, "%s", th_base_groups(b, &groups));
		close(b->fd);
		b->fd = -1;
		char ignored[4096];
		discard_path(b->path, ignored, sizeof ignored);
		b->path[0] = '\0';
		/* the base's own fd was counted at the start */
		fds = th_count_fds() + 1;
	}
	children = th_count_children(&zombies);
	cr_assert(procs == 0 && groups == 0,
		  "left behind: %d process(es):%s %d group(s): %s", procs, report, groups, groups_left);
	cr_assert(children == 0, "the test process has %d child(ren) left, %d of them zombies",
		  children, zombies);
	if (fds >= 0)
		cr_assert(fds == b->fds_at_start, "the test process has %d open fds, %d at the start",
			  fds, b->fds_at_start);
}

/* A test that crashed or timed out ran no .fini: the runner removes what
 * its workers left (named umucg-test-<runner pid>-...) and says so. */
ReportHook(POST_ALL)(struct criterion_global_stats *stats)
{
	(void)stats;
	const char *mount = th_cgroup2_mount();
	if (!mount || geteuid() != 0)
		return;
	char prefix[64];
	snprintf(prefix, sizeof prefix, "umucg-test-%d-", (int)getpid());
	DIR *d = opendir(mount);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (strncmp(e->d_name, prefix, strlen(prefix)) != 0)
			continue;
		char path[PATH_MAX], report[4096];
		snprintf(path, sizeof path, "%s/%s", mount, e->d_name);
		discard_path(path, report, sizeof report);
		fprintf(stderr, "tests: FAILURE: a test left its base %s behind:%s\n", path,
			report[0] ? report : " (empty)");
	}
	closedir(d);
}

/* ---- group files ------------------------------------------------------- */

char *th_group_read(const struct th_base *b, const char *name, const char *file)
{
	char path[PATH_MAX];
	if (snprintf(path, sizeof path, "%s%s%s/%s", b->path, name[0] ? "/" : "", name,
		     file) >= (int)sizeof path)
		return NULL;
	return read_path(path);
}

bool th_group_exists(const struct th_base *b, const char *name)
{
	char path[PATH_MAX];
	struct stat st;
	if (snprintf(path, sizeof path, "%s/%s", b->path, name) >= (int)sizeof path)
		return false;
	return lstat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int th_group_populated(const struct th_base *b, const char *name)
{
	char *ev = th_group_read(b, name, "cgroup.events");
	if (!ev)
		return -1;
	const char *p = strstr(ev, "populated ");
	int v = p ? p[10] - '0' : -1;
	free(ev);
	return v;
}

int th_group_nprocs(const struct th_base *b, const char *name)
{
	char *procs = th_group_read(b, name, "cgroup.procs");
	if (!procs)
		return -1;
	int n = 0;
	for (char *p = procs; *p; p++)
		n += *p == '\n';
	free(procs);
	return n;
}

/* The first pid of base/NAME whose comm is comm (0: none); *count (may be
 * NULL) gets how many there are. */
static pid_t find_comm(const struct th_base *b, const char *name, const char *comm, int *count)
{
	pid_t first = 0;
	int n = 0;
	char *procs = th_group_read(b, name, "cgroup.procs");
	for (char *p = procs; p && *p;) {
		char *end;
		long pid = strtol(p, &end, 10);
		if (end == p)
			break;
		char path[64];
		snprintf(path, sizeof path, "/proc/%ld/comm", pid);
		char *c = read_path(path);
		if (c && strncmp(c, comm, strlen(comm)) == 0 && c[strlen(comm)] == '\n') {
			n++;
			if (!first)
				first = (pid_t)pid;
		}
		free(c);
		p = end + strspn(end, "\n");
	}
	free(procs);
	if (count)
		*count = n;
	return first;
}

int th_group_count_comm(const struct th_base *b, const char *name, const char *comm)
{
	int n;
	find_comm(b, name, comm, &n);
	return n;
}

pid_t th_wait_comm(const struct th_base *b, const char *name, const char *comm,
		   double timeout)
{
	double deadline = th_now() + timeout;
	do {
		pid_t pid = find_comm(b, name, comm, NULL);
		if (pid)
			return pid;
		sleep_ms(10);
	} while (th_now() < deadline);
	return 0;
}

bool th_wait_populated(const struct th_base *b, const char *name, int want, double timeout)
{
	double deadline = th_now() + timeout;
	do {
		if (th_group_populated(b, name) == want)
			return true;
		sleep_ms(10);
	} while (th_now() < deadline);
	return false;
}

/* ---- the test process itself ------------------------------------------- */

int th_count_children(int *zombies)
{
	int n = 0, z = 0;
	pid_t self = getpid();
	DIR *d = opendir("/proc");
	if (!d)
		return -1;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		char path[300];
		snprintf(path, sizeof path, "/proc/%s/stat", e->d_name);
		char *stat = read_path(path);
		if (!stat)
			continue;
		/* comm may hold spaces and ')': the fields after the last ')' */
		char *p = strrchr(stat, ')');
		char state;
		int ppid;
		if (p && sscanf(p + 1, " %c %d", &state, &ppid) == 2 && ppid == self) {
			n++;
			z += state == 'Z';
		}
		free(stat);
	}
	closedir(d);
	if (zombies)
		*zombies = z;
	return n;
}

/* ---- running the binary ------------------------------------------------ */

static bool key_in(const char *entry, const char *const *keys)
{
	size_t len = strcspn(entry, "=");
	for (; keys && *keys; keys++)
		if (strlen(*keys) == len && strncmp(entry, *keys, len) == 0)
			return true;
	return false;
}

/* The child's environment: ours without the default-unset keys, env_unset
 * and the keys of env_set, then env_set. */
static char **build_env(const struct th_run_opts *o)
{
	static const char *const defaults[] = {
		"UMUCG_BASE", "UMUCG_SPAWN", "UMUCG_KILL", "UMU_ID", "SteamAppId", "SteamGameId", NULL,
	};
	size_t n = 0, extra = 0;
	while (environ[n])
		n++;
	while (o->env_set && o->env_set[extra])
		extra++;
	char **env = calloc(n + extra + 1, sizeof *env);
	cr_assert(env);
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (key_in(environ[i], defaults) || key_in(environ[i], o->env_unset) ||
		    key_in(environ[i], o->env_set))
			continue;
		env[k++] = environ[i];
	}
	for (size_t i = 0; i < extra; i++)
		env[k++] = (char *)o->env_set[i];
	env[k] = NULL;
	return env;
}

void th_start(struct th_proc *p, const struct th_run_opts *opts, const char *const *args)
{
	static const struct th_run_opts none = { 0 };
	const struct th_run_opts *o = opts ? opts : &none;
	const char *bin = getenv("UMUCG_BIN");
	cr_assert(bin && *bin, "UMUCG_BIN is not set: run the tests through 'make check'");

	const char *argv[64];
	size_t argc = 0;
	argv[argc++] = bin;
	for (; args[argc - 1] && argc < 63; argc++)
		argv[argc] = args[argc - 1];
	cr_assert(args[argc - 1] == NULL, "too many arguments");
	argv[argc] = NULL;
	char **env = build_env(o);

	int in_fd;
	if (o->stdin_text) {
		in_fd = (int)syscall(SYS_memfd_create, "stdin", MFD_CLOEXEC);
		cr_assert(in_fd >= 0, "memfd_create: %s", strerror(errno));
		size_t len = strlen(o->stdin_text);
		cr_assert(write(in_fd, o->stdin_text, len) == (ssize_t)len);
		cr_assert(lseek(in_fd, 0, SEEK_SET) == 0);
	} else {
		in_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
		cr_assert(in_fd >= 0);
	}
	int out[2], err[2];
	cr_assert(pipe2(out, O_CLOEXEC) == 0 && pipe2(err, O_CLOEXEC) == 0);

	p->started = th_now();
	p->timeout = o->timeout > 0 ? o->timeout : 30;
	p->pid = fork();
	cr_assert(p->pid >= 0, "fork: %s", strerror(errno));
	if (p->pid == 0) {
		/* only async-signal-safe calls from here on. umucg starts with
		 * default signal dispositions and an empty mask, as from a
		 * terminal: a test run in the background of a non-interactive
		 * shell would otherwise pass SIGINT and SIGQUIT ignored. */
		struct sigaction dfl = { .sa_handler = SIG_DFL };
		for (int sig = 1; sig < NSIG; sig++)
			if (sig != SIGKILL && sig != SIGSTOP)
				sigaction(sig, &dfl, NULL);
		/* The C library's own signals (32, 33: GNU make ignores them, so
		 * make check passed them on ignored) through the kernel's call,
		 * which the library's sigaction refuses: an all-zero action is
		 * SIG_DFL on every architecture. */
		static const char zero_action[64];
		for (int sig = 32; sig < SIGRTMIN; sig++)
			syscall(SYS_rt_sigaction, sig, zero_action, NULL, (NSIG - 1) / 8);
		sigset_t empty;
		sigemptyset(&empty);
		sigprocmask(SIG_SETMASK, &empty, NULL);
		if (dup2(in_fd, 0) < 0 || dup2(out[1], 1) < 0 || dup2(err[1], 2) < 0)
			_exit(250);
		if (o->pass_fd > 2) {
			if (o->pass_fd > 3)
				syscall(SYS_close_range, 3u, (unsigned)o->pass_fd - 1, 0u);
			syscall(SYS_close_range, (unsigned)o->pass_fd + 1, ~0u, 0u);
			int flags = fcntl(o->pass_fd, F_GETFD);
			if (flags < 0 || fcntl(o->pass_fd, F_SETFD, flags & ~FD_CLOEXEC) < 0)
				_exit(251);
		} else {
			syscall(SYS_close_range, 3u, ~0u, 0u);
		}
		if (o->cwd && chdir(o->cwd) < 0)
			_exit(252);
		if (o->no_openat2 && !th_forbid_openat2())
			_exit(254);
		if (o->join) {
			char procs[PATH_MAX];
			snprintf(procs, sizeof procs, "%s/cgroup.procs", o->join);
			int fd = open(procs, O_WRONLY | O_CLOEXEC);
			if (fd < 0 || write(fd, "0", 1) != 1)
				_exit(249);
			close(fd);
		}
		struct rlimit stack = { o->stack_kb * 1024, o->stack_kb * 1024 };
		if (o->stack_kb && setrlimit(RLIMIT_STACK, &stack) < 0)
			_exit(247);
		if (o->as_user && (syscall(SYS_setgroups, 0, NULL) < 0 ||
				   setresgid(o->gid, o->gid, o->gid) < 0 ||
				   setresuid(o->uid, o->uid, o->uid) < 0))
			_exit(248);
		execve(bin, (char *const *)argv, env);
		_exit(253);
	}
	free(env);
	close(in_fd);
	close(out[1]);
	close(err[1]);
	p->out_fd = out[0];
	p->err_fd = err[0];
	p->pidfd = (int)syscall(SYS_pidfd_open, p->pid, 0);
	cr_assert(p->pidfd >= 0, "pidfd_open: %s", strerror(errno));
}

struct sink {
	char *buf;
	size_t len, cap;
};

/* Reads what is there; returns false at EOF or on error. */
static bool sink_read(struct sink *s, int fd)
{
	if (s->len + 4096 > s->cap) {
		s->cap = s->cap ? s->cap * 2 : 8192;
		s->buf = realloc(s->buf, s->cap);
		cr_assert(s->buf);
	}
	ssize_t n = read(fd, s->buf + s->len, s->cap - s->len - 1);
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return true;
	if (n <= 0)
		return false;
	s->len += (size_t)n;
	return true;
}

/* Reads what is buffered now, without waiting for more. */
static void sink_drain(struct sink *s, int fd)
{
	fcntl(fd, F_SETFL, O_NONBLOCK);
	for (;;) {
		size_t before = s->len;
		if (!sink_read(s, fd) || s->len == before)
			return;
	}
}

static char *sink_take(struct sink *s)
{
	if (!s->buf)
		return strdup("");
	s->buf[s->len] = '\0';
	return s->buf;
}

void th_finish(struct th_proc *p, struct th_result *r)
{
	struct sink out = { 0 }, err = { 0 };
	bool out_open = true, err_open = true, exited = false, killed = false;
	while (!exited) {
		struct pollfd pfd[3] = {
			{ .fd = out_open ? p->out_fd : -1, .events = POLLIN },
			{ .fd = err_open ? p->err_fd : -1, .events = POLLIN },
			{ .fd = p->pidfd, .events = POLLIN },
		};
		double left = p->started + p->timeout - th_now();
		if (left <= 0 && !killed) {
			kill(p->pid, SIGKILL);
			killed = true;
		}
		int n = poll(pfd, 3, left > 0 ? (int)(left * 1000) + 1 : 1000);
		if (n < 0 && errno != EINTR)
			cr_assert_fail("poll: %s", strerror(errno));
		if (out_open && pfd[0].revents)
			out_open = sink_read(&out, p->out_fd);
		if (err_open && pfd[1].revents)
			err_open = sink_read(&err, p->err_fd);
		if (pfd[2].revents)
			exited = true;
	}
	r->seconds = th_now() - p->started;
	while (waitpid(p->pid, &r->status, 0) < 0)
		cr_assert(errno == EINTR, "waitpid: %s", strerror(errno));
	/* What umucg wrote before it exited is in the pipes; a process it left
	 * behind may hold them open, so read without waiting for EOF. */
	if (out_open)
		sink_drain(&out, p->out_fd);
	if (err_open)
		sink_drain(&err, p->err_fd);
	close(p->out_fd);
	close(p->err_fd);
	close(p->pidfd);
	r->out = sink_take(&out);
	r->err = sink_take(&err);
	r->code = WIFEXITED(r->status) ? WEXITSTATUS(r->status) : 128 + WTERMSIG(r->status);
	cr_assert(!killed, "umucg ran longer than %.1f s and was SIGKILLed; stderr: %s",
		  p->timeout, r->err);
}

void th_run(struct th_result *r, const struct th_run_opts *o, ...)
{
	const char *args[64];
	size_t n = 0;
	va_list ap;
	va_start(ap, o);
	while (n < 63 && (args[n] = va_arg(ap, const char *)))
		n++;
	va_end(ap);
	args[n] = NULL;
	struct th_proc p;
	th_start(&p, o, args);
	th_finish(&p, r);
}

void th_result_free(struct th_result *r)
{
	free(r->out);
	free(r->err);
	r->out = r->err = NULL;
}

char *th_jq(const char *json, const char *filter)
{
	cr_assert(!strchr(filter, '\''), "a quote in the filter: %s", filter);
	char tmp[] = "/tmp/umucg-test-json-XXXXXX";
	int fd = mkstemp(tmp);
	cr_assert(fd >= 0);
	size_t len = strlen(json);
	cr_assert_eq(write(fd, json, len), (ssize_t)len);
	close(fd);
	char cmd[2048];
	snprintf(cmd, sizeof cmd, "jq -e -j '%s' %s 2>/dev/null", filter, tmp);
	FILE *p = popen(cmd, "re");
	cr_assert(p, "popen jq");
	size_t cap = 4096, n = 0, got;
	char *out = malloc(cap);
	cr_assert(out);
	while ((got = fread(out + n, 1, cap - n - 1, p)) > 0) {
		n += got;
		if (n + 1 >= cap) {
			out = realloc(out, cap *= 2);
			cr_assert(out);
		}
	}
	out[n] = '\0';
	int st = pclose(p);
	unlink(tmp);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		free(out);
		return NULL;
	}
	return out;
}

void th_expect_jq(const char *json, const char *filter, const char *want)
{
	char *got = th_jq(json, filter);
	cr_assert(got, "jq '%s' failed on: %s", filter, json);
	cr_expect_str_eq(got, want, "jq '%s' on: %s", filter, json);
	free(got);
}

bool th_forbid_openat2(void)
{
	struct sock_filter filter[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_openat2, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = sizeof filter / sizeof *filter, .filter = filter };
	return prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0 &&
	       prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) == 0;
}
