/* libumucg-demo.c - a launcher using libumucg instead of shelling out to
 * umucg: make a group under the base, start CMD inside it, wait for CMD,
 * end whatever of its tree is left, remove the group.
 *
 * Build:  cc libumucg-demo.c $(pkg-config --cflags --libs umucg)
 * Usage:  libumucg-demo [--base PATH] CMD [ARG...]
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <umucg.h>

static int fail(const struct umucg_error *err)
{
	fprintf(stderr, "libumucg-demo: %s\n", err->msg);
	if (err->hint[0])
		fprintf(stderr, "hint: %s\n", err->hint);
	return 125;
}

int main(int argc, char **argv)
{
	const char *explicit_base = NULL;
	int i = 1;
	if (i + 1 < argc && strcmp(argv[i], "--base") == 0) {
		explicit_base = argv[i + 1];
		i += 2;
	}
	if (i >= argc) {
		fprintf(stderr, "usage: libumucg-demo [--base PATH] CMD [ARG...]\n");
		return 125;
	}

	struct umucg_error err = { 0 };
	struct umucg_base base;
	if (umucg_base_resolve(explicit_base, &base, &err) < 0)
		return fail(&err);
	if (umucg_base_prepare(&base, 0, &err) < 0) {
		umucg_base_release(&base);
		return fail(&err);
	}
	char name[UMUCG_NAME_MAX + 1];
	umucg_name_default(argv[i], NULL, name);
	int group = umucg_group_create(base.fd, name, true, NULL, NULL, &err);
	if (group < 0) {
		umucg_base_release(&base);
		return fail(&err);
	}
	printf("group %s/%s\n", base.path, name);
	fflush(stdout);

	struct umucg_spawn_opts opts = { .argv = argv + i, .group_fd = group };
	pid_t pid;
	int exec_errno = 0, code;
	if (umucg_spawn(&opts, &pid, &exec_errno, &err) < 0) {
		code = exec_errno == ENOENT ? 127 : exec_errno ? 126 : 125;
		fail(&err);
	} else {
		int status;
		while (waitpid(pid, &status, 0) < 0)
			;
		code = umucg_exit_code(status);
		/* CMD is done: whatever it left behind goes with it. */
		if (umucg_group_populated(group, &err) == 1 &&
		    umucg_group_kill(group, UMUCG_KILL_AUTO, &err) < 0)
			fail(&err);
		/* cgroup.events says when the last one is gone: no polling. */
		if (umucg_group_wait_event(group, "populated", 0, 10, &err) < 0)
			fail(&err);
	}
	close(group);
	if (umucg_group_remove(base.fd, name, &err) < 0)
		fail(&err);
	umucg_base_release(&base);
	return code;
}
