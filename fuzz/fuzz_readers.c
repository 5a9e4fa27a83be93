/* fuzz_readers.c - the readers of cgroup interface files (cgroup.events,
 * cgroup.procs, cgroup.controllers, memory.events, cgroup.stat), fed through
 * the library's own open/read path from a scratch directory. */
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"
#include "umucg.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
/* internal.h's readers, linked from the library's objects */
int cgfile_keyed_value(const char *text, const char *key, unsigned long long *out);
int cgfile_read_alloc(int dir_fd, const char *name, char **out, size_t *len);

static int scratch_fd = -1;
static char scratch_dir[4096];

static void scratch_remove(void)
{
	static const char *const files[] = {
		"cgroup.events", "cgroup.procs", "cgroup.controllers",
		"memory.events", "cgroup.stat",
	};
	for (size_t i = 0; i < sizeof files / sizeof *files; i++)
		unlinkat(scratch_fd, files[i], 0);
	rmdir(scratch_dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *tmp = getenv("TMPDIR");
	snprintf(scratch_dir, sizeof scratch_dir, "%s/umucg-fuzz-XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(scratch_dir))
		abort();
	scratch_fd = open(scratch_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (scratch_fd < 0)
		abort();
	atexit(scratch_remove);
	return 0;
}

static void put(const char *name, const uint8_t *data, size_t size)
{
	int fd = openat(scratch_fd, name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		abort();
	if (size && write(fd, data, size) != (ssize_t)size)
		abort();
	close(fd);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct umucg_error err = { 0 };
	static const char *const files[] = {
		"cgroup.events", "cgroup.procs", "cgroup.controllers",
		"memory.events", "cgroup.stat",
	};
	for (size_t i = 0; i < sizeof files / sizeof *files; i++)
		put(files[i], data, size);

	int r = umucg_group_populated(scratch_fd, &err);
	FUZZ_ASSERT(r == 0 || r == 1 || (r < 0 && r == err.code));
	r = umucg_group_frozen(scratch_fd, &err);
	FUZZ_ASSERT(r == 0 || r == 1 || (r < 0 && r == err.code));

	pid_t *pids = NULL;
	size_t n = 0;
	r = umucg_group_pids(scratch_fd, &pids, &n, &err);
	FUZZ_ASSERT(r == 0);
	/* a pid the reader cannot see is 0 in cgroup.procs; kill(0) or
	 * kill(-1) would hit umucg's own process group or everyone */
	for (size_t i = 0; i < n; i++)
		FUZZ_ASSERT(pids[i] > 0);
	free(pids);

	unsigned mask = 0;
	r = umucg_controllers_read(scratch_fd, "cgroup.controllers", &mask, &err);
	FUZZ_ASSERT(r == 0 && (mask & ~0x1fu) == 0); /* memory .. cpuset */

	char *text = NULL;
	size_t len = 0;
	FUZZ_ASSERT(cgfile_read_alloc(scratch_fd, "memory.events", &text, &len) == 0);
	FUZZ_ASSERT(len == size);
	static const char *const keys[] = {
		"low", "high", "max", "oom", "oom_kill", "oom_group_kill",
		"nr_descendants", "nr_dying_descendants", "populated", "frozen",
	};
	for (size_t k = 0; k < sizeof keys / sizeof *keys; k++) {
		unsigned long long v;
		r = cgfile_keyed_value(text, keys[k], &v);
		FUZZ_ASSERT(r == 0 || r == -ENOENT || r == -EINVAL);
	}
	free(text);
	return 0;
}
