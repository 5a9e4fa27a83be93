/* entries.c - everything under a base that 'list' shows: its groups, and
 * every other populated directory (login session leaves, other managers'
 * cgroups, odd names, directories nested in groups), so that nothing runs
 * there unseen. */
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "internal.h"

/* Nested directories are followed this deep below the base; a populated
 * one deeper still shows through its populated ancestor at this level. */
#define ENTRIES_DEPTH_MAX 32

const char *umucg_entry_kind_name(enum umucg_entry_kind kind)
{
	switch (kind) {
	case UMUCG_ENTRY_GROUP: return "group";
	case UMUCG_ENTRY_SESSION: return "session";
	case UMUCG_ENTRY_FOREIGN: return "foreign";
	case UMUCG_ENTRY_NESTED: return "nested";
	}
	return "unknown";
}

void umucg_entries_free(struct umucg_entry *entries, size_t n)
{
	for (size_t i = 0; entries && i < n; i++)
		free(entries[i].name);
	free(entries);
}

struct collect {
	const struct umucg_meta_store *store;
	struct umucg_entry *v;
	size_t n, cap;
};

static bool session_name(const char *name)
{
	return strncmp(name, "session-", 8) == 0 && name[8] &&
	       strspn(name + 8, "0123456789") == strlen(name + 8);
}

static int add(struct collect *c, const char *rel, enum umucg_entry_kind kind, bool addressable,
	       unsigned depth)
{
	if (c->n == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 16;
		struct umucg_entry *bigger = realloc(c->v, cap * sizeof *bigger);
		if (!bigger)
			return -ENOMEM;
		c->v = bigger;
		c->cap = cap;
	}
	char *name = strdup(rel);
	if (!name)
		return -ENOMEM;
	c->v[c->n++] = (struct umucg_entry){ .name = name, .kind = kind, .addressable = addressable,
					     .depth = depth };
	return 0;
}

/* Decides what the directory fd at rel (depth levels below the base's
 * children) is and adds it when it is to be listed: a group always, the
 * rest when populated. Returns 1 to descend into it (it is populated), 0
 * not to, or -ENOMEM. */
static int classify(struct collect *c, int fd, const char *rel, const char *leaf, unsigned depth)
{
	int populated = umucg_group_populated(fd, NULL);
	if (populated < 0)
		return 0; /* removed meanwhile, or not a cgroup */
	enum umucg_entry_kind kind = UMUCG_ENTRY_NESTED;
	bool valid = false;
	struct umucg_meta meta;
	if (depth == 0) {
		valid = umucg_name_validate(leaf, NULL) == 0;
		if (valid && umucg_meta_read(c->store, fd, &meta, NULL) == 0)
			kind = UMUCG_ENTRY_GROUP;
		else
			kind = session_name(leaf) ? UMUCG_ENTRY_SESSION : UMUCG_ENTRY_FOREIGN;
	}
	if (!populated && kind != UMUCG_ENTRY_GROUP)
		return 0;
	int r = add(c, rel, kind, valid, depth);
	return r < 0 ? r : populated;
}

struct frame {
	DIR *d;
	size_t len; /* of the relative path of this directory ("" for the base) */
};

/* Depth-first over the base, iteratively: at most ENTRIES_DEPTH_MAX open
 * directories, whatever the tree holds. */
static int walk(struct collect *c, int base_fd)
{
	struct frame st[ENTRIES_DEPTH_MAX + 1];
	char rel[PATH_MAX];
	int top = 0, r = 0;
	int fd = fcntl(base_fd, F_DUPFD_CLOEXEC, 0);
	if (fd < 0 || !(st[0].d = fdopendir(fd))) {
		r = -errno;
		if (fd >= 0)
			close(fd);
		return r;
	}
	rewinddir(st[0].d);
	st[0].len = 0;
	rel[0] = '\0';
	while (top >= 0 && r >= 0) {
		struct dirent *e = readdir(st[top].d);
		if (!e) {
			closedir(st[top--].d);
			continue;
		}
		if (e->d_type != DT_DIR || !strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		size_t len = st[top].len;
		int n = snprintf(rel + len, sizeof rel - len, "%s%s", len ? "/" : "", e->d_name);
		if (n < 0 || (size_t)n >= sizeof rel - len)
			continue; /* beyond PATH_MAX: its populated ancestor shows */
		int child = openat(dirfd(st[top].d), e->d_name,
				   O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (child < 0)
			continue;
		r = classify(c, child, rel, e->d_name, (unsigned)top);
		if (r > 0 && top < ENTRIES_DEPTH_MAX - 1 && (st[top + 1].d = fdopendir(child))) {
			st[++top].len = len + (size_t)n;
			continue;
		}
		close(child);
		rel[len] = '\0';
	}
	while (top >= 0)
		closedir(st[top--].d);
	return r < 0 ? r : 0;
}

/* Siblings by name, each directory before what is nested in it. */
static int entry_cmp(const void *a, const void *b)
{
	const char *x = ((const struct umucg_entry *)a)->name;
	const char *y = ((const struct umucg_entry *)b)->name;
	for (;;) {
		size_t lx = strcspn(x, "/"), ly = strcspn(y, "/");
		int c = strncmp(x, y, lx < ly ? lx : ly);
		if (c || lx != ly)
			return c ? c : (lx < ly ? -1 : 1);
		x += lx, y += ly;
		if (!*x || !*y)
			return (*x != 0) - (*y != 0);
		x++, y++;
	}
}

int umucg_base_entries(const struct umucg_meta_store *store, int base_fd,
		       struct umucg_entry **entries, size_t *n, struct umucg_error *err)
{
	*entries = NULL;
	*n = 0;
	struct collect c = { .store = store };
	int r = walk(&c, base_fd);
	if (r < 0) {
		umucg_entries_free(c.v, c.n);
		return umucg_err(err, r, "base: %s", strerror(-r));
	}
	if (c.n)
		qsort(c.v, c.n, sizeof *c.v, entry_cmp);
	*entries = c.v;
	*n = c.n;
	return 0;
}
