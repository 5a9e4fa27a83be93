/* test_usage.c - what a group used, read from interface files the test
 * writes itself (a directory that looks like a cgroup, so every kernel
 * text and every absence can be tried on any machine): CPU lists, io.stat,
 * pressure files, umucg_group_usage's figures and absences, the peaks
 * sampled where the kernel keeps none, why processes died, --cpus checked
 * against cpuset.cpus.effective, and the JSON number writer. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "umucg.h"
#include "parsers.h"

/* ---- CPU lists --------------------------------------------------------- */

static const char *canonical(const char *in, char *out, size_t cap)
{
	uint64_t bits[UMUCG_CPUSET_WORDS];
	const char *bad = NULL;
	int r = umucg_cpulist_parse(in, bits, &bad);
	cr_assert_eq(r, 0, "'%s' refused (%d) at '%s'", in, r, bad ? bad : "");
	cr_assert_geq(umucg_cpulist_format(bits, out, cap), 0);
	return out;
}

Test(cpulist, parses_and_writes_the_canonical_form)
{
	const char *const cases[][2] = {
		{ "0", "0" }, { "0-7", "0-7" }, { "0-7,16-23", "0-7,16-23" },
		{ "3,2,1,0", "0-3" }, { "0-3,2-5", "0-5" }, { "5-5", "5" }, { "1,3,5", "1,3,5" },
		{ "0-1\n", "0-1" }, { "\n", "" }, { "", "" }, { "8191", "8191" },
		{ "0,8190-8191", "0,8190-8191" }, { "007", "7" },
	};
	char out[UMUCG_CPUS_LEN];
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
		cr_expect_str_eq(canonical(cases[i][0], out, sizeof out), cases[i][1], "'%s'",
				 cases[i][0]);
}

Test(cpulist, refuses_bad_syntax_and_says_where)
{
	const char *const bad[] = { "x", "-1", "1-", "3-1", "0,", ",0", "0,,1", "0 1", " 0", "0-1-2",
				    "1\n2", "0x1", "1.5", "0;1" };
	uint64_t bits[UMUCG_CPUSET_WORDS];
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		const char *at = NULL;
		cr_expect_eq(umucg_cpulist_parse(bad[i], bits, &at), -EINVAL, "'%s' accepted", bad[i]);
		cr_expect(at && at >= bad[i] && at <= bad[i] + strlen(bad[i]), "'%s': no place", bad[i]);
	}
	cr_expect_eq(umucg_cpulist_parse("8192", bits, NULL), -ERANGE);
	cr_expect_eq(umucg_cpulist_parse("0-99999999999999999999", bits, NULL), -ERANGE);
	/* a list too long for the buffer is refused, not cut */
	cr_assert_eq(umucg_cpulist_parse("0,2,4,6,8,10,12", bits, NULL), 0);
	char small[8];
	cr_expect_eq(umucg_cpulist_format(bits, small, sizeof small), -ENOSPC);
}

Test(cpulist, the_option_keeps_the_canonical_form_and_max)
{
	struct umucg_limits l = { 0 };
	struct umucg_error err = { 0 };
	cr_assert_eq(umucg_limits_parse_option(&l, "cpus", "7,0-3,4", &err), 0);
	cr_expect_str_eq(l.cpus, "0-4,7");
	cr_expect_eq(l.set, UMUCG_LIMIT_CPUS);
	cr_assert_eq(umucg_limits_parse_option(&l, "cpus", "MAX", &err), 0);
	cr_expect_str_eq(l.cpus, "");
	const char *const bad[] = { "", "1-0", "a", "0\n", "0,", "8192" };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		struct umucg_limits m = { 0 };
		memset(&err, 0, sizeof err);
		cr_expect_lt(umucg_limits_parse_option(&m, "cpus", bad[i], &err), 0, "'%s'", bad[i]);
		cr_expect(strstr(err.msg, "--cpus"), "'%s': %s", bad[i], err.msg);
		cr_expect_eq(m.set, 0);
	}
	cr_assert_eq(umucg_limits_parse_option(&l, "mem-low", "1.5G", &err), 0);
	cr_expect_eq(l.mem_low, 1610612736ULL);
	cr_expect(l.set & UMUCG_LIMIT_MEM_LOW);
	cr_expect_lt(umucg_limits_parse_option(&l, "mem-low", "-1", &err), 0);
	cr_expect(strstr(err.msg, "--mem-low"), "%s", err.msg);
}

/* ---- kernel texts -------------------------------------------------------- */

