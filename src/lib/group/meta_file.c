/* meta_file.c - the group record's fallback where cgroupfs has no user
 * xattrs: a small file in a runtime directory, named after the group
 * directory's device and inode (cgroup2 inodes are cgroup ids, never reused)
 * and its base's inode, so that gc can prune the records of removed groups. */
#include <dirent.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "internal.h"

/* The store's directory, else /run/umucg/meta for root, else
 * /run/user/UID/umucg-meta (the user's runtime directory that elogind and
 * pam_rundir make); *dir is malloc'd. */
static int meta_dir_path(const struct umucg_meta_store *store, char **dir)
{
	int n;
	if (store && store->dir) {
		if (store->dir[0] != '/')
			return -EINVAL;
		n = asprintf(dir, "%s", store->dir);
	} else if (geteuid() == 0) {
		n = asprintf(dir, "/run/umucg/meta");
	} else {
		n = asprintf(dir, "/run/user/%u/umucg-meta", (unsigned)geteuid());
	}
	return n < 0 ? -ENOMEM : 0;
}

/* mkdir -p of an absolute path, each new directory 0700. */
static int mkdir_parents(const char *path)
{
	char buf[4096];
	if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf)
		return -ENAMETOOLONG;
	for (char *p = buf + 1;; p++) {
		if (*p == '/' || *p == '\0') {
			char saved = *p;
			*p = '\0';
			if (mkdir(buf, 0700) < 0 && errno != EEXIST)
				return -errno;
			*p = saved;
			if (!saved)
				return 0;
		}
	}
}

static int open_meta_dir(const struct umucg_meta_store *store, bool create)
{
	cleanup_free char *dir = NULL;
	int r = meta_dir_path(store, &dir);
	if (r < 0)
		return r;
	if (create && (r = mkdir_parents(dir)) < 0)
		return r;
	/* The record directory must be the caller's own: nobody else may plant
	 * records in it. */
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	struct stat st;
	if (fstat(fd, &st) < 0 || st.st_uid != geteuid() || (st.st_mode & 022)) {
		close(fd);
		return -EPERM;
	}
	return fd;
}

static int record_name(int group_fd, char *name, size_t cap)
{
	struct stat st, pst;
	cleanup_close int parent = openat(group_fd, "..", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (parent < 0 || fstat(group_fd, &st) < 0 || fstat(parent, &pst) < 0)
		return -errno;
	snprintf(name, cap, "%" PRIx64 "-%" PRIx64 "-%" PRIx64, (uint64_t)st.st_dev,
		 (uint64_t)pst.st_ino, (uint64_t)st.st_ino);
	return 0;
}

int meta_file_write(const struct umucg_meta_store *store, int group_fd,
		    const struct umucg_meta *meta)
{
	char name[80], tmp[96];
	int r = record_name(group_fd, name, sizeof name);
	if (r < 0)
		return r;
	cleanup_close int dir = open_meta_dir(store, true);
	if (dir < 0)
		return dir;
	snprintf(tmp, sizeof tmp, ".%s.%d", name, (int)getpid());
	cleanup_close int fd = openat(dir, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	/* unapplied before command: a command line may hold anything. */
	char unapplied[1024] = "";
	if (meta->unapplied.set && umucg_limits_to_text(&meta->unapplied, unapplied, sizeof unapplied) < 0)
		return -ENOSPC;
	cleanup_free char *text = NULL;
	if (asprintf(&text, "manager %d %llu\nstarted %lld\n%s%s%scommand %s\n",
		     (int)meta->manager_pid, meta->manager_start, meta->started,
		     unapplied[0] ? "unapplied " : "", unapplied, unapplied[0] ? "\n" : "",
		     meta->command) < 0)
		return -ENOMEM;
	r = cgfile_write(dir, tmp, text);
	if (r == 0 && renameat(dir, tmp, dir, name) < 0)
		r = -errno;
	if (r < 0)
		unlinkat(dir, tmp, 0);
	return r;
}

/* The "unapplied" line, looked for before the command line only. */
static void meta_file_unapplied(const char *text, const char *cmd, struct umucg_limits *out)
{
	char line[1024];
	const char *u = strstr(text, "\nunapplied ");
	memset(out, 0, sizeof *out);
	if (!u || (cmd && u > cmd))
		return;
	u += strlen("\nunapplied ");
	size_t len = strcspn(u, "\n");
	if (len >= sizeof line)
		return;
	memcpy(line, u, len);
	line[len] = '\0';
	if (umucg_limits_from_text(line, out) < 0)
		memset(out, 0, sizeof *out);
}

int meta_file_read(const struct umucg_meta_store *store, int group_fd, struct umucg_meta *meta)
{
	char name[80];
	int r = record_name(group_fd, name, sizeof name);
	if (r < 0)
		return r;
	cleanup_close int dir = open_meta_dir(store, false);
	if (dir < 0)
		return dir == -ENOENT ? -ENODATA : dir;
	char text[2048];
	ssize_t n = cgfile_read(dir, name, text, sizeof text);
	if (n < 0)
		return n == -ENOENT ? -ENODATA : (int)n;
	int pid;
	if (sscanf(text, "manager %d %llu\nstarted %lld\n", &pid, &meta->manager_start,
		   &meta->started) != 3 || pid < 0)
		return -EINVAL;
	meta->manager_pid = pid;
	const char *cmd = strstr(text, "\ncommand ");
	meta_file_unapplied(text, cmd, &meta->unapplied);
	meta->command[0] = '\0';
	if (cmd) {
		cmd += strlen("\ncommand ");
		size_t len = strcspn(cmd, "\n");
		if (len >= sizeof meta->command)
			len = sizeof meta->command - 1;
		memcpy(meta->command, cmd, len);
		meta->command[len] = '\0';
	}
	return 0;
}

int meta_file_prune(const struct umucg_meta_store *store, int base_fd,
		    const uint64_t *live_inodes, size_t n)
{
	struct stat bst;
	if (fstat(base_fd, &bst) < 0)
		return -errno;
	cleanup_close int dir = open_meta_dir(store, false);
	if (dir < 0)
		return dir == -ENOENT ? 0 : dir;
	int dup_fd = fcntl(dir, F_DUPFD_CLOEXEC, 0);
	if (dup_fd < 0)
		return -errno;
	DIR *d = fdopendir(dup_fd);
	if (!d) {
		close(dup_fd);
		return -errno;
	}
	char prefix[64];
	int plen = snprintf(prefix, sizeof prefix, "%" PRIx64 "-%" PRIx64 "-", (uint64_t)bst.st_dev,
			    (uint64_t)bst.st_ino);
	int removed = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (strncmp(e->d_name, prefix, (size_t)plen) != 0)
			continue;
		uint64_t ino = strtoull(e->d_name + plen, NULL, 16);
		bool live = false;
		for (size_t i = 0; i < n && !live; i++)
			live = live_inodes[i] == ino;
		if (!live && unlinkat(dir, e->d_name, 0) == 0)
			removed++;
	}
	closedir(d);
	return removed;
}
