/* test_procfs.c - what libumucg reads from /proc: mountinfo lines (pure
 * v2, hybrid, v1, escaped mount points) and the mode of a whole table,
 * /proc/PID/cgroup texts, and the fields of /proc/PID/stat whatever the
 * process's comm holds. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "internal.h"

struct mi_case {
	const char *line;
	int want;
	const char *mountpoint;
};

Test(mountinfo, lines)
{
	const struct mi_case cases[] = {
		/* pure v2 (systemd distros, and OpenRC's "unified" mode) */
		{ "29 23 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot\n",
		  1, "/sys/fs/cgroup" },
		/* hybrid: v2 at unified, v1 controllers beside it */
		{ "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n", 1,
		  "/sys/fs/cgroup/unified" },
		{ "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n", 0, NULL },
		{ "40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime shared:9 - cgroup cgroup rw,xattr,name=systemd\n",
		  0, NULL },
		{ "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n", 0, NULL },
		/* a v1 mount whose source is called cgroup2 is still v1 */
		{ "50 23 0:40 / /mnt/x rw - cgroup cgroup2 rw,pids\n", 0, NULL },
		{ "50 23 0:40 / /mnt/x rw - cgroup2x none rw\n", 0, NULL },
		{ "50 23 0:40 / /mnt/x rw - cgroup none rw\n", 0, NULL },
		/* no optional fields, several optional fields, no newline */
		{ "7 1 0:5 / /cg rw - cgroup2 none rw", 1, "/cg" },
		{ "7 1 0:5 / /cg rw shared:1 master:2 propagate_from:3 unbindable - cgroup2 none rw\n", 1,
		  "/cg" },
		/* the kernel escapes space, tab, newline and backslash in octal */
		{ "50 23 0:40 / /mnt/my\\040cgroup\\011dir rw - cgroup2 none rw\n", 1, "/mnt/my cgroup\tdir" },
		{ "50 23 0:40 / /mnt/back\\134slash\\012nl rw - cgroup2 none rw\n", 1, "/mnt/back\\slash\nnl" },
		/* a container's view: the root field is not the mount point */
		{ "1200 1100 0:26 /user.slice/x /sys/fs/cgroup ro,nosuid - cgroup2 cgroup2 rw\n", 1,
		  "/sys/fs/cgroup" },
		/* a backslash that is no escape stays */
		{ "50 23 0:40 / /mnt/a\\9b rw - cgroup2 none rw\n", 1, "/mnt/a\\9b" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char *mp = NULL;
		int r = umucg_mountinfo_parse_line(cases[i].line, &mp);
		cr_expect_eq(r, cases[i].want, "case %zu: got %d, want %d: %s", i, r, cases[i].want,
			     cases[i].line);
		if (cases[i].mountpoint)
			cr_expect(mp && strcmp(mp, cases[i].mountpoint) == 0, "case %zu: '%s', want '%s'", i,
				  mp ? mp : "(null)", cases[i].mountpoint);
		else
			cr_expect_null(mp, "case %zu: mount point set for a non-cgroup2 line", i);
		free(mp);
	}
}

Test(mountinfo, malformed_lines)
{
	const char *const bad[] = {
		"", "\n", "29", "29 23 0:26 /", "29 23 0:26 / /sys/fs/cgroup rw",
		"29 23 0:26 / /sys/fs/cgroup rw shared:4", /* no " - " */
		"29 23 0:26 / /sys/fs/cgroup rw -",        /* nothing after it */
		"29 23 0:26 / relative rw - cgroup2 cgroup2 rw",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		char *mp = NULL;
		cr_expect_eq(umucg_mountinfo_parse_line(bad[i], &mp), -EINVAL, "'%s'", bad[i]);
		cr_expect_null(mp);
	}
}

Test(mountinfo, this_machine_agrees_with_the_kernel)
{
	/* the mount found must really be a cgroup2 mount (when there is one) */
	struct umucg_error err = { 0 };
	char *mp = NULL;
	int r = umucg_cgroup2_mount(&mp, &err);
	if (r == -ENOENT)
		cr_skip_test("SKIPPED: no cgroup2 mounted here");
	cr_assert_eq(r, 0, "%s", err.msg);
	char path[4200];
	snprintf(path, sizeof path, "%s/cgroup.controllers", mp);
	cr_expect_eq(access(path, F_OK), 0, "%s is not a cgroup2 root", mp);
	free(mp);
}

/* The mode of a whole mountinfo text, split by the same reader as the
 * cgroup2 mount's. */
