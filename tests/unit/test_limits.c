/* test_limits.c - the LIMITS grammar: sizes (suffixes, decimals, max,
 * overflow, junk), counts and weights, cpu-max percentages, and how limits
 * are written and which controllers they need. */
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <string.h>

#include <criterion/criterion.h>

#include "umucg.h"
#include "parsers.h"

#define KIB 1024ULL
#define MIB (1024ULL * KIB)
#define GIB (1024ULL * MIB)
#define TIB (1024ULL * GIB)

struct size_ok {
	const char *in;
	uint64_t want;
};

Test(size, accepts_the_grammar)
{
	const struct size_ok cases[] = {
		{ "0", 0 },
		{ "1", 1 },
		{ "4096", 4096 },
		{ "007", 7 },
		{ "1K", KIB }, { "1k", KIB }, { "1KB", KIB }, { "1kb", KIB }, { "1KiB", KIB },
		{ "1kib", KIB }, { "1KIB", KIB },
		{ "512M", 512 * MIB }, { "512m", 512 * MIB }, { "512MiB", 512 * MIB },
		{ "4G", 4 * GIB }, { "4g", 4 * GIB }, { "4GB", 4 * GIB }, { "4GiB", 4 * GIB },
		{ "2T", 2 * TIB }, { "2TiB", 2 * TIB },
		{ "1B", 1 }, { "1b", 1 }, { "100B", 100 },
		{ "1.5G", 3 * GIB / 2 },
		{ "0.5K", 512 },
		{ "0.25M", MIB / 4 },
		{ "1.5", 1 },          /* a fraction of a byte is dropped */
		{ "0.1K", 102 },       /* 102.4 bytes, rounded down */
		{ "1.000000000001G", GIB }, /* digits past the ninth are ignored */
		{ "max", UMUCG_UNLIMITED }, { "MAX", UMUCG_UNLIMITED }, { "Max", UMUCG_UNLIMITED },
		{ "18446744073709551614", UINT64_MAX - 1 },
		{ "16777215T", (16777216ULL - 1) * TIB },
		{ "17179869183G", 17179869183ULL * GIB },
		/* 2^64 - 2^30 + 0.999999999 GiB: one below "max" */
		{ "17179869183.99999999999G", UINT64_MAX - 1 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct umucg_error err = { 0 };
		uint64_t v = 12345;
		int r = umucg_parse_size(cases[i].in, &v, &err);
		cr_expect_eq(r, 0, "'%s': %d (%s)", cases[i].in, r, err.msg);
		cr_expect_eq(v, cases[i].want, "'%s' = %" PRIu64 ", want %" PRIu64, cases[i].in, v,
			     cases[i].want);
	}
}

struct size_bad {
	const char *in;
	int code;
};

Test(size, refuses_negatives_overflow_junk_and_empty)
{
	const struct size_bad cases[] = {
		{ "", -EINVAL }, { "-1", -EINVAL }, { "-0", -EINVAL }, { "+1", -EINVAL },
		{ " 1", -EINVAL }, { "1 ", -EINVAL }, { "1 G", -EINVAL }, { "G", -EINVAL },
		{ "K", -EINVAL }, { ".5G", -EINVAL }, { "1.G", -EINVAL }, { "1..5", -EINVAL },
		{ "1.5.5G", -EINVAL }, { "1e3", -EINVAL }, { "0x10", -EINVAL }, { "4GG", -EINVAL },
		{ "4Gi", -EINVAL }, { "4iB", -EINVAL }, { "4P", -EINVAL }, { "4E", -EINVAL },
		{ "4GBB", -EINVAL }, { "4B4", -EINVAL }, { "maxx", -EINVAL }, { "ma", -EINVAL },
		{ "inf", -EINVAL }, { "nan", -EINVAL }, { "four", -EINVAL }, { "4\n", -EINVAL },
		{ "1,5G", -EINVAL }, { "1_000", -EINVAL },
		{ "18446744073709551615", -ERANGE }, /* that is "max" in a cgroup file */
		{ "18446744073709551616", -ERANGE },
		{ "99999999999999999999999", -ERANGE },
		{ "16777216T", -ERANGE },
		{ "17179869184G", -ERANGE },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct umucg_error err = { 0 };
		uint64_t v = 12345;
		int r = umucg_parse_size(cases[i].in, &v, &err);
		cr_expect_eq(r, cases[i].code, "'%s': got %d, want %d", cases[i].in, r, cases[i].code);
		cr_expect_eq(v, 12345, "'%s': the output was written on failure", cases[i].in);
		cr_expect_eq(err.code, r, "'%s': err.code %d", cases[i].in, err.code);
		cr_expect(err.msg[0] != '\0', "'%s': no message", cases[i].in);
	}
}

Test(size, the_message_names_the_input_and_hints_the_grammar)
{
	struct umucg_error err = { 0 };
	uint64_t v;
	cr_assert_lt(umucg_parse_size("4X", &v, &err), 0);
	cr_expect(strstr(err.msg, "4X"), "%s", err.msg);
	cr_expect(err.hint[0], "no hint for a malformed size");
	/* no error struct: still refused, no crash */
	cr_expect_eq(umucg_parse_size("junk", &v, NULL), -EINVAL);
}

static int parse(struct umucg_limits *l, const char *opt, const char *value)
{
	struct umucg_error err = { 0 };
	int r = umucg_limits_parse_option(l, opt, value, &err);
	if (r < 0)
		cr_expect(err.msg[0], "--%s %s: no message", opt, value);
	return r;
}

Test(limits, size_options_set_their_field)
{
	struct umucg_limits l = { 0 };
	cr_assert_geq(parse(&l, "mem", "4G"), 0);
	cr_assert_geq(parse(&l, "mem-max", "6G"), 0);
	cr_assert_geq(parse(&l, "swap-max", "max"), 0);
	cr_expect_eq(l.mem_high, 4 * GIB);
	cr_expect_eq(l.mem_max, 6 * GIB);
	cr_expect_eq(l.swap_max, UMUCG_UNLIMITED);
	cr_expect_eq(l.set, UMUCG_LIMIT_MEM_HIGH | UMUCG_LIMIT_MEM_MAX | UMUCG_LIMIT_SWAP_MAX);
	cr_expect_eq(umucg_limits_controllers(&l), UMUCG_CTRL_MEMORY);
}

Test(limits, a_bad_value_sets_nothing)
{
	struct umucg_limits l = { 0 };
	const char *const bad[][2] = {
		{ "mem", "-1" }, { "mem", "" }, { "mem-max", "1X" }, { "swap-max", "-max" },
		{ "pids", "0" }, { "pids", "-1" }, { "pids", "1.5" }, { "pids", "" }, { "pids", "10k" },
		{ "pids", "99999999999999999999999" },
		{ "cpu-weight", "0" }, { "cpu-weight", "10001" }, { "cpu-weight", "max" },
		{ "cpu-weight", "50.5" }, { "cpu-weight", "-5" },
		{ "io-weight", "0" }, { "io-weight", "10001" }, { "io-weight", "abc" },
		{ "cpu-max", "0%" }, { "cpu-max", "0.5%" }, { "cpu-max", "-50%" }, { "cpu-max", "%" },
		{ "cpu-max", "" }, { "cpu-max", "50%%" }, { "cpu-max", "50 %" }, { "cpu-max", "100000001%" },
		{ "cpu-max", "1.5.5%" }, { "cpu-max", "fifty" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		cr_expect_lt(parse(&l, bad[i][0], bad[i][1]), 0, "--%s '%s' was accepted", bad[i][0],
			     bad[i][1]);
		cr_expect_eq(l.set, 0, "--%s '%s' set something", bad[i][0], bad[i][1]);
	}
	/* no value at all, and a name that is no limit */
	struct umucg_error err = { 0 };
	cr_expect_lt(umucg_limits_parse_option(&l, "mem", NULL, &err), 0);
	cr_expect_leq(umucg_limits_parse_option(&l, "frobnicate", "1", &err), 0);
	cr_expect_eq(l.set, 0);
}

Test(limits, counts_and_weights)
{
	struct umucg_limits l = { 0 };
	cr_assert_geq(parse(&l, "pids", "1"), 0);
	cr_expect_eq(l.pids_max, 1);
	cr_assert_geq(parse(&l, "pids", "512"), 0);
	cr_expect_eq(l.pids_max, 512);
	cr_assert_geq(parse(&l, "pids", "18446744073709551614"), 0, "the largest count");
	cr_expect_eq(l.pids_max, UINT64_MAX - 1);
	cr_expect_lt(parse(&l, "pids", "18446744073709551615"), 0, "a count that reads as max");
	cr_assert_geq(parse(&l, "pids", "max"), 0);
	cr_expect_eq(l.pids_max, UMUCG_UNLIMITED);
	cr_assert_geq(parse(&l, "cpu-weight", "1"), 0);
	cr_expect_eq(l.cpu_weight, 1);
	cr_assert_geq(parse(&l, "cpu-weight", "10000"), 0);
	cr_expect_eq(l.cpu_weight, 10000);
	cr_assert_geq(parse(&l, "io-weight", "250"), 0);
	cr_expect_eq(l.io_weight, 250);
	cr_expect_eq(l.set, UMUCG_LIMIT_PIDS_MAX | UMUCG_LIMIT_CPU_WEIGHT | UMUCG_LIMIT_IO_WEIGHT);
	cr_expect_eq(umucg_limits_controllers(&l), UMUCG_CTRL_PIDS | UMUCG_CTRL_CPU | UMUCG_CTRL_IO);
}

struct cpu_case {
	const char *in;
	uint64_t quota;
};

Test(limits, cpu_max_percentages)
{
	const struct cpu_case cases[] = {
		{ "150%", 150000 }, { "150", 150000 }, { "100%", 100000 }, { "50%", 50000 },
		{ "1%", 1000 }, { "12.5%", 12500 }, { "1.2345%", 1234 }, { "0.999999%", 999 },
		{ "400%", 400000 }, { "100000000%", 100000000000ULL },
		{ "max", UMUCG_UNLIMITED }, { "MAX", UMUCG_UNLIMITED },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct umucg_limits l = { 0 };
		int r = parse(&l, "cpu-max", cases[i].in);
		if (cases[i].quota < 1000) {
			/* below the kernel's 1000 us floor */
			cr_expect_lt(r, 0, "'%s' accepted", cases[i].in);
			continue;
		}
		cr_expect_geq(r, 0, "'%s' refused", cases[i].in);
		cr_expect_eq(l.cpu_quota_us, cases[i].quota, "'%s' = %" PRIu64 " us, want %" PRIu64,
			     cases[i].in, l.cpu_quota_us, cases[i].quota);
		cr_expect_eq(l.set, UMUCG_LIMIT_CPU_MAX);
	}
}

struct format_case {
	const char *opt, *value, *file, *written;
};

Test(limits, each_limit_is_written_as_the_kernel_reads_it)
{
	const struct format_case cases[] = {
		{ "mem", "1.5G", "memory.high", "1610612736" },
		{ "mem", "max", "memory.high", "max" },
		{ "mem-max", "512M", "memory.max", "536870912" },
		{ "swap-max", "0", "memory.swap.max", "0" },
		{ "pids", "512", "pids.max", "512" },
		{ "pids", "max", "pids.max", "max" },
		{ "cpu-weight", "200", "cpu.weight", "200" },
		{ "cpu-max", "150%", "cpu.max", "150000 100000" },
		{ "cpu-max", "max", "cpu.max", "max 100000" },
		{ "io-weight", "50", "io.weight", "default 50" },
		{ "mem-low", "256M", "memory.low", "268435456" },
		{ "mem-low", "max", "memory.low", "max" },
		{ "cpus", "0-3,8", "cpuset.cpus", "0-3,8" },
		{ "cpus", "3,2,1,0,8-9,10", "cpuset.cpus", "0-3,8-10" },
		{ "cpus", "max", "cpuset.cpus", "\n" }, /* empty: every CPU of the parent */
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct umucg_limits l = { 0 };
		cr_assert_geq(parse(&l, cases[i].opt, cases[i].value), 0);
		cr_assert_eq(__builtin_popcount(l.set), 1);
		const char *file = NULL;
		char value[64] = "";
		cr_assert_eq(umucg_limits_format(&l, l.set, &file, value, sizeof value), 0);
		cr_expect_str_eq(file, cases[i].file, "--%s", cases[i].opt);
		cr_expect_str_eq(value, cases[i].written, "--%s %s", cases[i].opt, cases[i].value);
	}
	struct umucg_limits l = { 0 };
	const char *file;
	char value[64];
	cr_expect_lt(umucg_limits_format(&l, 1u << 20, &file, value, sizeof value), 0);
}

Test(limits, dropping_a_controller_clears_only_its_limits)
{
	struct umucg_limits l = { 0 };
	const char *const all[][2] = {
		{ "mem", "1G" }, { "mem-max", "2G" }, { "swap-max", "0" }, { "pids", "10" },
		{ "cpu-weight", "10" }, { "cpu-max", "50%" }, { "io-weight", "10" },
		{ "mem-low", "1G" }, { "cpus", "0" },
	};
	for (size_t i = 0; i < sizeof all / sizeof *all; i++)
		cr_assert_geq(parse(&l, all[i][0], all[i][1]), 0);
	cr_expect_eq(umucg_limits_controllers(&l), UMUCG_CTRL_MEMORY | UMUCG_CTRL_PIDS |
		     UMUCG_CTRL_CPU | UMUCG_CTRL_IO | UMUCG_CTRL_CPUSET);
	umucg_limits_drop_controllers(&l, UMUCG_CTRL_CPUSET);
	cr_expect_eq(l.set & UMUCG_LIMIT_CPUS, 0);
	umucg_limits_drop_controllers(&l, UMUCG_CTRL_MEMORY);
	cr_expect_eq(umucg_limits_controllers(&l), UMUCG_CTRL_PIDS | UMUCG_CTRL_CPU | UMUCG_CTRL_IO);
	cr_expect_eq(l.set & (UMUCG_LIMIT_MEM_HIGH | UMUCG_LIMIT_MEM_MAX | UMUCG_LIMIT_SWAP_MAX |
			      UMUCG_LIMIT_MEM_LOW), 0);
	umucg_limits_drop_controllers(&l, UMUCG_CTRL_CPU | UMUCG_CTRL_IO);
	cr_expect_eq(l.set, UMUCG_LIMIT_PIDS_MAX);
	umucg_limits_drop_controllers(&l, UMUCG_CTRL_PIDS);
	cr_expect_eq(l.set, 0);
	cr_expect_eq(umucg_limits_controllers(&l), 0);
}

Test(limits, option_names_and_controller_names)
{
	const char *const want[] = { "mem", "mem-max", "swap-max", "pids", "cpu-weight", "cpu-max",
				     "io-weight", "mem-low", "cpus" };
	for (unsigned i = 0; i < sizeof want / sizeof *want; i++)
		cr_expect_str_eq(umucg_limit_option(i), want[i]);
	cr_expect_null(umucg_limit_option(sizeof want / sizeof *want));
	cr_expect_null(umucg_limit_option(1000));
	cr_expect_str_eq(umucg_controller_name(UMUCG_CTRL_MEMORY), "memory");
	cr_expect_str_eq(umucg_controller_name(UMUCG_CTRL_PIDS), "pids");
	cr_expect_str_eq(umucg_controller_name(UMUCG_CTRL_CPU), "cpu");
	cr_expect_str_eq(umucg_controller_name(UMUCG_CTRL_IO), "io");
	cr_expect_str_eq(umucg_controller_name(UMUCG_CTRL_CPUSET), "cpuset");
	cr_expect_eq(umucg_controllers_parse("cpuset cpu io memory hugetlb pids rdma misc\n"),
		     UMUCG_CTRL_MEMORY | UMUCG_CTRL_PIDS | UMUCG_CTRL_CPU | UMUCG_CTRL_IO |
		     UMUCG_CTRL_CPUSET);
	cr_expect_eq(umucg_controllers_parse("cpuset hugetlb\n"), UMUCG_CTRL_CPUSET);
	cr_expect_eq(umucg_controllers_parse("hugetlb rdma\n"), 0);
	cr_expect_eq(umucg_controllers_parse(""), 0);
	/* a prefix is not the controller */
	cr_expect_eq(umucg_controllers_parse("cpusets iox memoryy\n"), 0);
	struct umucg_error err = { 0 };
	cr_expect_lt(umucg_controllers_require(UMUCG_CTRL_CPU, UMUCG_CTRL_CPU | UMUCG_CTRL_MEMORY,
					       "/sys/fs/cgroup/x", &err), 0);
	cr_expect(strstr(err.msg, "memory"), "%s", err.msg);
	cr_expect(err.hint[0], "no fix given");
	cr_expect_eq(umucg_controllers_require(UMUCG_CTRL_CPU, UMUCG_CTRL_CPU, "x", &err), 0);
}