Test(texts, io_stat_is_summed_over_devices)
{
	uint64_t r, w;
	umucg_io_stat_parse("8:0 rbytes=1000 wbytes=20 rios=3 wios=1 dbytes=0 dios=0\n"
			    "253:1 rbytes=24 wbytes=5 rios=1 wios=1 dbytes=7 dios=1\n", &r, &w);
	cr_expect_eq(r, 1024);
	cr_expect_eq(w, 25);
	umucg_io_stat_parse("", &r, &w);
	cr_expect_eq(r, 0);
	cr_expect_eq(w, 0);
	/* dbytes= and a key merely ending in "rbytes" are not read bytes */
	umucg_io_stat_parse("8:0 xrbytes=5 dbytes=9 rbytes=1\n", &r, &w);
	cr_expect_eq(r, 1);
}

Test(texts, pressure_lines)
{
	struct umucg_pressure p;
	cr_assert_eq(umucg_pressure_parse("some avg10=1.50 avg60=0.20 avg300=0.00 total=123456\n"
					  "full avg10=0.07 avg60=0.00 avg300=0.00 total=789\n", &p), 0);
	cr_expect(p.present);
	cr_expect(p.full_present);
	cr_expect_float_eq(p.some_avg10, 1.5, 1e-9);
	cr_expect_float_eq(p.full_avg10, 0.07, 1e-9);
	cr_expect_eq(p.some_total_usec, 123456);
	cr_expect_eq(p.full_total_usec, 789);
	/* cpu.pressure before 5.13: no "full" line */
	cr_assert_eq(umucg_pressure_parse("some avg10=100.00 avg60=0.00 avg300=0.00 total=5\n", &p), 0);
	cr_expect(!p.full_present);
	cr_expect_float_eq(p.some_avg10, 100.0, 1e-9);
	const char *const bad[] = { "", "full avg10=0.00 avg60=0.00 avg300=0.00 total=0\n",
				    "some avg10=x avg60=0.00 avg300=0.00 total=0\n", "some total=5\n",
				    "some avg10=1.00\ntotal=5\n" };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		cr_expect_eq(umucg_pressure_parse(bad[i], &p), -EINVAL, "'%s' accepted", bad[i]);
		cr_expect(!p.present);
	}
}

/* ---- a fake group -------------------------------------------------------- */

static char dir[64];
static int dir_fd = -1;

static void fake_make(void)
{
	snprintf(dir, sizeof dir, "/tmp/umucg-test-usage-XXXXXX");
	cr_assert(mkdtemp(dir));
	dir_fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	cr_assert_geq(dir_fd, 0);
}

