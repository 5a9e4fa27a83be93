/* parsers.h - the parsers of the kernel's texts (mountinfo, /proc/PID/cgroup,
 * /proc/PID/stat, controller lists) and the limits' file format: for the
 * library's own files, its unit tests and its fuzzers; not installed, not
 * exported. */
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

/* Finds the controller name (v1's names: blkio for io) in a /proc/cgroups
 * text: its v1 hierarchy id (0: none, free for cgroup2) and enabled flag.
 * -ENOENT when the kernel has no such controller. */
int umucg_proc_cgroups_find(const char *text, const char *name, int *hierarchy, int *enabled);

/* The interface file and value one UMUCG_LIMIT_* bit of limits is written as. */
int umucg_limits_format(const struct umucg_limits *limits, unsigned bit,
			const char **file, char *value, size_t cap);

/* The limits in the group record's text form, "mem=4294967296 pids=512"
 * (LIMITS option names and values that parse back exactly): returns the
 * length, or -ENOSPC when cap is too small. */
int umucg_limits_to_text(const struct umucg_limits *limits, char *buf, size_t cap);
/* Parses that form; -EINVAL when malformed. */
int umucg_limits_from_text(const char *text, struct umucg_limits *limits);

/* A /proc/PID/stat text's fields that umucg uses. */
struct proc_stat {
	char comm[64];                /* field 2, cut to fit */
	char state;                   /* field 3: R, S, D, Z, ... */
	pid_t ppid;                   /* field 4 */
	bool kthread;                 /* field 9 (flags) has PF_KTHREAD */
	unsigned long long starttime; /* field 22, clock ticks after boot */
};
/* Parses a /proc/PID/stat text, whatever its comm holds; -EINVAL when it is
 * malformed (then ps is unchanged). */
int umucg_proc_stat_parse(const char *text, struct proc_stat *ps);

/* CPU lists ("0-7,16-23") as bitmaps of UMUCG_CPUSET_WORDS words. */
#define UMUCG_CPUSET_WORDS ((UMUCG_CPU_ID_MAX + 1) / 64)
/* Parses a list (one trailing newline allowed, as the kernel writes it; an
 * empty list is the empty set): 0, -EINVAL for bad syntax or a range that
 * runs backwards, -ERANGE for a CPU above UMUCG_CPU_ID_MAX; *bad (may be
 * NULL) then points at the entry that is wrong. */
int umucg_cpulist_parse(const char *text, uint64_t *bits, const char **bad);
/* The canonical list of bits (ranges merged, ascending); its length, or
 * -ENOSPC when it does not fit in cap bytes. */
int umucg_cpulist_format(const uint64_t *bits, char *out, size_t cap);
bool umucg_cpulist_empty(const uint64_t *bits);

/* Kernel texts of a group's usage files. io.stat: the rbytes and wbytes of
 * every device summed (an empty file is zero). */
void umucg_io_stat_parse(const char *text, uint64_t *rbytes, uint64_t *wbytes);
/* RESOURCE.pressure ("some avg10=0.00 ... total=N", "full ..."): -EINVAL
 * when there is no well-formed "some" line. */
int umucg_pressure_parse(const char *text, struct umucg_pressure *p);

/* The pid holding a lock (the first /proc/locks line, waiters skipped) on
 * the inode dev_major:dev_minor:ino, and whether it is exclusive; -ENOENT
 * when none. */
int umucg_proc_locks_holder(const char *text, unsigned dev_major, unsigned dev_minor,
			    unsigned long long ino, pid_t *pid, bool *exclusive);

#endif
