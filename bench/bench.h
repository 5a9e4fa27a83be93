/* bench.h - helpers shared by the benchmarks: clocks, medians, spawning a
 * command and waiting for it, the private cgroup2 base, output lines. */
#ifndef UMUCG_BENCH_H
#define UMUCG_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* CLOCK_MONOTONIC in nanoseconds. */
uint64_t bench_now_ns(void);

/* Median of n values (sorts v in place). */
double bench_median(double *v, size_t n);

/* BENCH_QUICK=1 in the environment: fewer runs, shorter intervals. */
bool bench_quick(void);
/* Runs per figure: the quick or the full count, or BENCH_RUNS if set. */
size_t bench_runs(size_t full, size_t quick);

/* The umucg ELF to measure (UMUCG_ELF, set by `make bench`), the helper
 * (BENCH_HELPER). Exits with a message when unset. */
const char *bench_umucg(void);
const char *bench_helper(void);

/* Starts argv (looked up in PATH) with stdin and stdout on /dev/null, and
 * stderr too unless verbose; keep_fd (or -1) is left open in the child.
 * Returns the pid; exits on failure. */
pid_t bench_spawn(char *const argv[], bool verbose, int keep_fd);
/* Waits for pid; returns its wait status. */
int bench_wait(pid_t pid);
/* Spawns argv, waits, and returns the elapsed ns; *status gets the wait
 * status. */
uint64_t bench_run_once(char *const argv[], int *status);

/* Creates a private base directory under the cgroup2 mount
 * (<mount>/umucg-bench-<pid>) and returns its path; bench_base_remove
 * removes it and every group left inside (killing what still runs). */
const char *bench_base_create(void);
void bench_base_remove(void);
/* Number of pids in <dir>/cgroup.procs, -1 when it cannot be read. */
long bench_count_procs(const char *dir);
/* 1 populated, 0 empty, -1 unreadable, from <dir>/cgroup.events. */
int bench_populated(const char *dir);

/* true when `umucg SUB --help` is a known command. */
bool bench_umucg_has(const char *sub);

/* Prints the header of a section. */
void bench_section(const char *title);
/* One figure: name, median (in the given unit), and when base > 0 the
 * ratio to it and the difference. */
void bench_line(const char *name, double median, const char *unit, double base);

/* The second umucg build to measure beside the first (BENCH_UMUCG_B, e.g.
 * a static musl one), or NULL. */
char *bench_umucg_b(void);

/* One goal of issue 13, for the table `make bench` ends with (bench/summary):
 * appended to $BENCH_GOALS when set. figure and bound in unit; met when
 * figure <= bound; peer names what the bound comes from, measured in the
 * same run (peer_figure, or < 0 for a fixed bound). */
void bench_goal(const char *what, double figure, const char *unit, const char *peer,
		double peer_figure, double bound);

/* Prints "bench: what: why" and exits 1 (removing the base first). */
void bench_die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

#endif
