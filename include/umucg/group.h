/* umucg/group.h - groups beneath a base: lifecycle, the group record, state, stats and usage, process trees, moves, freeze, stop, gc.
 * Part of libumucg's API: include <umucg.h>, which includes every part. */
#ifndef UMUCG_GROUP_H
#define UMUCG_GROUP_H

#include <umucg/cgroupfs.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- groups ---------------------------------------------------------- */

/* Creates base/NAME. With allow_suffix, a taken name becomes NAME-2, NAME-3,
 * ... and the name used is written back to name (UMUCG_NAME_MAX + 1 bytes).
 * Without it a taken name fails with -EEXIST, except a group left empty by a
 * dead manager, which is reclaimed. meta (may be NULL) is recorded on the new
 * group while the base is locked. Returns the group's directory fd. */
struct umucg_meta;
struct umucg_meta_store;
int umucg_group_create(int base_fd, char *name, bool allow_suffix,
		       const struct umucg_meta *meta, const struct umucg_meta_store *store,
		       struct umucg_error *err);
/* Opens an existing base/NAME; returns its directory fd. */
int umucg_group_open(int base_fd, const char *name, struct umucg_error *err);
/* Removes base/NAME (an empty group). */
int umucg_group_remove(int base_fd, const char *name, struct umucg_error *err);

/* 1 when the group has processes, 0 when empty. */
int umucg_group_populated(int group_fd, struct umucg_error *err);
/* 1 when cgroup.events says frozen. */
int umucg_group_frozen(int group_fd, struct umucg_error *err);
/* The pids in cgroup.procs; *pids malloc'd. */
int umucg_group_pids(int group_fd, pid_t **pids, size_t *n, struct umucg_error *err);
/* Sends sig to every process of the group; returns how many were signalled. */
int umucg_group_signal(int group_fd, int sig, struct umucg_error *err);

enum umucg_kill_method {
	UMUCG_KILL_AUTO,        /* cgroup.kill where the kernel has it */
	UMUCG_KILL_CGROUP_KILL, /* cgroup.kill only */
	UMUCG_KILL_FREEZE,      /* freeze, SIGKILL each, thaw (kernels < 5.14) */
};
/* Kills every process of the group, including ones forked meanwhile. */
int umucg_group_kill(int group_fd, enum umucg_kill_method method,
		     struct umucg_error *err);

/* Writes 1 or 0 to cgroup.freeze (does not wait). */
int umucg_group_set_frozen(int group_fd, bool frozen, struct umucg_error *err);

/* ---- what a group knows about itself --------------------------------- */

/* Where group records are kept; NULL: UMUCG_META_AUTO, user.* xattrs on the
 * group, else (before 5.7) a file in /run/umucg/meta (root) or /run/user/UID/
 * umucg-meta; the directory must be the caller's own, not writable by others. */
enum umucg_meta_where {
	UMUCG_META_AUTO,  /* xattrs, else a file */
	UMUCG_META_XATTR, /* xattrs only */
	UMUCG_META_FILE,  /* a file only */
};
struct umucg_meta_store {
	enum umucg_meta_where where;
	const char *dir;  /* absolute directory of the files, or NULL: the default */
};

struct umucg_meta {
	pid_t manager_pid;            /* 0 when unknown */
	unsigned long long manager_start; /* /proc/PID/stat starttime, clock ticks */
	long long started;            /* unix time the group was made */
	char command[1024];           /* argv joined by spaces, may be truncated */
	struct umucg_limits unapplied; /* requested, not applied: no controller */
};

int umucg_meta_write(const struct umucg_meta_store *store, int group_fd,
		     const struct umucg_meta *meta, struct umucg_error *err);
int umucg_meta_read(const struct umucg_meta_store *store, int group_fd,
		    struct umucg_meta *meta, struct umucg_error *err);
/* Fills manager_pid/manager_start/started for the calling process. */
int umucg_meta_self(struct umucg_meta *meta, struct umucg_error *err);
/* Sets command to argv joined by spaces (truncated to fit). */
void umucg_meta_set_command(struct umucg_meta *meta, char *const *argv);
/* true when the manager recorded in meta still runs (same pid, same start). */
bool umucg_meta_manager_alive(const struct umucg_meta *meta);

/* ---- what a group used: usage, peaks, events, pressure ---------------- */

/* A figure the kernel may not give: present is false when it has no such
 * file or key for the group (an older kernel, a controller not enabled,
 * no PSI), which is not the same as zero. */
