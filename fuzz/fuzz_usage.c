/* fuzz_usage.c - the readers of what a group used: CPU lists (a round trip
 * through the canonical form), pressure files, io.stat, and
 * umucg_group_usage / umucg_limits_check over a scratch directory whose
 * interface files all hold the fuzzer's bytes. */
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"
#include "umucg.h"
#include "parsers.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const files[] = {
	"cpu.stat", "memory.current", "memory.peak", "memory.high", "memory.max",
	"memory.swap.max", "memory.events", "pids.current", "pids.peak", "pids.max",
	"pids.events", "io.stat", "cpu.pressure", "memory.pressure", "io.pressure",
	"cpuset.cpus.effective", "cgroup.procs",
};
static int scratch_fd = -1;
static char scratch_dir[4096];

static void scratch_remove(void)
{
	for (size_t i = 0; i < sizeof files / sizeof *files; i++)
		unlinkat(scratch_fd, files[i], 0);
	rmdir(scratch_dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *tmp = getenv("TMPDIR");
	snprintf(scratch_dir, sizeof scratch_dir, "%s/umucg-fuzz-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(scratch_dir))
		abort();
	scratch_fd = open(scratch_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (scratch_fd < 0)
		abort();
	atexit(scratch_remove);
	return 0;
}

static void cpulist_round_trip(const char *s)
{
	uint64_t bits[UMUCG_CPUSET_WORDS], again[UMUCG_CPUSET_WORDS];
	const char *bad = NULL;
	int r = umucg_cpulist_parse(s, bits, &bad);
	FUZZ_ASSERT(r == 0 || r == -EINVAL || r == -ERANGE);
	if (r < 0) {
		FUZZ_ASSERT(bad && bad >= s && bad <= s + strlen(s));
		return;
	}
	static char out[48 * 1024]; /* every CPU apart: "0,2,4,...,8190" fits */
	int n = umucg_cpulist_format(bits, out, sizeof out);
	FUZZ_ASSERT(n >= 0 && (size_t)n == strlen(out));
	FUZZ_ASSERT(umucg_cpulist_parse(out, again, NULL) == 0);
	FUZZ_ASSERT(memcmp(bits, again, sizeof bits) == 0);
	char small[16];
	n = umucg_cpulist_format(bits, small, sizeof small);
	FUZZ_ASSERT(n == -ENOSPC || (n >= 0 && (size_t)n < sizeof small));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_strndup(data, size);
	cpulist_round_trip(s);

	struct umucg_pressure p;
	if (umucg_pressure_parse(s, &p) == 0)
		FUZZ_ASSERT(p.present && isfinite(p.some_avg10) && p.some_avg10 >= 0 &&
			    (!p.full_present || (isfinite(p.full_avg10) && p.full_avg10 >= 0)));
	else
		FUZZ_ASSERT(!p.present);
	uint64_t rb, wb;
	umucg_io_stat_parse(s, &rb, &wb);

	for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
		int fd = openat(scratch_fd, files[i], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		if (fd < 0 || (size && write(fd, data, size) != (ssize_t)size))
			abort();
		close(fd);
	}
	struct umucg_usage u = { 0 };
	struct umucg_error err = { 0 };
	FUZZ_ASSERT(umucg_usage_sample(scratch_fd, &u, &err) == 0);
	FUZZ_ASSERT(umucg_group_usage(scratch_fd, UMUCG_USAGE_ALL, &u, &err) == 0);
	FUZZ_ASSERT(u.read == UMUCG_USAGE_ALL);
	struct umucg_limit_hit hit;
	bool any = umucg_usage_limit_hit(NULL, &u, &hit);
	FUZZ_ASSERT(any == (hit.memory || hit.pids));
	FUZZ_ASSERT(!hit.memory || hit.oom_kills || hit.oom_group_kills);

	struct umucg_limits l = { 0 };
	FUZZ_ASSERT(umucg_limits_parse_option(&l, "cpus", "0-3,8", &err) == 0);
	int r = umucg_limits_check(scratch_fd, &l, &err);
	FUZZ_ASSERT(r == 0 || (r == -EINVAL && err.msg[0]));
	free(s);
	return 0;
}
