/* mount.c - finding the cgroup2 mount in /proc/self/mountinfo. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

/* Undoes the kernel's octal escaping (\040 space, \011 tab, \012 newline,
 * \134 backslash) of a mountinfo field of length len. */
static char *mountinfo_unescape(const char *s, size_t len)
{
	char *out = malloc(len + 1), *o = out;
	if (!out)
		return NULL;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\\' && i + 3 < len &&
		    s[i + 1] >= '0' && s[i + 1] <= '3' &&
		    s[i + 2] >= '0' && s[i + 2] <= '7' &&
		    s[i + 3] >= '0' && s[i + 3] <= '7') {
			*o++ = (char)((s[i + 1] - '0') * 64 + (s[i + 2] - '0') * 8 + (s[i + 3] - '0'));
			i += 3;
		} else {
			*o++ = s[i];
		}
	}
	*o = '\0';
	return out;
}

/* Splits the next space-separated field off *p. */
static int next_field(const char **p, const char **start, size_t *len)
{
	const char *s = *p;
	while (*s == ' ')
		s++;
	if (!*s || *s == '\n')
		return -EINVAL;
	const char *e = s;
	while (*e && *e != ' ' && *e != '\n')
		e++;
	*start = s;
	*len = (size_t)(e - s);
	*p = e;
	return 0;
}

int umucg_mountinfo_parse_line(const char *line, char **mountpoint)
{
	const char *p = line, *f, *mp = NULL;
	size_t len, mp_len = 0;
	/* id, parent, major:minor, root, mount point */
	for (int i = 0; i < 5; i++) {
		if (next_field(&p, &f, &len) < 0)
			return -EINVAL;
		if (i == 4) {
			mp = f;
			mp_len = len;
		}
	}
	/* optional fields end at a lone "-" */
	for (;;) {
		if (next_field(&p, &f, &len) < 0)
			return -EINVAL;
		if (len == 1 && f[0] == '-')
			break;
	}
	if (next_field(&p, &f, &len) < 0)
		return -EINVAL;
	if (len != 7 || strncmp(f, "cgroup2", 7) != 0)
		return 0;
	if (mp_len == 0 || mp[0] != '/')
		return -EINVAL;
	*mountpoint = mountinfo_unescape(mp, mp_len);
	return *mountpoint ? 1 : -ENOMEM;
}

int umucg_cgroup2_mount(char **path, struct umucg_error *err)
{
	cleanup_close int fd = open("/proc/self/mountinfo", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return umucg_err(err, -errno, "/proc/self/mountinfo: %s", strerror(errno));
	/* In large reads: a desktop's mountinfo holds hundreds of lines. */
	cleanup_free char *text = NULL;
	size_t len = 0, cap = 0;
	for (;;) {
		if (cap - len < 4096) {
			char *bigger = realloc(text, cap ? cap * 2 : 16384);
			if (!bigger)
				return umucg_err(err, -ENOMEM, "/proc/self/mountinfo: out of memory");
			text = bigger;
			cap = cap ? cap * 2 : 16384;
		}
		ssize_t n = read(fd, text + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return umucg_err(err, -errno, "/proc/self/mountinfo: %s", strerror(errno));
		if (n == 0)
			break;
		len += (size_t)n;
	}
	text[len] = '\0';
	for (char *line = text; *line;) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		char *mp = NULL;
		if (umucg_mountinfo_parse_line(line, &mp) == 1) {
			*path = mp;
			return 0;
		}
		if (!nl)
			break;
		line = nl + 1;
	}
	umucg_err(err, -ENOENT, "cgroup2: no cgroup2 filesystem is mounted");
	/* Not "mount it on /sys/fs/cgroup": where cgroup v1 lives there, that
	 * would hide it from everything that uses it. */
	return umucg_err_hint(err, "as root, run 'umucg setup': it mounts cgroup2 where this "
			      "system's layout wants it (beside cgroup v1 on a hybrid host); "
			      "'umucg doctor' explains");
}