Test(mountinfo, cgroup_mode)
{
	static const char pure[] =
		"22 1 8:1 / / rw - ext4 /dev/sda1 rw\n"
		"29 23 0:26 / /sys/fs/cgroup rw,nosuid shared:4 - cgroup2 cgroup2 rw,nsdelegate\n";
	static const char hybrid[] =
		"31 23 0:28 / /sys/fs/cgroup rw - tmpfs tmpfs rw,mode=755\n"
		"41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n"
		"35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory";
	static const char legacy[] =
		"35 31 0:32 / /sys/fs/cgroup/memory rw shared:9 master:1 - cgroup cgroup rw,memory\n";
	/* a source or mount point called cgroup2 is no cgroup2 mount; a
	 * malformed line counts for nothing */
	static const char none[] =
		"50 23 0:40 / /mnt/cgroup2 rw - tmpfs cgroup2 rw\n"
		"51 23 0:41 / /mnt/x rw shared:1 cgroup2\n"
		"52 23 0:42 / /mnt/y rw -\n\n";
	cr_expect_eq(umucg_cgroup_mode_parse(pure), UMUCG_MODE_UNIFIED);
	cr_expect_eq(umucg_cgroup_mode_parse(hybrid), UMUCG_MODE_HYBRID);
	cr_expect_eq(umucg_cgroup_mode_parse(legacy), UMUCG_MODE_LEGACY);
	cr_expect_eq(umucg_cgroup_mode_parse(none), UMUCG_MODE_NONE);
	cr_expect_eq(umucg_cgroup_mode_parse(""), UMUCG_MODE_NONE);
}

struct pc_case {
	const char *text;
	int want;
	const char *path;
};

Test(proc_cgroup, texts)
{
	const struct pc_case cases[] = {
		{ "0::/user.slice/user-1000.slice/session-2.scope\n", 0,
		  "/user.slice/user-1000.slice/session-2.scope" },
		{ "0::/\n", 0, "/" },
		{ "0::/no/newline", 0, "/no/newline" },
		/* hybrid: the v2 line comes last */
		{ "12:memory:/foo\n11:pids:/\n1:name=systemd:/user.slice\n0::/umucg/user-1000/session-3\n", 0,
		  "/umucg/user-1000/session-3" },
		/* v1 lines that look like the v2 one */
		{ "10:pids:/x\n0::/real\n", 0, "/real" },
		{ "1:name=systemd:/\n0::/a b/c\td\n", 0, "/a b/c\td" },
		{ "12:memory:/foo\n1:name=systemd:/\n", -ENOENT, NULL },
		{ "", -ENOENT, NULL },
		{ "0::\n", -EINVAL, NULL },
		{ "0::relative\n", -EINVAL, NULL },
		/* the kernel marks a removed cgroup: no place to make groups */
		{ "0::/gone (deleted)\n", -EINVAL, NULL },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char *path = NULL;
		int r = umucg_proc_cgroup_parse(cases[i].text, &path);
		cr_expect_eq(r, cases[i].want, "case %zu: got %d, want %d", i, r, cases[i].want);
		if (cases[i].path)
			cr_expect(path && strcmp(path, cases[i].path) == 0, "case %zu: '%s', want '%s'", i,
				  path ? path : "(null)", cases[i].path);
		else
			cr_expect_null(path, "case %zu: got '%s'", i, path);
		free(path);
	}
}

Test(proc_stat, fields_whatever_comm_holds)
{
	const char *const comms[] = {
		"sleep", "my game", "a) b (c", ")", "((", ") 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 (",
		"wine64-preload", "",
	};
	for (size_t i = 0; i < sizeof comms / sizeof *comms; i++) {
		char text[512];
		snprintf(text, sizeof text,
			 "1234 (%s) S 1 1234 1234 34816 2097152 4194304 100 0 0 0 0 0 0 0 20 0 1 0 "
			 "98765 8192000 200 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0\n",
			 comms[i]);
		/* (a tpgid, field 8, with the PF_KTHREAD bit: only field 9 counts) */
		struct proc_stat ps;
		cr_expect_eq(umucg_proc_stat_parse(text, &ps), 0, "comm '%s'", comms[i]);
		cr_expect_eq(ps.starttime, 98765, "comm '%s': starttime %llu", comms[i], ps.starttime);
		cr_expect_str_eq(ps.comm, comms[i]);
		cr_expect_eq(ps.state, 'S', "comm '%s': state %c", comms[i], ps.state);
		cr_expect_eq(ps.ppid, 1, "comm '%s': ppid %d", comms[i], (int)ps.ppid);
		cr_expect(ps.kthread == false, "comm '%s': flags 4194304 has no PF_KTHREAD", comms[i]);
	}
	/* a kernel thread: PF_KTHREAD (0x00200000) in the flags, field 9 */
	struct proc_stat ps;
	cr_assert_eq(umucg_proc_stat_parse("2 (kthreadd) S 0 0 0 0 -1 2129984 0 0 0 0 0 0 0 0 20 0 "
					   "1 0 3 0 0 18446744073709551615 0 0 0 0 0 0 0 2147483647 "
					   "0 1 0 0 17 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n", &ps), 0);
	cr_expect(ps.kthread && ps.ppid == 0 && ps.starttime == 3 && ps.state == 'S');
}

