/* umucg/text.h - errors, group names, the LIMITS grammar, durations and signal names, the JSON writer.
 * Part of libumucg's API: include <umucg.h>, which includes every part. */
#ifndef UMUCG_TEXT_H
#define UMUCG_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#define UMUCG_NAME_MAX 64
#define UMUCG_UNLIMITED UINT64_MAX /* "max" in a cgroup interface file */

/* ---- errors ---------------------------------------------------------- */

struct umucg_error {
	int code;        /* negative errno, 0 when no error */
	char msg[512];   /* "what: why" */
	char hint[256];  /* empty or a suggestion for the user */
};

/* ---- names ----------------------------------------------------------- */

/* 0 when name is a valid group name, -EINVAL with a message otherwise. */
int umucg_name_validate(const char *name, struct umucg_error *err);

/* Writes the default group name to out (UMUCG_NAME_MAX + 1 bytes): umu-$UMU_ID
 * (UMU_ID as it is when it starts with umu- already), else
 * steam-$SteamAppId / steam-$SteamGameId, else the basename of argv0, each
 * made valid by replacing odd bytes with '_'. The variables are looked up
 * with getenv_fn (pass getenv for the process's own); NULL: none, the
 * basename. */
void umucg_name_default(const char *argv0, const char *(*getenv_fn)(const char *),
			char out[UMUCG_NAME_MAX + 1]);

/* ---- limits ---------------------------------------------------------- */

enum {
	UMUCG_CTRL_MEMORY = 1u << 0,
	UMUCG_CTRL_PIDS = 1u << 1,
	UMUCG_CTRL_CPU = 1u << 2,
	UMUCG_CTRL_IO = 1u << 3,
	UMUCG_CTRL_CPUSET = 1u << 4,
};

enum {
	UMUCG_LIMIT_MEM_HIGH = 1u << 0,
	UMUCG_LIMIT_MEM_MAX = 1u << 1,
	UMUCG_LIMIT_SWAP_MAX = 1u << 2,
	UMUCG_LIMIT_PIDS_MAX = 1u << 3,
	UMUCG_LIMIT_CPU_WEIGHT = 1u << 4,
	UMUCG_LIMIT_CPU_MAX = 1u << 5,
	UMUCG_LIMIT_IO_WEIGHT = 1u << 6,
	UMUCG_LIMIT_MEM_LOW = 1u << 7,
	UMUCG_LIMIT_CPUS = 1u << 8,
};

#define UMUCG_CPU_PERIOD_US 100000u
#define UMUCG_CPUS_LEN 256   /* a CPU list's text ("0-7,16-23"), NUL included */
#define UMUCG_CPU_ID_MAX 8191 /* the highest CPU number a list may name */

struct umucg_limits {
	unsigned set;          /* UMUCG_LIMIT_* bits of the fields given */
	uint64_t mem_high;     /* bytes or UMUCG_UNLIMITED */
	uint64_t mem_max;
	uint64_t swap_max;
	uint64_t pids_max;     /* count or UMUCG_UNLIMITED */
	uint32_t cpu_weight;   /* 1..10000 */
	uint32_t io_weight;    /* 1..10000 */
	uint64_t cpu_quota_us; /* per UMUCG_CPU_PERIOD_US, or UMUCG_UNLIMITED */
	uint64_t mem_low;      /* memory.low: bytes protected from reclaim */
	char cpus[UMUCG_CPUS_LEN]; /* cpuset.cpus, canonical ("0-3,8"); "" for
				    * max: every CPU of the parent */
};

/* SIZE: integer or decimal, optional K/M/G/T (powers of 1024, any case,
 * optional B/iB), or "max" (-> UMUCG_UNLIMITED). */
int umucg_parse_size(const char *s, uint64_t *out, struct umucg_error *err);

/* Parses one LIMITS option: opt is its name without dashes ("mem",
 * "mem-max", "swap-max", "pids", "cpu-weight", "cpu-max", "io-weight",
 * "mem-low", "cpus"; see umucg_limit_option) and value its argument (for
 * cpus a list of CPU numbers and ranges, "0-7,16-23", or max). Returns 0,
 * -EINVAL or -ERANGE on a bad value, -ENOENT when opt is no limit option. */
