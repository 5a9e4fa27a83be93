/* procinfo.c - what /proc says of one process: parent, state, kernel thread
 * flag and command line. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

#define PF_KTHREAD 0x00200000u

int proc_stat_read(pid_t pid, struct proc_stat *ps)
{
	char buf[1024];
	ssize_t n = proc_stat_text(pid, buf, sizeof buf);
	if (n < 0)
		return (int)n;
	/* comm may hold spaces and parentheses: it ends at the last ')'. */
	char *open_paren = strchr(buf, '(');
	char *close_paren = strrchr(buf, ')');
	if (!open_paren || !close_paren || close_paren < open_paren)
		return -EINVAL;
	size_t clen = (size_t)(close_paren - open_paren - 1);
	if (clen >= sizeof ps->comm)
		clen = sizeof ps->comm - 1;
	memcpy(ps->comm, open_paren + 1, clen);
	ps->comm[clen] = '\0';
	int ppid;
	unsigned flags;
	/* fields 3 (state), 4 (ppid), 5..8 skipped, 9 (flags) */
	if (sscanf(close_paren + 1, " %c %d %*d %*d %*d %*d %u", &ps->state, &ppid, &flags) != 3)
		return -EINVAL;
	ps->ppid = ppid;
	ps->kthread = (flags & PF_KTHREAD) != 0;
	return 0;
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
