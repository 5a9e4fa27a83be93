/* test_confine.c - confinement: every path umucg opens stays beneath its
 * directory fd, follows no symlink and crosses no mount, with openat2 and
 * with the component-walk fallback (forced, and on a kernel without openat2
 * emulated by seccomp); --base and names that point elsewhere are refused. */
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/openat2.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "helpers.h"
#include "umucg.h"
#include "internal.h"

#ifndef SYS_openat2
#define SYS_openat2 437
#endif

static struct th_base base;
static char scratch[PATH_MAX]; /* a tmpfs/disk directory, outside cgroupfs */

static void setup(void)
{
	th_base_make(&base);
	snprintf(scratch, sizeof scratch, "/tmp/umucg-confine-XXXXXX");
	cr_assert_not_null(mkdtemp(scratch));
}

static void rm_scratch(void)
{
	char cmd[PATH_MAX + 32];
	if (!scratch[0])
		return;
	umount2(scratch, MNT_DETACH); /* only mounted in private namespaces; harmless */
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", scratch);
	if (system(cmd) != 0)
		fprintf(stderr, "test_confine: could not remove %s\n", scratch);
	scratch[0] = '\0';
}

static void teardown(void)
{
	rm_scratch();
	th_base_discard(&base);
}

TestSuite(confine, .init = setup, .fini = teardown, .timeout = 60);

static const char *const modes[] = { "openat2", "walk" };

/* The resolution the library calls below use: openat2, or the component
 * walk forced with the library's internal UMUCG_BENEATH_WALK flag. */
static unsigned force_walk;

static void set_mode(const char *mode)
{
	force_walk = strcmp(mode, "walk") == 0 ? UMUCG_BENEATH_WALK : 0;
}