struct umucg_figure {
	bool present;
	uint64_t value;        /* UMUCG_UNLIMITED for a limit of "max" */
};

/* Pressure stall information of one resource (cpu.pressure, ...). */
struct umucg_pressure {
	bool present;          /* the kernel keeps PSI for the group */
	bool full_present;     /* it has a "full" line (cpu's since 5.13) */
	double some_avg10;     /* percent of the last 10 s some task stalled */
	double full_avg10;     /* ... all non-idle tasks stalled at once */
	uint64_t some_total_usec, full_total_usec; /* since the group was made */
};
enum { UMUCG_PSI_CPU, UMUCG_PSI_MEMORY, UMUCG_PSI_IO, UMUCG_PSI_COUNT };

/* What umucg_group_usage reads: each bit a few interface files. */
enum {
	UMUCG_USAGE_CPU = 1u << 0,      /* cpu.stat (no controller needed) */
	UMUCG_USAGE_MEMORY = 1u << 1,   /* memory.current, .peak, .high, .max,
					 * .swap.max, memory.events */
	UMUCG_USAGE_PIDS = 1u << 2,     /* pids.current, .peak, .max, pids.events */
	UMUCG_USAGE_IO = 1u << 3,       /* io.stat */
	UMUCG_USAGE_PRESSURE = 1u << 4, /* cpu.pressure, memory.pressure, io.pressure */
	/* The cheap check at the end of a run: memory.events alone, and
	 * memory.max, .swap.max and .peak only when it holds an OOM kill. */
	UMUCG_USAGE_MEMORY_EVENTS = 1u << 5,
	/* pids.events alone, and pids.max and .peak only when it holds a
	 * refused fork. */
	UMUCG_USAGE_PIDS_EVENTS = 1u << 6,
	UMUCG_USAGE_ALL = 0x1fu,
};

struct umucg_usage {
	unsigned read;         /* the UMUCG_USAGE_* bits that were read */
	struct umucg_figure cpu_usec, cpu_user_usec, cpu_system_usec;
	struct umucg_figure memory_current, memory_peak; /* bytes */
	bool memory_peak_sampled; /* memory_peak is the highest sample taken
				   * by umucg_usage_sample: no memory.peak here */
	struct umucg_figure memory_high, memory_max, swap_max; /* the limits */
	struct umucg_figure pids_current, pids_peak, pids_max;
	bool pids_peak_sampled;   /* the same for pids.peak */
	struct umucg_figure io_read_bytes, io_write_bytes; /* io.stat, all devices */
	struct umucg_figure oom_kill;       /* memory.events: processes OOM-killed */
	struct umucg_figure oom_group_kill; /* ... whole-group OOM kills */
	struct umucg_figure memory_high_events; /* ... throttled at memory.high */
	struct umucg_figure memory_max_events;  /* ... reclaimed at memory.max */
	struct umucg_figure pids_max_events;    /* pids.events max: forks refused */
	struct umucg_pressure pressure[UMUCG_PSI_COUNT];
};

/* Reads the figures of the UMUCG_USAGE_* bits in what; those not asked for
 * and those the kernel does not give are absent. Zero u before the first
 * call: the peaks taken by umucg_usage_sample are kept where the kernel has
 * no peak file; every other field is overwritten. what 0 reads nothing.
 * Fails only when the group itself cannot be read (-ENOENT: removed). */
int umucg_group_usage(int group_fd, unsigned what, struct umucg_usage *u,
		      struct umucg_error *err);

/* Reads memory.current and pids.current and raises u->memory_peak and
 * u->pids_peak to them: for a caller (a supervisor, a live view) that wants
 * a peak on kernels without memory.peak (before 5.19) or pids.peak, at the
 * wake-ups it has anyway. Two files; never a timer of its own. */
int umucg_usage_sample(int group_fd, struct umucg_usage *u, struct umucg_error *err);

/* Why processes of a group died: what the kernel's OOM killer and the pids
 * controller counted between two readings. */
