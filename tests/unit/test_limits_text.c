/* test_limits_text.c - limits as the group record keeps those not applied
 * ("mem=4294967296 pids=512": parsed back exactly), described for status;
 * /proc/cgroups, which says why a controller is missing. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "umucg.h"
#include "internal.h"

static void expect_same(const struct umucg_limits *a, const struct umucg_limits *b, const char *text)
{
	cr_expect_eq(a->set, b->set, "%s: set %#x != %#x", text, a->set, b->set);
	if (a->set & UMUCG_LIMIT_MEM_HIGH)
		cr_expect_eq(a->mem_high, b->mem_high, "%s", text);
	if (a->set & UMUCG_LIMIT_MEM_MAX)
		cr_expect_eq(a->mem_max, b->mem_max, "%s", text);
	if (a->set & UMUCG_LIMIT_SWAP_MAX)
		cr_expect_eq(a->swap_max, b->swap_max, "%s", text);
	if (a->set & UMUCG_LIMIT_PIDS_MAX)
		cr_expect_eq(a->pids_max, b->pids_max, "%s", text);
	if (a->set & UMUCG_LIMIT_CPU_WEIGHT)
		cr_expect_eq(a->cpu_weight, b->cpu_weight, "%s", text);
	if (a->set & UMUCG_LIMIT_CPU_MAX)
		cr_expect_eq(a->cpu_quota_us, b->cpu_quota_us, "%s", text);
	if (a->set & UMUCG_LIMIT_IO_WEIGHT)
		cr_expect_eq(a->io_weight, b->io_weight, "%s", text);
}

Test(limits_text, the_record_form)
{
	struct umucg_limits l = { 0 };
	char text[512];
	cr_expect_eq(umucg_limits_to_text(&l, text, sizeof text), 0);
	cr_expect_str_eq(text, "");
	const char *opts[][2] = {
		{ "mem", "4G" }, { "pids", "512" }, { "cpu-max", "12.5%" }, { "io-weight", "50" },
		{ "swap-max", "max" },
	};
	for (size_t i = 0; i < sizeof opts / sizeof *opts; i++)
		cr_assert_eq(umucg_limits_parse_option(&l, opts[i][0], opts[i][1], NULL), 0);
	cr_assert_gt(umucg_limits_to_text(&l, text, sizeof text), 0);
	cr_expect_str_eq(text, "mem=4294967296 swap-max=max pids=512 cpu-max=12.500% io-weight=50");
	struct umucg_limits back;
	cr_expect_eq(umucg_limits_from_text(text, &back), 0);
	expect_same(&l, &back, text);
	cr_expect_eq(umucg_limits_to_text(&l, text, 20), -ENOSPC);
}

Test(limits_text, every_value_parses_back_exactly)
{
	unsigned seed = 4242;
	for (int round = 0; round < 20000; round++) {
		struct umucg_limits l = { .set = (unsigned)rand_r(&seed) & 0x7f };
		uint64_t big = ((uint64_t)rand_r(&seed) << 33) ^ ((uint64_t)rand_r(&seed) << 2);
		l.mem_high = rand_r(&seed) % 5 ? big % (UMUCG_UNLIMITED - 1) : UMUCG_UNLIMITED;
		l.mem_max = (uint64_t)rand_r(&seed);
		l.swap_max = rand_r(&seed) % 2 ? 0 : UMUCG_UNLIMITED;
		l.pids_max = rand_r(&seed) % 3 ? 1 + (uint64_t)rand_r(&seed) : UMUCG_UNLIMITED;
		l.cpu_weight = 1 + (uint32_t)rand_r(&seed) % 10000;
		l.io_weight = 1 + (uint32_t)rand_r(&seed) % 10000;
		l.cpu_quota_us = rand_r(&seed) % 4 ? 1000 + (uint64_t)rand_r(&seed) % 100000000000ULL
						   : UMUCG_UNLIMITED;
		char text[512];
		cr_assert_geq(umucg_limits_to_text(&l, text, sizeof text), 0);
		struct umucg_limits back;
		cr_assert_eq(umucg_limits_from_text(text, &back), 0, "'%s'", text);
		expect_same(&l, &back, text);
	}
}

Test(limits_text, malformed_record_text)
{
	const char *bad[] = {
		"mem", "mem=", "=4G", "bogus=1", "mem=-1", "pids=0", "cpu-weight=0", "mem=4G pids",
		"cpu-max=0.5%", "mem=4G\npids=1",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		struct umucg_limits l;
		cr_expect_eq(umucg_limits_from_text(bad[i], &l), -EINVAL, "'%s' accepted", bad[i]);
	}
	struct umucg_limits l;
	cr_expect_eq(umucg_limits_from_text("  mem=1K   pids=max ", &l), 0);
	cr_expect_eq(l.set, UMUCG_LIMIT_MEM_HIGH | UMUCG_LIMIT_PIDS_MAX);
}

Test(limits_text, described_for_status)
{
	struct umucg_limits l = { 0 };
	umucg_limits_parse_option(&l, "mem", "4G", NULL);
	umucg_limits_parse_option(&l, "cpu-max", "150%", NULL);
	umucg_limits_parse_option(&l, "io-weight", "50", NULL);
	umucg_limits_parse_option(&l, "pids", "max", NULL);
	const char *file;
	char value[UMUCG_LIMIT_TEXT_LEN], human[UMUCG_LIMIT_TEXT_LEN];
	cr_assert_eq(umucg_limit_describe(&l, UMUCG_LIMIT_MEM_HIGH, &file, value, human), 0);
	cr_expect_str_eq(file, "memory.high");
	cr_expect_str_eq(value, "4294967296");
	cr_expect_str_eq(human, "4.0G");
	cr_assert_eq(umucg_limit_describe(&l, UMUCG_LIMIT_CPU_MAX, &file, value, human), 0);
	cr_expect_str_eq(file, "cpu.max");
	cr_expect_str_eq(value, "150000 100000");
	cr_expect_str_eq(human, "150%");
	cr_assert_eq(umucg_limit_describe(&l, UMUCG_LIMIT_IO_WEIGHT, &file, value, human), 0);
	cr_expect_str_eq(file, "io.weight");
	cr_expect_str_eq(value, "default 50");
	cr_expect_str_eq(human, "50");
	cr_assert_eq(umucg_limit_describe(&l, UMUCG_LIMIT_PIDS_MAX, &file, value, human), 0);
	cr_expect_str_eq(value, "max");
	cr_expect_str_eq(human, "max");
	umucg_limits_parse_option(&l, "cpu-max", "12.5%", NULL);
	umucg_limit_describe(&l, UMUCG_LIMIT_CPU_MAX, &file, value, human);
	cr_expect_str_eq(human, "12.5%");
	cr_expect_eq(umucg_limit_describe(&l, UMUCG_LIMIT_MEM_MAX, &file, value, human), -ENOENT);
	cr_expect_eq(umucg_limit_describe(&l, UMUCG_LIMIT_MEM_HIGH | UMUCG_LIMIT_CPU_MAX, &file,
					  value, human), -ENOENT);
	cr_expect_eq(umucg_limit_describe(&l, 0, &file, value, human), -ENOENT);
}

Test(proc_cgroups, which_hierarchy_holds_a_controller)
{
	const char *text =
		"#subsys_name\thierarchy\tnum_cgroups\tenabled\n"
		"cpuset\t3\t1\t1\ncpu\t1\t1\t1\ncpuacct\t2\t1\t1\nblkio\t7\t1\t1\n"
		"memory\t4\t49\t0\npids\t0\t9\t1\n";
	int h, e;
	cr_expect_eq(umucg_proc_cgroups_find(text, "memory", &h, &e), 0);
	cr_expect(h == 4 && e == 0);
	cr_expect_eq(umucg_proc_cgroups_find(text, "pids", &h, &e), 0);
	cr_expect(h == 0 && e == 1);
	cr_expect_eq(umucg_proc_cgroups_find(text, "cpu", &h, &e), 0);
	cr_expect(h == 1 && e == 1, "cpu is not cpuset or cpuacct: %d", h);
	cr_expect_eq(umucg_proc_cgroups_find(text, "io", &h, &e), -ENOENT);
	cr_expect_eq(umucg_proc_cgroups_find(text, "hugetlb", &h, &e), -ENOENT);
	cr_expect_eq(umucg_proc_cgroups_find("", "cpu", &h, &e), -ENOENT);
}

/* The message names every missing controller; the hint gives the fix for
 * this host, never an option of a command. */