int umucg_limits_parse_option(struct umucg_limits *limits, const char *opt,
			      const char *value, struct umucg_error *err);

/* Controllers the set limits need (UMUCG_CTRL_* mask). */
unsigned umucg_limits_controllers(const struct umucg_limits *limits);

/* Clears the limits that need any of the controllers in ctrl. */
void umucg_limits_drop_controllers(struct umucg_limits *limits, unsigned ctrl);

/* A set limit (a UMUCG_LIMIT_* bit): file, value written, for people ("4.0G").
 * value and human hold UMUCG_LIMIT_TEXT_LEN bytes each: the longest value is
 * a CPU list. Returns 0, or -ENOENT when bit is not one set limit. */
#define UMUCG_LIMIT_TEXT_LEN UMUCG_CPUS_LEN
int umucg_limit_describe(const struct umucg_limits *limits, unsigned bit, const char **file,
			 char value[UMUCG_LIMIT_TEXT_LEN], char human[UMUCG_LIMIT_TEXT_LEN]);

/* Writes the set limits into the group's interface files. */
int umucg_limits_apply(int group_fd, const struct umucg_limits *limits,
		       struct umucg_error *err);

/* Checks the set limits against what the base (the parent of its groups)
 * offers, before anything is written: the CPUs of "cpus" must be in the
 * base's cpuset.cpus.effective (-EINVAL naming those that are not). Reads
 * nothing when no such limit is set. */
int umucg_limits_check(int base_fd, const struct umucg_limits *limits,
		       struct umucg_error *err);

/* The i-th LIMITS option name without dashes ("mem", "mem-max", ...), NULL
 * past the last. */
const char *umucg_limit_option(unsigned i);

/* DURATION: a non-negative decimal number with an optional s, m, h or d
 * suffix (timeout(1)'s grammar); the result is in seconds. */
int umucg_parse_duration(const char *s, double *seconds, struct umucg_error *err);

/* Name of one UMUCG_CTRL_* bit ("memory", "pids", "cpu", "io", "cpuset"). */
const char *umucg_controller_name(unsigned ctrl);
/* Reads a controllers file (cgroup.controllers, cgroup.subtree_control). */
int umucg_controllers_read(int dir_fd, const char *file, unsigned *mask,
			   struct umucg_error *err);
/* -EOPNOTSUPP naming the first controller of want missing from available,
 * with the fix as hint; where names the place for the message. */
int umucg_controllers_require(unsigned available, unsigned want, const char *where,
			      struct umucg_error *err);
/* Enables the controllers of want in dir_fd's cgroup.subtree_control. */
int umucg_controllers_enable(int dir_fd, unsigned want, struct umucg_error *err);

/* ---- JSON output ------------------------------------------------------ */

/* A JSON writer into a growing buffer; strings are escaped (quotes,
 * backslashes, control characters) and invalid UTF-8 bytes become U+FFFD,
 * so the text is valid JSON for any input. Errors are sticky and reported
 * by umucg_json_finish. */
struct umucg_json {
	char *buf;
	size_t len, cap;
	int depth;
	unsigned count[32];
	bool after_key;
	int error;
};
void umucg_json_init(struct umucg_json *j);
void umucg_json_free(struct umucg_json *j);
void umucg_json_begin_object(struct umucg_json *j);
void umucg_json_end_object(struct umucg_json *j);
void umucg_json_begin_array(struct umucg_json *j);
void umucg_json_end_array(struct umucg_json *j);
void umucg_json_key(struct umucg_json *j, const char *key);
void umucg_json_string(struct umucg_json *j, const char *s); /* NULL: null */
void umucg_json_uint(struct umucg_json *j, uint64_t v);
void umucg_json_int(struct umucg_json *j, int64_t v);
void umucg_json_bool(struct umucg_json *j, bool v);
void umucg_json_null(struct umucg_json *j);
/* A number with that many decimals (at most 9, fewer where the digits run
 * out); null when v is not finite or beyond +-1e18. */
void umucg_json_fixed(struct umucg_json *j, double v, unsigned decimals);
/* The text (ending in a newline after the top-level value), or the error. */
int umucg_json_finish(struct umucg_json *j, const char **text, size_t *len);

#ifdef __cplusplus
}
#endif
#endif
