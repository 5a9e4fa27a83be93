/* test_hostile.c - another local user against root's and a third user's
 * umucg (issue 16): no lock they can take delays a run, a base lock held
 * where they can hold one fails in bounded time naming them, and root does
 * not put its processes into a user's subtree. Two throwaway accounts are
 * made per test and removed even when it fails. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <criterion/hooks.h>

#include "helpers.h"

struct user {
	char name[32];
	uid_t uid;
	gid_t gid;
};

static struct th_base base;
static struct user attacker, victim;
static char system_base[PATH_MAX * 2], user_base[PATH_MAX * 2];

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

/* useradd and userdel lock /etc/passwd: parallel workers retry. */
static int shell_retry(const char *cmd)
{
	int st = -1;
	for (int i = 0; i < 50; i++) {
		st = system(cmd);
		if (st == 0)
			break;
		sleep_ms(100);
	}
	return st;
}

static void user_make(struct user *u, char tag)
{
	char cmd[256];
	snprintf(u->name, sizeof u->name, "umucgadv%dx%d%c", (int)getppid(), (int)getpid(), tag);
	snprintf(cmd, sizeof cmd, "useradd -M -U -s /usr/sbin/nologin %s >/dev/null 2>&1", u->name);
	if (shell_retry(cmd) != 0) {
		u->name[0] = '\0';
		cr_skip_test("SKIPPED: useradd failed: these tests need a throwaway account");
	}
	struct passwd *pw = getpwnam(u->name);
	cr_assert(pw, "%s: made but not found", u->name);
	u->uid = pw->pw_uid;
	u->gid = pw->pw_gid;
}

static void user_drop(struct user *u)
{
	char cmd[256];
	if (!u->name[0])
		return;
	snprintf(cmd, sizeof cmd, "userdel %s >/dev/null 2>&1", u->name);
	if (shell_retry(cmd) != 0)
		fprintf(stderr, "tests: userdel %s failed\n", u->name);
	u->name[0] = '\0';
}

static void setup(void)
{
	th_base_make(&base);
	snprintf(system_base, sizeof system_base, "%s/system", base.path);
	user_make(&attacker, 'a');
	user_make(&victim, 'v');
	snprintf(user_base, sizeof user_base, "%s/user-%u", base.path, (unsigned)victim.uid);
}

/* Processes a test started (attackers, sleepers; negative: a process
 * group): a failed assertion skips their test's own clean-up, and userdel
 * refuses an account that still runs something. */
static pid_t started[16];
static size_t nstarted;

static void remember(pid_t pid)
{
	if (nstarted < sizeof started / sizeof *started)
		started[nstarted++] = pid;
}

static void teardown(void)
{
	for (size_t i = 0; i < nstarted; i++) {
		kill(started[i], SIGKILL);
		waitpid(started[i] < 0 ? -started[i] : started[i], NULL, 0);
	}
	th_base_discard(&base);
	user_drop(&attacker);
	user_drop(&victim);
}

/* A worker that crashed or timed out ran no .fini: remove its accounts. */
ReportHook(POST_ALL)(struct criterion_global_stats *stats)
{
	(void)stats;
	char cmd[512];
	snprintf(cmd, sizeof cmd,
		 "for u in $(cut -d: -f1 /etc/passwd | grep '^umucgadv%dx'); do "
		 "echo \"tests: FAILURE: account $u left behind\" >&2; userdel $u; done",
		 (int)getpid());
	if (system(cmd) != 0)
		fprintf(stderr, "tests: removing left accounts failed\n");
}

TestSuite(hostile, .init = setup, .fini = teardown, .timeout = 120);

/* ---- the attacker: every lock another user can take -------------------- */