/* scratch/a/f, scratch/a/lf -> f, scratch/l -> a, scratch/abs -> /etc */
static void make_tree(void)
{
	char p[PATH_MAX + 16];
	snprintf(p, sizeof p, "%s/a", scratch);
	cr_assert_eq(mkdir(p, 0755), 0);
	snprintf(p, sizeof p, "%s/a/f", scratch);
	int fd = open(p, O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
	cr_assert_geq(fd, 0);
	close(fd);
	snprintf(p, sizeof p, "%s/a/lf", scratch);
	cr_assert_eq(symlink("f", p), 0);
	snprintf(p, sizeof p, "%s/l", scratch);
	cr_assert_eq(symlink("a", p), 0);
	snprintf(p, sizeof p, "%s/abs", scratch);
	cr_assert_eq(symlink("/etc", p), 0);
}

/* The refusals, as a list of (path, flags, expected result) checked by a
 * function that returns the first line that failed, so that it can run in
 * a forked child (seccomp, mount namespace) too. 0: all held. */
static int check_refusals(int dir)
{
	static const struct {
		const char *path;
		int flags;
		int want; /* 0: opens; else -errno */
	} cases[] = {
		{ "a/f", O_RDONLY, 0 },
		{ "a", O_RDONLY | O_DIRECTORY, 0 },
		{ "./a//f", O_RDONLY, 0 },
		{ "l", O_RDONLY | O_DIRECTORY, -ELOOP },
		{ "l/f", O_RDONLY, -ELOOP },
		{ "a/lf", O_RDONLY, -ELOOP },
		{ "a/lf", O_WRONLY, -ELOOP },
		{ "abs/passwd", O_RDONLY, -ELOOP },
		{ "a/../a/f", O_RDONLY, -EXDEV },
		{ "..", O_RDONLY | O_DIRECTORY, -EXDEV },
		{ "/etc/passwd", O_RDONLY, -EINVAL },
		{ "", O_RDONLY, -EINVAL },
		{ "a/missing", O_RDONLY, -ENOENT },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct umucg_error err = { 0 };
		int fd = umucg_openat_beneath(dir, cases[i].path, cases[i].flags,
					      UMUCG_BENEATH_SAME_MOUNT | force_walk, &err);
		if (fd >= 0) {
			int flags = fcntl(fd, F_GETFD);
			close(fd);
			if (cases[i].want != 0 || !(flags & FD_CLOEXEC))
				return (int)i + 1;
		} else if (fd != cases[i].want || err.code != fd || !err.msg[0]) {
			return (int)i + 1;
		}
	}
	return 0;
}

Test(confine, beneath_refuses_symlinks_dotdot_and_absolute_paths)
{
	make_tree();
	int dir = open(scratch, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	cr_assert_geq(dir, 0);
	for (size_t m = 0; m < 2; m++) {
		set_mode(modes[m]);
		int bad = check_refusals(dir);
		cr_expect_eq(bad, 0, "%s: case %d did not hold", modes[m], bad);
	}
	set_mode("openat2");
	close(dir);
}


static int wait_child(pid_t pid)
{
	int status;
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_assert(WIFEXITED(status), "child died: status %#x", status);
	return WEXITSTATUS(status);
}

Test(confine, fallback_on_a_kernel_without_openat2)
{
	make_tree();
	set_mode("openat2"); /* automatic: openat2 fails, the walk takes over */
	pid_t pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		if (!th_forbid_openat2())
			_exit(100);
		struct open_how how = { .flags = O_RDONLY };
		if (syscall(SYS_openat2, AT_FDCWD, "/", &how, sizeof how) >= 0 || errno != ENOSYS)
			_exit(101); /* the emulation did not take */
		int dir = open(scratch, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		_exit(dir < 0 ? 102 : check_refusals(dir));
	}
	int code = wait_child(pid);
	cr_assert_eq(code, 0, "without openat2: %s %d",
		     code >= 100 ? "setup step" : "case", code);
}

/* In a private mount namespace: a tmpfs on scratch/a/m is a mount point on
 * the way, which UMUCG_BENEATH_SAME_MOUNT refuses and plain beneath allows. */
Test(confine, mount_points_are_not_crossed)
{
	make_tree();
	char m[PATH_MAX + 8];
	snprintf(m, sizeof m, "%s/a/m", scratch);
	cr_assert_eq(mkdir(m, 0755), 0);
	for (size_t mode = 0; mode < 2; mode++) {
		set_mode(modes[mode]);
		pid_t pid = fork();
		cr_assert_geq(pid, 0);
		if (pid == 0) {
			if (unshare(CLONE_NEWNS) < 0 ||
			    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
			    mount("umucg-test", m, "tmpfs", 0, "size=64k") < 0)
				_exit(100);
			int dir = open(scratch, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
			int fd = umucg_openat_beneath(dir, "a/m", O_RDONLY | O_DIRECTORY,
						      UMUCG_BENEATH_SAME_MOUNT | force_walk, NULL);
			if (fd != -EXDEV)
				_exit(1);
			fd = umucg_openat_beneath(dir, "a/m", O_RDONLY | O_DIRECTORY, force_walk, NULL);
			_exit(fd >= 0 ? 0 : 2);
		}
		cr_expect_eq(wait_child(pid), 0, "%s", modes[mode]);
	}
	set_mode("openat2");
}

/* ---- the binary ------------------------------------------------------------ */

static void expect_refused(const char *what, const char *base_arg, const char *needle)
{
	for (size_t m = 0; m < 2; m++) {
		/* walk: umucg on a kernel without openat2 (seccomp says ENOSYS) */
		struct th_run_opts o = { .no_openat2 = m == 1 };
		struct th_result r;
		char arg[PATH_MAX + 16];
		snprintf(arg, sizeof arg, "--base=%s", base_arg);
		th_run(&r, &o, arg, "run", "--", "true", NULL);
		cr_expect_eq(r.code, 125, "%s (%s): exit %d: %s", what, modes[m], r.code, r.err);
		cr_expect(th_contains(r.err, needle), "%s (%s): stderr lacks '%s': %s",
			  what, modes[m], needle, r.err);
		th_result_free(&r);
		int n;
		th_base_groups(&base, &n);
		cr_expect_eq(n, 0, "%s (%s): a group was made", what, modes[m]);
	}
}

Test(confine, base_through_a_symlink_is_refused)
{
	char link[PATH_MAX + 16];
	snprintf(link, sizeof link, "%s/base-link", scratch);
	cr_assert_eq(symlink(base.path, link), 0);
	expect_refused("symlink base", link, "symbolic link");
	/* a symlink in the middle of the path too */
	char dirlink[PATH_MAX + 16], via[PATH_MAX * 2];
	snprintf(dirlink, sizeof dirlink, "%s/mount-link", scratch);
	cr_assert_eq(symlink(base.mount, dirlink), 0);
	snprintf(via, sizeof via, "%s/%s", dirlink, strrchr(base.path, '/') + 1);
	expect_refused("symlink on the way", via, "symbolic link");
	th_end(&base);
}

Test(confine, base_with_dotdot_is_refused)
{
	char up[PATH_MAX * 2];
	snprintf(up, sizeof up, "%s/../%s", base.path, strrchr(base.path, '/') + 1);
	expect_refused("..", up, "'..'");
	th_end(&base);
}

Test(confine, base_on_another_filesystem_is_refused)
{
	expect_refused("tmp dir", scratch, "cgroup2");
	expect_refused("proc", "/proc/sys", "cgroup2");
	th_end(&base);
}

/* Runs umucg --base ARG run -- true in a private mount namespace after
 * bind-mounting src onto dst; returns its exit code, stderr in err. */
static int run_with_bind(const char *src, const char *dst, const char *base_arg,
			 char *err, size_t cap)
{
	int pipefd[2];
	cr_assert_eq(pipe2(pipefd, O_CLOEXEC), 0);
	pid_t pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		if (unshare(CLONE_NEWNS) < 0 ||
		    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
		    mount(src, dst, NULL, MS_BIND, NULL) < 0)
			_exit(100);
		dup2(pipefd[1], 2);
		char arg[PATH_MAX + 16];
		snprintf(arg, sizeof arg, "--base=%s", base_arg);
		execl(getenv("UMUCG_BIN"), "umucg", arg, "run", "--", "true", (char *)NULL);
		_exit(101);
	}
	close(pipefd[1]);
	size_t len = 0;
	ssize_t n;
	while ((n = read(pipefd[0], err + len, cap - 1 - len)) > 0)
		len += (size_t)n;
	err[len] = '\0';
	close(pipefd[0]);
	return wait_child(pid);
}

Test(confine, base_through_a_bind_mount_is_refused)
{
	cr_assert_not_null(getenv("UMUCG_BIN"));
	/* a cgroup2 directory bound outside the hierarchy */
	char dst[PATH_MAX + 16], err[4096];
	snprintf(dst, sizeof dst, "%s/bound", scratch);
	cr_assert_eq(mkdir(dst, 0755), 0);
	int code = run_with_bind(base.path, dst, dst, err, sizeof err);
	cr_expect_eq(code, 125, "bind mount outside: exit %d: %s", code, err);
	cr_expect(th_contains(err, "not beneath the cgroup2 mount"), "%s", err);

	/* a cgroup2 directory bound over another one inside the hierarchy */
	char inner[PATH_MAX + 16], other[PATH_MAX + 16];
	snprintf(inner, sizeof inner, "%s/inner", base.path);
	snprintf(other, sizeof other, "%s/other", base.path);
	cr_assert_eq(mkdir(inner, 0755), 0);
	cr_assert_eq(mkdir(other, 0755), 0);
	code = run_with_bind(other, inner, inner, err, sizeof err);
	cr_expect_eq(code, 125, "bind mount inside: exit %d: %s", code, err);
	cr_expect(th_contains(err, "mount point"), "%s", err);
	cr_expect_eq(th_group_nprocs(&base, "inner"), 0);
	cr_expect_eq(th_group_nprocs(&base, "other"), 0);
	cr_assert_eq(rmdir(inner), 0);
	cr_assert_eq(rmdir(other), 0);
	th_end(&base);
}

Test(confine, names_that_leave_the_base_are_refused)
{
	static const char *const names[] = {
		"..", ".", "../escape", "a/b", "/abs", "cgroup.procs", "",
	};
	for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
		struct th_result r;
		char arg[PATH_MAX + 16];
		snprintf(arg, sizeof arg, "--base=%s", base.path);
		th_run(&r, NULL, arg, "run", "--name", names[i], "--", "true", NULL);
		cr_expect_eq(r.code, 125, "--name '%s': exit %d: %s", names[i], r.code, r.err);
		th_result_free(&r);
	}
	/* the base's own interface file is untouched and nothing was made */
	char *procs = th_group_read(&base, "", "cgroup.procs");
	cr_expect(procs && procs[0] == '\0', "base cgroup.procs: %s", procs ? procs : "(unreadable)");
	free(procs);
	th_end(&base);
}
