/* test_wait.c - the library's one cgroup.events wait (cgroup_events_wait),
 * which stop, freeze and the freeze-and-kill fallback share: one value or
 * any of several, a timeout naming the key, an unknown key, a group removed
 * meanwhile; each checked against what this test does to the kernel's own
 * files (cgroup.procs, cgroup.freeze). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "helpers.h"
#include "internal.h"

static struct th_base base;

static void setup(void)
{
	th_base_make(&base);
}

static void teardown(void)
{
	th_base_discard(&base);
}

TestSuite(wait, .init = setup, .fini = teardown, .timeout = 30);

/* Writes s to base/name/file, asserted. */
static void write_file(const char *name, const char *file, const char *s)
{
	char path[PATH_MAX * 2];
	snprintf(path, sizeof path, "%s/%s/%s", base.path, name, file);
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	cr_assert(fd >= 0, "%s: %s", path, strerror(errno));
	cr_assert_eq(write(fd, s, strlen(s)), (ssize_t)strlen(s), "%s: %s", path, strerror(errno));
	close(fd);
}

/* A group "g" holding one sleeping child; returns its directory fd. */
static int group_with_child(pid_t *child)
{
	cr_assert_eq(mkdirat(base.fd, "g", 0755), 0, "mkdir g: %s", strerror(errno));
	*child = fork();
	cr_assert(*child >= 0);
	if (*child == 0) {
		pause();
		_exit(0);
	}
	char pid[32];
	snprintf(pid, sizeof pid, "%d", (int)*child);
	write_file("g", "cgroup.procs", pid);
	int fd = openat(base.fd, "g", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	cr_assert(fd >= 0);
	return fd;
}

static const struct events_want frozen_or_empty[] = { { "frozen", 1 }, { "populated", 0 } };

Test(wait, any_of_several_values)
{
	pid_t child;
	int g = group_with_child(&child);
	struct umucg_error err = { 0 };
	/* neither frozen nor empty: the timeout names the first key */
	int r = cgroup_events_wait(g, frozen_or_empty, 2, 0.2, -1, &err);
	cr_expect_eq(r, -ETIMEDOUT, "%d: %s", r, err.msg);
	cr_expect(th_contains(err.msg, "'frozen' is still 0"), "%s", err.msg);
	if (faccessat(g, "cgroup.freeze", F_OK, 0) == 0) {
		/* the first of them */
		write_file("g", "cgroup.freeze", "1");
		cr_expect_eq(cgroup_events_wait(g, frozen_or_empty, 2, 5, -1, &err), 0, "%s", err.msg);
		write_file("g", "cgroup.freeze", "0");
		const struct events_want thawed = { "frozen", 0 };
		cr_expect_eq(cgroup_events_wait(g, &thawed, 1, 5, -1, &err), 0, "%s", err.msg);
	} else {
		cr_log_warn("SKIPPED (part): no cgroup.freeze on this kernel");
	}
	/* the second of them, without a timeout */
	kill(child, SIGKILL);
	cr_assert_eq(waitpid(child, NULL, 0), child);
	cr_expect_eq(cgroup_events_wait(g, frozen_or_empty, 2, -1, -1, &err), 0, "%s", err.msg);
	/* a key cgroup.events does not have */
	const struct events_want bogus = { "no-such-key", 1 };
	r = cgroup_events_wait(g, &bogus, 1, 1, -1, &err);
	cr_expect_eq(r, -EOPNOTSUPP, "%d", r);
	cr_expect(th_contains(err.msg, "no 'no-such-key' key"), "%s", err.msg);
	close(g);
	cr_assert_eq(unlinkat(base.fd, "g", AT_REMOVEDIR), 0);
	th_end(&base);
}

/* A group removed while held: populated 0 holds for good, anything else
 * fails at once instead of waiting out the timeout. */
Test(wait, a_removed_group)
{
	cr_assert_eq(mkdirat(base.fd, "g", 0755), 0);
	int g = openat(base.fd, "g", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	cr_assert(g >= 0);
	cr_assert_eq(unlinkat(base.fd, "g", AT_REMOVEDIR), 0);
	struct umucg_error err = { 0 };
	cr_expect_eq(cgroup_events_wait(g, frozen_or_empty, 2, 5, -1, &err), 0, "%s", err.msg);
	const struct events_want frozen = { "frozen", 1 };
	double t0 = th_now();
	int r = cgroup_events_wait(g, &frozen, 1, 5, -1, &err);
	cr_expect_eq(r, -ENOENT, "%d: %s", r, err.msg);
	cr_expect_lt(th_now() - t0, 1.0, "waited for a removed group");
	close(g);
	th_end(&base);
}
