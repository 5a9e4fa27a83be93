/* lookup.c - finding the groups of a base: one by name, or all of them. */
#include <dirent.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>

#include "internal.h"

int umucg_group_lookup(const char *explicit_base, const char *name,
		       struct umucg_base *base, struct umucg_error *err)
{
	memset(base, 0, sizeof *base);
	base->fd = -1;
	/* The name first: a bad one is a usage error wherever the base is. */
	int r = umucg_name_validate(name, err);
	if (r < 0)
		return r;
	r = umucg_base_resolve(explicit_base, base, err);
	if (r < 0)
		return r;
	if (base->fd < 0) {
		/* A system base not made yet holds no group; make nothing. */
		umucg_err(err, -ENOENT, "group '%s': no such group", name);
		return umucg_err_hint(err, "'umucg list' shows the groups");
	}
	return umucg_group_open(base->fd, name, err);
}

void umucg_names_free(char **names, size_t n)
{
	for (size_t i = 0; names && i < n; i++)
		free(names[i]);
	free(names);
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int umucg_group_list(const struct umucg_meta_store *store, int base_fd, char ***names,
		     size_t *n, struct umucg_error *err)
{
	*names = NULL;
	*n = 0;
	int dup_fd = fcntl(base_fd, F_DUPFD_CLOEXEC, 0);
	if (dup_fd < 0)
		return umucg_err(err, -errno, "base: %s", strerror(errno));
	DIR *d = fdopendir(dup_fd);
	if (!d) {
		int e = errno;
		close(dup_fd);
		return umucg_err(err, -e, "base: %s", strerror(e));
	}
	rewinddir(d);
	char **out = NULL;
	size_t count = 0, cap = 0;
	int r = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		struct stat st;
		/* Groups are the child directories with a valid name. */
		if (umucg_name_validate(e->d_name, NULL) < 0 ||
		    fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISDIR(st.st_mode) ||
		    login_is_leaf(store, dirfd(d), e->d_name))
			continue;
		if (count == cap) {
			cap = cap ? 2 * cap : 16;
			char **bigger = realloc(out, cap * sizeof *out);
			if (!bigger) {
				r = -ENOMEM;
				break;
			}
			out = bigger;
		}
		if (!(out[count] = strdup(e->d_name))) {
			r = -ENOMEM;
			break;
		}
		count++;
	}
	closedir(d);
	if (r < 0) {
		umucg_names_free(out, count);
		return umucg_err(err, r, "base: %s", strerror(-r));
	}
	if (count)
		qsort(out, count, sizeof *out, name_cmp);
	*names = out;
	*n = count;
	return 0;
}
