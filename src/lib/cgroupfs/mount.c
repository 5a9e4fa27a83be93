/* mount.c - the mount table: the cgroup2 mount and the cgroup mode, both from
 * /proc/self/mountinfo, read and split into fields by one reader (the mount
 * is looked for at its two usual places first). */
#include <fcntl.h>
#include <linux/magic.h>
#include <stdio.h>
#include <string.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
/* The kernel's struct statx: musl (1.2.3) has no statx() wrapper or struct. */
#include <linux/stat.h>

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

/* What umucg uses of one mountinfo line: the mount point (still escaped)
 * and the file system type. */
struct mountinfo_entry {
	const char *mountpoint;
	size_t mountpoint_len;
	const char *fstype;
	size_t fstype_len;
};

/* Splits the line at line (it ends at a newline or NUL); -EINVAL when it is
 * malformed. The type follows the "-" that ends the optional fields. */
static int mountinfo_split(const char *line, struct mountinfo_entry *e)
{
	const char *p = line, *f;
	size_t len;
	/* id, parent, major:minor, root, mount point */
	for (int i = 0; i < 5; i++) {
		if (next_field(&p, &f, &len) < 0)
			return -EINVAL;
		e->mountpoint = f;
		e->mountpoint_len = len;
	}
	do {
		if (next_field(&p, &f, &len) < 0)
			return -EINVAL;
	} while (len != 1 || f[0] != '-');
	if (next_field(&p, &e->fstype, &e->fstype_len) < 0)
		return -EINVAL;
	return 0;
}

static bool fstype_is(const struct mountinfo_entry *e, const char *type)
{
	return e->fstype_len == strlen(type) && strncmp(e->fstype, type, e->fstype_len) == 0;
}

/* The line after line, NULL after the last. */
static const char *next_line(const char *line)
{
	const char *nl = strchr(line, '\n');
	return nl && nl[1] ? nl + 1 : NULL;
}

int umucg_mountinfo_parse_line(const char *line, char **mountpoint)
{
	struct mountinfo_entry e;
	if (mountinfo_split(line, &e) < 0)
		return -EINVAL;
	if (!fstype_is(&e, "cgroup2"))
		return 0;
	if (e.mountpoint_len == 0 || e.mountpoint[0] != '/')
		return -EINVAL;
	*mountpoint = mountinfo_unescape(e.mountpoint, e.mountpoint_len);
	return *mountpoint ? 1 : -ENOMEM;
}

enum umucg_cgroup_mode umucg_cgroup_mode_parse(const char *mountinfo)
{
	bool v1 = false, v2 = false;
	for (const char *line = mountinfo; line && *line; line = next_line(line)) {
		struct mountinfo_entry e;
		if (mountinfo_split(line, &e) < 0)
			continue;
		v2 = v2 || fstype_is(&e, "cgroup2");
		v1 = v1 || fstype_is(&e, "cgroup");
	}
	if (v2)
		return v1 ? UMUCG_MODE_HYBRID : UMUCG_MODE_UNIFIED;
	return v1 ? UMUCG_MODE_LEGACY : UMUCG_MODE_NONE;
}

const char *umucg_cgroup_mode_name(enum umucg_cgroup_mode mode)
{
	switch (mode) {
	case UMUCG_MODE_LEGACY: return "legacy";
	case UMUCG_MODE_HYBRID: return "hybrid";
	case UMUCG_MODE_UNIFIED: return "pure";
	default: return "none";
	}
}

/* /proc/self/mountinfo, whole, into a malloc'd string: a desktop's holds
 * hundreds of lines, so in large reads. Not a cgroup file: read as any
 * /proc file. */
static int mountinfo_read(char **out, struct umucg_error *err)
{
	cleanup_close int fd = open("/proc/self/mountinfo", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return umucg_err(err, -errno, "/proc/self/mountinfo: %s", strerror(errno));
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
	*out = text;
	text = NULL;
	return 0;
}

int umucg_cgroup_mode(enum umucg_cgroup_mode *mode, struct umucg_error *err)
{
	cleanup_free char *text = NULL;
	int r = mountinfo_read(&text, err);
	if (r < 0)
		return r;
	*mode = umucg_cgroup_mode_parse(text);
	return 0;
}

/* A cgroup2 file system mounted at path (the root of a mount, as statx's
 * STATX_ATTR_MOUNT_ROOT says since 5.8; not a directory inside one). */
static bool cgroup2_mounted_at(const char *path)
{
	struct statfs sfs;
	struct statx stx;
	if (statfs(path, &sfs) < 0 || sfs.f_type != CGROUP2_SUPER_MAGIC)
		return false;
	/* Through syscall(2): the same on glibc and musl. */
	return syscall(SYS_statx, AT_FDCWD, path, AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT, 0, &stx) == 0 &&
	       (stx.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT) &&
	       (stx.stx_attributes & STATX_ATTR_MOUNT_ROOT);
}

int umucg_cgroup2_mount(char **path, struct umucg_error *err)
{
	/* Where pure (/sys/fs/cgroup) and hybrid (.../unified) hosts mount it:
	 * two or three syscalls instead of reading and parsing the whole mount
	 * table, which costs tens of microseconds on every run. */
	static const char *const usual[] = { "/sys/fs/cgroup", "/sys/fs/cgroup/unified" };
	for (size_t i = 0; i < sizeof usual / sizeof *usual; i++) {
		if (cgroup2_mounted_at(usual[i])) {
			*path = strdup(usual[i]);
			return *path ? 0 : umucg_err(err, -ENOMEM, "cgroup2: out of memory");
		}
	}
	cleanup_free char *text = NULL;
	int r = mountinfo_read(&text, err);
	if (r < 0)
		return r;
	for (const char *line = text; line && *line; line = next_line(line)) {
		char *mp = NULL;
		if (umucg_mountinfo_parse_line(line, &mp) == 1) {
			*path = mp;
			return 0;
		}
	}
	umucg_err(err, -ENOENT, "cgroup2: no cgroup2 filesystem is mounted");
	/* Not "mount it on /sys/fs/cgroup": where cgroup v1 lives there, that
	 * would hide it from everything that uses it. */
	return umucg_err_hint(err, "as root, run 'umucg setup': it mounts cgroup2 where this "
			      "system's layout wants it (beside cgroup v1 on a hybrid host); "
			      "'umucg doctor' explains");
}
