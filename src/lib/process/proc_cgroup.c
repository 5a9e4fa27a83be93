/* proc_cgroup.c - a process's cgroup2 path, from its /proc/PID/cgroup. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

int umucg_proc_cgroup_parse(const char *text, char **path)
{
	for (const char *line = text; line && *line;) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		if (len >= 3 && strncmp(line, "0::", 3) == 0) {
			const char *p = line + 3;
			size_t plen = len - 3;
			/* " (deleted)" marks a removed cgroup; it is no place to be. */
			static const char deleted[] = " (deleted)";
			if (plen == 0 || p[0] != '/' ||
			    (plen > sizeof deleted - 1 &&
			     memcmp(p + plen - (sizeof deleted - 1), deleted, sizeof deleted - 1) == 0))
				return -EINVAL;
			char *out = strndup(p, plen);
			if (!out)
				return -ENOMEM;
			*path = out;
			return 0;
		}
		line = nl ? nl + 1 : NULL;
	}
	return -ENOENT;
}

int proc_cgroup_path(pid_t pid, char **path)
{
	char name[64], text[4096];
	if (pid > 0)
		snprintf(name, sizeof name, "/proc/%d/cgroup", (int)pid);
	else
		snprintf(name, sizeof name, "/proc/self/cgroup");
	cleanup_close int fd = open(name, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ssize_t n = cgfile_pread_fd(fd, text, sizeof text);
	if (n < 0)
		return (int)n;
	return umucg_proc_cgroup_parse(text, path);
}
