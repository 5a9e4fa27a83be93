/* test_wine.c - a real Wine tree, the closest thing to a Proton game here:
 * `wine cmd /c exit 3` leaves wineserver lingering about 3 s and starts
 * services.exe, winedevice.exe, explorer.exe... umucg passes the status
 * through and waits for wineserver by default; --kill-on-exit and --linger
 * end it with SIGTERM first, so that wineserver writes the registry (a
 * SIGKILL loses what the game wrote there); Stop ends the whole tree.
 * Skips loudly without wine (Debian's wine package; CI installs it). */
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "helpers.h"
#include "recorder.h"

static struct th_base base;
static char prefix[PATH_MAX];

/* The prefix is made once per build tree (wineboot takes ~10 s) and reused;
 * made under umucg itself, so that wineboot leaves nothing running. */
static void wine_prefix(void)
{
	const char *top = getenv("UMUCG_TOP_BUILDDIR");
	cr_assert(top && *top);
	snprintf(prefix, sizeof prefix, "%s/tests/integ/wineprefix", top);
	setenv("WINEPREFIX", prefix, 1);
	setenv("WINEDEBUG", "-all", 1);
	unsetenv("DISPLAY");
	char marker[PATH_MAX + 16];
	snprintf(marker, sizeof marker, "%s/system.reg", prefix);
	if (access(marker, F_OK) == 0)
		return;
	struct th_run_opts o = { .timeout = 240 };
	struct th_result r;
	th_run(&r, &o, "run", "--base", base.path, "--name", "wineboot", "--", "wine", "wineboot",
	       "-i", NULL);
	cr_assert_eq(r.code, 0, "wineboot -i: exit %d: %s", r.code, r.err);
	cr_assert_eq(access(marker, F_OK), 0, "wineboot made no prefix at %s", prefix);
	th_result_free(&r);
}

static void setup(void)
{
	if (access("/usr/bin/wine", X_OK) != 0)
		cr_skip_test("SKIPPED: wine is not installed (Debian: apt-get install wine); "
			     "the real Wine tests did not run");
	th_base_make(&base);
	wine_prefix();
}

static void teardown(void)
{
	th_base_discard(&base);
}

TestSuite(wine, .init = setup, .fini = teardown, .timeout = 420);

/* Whether the prefix's user.reg holds text. */
static bool registry_has(const char *text)
{
	char path[PATH_MAX + 16];
	snprintf(path, sizeof path, "%s/user.reg", prefix);
	char *reg = NULL;
	size_t len = 0;
	FILE *f = fopen(path, "r");
	if (!f)
		return false;
	bool found = getdelim(&reg, &len, '\0', f) > 0 && strstr(reg, text);
	fclose(f);
	free(reg);
	return found;
}

/* A process of this prefix's Wine tree (wineserver, services.exe...): its
 * environment names the prefix. 0 when there is none. */
static pid_t wine_process_of_prefix(void)
{
	char want[PATH_MAX + 16];
	snprintf(want, sizeof want, "WINEPREFIX=%s", prefix);
	DIR *d = opendir("/proc");
	pid_t found = 0;
	struct dirent *e;
	while (d && !found && (e = readdir(d))) {
		long pid = strtol(e->d_name, NULL, 10);
		char path[64], env[65536];
		snprintf(path, sizeof path, "/proc/%ld/environ", pid);
		int fd = pid > 0 ? open(path, O_RDONLY | O_CLOEXEC) : -1;
		ssize_t n = fd >= 0 ? read(fd, env, sizeof env - 1) : -1;
		if (fd >= 0)
			close(fd);
		for (ssize_t i = 0; n > 0 && i < n && !found; i += (ssize_t)strlen(env + i) + 1) {
			env[n] = '\0';
			if (strcmp(env + i, want) == 0 && th_alive((pid_t)pid))
				found = (pid_t)pid;
		}
	}
	if (d)
		closedir(d);
	return found;
}

static void status_passes_through_after_wineserver_is_gone(void)
{
	struct th_result r;
	th_run(&r, NULL, "run", "--base", base.path, "--name", "exit3", "--", "wine", "cmd", "/c",
	       "exit", "3", NULL);
	cr_expect_eq(r.code, 3, "exit %d: %s", r.code, r.err);
	/* wineserver lingers after its last client (~3 s): umucg returned only
	 * once it was gone, with the rest of the tree. */
	pid_t left = wine_process_of_prefix();
	cr_expect_eq(left, 0, "umucg returned after %.2f s with pid %d of the Wine tree alive",
		     r.seconds, (int)left);
	th_result_free(&r);
}