/* The paths to try: each directory and every entry in it, listed as root. */
static size_t targets(const char *const *dirs, char (*out)[PATH_MAX], size_t cap)
{
	size_t n = 0;
	for (size_t i = 0; dirs[i] && n < cap; i++) {
		snprintf(out[n++], PATH_MAX, "%s", dirs[i]);
		DIR *d = opendir(dirs[i]);
		struct dirent *e;
		while (d && (e = readdir(d)) && n < cap) {
			if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
				continue;
			/* Other test programs' bases (make check runs them side by
			 * side): theirs to lock, not this attacker's, or their runs
			 * would wait on it. Ours is in dirs by name. */
			if (strncmp(e->d_name, "umucg-test-", 11) == 0)
				continue;
			snprintf(out[n++], PATH_MAX, "%s/%s", dirs[i], e->d_name);
		}
		if (d)
			closedir(d);
	}
	return n;
}

struct attack {
	pid_t pid;
	int held;        /* locks it holds */
	int protected_held; /* of those, on the protected directories */
};

/* Forks the attacker: as user a, open and flock (how: LOCK_SH or LOCK_EX,
 * not blocking) every target it can, report over a pipe, hold until
 * killed. protected: directories no one else may lock. */
static void attack_start(struct attack *at, const struct user *a, int how,
			 const char *const *dirs, const char *const *protected)
{
	static char list[1024][PATH_MAX];
	size_t n = targets(dirs, list, 1024);
	int p[2];
	cr_assert(pipe2(p, O_CLOEXEC) == 0);
	at->pid = fork();
	cr_assert(at->pid >= 0);
	if (at->pid == 0) {
		if (syscall(SYS_setgroups, 0, NULL) < 0 || setresgid(a->gid, a->gid, a->gid) < 0 ||
		    setresuid(a->uid, a->uid, a->uid) < 0)
			_exit(1);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		int res[2] = { 0, 0 };
		for (size_t i = 0; i < n; i++) {
			int fd = open(list[i], O_RDONLY | O_CLOEXEC);
			if (fd < 0)
				fd = open(list[i], O_WRONLY | O_CLOEXEC);
			/* A directory named in dirs is held at all costs: another
			 * test's attacker may hold it for a moment (it locks what it
			 * reaches under the mount root, our base too). */
			bool named = false;
			for (size_t k = 0; dirs[k]; k++)
				named |= strcmp(list[i], dirs[k]) == 0;
			int tries = named ? 300 : 1, got = -1;
			while (fd >= 0 && tries-- > 0 && (got = flock(fd, how | LOCK_NB)) < 0)
				usleep(10000);
			if (fd < 0 || got < 0)
				continue;
			res[0]++;
			for (size_t k = 0; protected[k]; k++)
				res[1] += strcmp(list[i], protected[k]) == 0;
		}
		if (write(p[1], res, sizeof res) != sizeof res)
			_exit(1);
		for (;;)
			pause();
	}
	remember(at->pid);
	close(p[1]);
	int res[2];
	cr_assert_eq(read(p[0], res, sizeof res), (ssize_t)sizeof res, "the attacker did not report");
	close(p[0]);
	at->held = res[0];
	at->protected_held = res[1];
}

static void attack_stop(struct attack *at)
{
	kill(at->pid, SIGKILL);
	while (waitpid(at->pid, NULL, 0) < 0 && errno == EINTR)
		;
}

/* A process of root's that stays, for setup --session. */
static pid_t sleeper(void)
{
	pid_t pid = fork();
	cr_assert(pid >= 0);
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		for (;;)
			pause();
	}
	remember(pid);
	return pid;
}

static void reap(pid_t pid)
{
	kill(pid, SIGKILL);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
}

/* setup --base <base>/system --user victim --session <a sleeper>. */
static pid_t delegate_victim(void)
{
	pid_t s = sleeper();
	char pid[16];
	snprintf(pid, sizeof pid, "%d", (int)s);
	struct th_result r;
	th_run(&r, NULL, "--base", system_base, "setup", "--user", victim.name, "--session", pid, NULL);
	cr_assert_eq(r.code, 0, "setup: %s", r.err);
	th_result_free(&r);
	return s;
}