Test(proc_stat, malformed)
{
	const char *const bad[] = {
		"", "1234 sleep S 1", "1234 (sleep) S 1 2 3", "1234 (sleep)", "1234 (sleep)S 1",
		"1234 (sleep) SS 1 1234 1234 34816 1234 4194304 100 0 0 0 0 0 0 0 20 0 1 0 98765 1",
		"1234 (sleep) S x 1234 1234 34816 1234 4194304 100 0 0 0 0 0 0 0 20 0 1 0 98765 1",
		"1234 (sleep) S 1 1234 1234 34816 1234 4194304 100 0 0 0 0 0 0 0 20 0 1 0 ",
		"1234 (sleep) S 1 1234 1234 34816 1234 4194304 100 0 0 0 0 0 0 0 20 0 1 0 x 1",
		"1234 (sleep) S 1 1234 1234 34816 1234 4194304 100 0 0 0 0 0 0 0 20 0 1 0 98765x 1",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		struct proc_stat ps = { .starttime = 7 };
		cr_expect_lt(umucg_proc_stat_parse(bad[i], &ps), 0, "'%s'", bad[i]);
		cr_expect_eq(ps.starttime, 7);
	}
}

/* The field read independently: the 20th after the last ')' . */
static unsigned long long oracle_starttime(void)
{
	FILE *f = fopen("/proc/self/stat", "re");
	cr_assert(f);
	char buf[1024];
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	char *p = strrchr(buf, ')') + 2;
	for (int field = 3; field < 22; field++)
		p = strchr(p, ' ') + 1;
	return strtoull(p, NULL, 10);
}

Test(proc_stat, a_live_process_renamed_to_a_hostile_comm)
{
	unsigned long long want = oracle_starttime(), got = 0;
	cr_assert_eq(prctl(PR_SET_NAME, "x) R 1 2 (y", 0, 0, 0), 0);
	cr_expect_eq(umucg_proc_starttime(getpid(), &got), 0);
	cr_expect_eq(got, want, "starttime %llu, want %llu", got, want);
	cr_expect_lt(umucg_proc_starttime(0x3fffffff, &got), 0, "a pid that cannot exist");
}

/* /proc/locks: the holder of an flock on one inode, for the message of a
 * base lock held too long; waiters ("->") and other inodes are not it. */
Test(proc_locks, holder_of_an_inode)
{
	const char *text =
		"1: POSIX  ADVISORY  WRITE 812 00:1a:4711 0 EOF\n"
		"2: FLOCK  ADVISORY  WRITE 9001 00:26:140150 0 EOF\n"
		"2: -> FLOCK  ADVISORY  WRITE 9002 00:26:140150 0 EOF\n"
		"3: FLOCK  ADVISORY  READ 77 fd:01:140150 0 EOF\n"
		"4: OFDLCK ADVISORY  READ -1 00:26:99 0 EOF\n";
	pid_t pid = 0;
	bool excl = false;
	cr_expect_eq(umucg_proc_locks_holder(text, 0, 0x26, 140150, &pid, &excl), 0);
	cr_expect_eq(pid, 9001);
	cr_expect(excl);
	cr_expect_eq(umucg_proc_locks_holder(text, 0xfd, 1, 140150, &pid, &excl), 0);
	cr_expect_eq(pid, 77);
	cr_expect(!excl);
	cr_expect_eq(umucg_proc_locks_holder(text, 0, 0x26, 99, &pid, &excl), 0);
	cr_expect_eq(pid, -1, "an OFD lock has no pid: %d", (int)pid);
	cr_expect_eq(umucg_proc_locks_holder(text, 0, 0x26, 1, &pid, &excl), -ENOENT);
	cr_expect_eq(umucg_proc_locks_holder("", 0, 0, 0, &pid, &excl), -ENOENT);
	cr_expect_eq(umucg_proc_locks_holder("garbage\n\n3: FLOCK", 0, 0, 0, &pid, &excl), -ENOENT);
}
