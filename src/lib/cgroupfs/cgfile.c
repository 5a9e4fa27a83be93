/* cgfile.c - opening, reading and writing cgroup interface files relative to
 * a directory fd, never following symlinks. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

int cgfile_open(int dir_fd, const char *name, int flags)
{
	return umucg_openat_beneath(dir_fd, name, flags, UMUCG_BENEATH_SAME_MOUNT, NULL);
}

ssize_t cgfile_pread_fd(int fd, char *buf, size_t cap)
{
	size_t len = 0;
	while (len + 1 < cap) {
		ssize_t n = pread(fd, buf + len, cap - 1 - len, (off_t)len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		/* Interface and /proc files are seq_files: a read that does not
		 * fill the buffer has reached the end, so skip the empty read. */
		if ((size_t)n < cap - 1 - (len - (size_t)n))
			break;
	}
	buf[len] = '\0';
	return (ssize_t)len;
}

ssize_t cgfile_read(int dir_fd, const char *name, char *buf, size_t cap)
{
	cleanup_close int fd = cgfile_open(dir_fd, name, O_RDONLY);
	if (fd < 0)
		return fd;
	return cgfile_pread_fd(fd, buf, cap);
}

int cgfile_read_line(int dir_fd, const char *name, char *buf, size_t cap)
{
	ssize_t n = cgfile_read(dir_fd, name, buf, cap);
	if (n < 0)
		return (int)n;
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

int cgfile_read_alloc(int dir_fd, const char *name, char **out, size_t *len)
{
	cleanup_close int fd = cgfile_open(dir_fd, name, O_RDONLY);
	if (fd < 0)
		return fd;
	size_t cap = 4096, used = 0;
	char *buf = malloc(cap);
	if (!buf)
		return -ENOMEM;
	for (;;) {
		if (used + 1 >= cap) {
			char *bigger = realloc(buf, cap * 2);
			if (!bigger) {
				free(buf);
				return -ENOMEM;
			}
			buf = bigger;
			cap *= 2;
		}
		ssize_t n = read(fd, buf + used, cap - 1 - used);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			int r = -errno;
			free(buf);
			return r;
		}
		if (n == 0)
			break;
		used += (size_t)n;
	}
	buf[used] = '\0';
	*out = buf;
	if (len)
		*len = used;
	return 0;
}

int cgfile_write(int dir_fd, const char *name, const char *s)
{
	cleanup_close int fd = cgfile_open(dir_fd, name, O_WRONLY);
	if (fd < 0)
		return fd;
	size_t len = strlen(s);
	ssize_t n;
	do
		n = write(fd, s, len);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EIO;
}

int cgfile_keyed_value(const char *text, const char *key, unsigned long long *out)
{
	size_t klen = strlen(key);
	for (const char *line = text; line && *line;) {
		if (strncmp(line, key, klen) == 0 && line[klen] == ' ') {
			char *end;
			errno = 0;
			unsigned long long v = strtoull(line + klen + 1, &end, 10);
			if (errno || end == line + klen + 1)
				return -EINVAL;
			*out = v;
			return 0;
		}
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	return -ENOENT;
}