struct umucg_limit_hit {
	bool memory;             /* the OOM killer killed processes of the group */
	uint64_t oom_kills;      /* processes it killed (memory.events oom_kill) */
	uint64_t oom_group_kills;/* whole-group kills (oom_group_kill) */
	uint64_t memory_max;     /* the group's memory.max: the limit that was hit;
				  * UMUCG_UNLIMITED when the group has none (the
				  * machine or an enclosing group ran out) */
	struct umucg_figure swap_max;    /* memory.swap.max, when not max */
	struct umucg_figure memory_peak;
	bool pids;               /* forks were refused (pids.events max) */
	uint64_t forks_refused;
	uint64_t pids_max;       /* the group's pids.max; UMUCG_UNLIMITED: the
				  * limit of an enclosing group */
	struct umucg_figure pids_peak;
};
/* Fills hit from after's counters less before's (before may be NULL: a
 * group made fresh, whose counters started at zero); true when a limit was
 * hit. after must hold UMUCG_USAGE_MEMORY(_EVENTS) / UMUCG_USAGE_PIDS(_EVENTS). */
bool umucg_usage_limit_hit(const struct umucg_usage *before, const struct umucg_usage *after,
			   struct umucg_limit_hit *hit);

/* ---- managing groups: lookup, state, stats, tree, moves, stop ------- */

/* Resolves the base (creating nothing) and opens its group NAME; returns the
 * group's directory fd. An unknown NAME is -ENOENT, a NAME that is not one
 * path component of the allowed characters -EINVAL. */
int umucg_group_lookup(const char *explicit_base, const char *name,
		       struct umucg_base *base, struct umucg_error *err);

/* The names of the base's groups (its child directories), sorted; free
 * them with umucg_names_free. */
int umucg_group_list(const struct umucg_meta_store *store, int base_fd, char ***names,
		     size_t *n, struct umucg_error *err);
void umucg_names_free(char **names, size_t n);

/* What list shows under a base: its groups, and every other populated
 * directory there, so that nothing runs in it unseen. */
enum umucg_entry_kind {
	UMUCG_ENTRY_GROUP,   /* a child of the base with a umucg record */
	UMUCG_ENTRY_SESSION, /* a login session's leaf: session-N, no record */
	UMUCG_ENTRY_FOREIGN, /* another child without a record (another manager's,
			      * made by hand), or whose name umucg never gives */
	UMUCG_ENTRY_NESTED,  /* a directory inside one of those (e.g. in a group) */
};
struct umucg_entry {
	char *name;          /* path relative to the base: "game", "game/sub" */
	enum umucg_entry_kind kind;
	bool addressable;    /* a valid NAME for status, stop, ... */
	unsigned depth;      /* 0 for a child of the base */
};
/* The base's groups (empty or not) and every other directory below it
 * that has processes in its subtree, nested ones followed 32 levels deep;
 * siblings sorted by name, each before what is nested in it. Free with
 * umucg_entries_free. */
int umucg_base_entries(const struct umucg_meta_store *store, int base_fd,
		       struct umucg_entry **entries, size_t *n, struct umucg_error *err);
void umucg_entries_free(struct umucg_entry *entries, size_t n);
/* "group", "session", "foreign", "nested". */
const char *umucg_entry_kind_name(enum umucg_entry_kind kind);

enum umucg_group_state {
	UMUCG_STATE_RUNNING,      /* has processes, manager alive or none recorded */
	UMUCG_STATE_FROZEN,       /* cgroup.events frozen 1 */
	UMUCG_STATE_EMPTY,        /* no processes, manager alive or none recorded */
	UMUCG_STATE_MANAGER_GONE, /* the umucg that made it is dead */
};
/* "running", "frozen", "empty", "manager-gone". */
const char *umucg_state_name(enum umucg_group_state state);

struct umucg_group_info {
	enum umucg_group_state state;
	size_t nprocs;           /* lines of cgroup.procs */
	bool populated;
	bool frozen;
	bool has_meta;           /* a record was found (xattrs or fallback) */
	struct umucg_meta meta;  /* zeroed when !has_meta */
	bool manager_alive;
	long long created;       /* unix time: meta.started, else the directory's */
};
int umucg_group_info(const struct umucg_meta_store *store, int group_fd,
		     struct umucg_group_info *info, struct umucg_error *err);

/* One counter or limit of a group, as the kernel reports it. */
enum umucg_stat_section {
	UMUCG_SECTION_USAGE,
	UMUCG_SECTION_LIMITS,
	UMUCG_SECTION_MEMORY_EVENTS,
	UMUCG_SECTION_PIDS_EVENTS,
	UMUCG_SECTION_CPU,
};
struct umucg_stat {
	const char *name;        /* "memory_current", "pids_max", "oom_kill", ... */
	enum umucg_stat_section section;
	bool present;            /* the kernel has this file and key here */
	uint64_t value;          /* UMUCG_UNLIMITED for "max" */
};
#define UMUCG_STATS_MAX 48
struct umucg_stats {
	size_t n;
	struct umucg_stat s[UMUCG_STATS_MAX];
};
/* Reads every counter and limit umucg knows of; absent ones have
 * present false. Fails only when the group itself cannot be read. */