/* A registry write, then CMD exits: the rest (wineserver...) is ended at
 * once with SIGTERM first, so the write is saved; a SIGKILL would lose it
 * (wineserver saves on exit, or every 30 s). */
static void ends_with_sigterm_first(const char *opt, const char *value)
{
	char nonce[64], key[128];
	snprintf(nonce, sizeof nonce, "umucg-%ld-%d", (long)time(NULL), (int)getpid());
	snprintf(key, sizeof key, "HKCU\\Software\\umucg-test-%s", opt + 2);
	const char *args[24] = { "run", "--base", base.path, "--name", "reg", "--grace", "5", opt };
	size_t n = 8;
	if (value)
		args[n++] = value;
	const char *rest[] = { "--", "wine", "reg", "add", key, "/v", "run", "/d", nonce, "/f", NULL };
	for (size_t i = 0; rest[i]; i++)
		args[n++] = rest[i];
	args[n] = NULL;
	struct th_proc p;
	struct th_result r;
	th_start(&p, NULL, args);
	th_finish(&p, &r);
	cr_expect_eq(r.code, 0, "%s: exit %d: %s", opt, r.code, r.err);
	cr_expect(registry_has(nonce), "%s: the registry write was lost: wineserver got no SIGTERM "
		  "(or did not get to save)", opt);
	th_result_free(&r);
}

static int count_exe(const char *name)
{
	char *procs = th_group_read(&base, name, "cgroup.procs");
	int n = 0;
	for (char *p = procs; p && *p;) {
		char *end;
		long pid = strtol(p, &end, 10);
		if (end == p)
			break;
		char path[64], comm[64] = "";
		snprintf(path, sizeof path, "/proc/%ld/comm", pid);
		FILE *f = fopen(path, "r");
		if (f && fgets(comm, sizeof comm, f) && strstr(comm, ".exe"))
			n++;
		if (f)
			fclose(f);
		p = end + strspn(end, "\n");
	}
	free(procs);
	return n;
}

/* Steam's Stop during a running Wine program: the whole Wine tree ends
 * (the program, wineserver, services.exe, winedevice.exe...). */
static void stop_ends_the_whole_wine_tree(void)
{
	const char *args[] = { "run", "--base", base.path, "--name", "ping", "--", "wine", "cmd",
			       "/c", "ping", "-n", "60", "127.0.0.1", NULL };
	struct th_proc p;
	struct th_run_opts o = { .timeout = 180 };
	th_start(&p, &o, args);
	double end = th_now() + 120; /* one CI run under load: 0 after 60 s */
	siginfo_t si = { 0 };
	while (count_exe("ping") < 3 && th_now() < end) {
		/* umucg ended before the tree was up: say how, not just "0". */
		if (waitid(P_PIDFD, p.pidfd, &si, WEXITED | WNOHANG | WNOWAIT) == 0 && si.si_pid)
			break;
		usleep(50 * 1000);
	}
	int exes = count_exe("ping");
	if (exes < 3) {
		struct th_result early;
		th_finish(&p, &early);
		cr_assert_fail("the Wine tree did not come up: %d .exe processes after %.1f s; "
			       "umucg exit %d: %s", exes, early.seconds, early.code, early.err);
	}
	struct th_result r;
	th_run(&r, NULL, "stop", "--base", base.path, "--grace", "3", "ping", NULL);
	cr_expect_eq(r.code, 0, "stop: exit %d: %s", r.code, r.err);
	th_result_free(&r);
	struct th_result run;
	th_finish(&p, &run);
	cr_expect_neq(run.code, 125, "run: %s", run.err);
	cr_expect(!th_group_exists(&base, "ping"), "the group is still there");
	th_result_free(&run);
}

/* One test, one scenario after the other: Wine runs one wineserver per
 * prefix, and tests run side by side would share it (and its lingering). */
Test(wine, a_real_wine_tree)
{
	status_passes_through_after_wineserver_is_gone();
	ends_with_sigterm_first("--kill-on-exit", NULL);
	ends_with_sigterm_first("--linger", "0.5");
	stop_ends_the_whole_wine_tree();
	th_end(&base);
}
