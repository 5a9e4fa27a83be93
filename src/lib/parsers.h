/* parsers.h - the parsers of the kernel's texts (mountinfo, /proc/PID/cgroup,
 * controller lists) and the limits' file format: for the library's own files,
 * its unit tests and its fuzzers; not installed, not exported. */
#ifndef UMUCG_PARSERS_H
#define UMUCG_PARSERS_H

#include "umucg.h"

/* Parses one mountinfo line: 1 and *mountpoint (malloc'd, unescaped) when
 * it is a cgroup2 mount, 0 when it is another mount, -EINVAL when malformed. */
int umucg_mountinfo_parse_line(const char *line, char **mountpoint);

/* Parses the "0::/path" line out of a /proc/PID/cgroup text; *path is
 * malloc'd. -ENOENT when there is no cgroup2 line. */
int umucg_proc_cgroup_parse(const char *text, char **path);

/* The mode a /proc/self/mountinfo text describes. */
enum umucg_cgroup_mode umucg_cgroup_mode_parse(const char *mountinfo);

/* UMUCG_CTRL_* mask of a cgroup.controllers / subtree_control text. */
unsigned umucg_controllers_parse(const char *text);

/* The interface file and value one UMUCG_LIMIT_* bit of limits is written as. */
int umucg_limits_format(const struct umucg_limits *limits, unsigned bit,
			const char **file, char *value, size_t cap);

/* Parses the starttime (field 22) out of a /proc/PID/stat text. */
int umucg_stat_parse_starttime(const char *text, unsigned long long *start);

/* The pid holding a lock (the first /proc/locks line, waiters skipped) on
 * the inode dev_major:dev_minor:ino, and whether it is exclusive; -ENOENT
 * when none. */
int umucg_proc_locks_holder(const char *text, unsigned dev_major, unsigned dev_minor,
			    unsigned long long ino, pid_t *pid, bool *exclusive);

#endif
