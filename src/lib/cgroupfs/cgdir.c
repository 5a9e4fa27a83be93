/* cgdir.c - cgroup directories: making one (or taking the one already
 * there) beneath its parent's fd, and the absolute paths shown for them in
 * messages and output. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "internal.h"

int cgdir_make(int parent, const char *name, mode_t mode, const char *path,
	       struct umucg_error *err)
{
	if (mkdirat(parent, name, mode) < 0 && errno != EEXIST)
		return umucg_err(err, -errno, "%s: cannot create: %s", path, strerror(errno));
	int fd = umucg_openat_beneath(parent, name, O_RDONLY | O_DIRECTORY,
				      UMUCG_BENEATH_SAME_MOUNT, NULL);
	if (fd < 0)
		return umucg_err(err, fd, "%s: %s", path, strerror(-fd));
	return fd;
}

char *path_join(const char *a, const char *b)
{
	size_t la = strlen(a);
	while (la > 1 && a[la - 1] == '/')
		la--;
	while (*b == '/')
		b++;
	/* (not asprintf: the run path stays off printf, see text/fmt.c) */
	return str_join(a, la, (la == 1 || !*b) ? "" : "/", b);
}

const char *path_beneath(const char *path, const char *mount)
{
	const char *p = path, *m = mount;
	for (;;) {
		while (*m == '/' || (m[0] == '.' && (m[1] == '/' || !m[1])))
			m++;
		while (*p == '/' || (p[0] == '.' && (p[1] == '/' || !p[1])))
			p++;
		if (!*m)
			return p;
		size_t ml = strcspn(m, "/"), pl = strcspn(p, "/");
		if (ml != pl || strncmp(m, p, ml) != 0)
			return NULL;
		m += ml;
		p += pl;
	}
}
