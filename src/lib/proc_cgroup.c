/* proc_cgroup.c - the caller's cgroup2 path from /proc/PID/cgroup, and the
 * start time of a process from /proc/PID/stat. */
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

int umucg_stat_parse_starttime(const char *text, unsigned long long *start)
{
	/* comm (field 2) may hold spaces and parentheses: skip to the last ')' */
	const char *p = strrchr(text, ')');
	if (!p || p[1] != ' ')
		return -EINVAL; /* also keeps the strchr(p + 1) below inside the text */
	p++;
	/* fields 3.. follow; starttime is field 22 */
	for (int field = 3; field < 22; field++) {
		p = strchr(p + 1, ' ');
		if (!p)
			return -EINVAL;
	}
	char *end;
	errno = 0;
	unsigned long long v = strtoull(p + 1, &end, 10);
	if (errno || end == p + 1)
		return -EINVAL;
	*start = v;
	return 0;
}

ssize_t proc_stat_text(pid_t pid, char *buf, size_t cap)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	cleanup_close int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	return cgfile_pread_fd(fd, buf, cap);
}

int umucg_proc_starttime(pid_t pid, unsigned long long *start)
{
	char buf[1024];
	ssize_t n = proc_stat_text(pid, buf, sizeof buf);
	if (n < 0)
		return (int)n;
	return umucg_stat_parse_starttime(buf, start);
}