/* Removes what setup made, then ends the test (nothing else is left). */
static void end_delegated(pid_t session)
{
	reap(session);
	char path[PATH_MAX * 3];
	snprintf(path, sizeof path, "%s/session-1", user_base);
	for (int i = 0; i < 100 && rmdir(path) < 0 && errno == EBUSY; i++)
		sleep_ms(10);
	cr_expect_eq(rmdir(user_base), 0, "%s: %s", user_base, strerror(errno));
	cr_expect_eq(rmdir(system_base), 0, "%s: %s", system_base, strerror(errno));
	th_end(&base);
}

static void expect_mode(const char *path, mode_t want)
{
	struct stat st;
	cr_assert_eq(stat(path, &st), 0, "%s: %s", path, strerror(errno));
	cr_expect_eq(st.st_mode & 07777, want, "%s: mode %o, want %o", path,
		     (unsigned)(st.st_mode & 07777), (unsigned)want);
}

/* ---- 1. no lock another user can take delays a run ---------------------- */

/* The attacker flocks (shared, then exclusive) every directory and file it
 * can open on the way to root's bases and the victim's: the mount root,
 * umucg/, the real system base, this test's bases, the victim's session.
 * The bases themselves are 0711, so it cannot open (nor lock) them; root's
 * run, create and gc and the victim's run each take well under a second. */
Test(hostile, another_users_locks_delay_no_run)
{
	const char *mount = th_cgroup2_mount();
	char top[PATH_MAX], sysbase[PATH_MAX + 16], session_dir[PATH_MAX * 3], name[64];
	snprintf(top, sizeof top, "%s/umucg", mount);
	snprintf(sysbase, sizeof sysbase, "%s/system", top);
	snprintf(session_dir, sizeof session_dir, "%s/session-1", user_base);
	snprintf(name, sizeof name, "umucg-test-%d", (int)getpid());
	struct th_result r;
	/* root's base as its first run (or setup) leaves it */
	th_run(&r, NULL, "run", "--name", name, "--", "true", NULL);
	cr_assert_eq(r.code, 0, "%s", r.err);
	th_result_free(&r);
	pid_t session = delegate_victim();
	expect_mode(sysbase, 0711);
	expect_mode(system_base, 0711);
	expect_mode(user_base, 0711);

	const char *dirs[] = { mount, top, sysbase, base.path, system_base, user_base, session_dir, NULL };
	const char *protected[] = { sysbase, system_base, user_base, NULL };
	const struct th_run_opts o = { .timeout = 10 };
	const struct th_run_opts uo = { .timeout = 10, .cwd = "/", .join = session_dir,
					.as_user = true, .uid = victim.uid, .gid = victim.gid };
	const int hows[] = { LOCK_SH, LOCK_EX };
	for (size_t h = 0; h < 2; h++) {
		struct attack at;
		attack_start(&at, &attacker, hows[h], dirs, protected);
		cr_expect_gt(at.held, 0, "the attacker held no lock at all: the test proves nothing");
		cr_expect_eq(at.protected_held, 0, "another user locked a base");
		th_run(&r, &o, "run", "--name", name, "--", "true", NULL);
		cr_expect(r.code == 0 && r.seconds < 1.0, "root's run: %d after %.2fs: %s", r.code, r.seconds, r.err);
		th_result_free(&r);
		th_run(&r, &o, "--base", system_base, "run", "--name", "g", "--", "true", NULL);
		cr_expect(r.code == 0 && r.seconds < 1.0, "run --base: %d after %.2fs: %s", r.code, r.seconds, r.err);
		th_result_free(&r);
		th_run(&r, &o, "--base", system_base, "create", "made", NULL);
		cr_expect(r.code == 0 && r.seconds < 1.0, "create: %d after %.2fs: %s", r.code, r.seconds, r.err);
		th_result_free(&r);
		th_run(&r, &o, "--base", system_base, "gc", "--min-age", "0", NULL);
		cr_expect(r.code == 0 && r.seconds < 1.0, "gc: %d after %.2fs: %s", r.code, r.seconds, r.err);
		th_result_free(&r);
		th_run(&r, &uo, "run", "--name", "v", "--", "true", NULL);
		cr_expect(r.code == 0 && r.seconds < 1.0, "the victim's run: %d after %.2fs: %s", r.code,
			  r.seconds, r.err);
		th_result_free(&r);
		attack_stop(&at);
	}
	end_delegated(session);
}