int umucg_group_stats(int group_fd, struct umucg_stats *stats, struct umucg_error *err);
/* The stat of section called name, NULL when there is none. */
const struct umucg_stat *umucg_stats_get(const struct umucg_stats *stats,
					 enum umucg_stat_section section, const char *name);

/* Writes the stats of one section as a JSON object: a number, "max", or
 * null where the kernel has no such file. */
struct umucg_json;
void umucg_stats_json(struct umucg_json *j, const struct umucg_stats *stats,
		      enum umucg_stat_section section);
/* Bytes for people: "512B", "1.5K", "4.0G", or "max". */
void umucg_format_size(uint64_t bytes, char *out, size_t cap);
/* The group's cpuset.cpus ("" when it is empty: every CPU of its parent)
 * and cpuset.cpus.effective, each in a buffer of cap bytes; -ENOENT when
 * the group has no cpuset controller. */
int umucg_group_cpus(int group_fd, char *cpus, char *effective, size_t cap,
		     struct umucg_error *err);

/* SIG: a name (TERM, SIGTERM, any case) or a number. */
int umucg_parse_signal(const char *s, int *sig, struct umucg_error *err);

/* One process of a group's tree. */
struct umucg_proc {
	pid_t pid;
	pid_t ppid;
	unsigned depth;          /* 0 for a process whose parent is not in the group */
	char *cmdline;           /* argv joined by spaces, or "[comm]" */
};
/* The group's processes in tree order (each parent before its children);
 * free with umucg_procs_free. */
int umucg_group_tree(int group_fd, struct umucg_proc **procs, size_t *n,
		     struct umucg_error *err);
void umucg_procs_free(struct umucg_proc *procs, size_t n);

/* Moves processes into the group, every one checked first: nothing moves
 * when one does not exist, is a kernel thread or is not the caller's to
 * signal. With tree, their descendants follow, rescanning until no new one
 * appears; the group is frozen meanwhile so that moved processes cannot fork
 * (and thawed after, unless it was frozen before). Returns how many
 * processes were moved. */
int umucg_move(int group_fd, const pid_t *pids, size_t n, bool tree,
	       struct umucg_error *err);
/* Moves the calling process into the group. */
int umucg_join(int group_fd, struct umucg_error *err);

/* Waits on cgroup.events notifications until KEY has value, at most
 * timeout seconds (negative: no limit); -ETIMEDOUT otherwise. */
int umucg_group_wait_event(int group_fd, const char *key, unsigned long long value,
			   double timeout, struct umucg_error *err);
/* Asks the kernel to freeze (or thaw) the group and waits until
 * cgroup.events says so. -EALREADY, changing nothing, when cgroup.freeze
 * already holds that value. */
int umucg_group_freeze(int group_fd, bool frozen, double timeout,
		       struct umucg_error *err);
/* Sends sig to every process (thawing a frozen group so that it is
 * delivered), waits up to grace seconds for the group to empty, then kills
 * what is left and waits until it is empty. Returns 1 when it had to kill,
 * 0 when the signal sufficed. Does not remove the group. */
int umucg_group_stop(const struct umucg_meta_store *store, int group_fd, int sig,
		     double grace, enum umucg_kill_method method, struct umucg_error *err);

/* 1 (*who: which) when the group or one below it holds the calling process,
 * an ancestor of it (its shell ... PID 1) or its session leader; else 0. */
int umucg_group_holds_caller(int group_fd, pid_t *who, struct umucg_error *err);

/* Removes the base's empty groups whose manager is gone, and the empty ones
 * 'create' made longer than min_age seconds ago; never one without a record.
 * *removed: their names (free with umucg_names_free). */
int umucg_gc(const struct umucg_meta_store *store, int base_fd, double min_age,
	     char ***removed, size_t *n, struct umucg_error *err);

/* gc --stop: ends the groups whose manager is gone but which have processes
 * (sig to all, grace seconds, then kill); never a live manager's, a created
 * one, one without a record; those holding the caller go to *spared. */
int umucg_gc_stop(const struct umucg_meta_store *store, int base_fd, int sig, double grace,
		  enum umucg_kill_method method, char ***stopped, size_t *nstopped,
		  char ***spared, size_t *nspared, struct umucg_error *err);

#ifdef __cplusplus
}
#endif
#endif
