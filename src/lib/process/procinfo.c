/* procinfo.c - what /proc says of one process: its /proc/PID/stat (parent,
 * state, kernel thread flag, start time), split by one parser, its command
 * line and its pending signals. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

#define PF_KTHREAD 0x00200000u

/* The number at *p (a field ending at a space, NUL or newline): 0 and *v,
 * or -EINVAL. */
static int stat_number(const char *p, unsigned long long *v)
{
	char *end;
	errno = 0;
	*v = strtoull(p, &end, 10);
	if (errno || end == p || (*end != ' ' && *end != '\0' && *end != '\n'))
		return -EINVAL;
	return 0;
}

int umucg_proc_stat_parse(const char *text, struct proc_stat *ps)
{
	/* comm (field 2) may hold spaces and parentheses: it ends at the last
	 * ')', which a single space follows. */
	const char *open_paren = strchr(text, '(');
	const char *close_paren = strrchr(text, ')');
	if (!open_paren || !close_paren || close_paren < open_paren || close_paren[1] != ' ')
		return -EINVAL;
	struct proc_stat out = { 0 };
	size_t clen = (size_t)(close_paren - open_paren - 1);
	if (clen >= sizeof out.comm)
		clen = sizeof out.comm - 1;
	memcpy(out.comm, open_paren + 1, clen);
	const char *p = close_paren + 2; /* field 3, the state: one letter */
	if (!*p || p[1] != ' ')
		return -EINVAL;
	out.state = *p;
	unsigned long long v;
	for (int field = 4; field <= 22; field++) {
		p = strchr(p, ' ');
		if (!p)
			return -EINVAL;
		p++;
		if (field != 4 && field != 9 && field != 22)
			continue;
		if (stat_number(p, &v) < 0)
			return -EINVAL;
		if (field == 4)
			out.ppid = (pid_t)v;
		else if (field == 9)
			out.kthread = (v & PF_KTHREAD) != 0;
		else
			out.starttime = v;
	}
	*ps = out;
	return 0;
}

/* /proc/PID/FILE into buf (NUL-terminated); its length or -errno. */
static ssize_t proc_file_read(pid_t pid, const char *file, char *buf, size_t cap)
{
	char path[64];
	size_t n = str_copy(path, sizeof path, "/proc/");
	n += fmt_ll(path + n, sizeof path - n, (long long)pid);
	n += str_copy(path + n, sizeof path - n, "/");
	str_copy(path + n, sizeof path - n, file);
	cleanup_close int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	return cgfile_pread_fd(fd, buf, cap);
}

int proc_stat_read(pid_t pid, struct proc_stat *ps)
{
	char buf[2048];
	ssize_t n = proc_file_read(pid, "stat", buf, sizeof buf);
	return n < 0 ? (int)n : umucg_proc_stat_parse(buf, ps);
}

/* The hex mask after KEY in a status text, 0 when absent. */
static uint64_t status_mask(const char *text, const char *key)
{
	const char *p = strstr(text, key);
	return p ? strtoull(p + strlen(key), NULL, 16) : 0;
}

int proc_pending_signals(pid_t pid, uint64_t *pending)
{
	char text[4096];
	ssize_t n = proc_file_read(pid, "status", text, sizeof text);
	if (n < 0)
		return (int)n;
	/* Per thread and per process (a kill(2) to the process is shared). */
	*pending = status_mask(text, "\nSigPnd:") | status_mask(text, "\nShdPnd:");
	return 0;
}

int umucg_proc_starttime(pid_t pid, unsigned long long *start)
{
	struct proc_stat ps;
	int r = proc_stat_read(pid, &ps);
	if (r == 0)
		*start = ps.starttime;
	return r;
}

char *proc_cmdline(pid_t pid, const char *comm)
{
	char path[64], buf[4096];
	snprintf(path, sizeof path, "/proc/%d/cmdline", (int)pid);
	cleanup_close int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd >= 0 ? cgfile_pread_fd(fd, buf, sizeof buf) : -1;
	if (n <= 0) {
		char *out = NULL;
		if (asprintf(&out, "[%s]", comm ? comm : "?") < 0)
			return NULL;
		return out;
	}
	/* argv is NUL-separated, with a trailing NUL: join with spaces. */
	while (n > 0 && buf[n - 1] == '\0')
		n--;
	for (ssize_t i = 0; i < n; i++)
		if (buf[i] == '\0')
			buf[i] = ' ';
	return strndup(buf, (size_t)n);
}