Test(proc_cgroups, a_missing_controller_is_named_with_its_fix)
{
	struct umucg_error err = { 0 };
	cr_expect_eq(umucg_controllers_require(UMUCG_CTRL_CPU, UMUCG_CTRL_MEMORY | UMUCG_CTRL_PIDS |
					       UMUCG_CTRL_CPU, "/x", &err), -EOPNOTSUPP);
	cr_expect_str_eq(err.msg, "memory, pids controllers: not available in cgroup2 at /x");
	cr_expect(err.hint[0]);
	cr_expect(!strstr(err.hint, "--best-effort"), "%s", err.hint);
	cr_expect(strstr(err.hint, "memory"), "%s", err.hint);
	cr_expect_eq(umucg_controllers_require(UMUCG_CTRL_CPU, UMUCG_CTRL_CPU, "/x", &err), 0);
	umucg_controllers_require(0, UMUCG_CTRL_IO, "/x", &err);
	cr_expect_str_eq(err.msg, "io controller: not available in cgroup2 at /x");
}

/* --mem-low and --cpus (issue 14) in the record: a CPU list is kept as
 * the canonical list, "max" as max (cpuset.cpus gets a newline for that,
 * which must not reach the record), a list as long as the grammar allows
 * parses back whole. */
Test(limits_text, mem_low_and_cpus)
{
	struct umucg_limits l = { 0 }, back;
	char text[1024];
	cr_assert_eq(umucg_limits_parse_option(&l, "mem-low", "1G", NULL), 0);
	cr_assert_eq(umucg_limits_parse_option(&l, "cpus", "3,0-2,8", NULL), 0);
	cr_assert_gt(umucg_limits_to_text(&l, text, sizeof text), 0);
	cr_expect_str_eq(text, "mem-low=1073741824 cpus=0-3,8");
	cr_assert_eq(umucg_limits_from_text(text, &back), 0);
	cr_expect_eq(back.set, l.set);
	cr_expect_eq(back.mem_low, l.mem_low);
	cr_expect_str_eq(back.cpus, "0-3,8");
	cr_assert_eq(umucg_limits_parse_option(&l, "cpus", "max", NULL), 0);
	cr_assert_gt(umucg_limits_to_text(&l, text, sizeof text), 0);
	cr_expect_str_eq(text, "mem-low=1073741824 cpus=max");
	cr_assert_eq(umucg_limits_from_text(text, &back), 0);
	cr_expect_str_eq(back.cpus, "");
	cr_expect(back.set & UMUCG_LIMIT_CPUS);
	/* every other CPU up to 510: a 255-byte list, the longest there is */
	char list[UMUCG_CPUS_LEN] = "";
	for (unsigned c = 0; strlen(list) + 8 < sizeof list; c += 2)
		snprintf(list + strlen(list), sizeof list - strlen(list), "%s%u", c ? "," : "", c);
	cr_assert_eq(umucg_limits_parse_option(&l, "cpus", list, NULL), 0, "%s", list);
	cr_assert_gt(umucg_limits_to_text(&l, text, sizeof text), 0);
	cr_assert_eq(umucg_limits_from_text(text, &back), 0, "%s", text);
	cr_expect_str_eq(back.cpus, list);
	const char *file;
	char value[UMUCG_LIMIT_TEXT_LEN], human[UMUCG_LIMIT_TEXT_LEN];
	/* status shows an unapplied list whole, not cut at 63 bytes */
	cr_assert_eq(umucg_limit_describe(&l, UMUCG_LIMIT_CPUS, &file, value, human), 0);
	cr_expect_str_eq(value, list);
	cr_expect_str_eq(human, list);
	cr_assert_eq(umucg_limit_describe(&l, UMUCG_LIMIT_MEM_LOW, &file, value, human), 0);
	cr_expect_str_eq(file, "memory.low");
	cr_expect_str_eq(value, "1073741824");
	cr_expect_str_eq(human, "1.0G");
	cr_assert_eq(umucg_limits_parse_option(&l, "cpus", "0-7,16-23", NULL), 0);
	cr_assert_eq(umucg_limit_describe(&l, UMUCG_LIMIT_CPUS, &file, value, human), 0);
	cr_expect_str_eq(file, "cpuset.cpus");
	cr_expect_str_eq(human, "0-7,16-23");
}