static void fake_remove(void)
{
	char cmd[128];
	if (dir_fd >= 0)
		close(dir_fd);
	dir_fd = -1;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (dir[0] && system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", dir);
}

static void fake_file(const char *name, const char *text)
{
	int fd = openat(dir_fd, name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	cr_assert_geq(fd, 0, "%s", name);
	cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

TestSuite(usage, .init = fake_make, .fini = fake_remove);

static void full_group(void)
{
	fake_file("cgroup.procs", "");
	fake_file("cpu.stat", "usage_usec 3000\nuser_usec 2000\nsystem_usec 1000\nnr_periods 0\n");
	fake_file("memory.current", "1048576\n");
	fake_file("memory.peak", "33554432\n");
	fake_file("memory.high", "max\n");
	fake_file("memory.max", "33554432\n");
	fake_file("memory.swap.max", "0\n");
	fake_file("memory.events", "low 0\nhigh 4\nmax 90\noom 2\noom_kill 2\noom_group_kill 0\n");
	fake_file("pids.current", "3\n");
	fake_file("pids.peak", "20\n");
	fake_file("pids.max", "20\n");
	fake_file("pids.events", "max 7\n");
	fake_file("io.stat", "8:0 rbytes=4096 wbytes=512 rios=1 wios=1 dbytes=0 dios=0\n");
	fake_file("cpu.pressure", "some avg10=2.00 avg60=0.00 avg300=0.00 total=42\n");
	fake_file("memory.pressure", "some avg10=0.00 avg60=0.00 avg300=0.00 total=7\n"
				     "full avg10=0.00 avg60=0.00 avg300=0.00 total=3\n");
}

Test(usage, every_figure_is_read)
{
	full_group();
	struct umucg_usage u = { 0 };
	struct umucg_error err = { 0 };
	cr_assert_eq(umucg_group_usage(dir_fd, UMUCG_USAGE_ALL, &u, &err), 0, "%s", err.msg);
	cr_expect_eq(u.read, UMUCG_USAGE_ALL);
	cr_expect(u.cpu_usec.present && u.cpu_usec.value == 3000);
	cr_expect(u.cpu_user_usec.present && u.cpu_user_usec.value == 2000);
	cr_expect(u.cpu_system_usec.present && u.cpu_system_usec.value == 1000);
	cr_expect(u.memory_current.present && u.memory_current.value == 1048576);
	cr_expect(u.memory_peak.present && u.memory_peak.value == 33554432 && !u.memory_peak_sampled);
	cr_expect(u.memory_high.present && u.memory_high.value == UMUCG_UNLIMITED);
	cr_expect(u.memory_max.present && u.memory_max.value == 33554432);
	cr_expect(u.swap_max.present && u.swap_max.value == 0);
	cr_expect(u.oom_kill.present && u.oom_kill.value == 2);
	cr_expect(u.oom_group_kill.present && u.oom_group_kill.value == 0);
	cr_expect(u.memory_high_events.present && u.memory_high_events.value == 4);
	cr_expect(u.memory_max_events.present && u.memory_max_events.value == 90);
	cr_expect(u.pids_current.present && u.pids_current.value == 3);
	cr_expect(u.pids_peak.present && u.pids_peak.value == 20);
	cr_expect(u.pids_max.present && u.pids_max.value == 20);
	cr_expect(u.pids_max_events.present && u.pids_max_events.value == 7);
	cr_expect(u.io_read_bytes.present && u.io_read_bytes.value == 4096);
	cr_expect(u.io_write_bytes.present && u.io_write_bytes.value == 512);
	cr_expect(u.pressure[UMUCG_PSI_CPU].present && !u.pressure[UMUCG_PSI_CPU].full_present);
	cr_expect_eq(u.pressure[UMUCG_PSI_CPU].some_total_usec, 42);
	cr_expect(u.pressure[UMUCG_PSI_MEMORY].full_present);
	cr_expect_eq(u.pressure[UMUCG_PSI_MEMORY].full_total_usec, 3);
	cr_expect(!u.pressure[UMUCG_PSI_IO].present, "no io.pressure file, yet present");
}

Test(usage, absent_is_not_zero)
{
	/* A group on a hybrid host: cpu.stat and nothing of memory, pids or io. */
	fake_file("cgroup.procs", "");
	fake_file("cpu.stat", "usage_usec 0\nuser_usec 0\nsystem_usec 0\n");
	struct umucg_usage u;
	memset(&u, 0, sizeof u);
	cr_assert_eq(umucg_group_usage(dir_fd, UMUCG_USAGE_ALL, &u, NULL), 0);
	cr_expect(u.cpu_usec.present && u.cpu_usec.value == 0, "a zero cpu.stat is present");
	cr_expect(!u.memory_current.present && !u.memory_peak.present && !u.memory_max.present);
	cr_expect(!u.oom_kill.present && !u.pids_max_events.present && !u.pids_peak.present);
	cr_expect(!u.io_read_bytes.present && !u.io_write_bytes.present);
	for (int i = 0; i < UMUCG_PSI_COUNT; i++)
		cr_expect(!u.pressure[i].present);
	/* what 0 reads nothing, and a figure not asked for is absent */
	cr_assert_eq(umucg_group_usage(dir_fd, 0, &u, NULL), 0);
	cr_expect(!u.cpu_usec.present);
	full_group();
	cr_assert_eq(umucg_group_usage(dir_fd, UMUCG_USAGE_PRESSURE, &u, NULL), 0);
	cr_expect(!u.cpu_usec.present && !u.memory_peak.present && u.pressure[UMUCG_PSI_CPU].present);
	/* an empty io.stat (the io controller, no IO yet) is zero, present */
	fake_file("io.stat", "");
	cr_assert_eq(umucg_group_usage(dir_fd, UMUCG_USAGE_IO, &u, NULL), 0);
	cr_expect(u.io_read_bytes.present && u.io_read_bytes.value == 0);
}

Test(usage, the_cheap_end_of_run_check_reads_limits_only_after_a_kill)
{
	full_group();
	struct umucg_usage u = { 0 };
	cr_assert_eq(umucg_group_usage(dir_fd, UMUCG_USAGE_MEMORY_EVENTS | UMUCG_USAGE_PIDS_EVENTS, &u,
				       NULL), 0);
	cr_expect(u.oom_kill.present && u.memory_max.present && u.memory_peak.present);
	cr_expect(u.pids_max.present && u.pids_peak.present);
	cr_expect(!u.memory_current.present && !u.pids_current.present && !u.cpu_usec.present);
	/* nothing happened: memory.events and pids.events only */
	fake_file("memory.events", "low 0\nhigh 0\nmax 0\noom 0\noom_kill 0\noom_group_kill 0\n");
	fake_file("pids.events", "max 0\n");
	cr_assert_eq(umucg_group_usage(dir_fd, UMUCG_USAGE_MEMORY_EVENTS | UMUCG_USAGE_PIDS_EVENTS, &u,
				       NULL), 0);
	cr_expect(u.oom_kill.present && !u.memory_max.present && !u.memory_peak.present);
	cr_expect(u.pids_max_events.present && !u.pids_max.present && !u.pids_peak.present);
	struct umucg_limit_hit hit;
	cr_expect(!umucg_usage_limit_hit(NULL, &u, &hit));
}

Test(usage, a_removed_group_is_an_error)
{
	/* no cgroup.procs: what a removed cgroup's directory fd shows */
	struct umucg_usage u = { 0 };
	struct umucg_error err = { 0 };
	cr_expect_eq(umucg_group_usage(dir_fd, UMUCG_USAGE_ALL, &u, &err), -ENOENT);
	cr_expect(err.msg[0]);
	cr_expect_eq(umucg_usage_sample(dir_fd, &u, &err), -ENOENT);
}

Test(usage, peaks_are_sampled_where_the_kernel_keeps_none)
{
	fake_file("cgroup.procs", "");
	fake_file("memory.current", "1000\n");
	fake_file("pids.current", "4\n");
	struct umucg_usage u = { 0 };
	cr_assert_eq(umucg_group_usage(dir_fd, UMUCG_USAGE_MEMORY | UMUCG_USAGE_PIDS, &u, NULL), 0);
	cr_expect(!u.memory_peak.present, "no memory.peak and no sample: absent");
	cr_assert_eq(umucg_usage_sample(dir_fd, &u, NULL), 0);
	fake_file("memory.current", "5000\n");
	fake_file("pids.current", "9\n");
	cr_assert_eq(umucg_usage_sample(dir_fd, &u, NULL), 0);
	fake_file("memory.current", "2000\n");
	fake_file("pids.current", "1\n");
	cr_assert_eq(umucg_usage_sample(dir_fd, &u, NULL), 0);
	cr_expect_eq(u.memory_peak.value, 5000);
	cr_expect_eq(u.pids_peak.value, 9);
	/* the final reading keeps the samples, and counts as one */
	fake_file("memory.current", "7000\n");
	cr_assert_eq(umucg_group_usage(dir_fd, UMUCG_USAGE_ALL, &u, NULL), 0);
	cr_expect(u.memory_peak.present && u.memory_peak_sampled);
	cr_expect_eq(u.memory_peak.value, 7000);
	cr_expect(u.pids_peak.present && u.pids_peak_sampled);
	cr_expect_eq(u.pids_peak.value, 9);
	/* where the kernel has the peak, it wins over the samples */
	fake_file("memory.peak", "6000\n");
	cr_assert_eq(umucg_group_usage(dir_fd, UMUCG_USAGE_ALL, &u, NULL), 0);
	cr_expect(u.memory_peak.present && !u.memory_peak_sampled);
	cr_expect_eq(u.memory_peak.value, 6000);
}

/* ---- why it died --------------------------------------------------------- */

static struct umucg_figure fig(uint64_t v)
{
	return (struct umucg_figure){ .present = true, .value = v };
}

Test(limit_hit, names_the_limit_and_counts_what_rose)
{
	struct umucg_usage after = { 0 }, before = { 0 };
	struct umucg_limit_hit hit;
	after.oom_kill = fig(2);
	after.oom_group_kill = fig(0);
	after.memory_max = fig(32 << 20);
	after.swap_max = fig(UMUCG_UNLIMITED);
	after.memory_peak = fig(32 << 20);
	after.pids_max_events = fig(0);
	cr_assert(umucg_usage_limit_hit(NULL, &after, &hit));
	cr_expect(hit.memory && !hit.pids);
	cr_expect_eq(hit.oom_kills, 2);
	cr_expect_eq(hit.memory_max, 32 << 20);
	cr_expect(!hit.swap_max.present, "a swap.max of max is not named");
	cr_expect(hit.memory_peak.present && hit.memory_peak.value == 32 << 20);
	after.swap_max = fig(0);
	cr_assert(umucg_usage_limit_hit(NULL, &after, &hit));
	cr_expect(hit.swap_max.present && hit.swap_max.value == 0);
	/* counted before the run: no rise, no hit */
	before.oom_kill = fig(2);
	cr_expect(!umucg_usage_limit_hit(&before, &after, &hit));
	before.oom_kill = fig(1);
	cr_assert(umucg_usage_limit_hit(&before, &after, &hit));
	cr_expect_eq(hit.oom_kills, 1);
	/* no memory.max of its own: the machine or an enclosing group */
	after.memory_max = fig(UMUCG_UNLIMITED);
	cr_assert(umucg_usage_limit_hit(NULL, &after, &hit));
	cr_expect_eq(hit.memory_max, UMUCG_UNLIMITED);
	/* refused forks */
	struct umucg_usage p = { 0 };
	p.pids_max_events = fig(5);
	p.pids_max = fig(20);
	p.pids_peak = fig(20);
	cr_assert(umucg_usage_limit_hit(NULL, &p, &hit));
	cr_expect(hit.pids && !hit.memory);
	cr_expect_eq(hit.forks_refused, 5);
	cr_expect_eq(hit.pids_max, 20);
	/* absent counters are no hit */
	struct umucg_usage none = { 0 };
	cr_expect(!umucg_usage_limit_hit(NULL, &none, &hit));
	cr_expect(!hit.memory && !hit.pids);
}

/* ---- --cpus against the parent ------------------------------------------ */

Test(usage, cpus_are_checked_against_the_parents_effective_cpus)
{
	struct umucg_limits l = { 0 };
	struct umucg_error err = { 0 };
	cr_assert_eq(umucg_limits_parse_option(&l, "cpus", "2-5", &err), 0);
	/* no cpuset here: said so */
	cr_expect_eq(umucg_limits_check(dir_fd, &l, &err), -ENOENT);
	cr_expect(strstr(err.msg, "cpuset.cpus.effective"), "%s", err.msg);
	fake_file("cpuset.cpus.effective", "0-3\n");
	memset(&err, 0, sizeof err);
	cr_expect_eq(umucg_limits_check(dir_fd, &l, &err), -EINVAL);
	cr_expect(strstr(err.msg, "CPUs 4-5 are not available"), "%s", err.msg);
	cr_expect(strstr(err.hint, "0-3"), "%s", err.hint);
	cr_assert_eq(umucg_limits_parse_option(&l, "cpus", "0,2,7", &err), 0);
	cr_expect_eq(umucg_limits_check(dir_fd, &l, &err), -EINVAL);
	cr_expect(strstr(err.msg, "CPU 7 is not available"), "%s", err.msg);
	cr_assert_eq(umucg_limits_parse_option(&l, "cpus", "1-3", &err), 0);
	cr_expect_eq(umucg_limits_check(dir_fd, &l, &err), 0);
	/* max, and no --cpus at all, read nothing */
	cr_assert_eq(umucg_limits_parse_option(&l, "cpus", "max", &err), 0);
	unlinkat(dir_fd, "cpuset.cpus.effective", 0);
	cr_expect_eq(umucg_limits_check(dir_fd, &l, &err), 0);
	struct umucg_limits none = { 0 };
	cr_expect_eq(umucg_limits_check(dir_fd, &none, &err), 0);
}

Test(usage, a_groups_cpus_are_read_back)
{
	char cpus[UMUCG_CPUS_LEN], eff[UMUCG_CPUS_LEN];
	cr_expect_eq(umucg_group_cpus(dir_fd, cpus, eff, sizeof cpus, NULL), -ENOENT);
	fake_file("cpuset.cpus", "\n");
	fake_file("cpuset.cpus.effective", "0-3\n");
	cr_assert_eq(umucg_group_cpus(dir_fd, cpus, eff, sizeof cpus, NULL), 0);
	cr_expect_str_eq(cpus, "");
	cr_expect_str_eq(eff, "0-3");
}

/* ---- the JSON numbers of rates and PSI ----------------------------------- */

Test(json, fixed_decimals)
{
	struct umucg_json j;
	umucg_json_init(&j);
	umucg_json_begin_array(&j);
	umucg_json_fixed(&j, 1.5, 2);
	umucg_json_fixed(&j, 0.004, 2);
	umucg_json_fixed(&j, 99.999, 2);
	umucg_json_fixed(&j, -2.25, 1);
	umucg_json_fixed(&j, 42, 0);
	umucg_json_fixed(&j, 0.0 / 0.0, 2);
	umucg_json_fixed(&j, 1e300, 3);
	umucg_json_end_array(&j);
	const char *text;
	cr_assert_eq(umucg_json_finish(&j, &text, NULL), 0);
	cr_expect_str_eq(text, "[1.50,0.00,100.00,-2.3,42,null,null]\n", "%s", text);
	umucg_json_free(&j);
}