/* The issue's reproducer, verbatim but for the names: another user's
 * `flock -s` on root's base, then root's `timeout -k1 3 umucg run -- true`
 * (which used to be killed: 137). */
Test(hostile, the_issues_reproducer_passes)
{
	char sysbase[PATH_MAX + 16], name[64], cmd[PATH_MAX * 2];
	snprintf(sysbase, sizeof sysbase, "%s/umucg/system", th_cgroup2_mount());
	snprintf(name, sizeof name, "umucg-test-%d", (int)getpid());
	struct th_result r;
	th_run(&r, NULL, "run", "--name", name, "--", "true", NULL);
	cr_assert_eq(r.code, 0, "%s", r.err);
	th_result_free(&r);
	pid_t holder = fork();
	cr_assert(holder >= 0);
	if (holder == 0) {
		setpgid(0, 0);
		char reuid[32], regid[32];
		snprintf(reuid, sizeof reuid, "--reuid=%u", (unsigned)attacker.uid);
		snprintf(regid, sizeof regid, "--regid=%u", (unsigned)attacker.gid);
		execlp("setpriv", "setpriv", reuid, regid, "--clear-groups", "flock", "-s", sysbase,
		       "sleep", "25", (char *)NULL);
		_exit(127);
	}
	setpgid(holder, holder);
	remember(-holder);
	sleep_ms(300);
	snprintf(cmd, sizeof cmd, "timeout -k1 3 %s run --name %s -- true", getenv("UMUCG_BIN"), name);
	int st = system(cmd);
	kill(-holder, SIGKILL);
	while (waitpid(holder, NULL, 0) < 0 && errno == EINTR)
		;
	cr_expect(WIFEXITED(st) && WEXITSTATUS(st) == 0, "root's run under another user's flock: "
		  "status %d", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	th_end(&base);
}

/* A base umucg did not make and others can read (an explicit --base of
 * 0755): the lock may be held; run waits a bounded time, then fails (125)
 * naming the holder; SIGTERM during the wait ends it within the bound;
 * CMD never runs. */
Test(hostile, a_held_lock_fails_in_bounded_time_naming_the_holder)
{
	char marker[PATH_MAX];
	snprintf(marker, sizeof marker, "/tmp/umucg-test-marker-%d", (int)getpid());
	unlink(marker);
	const char *dirs[] = { base.path, NULL }, *none[] = { NULL };
	struct attack at;
	attack_start(&at, &attacker, LOCK_EX, dirs, none);
	cr_assert_gt(at.held, 0, "the attacker could not lock the 0755 base");
	/* The base itself is what run locks: check from here that the
	 * attacker's lock on it holds before timing run against it. */
	int probe = open(base.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	cr_assert_geq(probe, 0);
	cr_assert(flock(probe, LOCK_EX | LOCK_NB) < 0 && errno == EWOULDBLOCK,
		  "the attacker holds no lock on the base itself");
	close(probe);
	const struct th_run_opts o = { .timeout = 10 };
	struct th_result r;
	th_run(&r, &o, "--base", base.path, "run", "--name", "g", "--", "touch", marker, NULL);
	char who[64];
	snprintf(who, sizeof who, "locked by pid %d (uid %u", (int)at.pid, (unsigned)attacker.uid);
	cr_expect_eq(r.code, 125, "%s", r.err);
	cr_expect(r.seconds > 1.5 && r.seconds < 4, "gave up after %.2fs", r.seconds);
	cr_expect(th_contains(r.err, who), "the holder is not named (%s): %s", who, r.err);
	th_result_free(&r);

	struct th_proc p;
	const char *args[] = { "--base", base.path, "run", "--name", "g", "--", "touch", marker, NULL };
	th_start(&p, &o, args);
	sleep_ms(300);
	double sent = th_now();
	kill(p.pid, SIGTERM);
	th_finish(&p, &r);
	cr_expect(th_now() - sent < 2.5, "SIGTERM took %.2fs to end a waiting run", th_now() - sent);
	cr_expect(r.code == 125 || r.code == 128 + SIGTERM, "exit %d: %s", r.code, r.err);
	th_result_free(&r);
	attack_stop(&at);
	cr_expect(access(marker, F_OK) < 0, "CMD ran although the group was never made");
	unlink(marker);
	expect_mode(base.path, 0755); /* an explicit base is left as it is */
	th_end(&base);
}

/* ---- 3. root does not put its processes into a user's subtree ---------- */

Test(hostile, root_refuses_a_base_in_a_users_subtree_unless_forced)
{
	pid_t session = delegate_victim();
	char uid[16], pid[16], group[PATH_MAX * 3];
	snprintf(uid, sizeof uid, "uid %u", (unsigned)victim.uid);
	snprintf(group, sizeof group, "%s/made", user_base);
	pid_t other = sleeper();
	snprintf(pid, sizeof pid, "%d", (int)other);
	struct th_result r;
	const char *refused[][8] = {
		{ "run", "--", "true", NULL },
		{ "run", "--name", "x", "--", "true", NULL },
		{ "create", "made", NULL },
	};
	for (size_t i = 0; i < sizeof refused / sizeof *refused; i++) {
		th_run(&r, NULL, "--base", user_base, refused[i][0], refused[i][1], refused[i][2],
		       refused[i][3], refused[i][4], refused[i][5], NULL);
		cr_expect_eq(r.code, 125, "%s was not refused: %s", refused[i][0], r.err);
		cr_expect(th_contains(r.err, uid) && th_contains(r.err, "--force"), "%s", r.err);
		th_result_free(&r);
	}
	cr_expect(access(group, F_OK) < 0, "a refused create made the group");
	th_run(&r, NULL, "--base", user_base, "run", "--force", "--", "true", NULL);
	cr_expect_eq(r.code, 0, "run --force: %s", r.err);
	th_result_free(&r);
	th_run(&r, NULL, "--base", user_base, "create", "--force", "made", NULL);
	cr_expect_eq(r.code, 0, "create --force: %s", r.err);
	th_result_free(&r);
	th_run(&r, NULL, "--base", user_base, "join", "made", "--", "true", NULL);
	cr_expect(r.code == 125 && th_contains(r.err, uid), "join: %d %s", r.code, r.err);
	th_result_free(&r);
	th_run(&r, NULL, "join", "--path", group, "made", "--", "true", NULL);
	cr_expect(r.code == 125 && th_contains(r.err, uid), "join --path: %d %s", r.code, r.err);
	th_result_free(&r);
	th_run(&r, NULL, "--base", user_base, "move", "made", pid, NULL);
	cr_expect(r.code == 125 && th_contains(r.err, uid), "move: %d %s", r.code, r.err);
	th_result_free(&r);
	char cg_path[64], cg[PATH_MAX] = "";
	snprintf(cg_path, sizeof cg_path, "/proc/%d/cgroup", (int)other);
	FILE *f = fopen(cg_path, "re");
	cr_assert(f && fgets(cg, sizeof cg, f));
	fclose(f);
	cr_expect(!th_contains(cg, "/user-"), "a refused move moved pid %s: %s", pid, cg);
	th_run(&r, NULL, "--base", user_base, "join", "--force", "made", "--", "true", NULL);
	cr_expect_eq(r.code, 0, "join --force: %s", r.err);
	th_result_free(&r);
	reap(other);
	th_run(&r, NULL, "--base", user_base, "stop", "made", NULL);
	cr_expect_eq(r.code, 0, "%s", r.err);
	th_result_free(&r);
	end_delegated(session);
}
