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

#endif
