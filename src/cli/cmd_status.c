/* cmd_status.c - umucg status: one group's limits, usage and peaks, event
 * counters, CPU time, manager and process tree. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

static const char status_help[] =
	"Usage: umucg status NAME [--json]\n"
	"Show the group NAME: state, manager, command, limits, CPUs, usage and\n"
	"peaks, memory.events and pids.events counters, CPU time (user, system),\n"
	"IO bytes, pressure stalls and the process tree with command lines\n"
	"(indented by depth down to 16 levels; deeper processes are shown at that\n"
	"indent with their depth, as [17]). --json prints one object; its fields\n"
	"are described in umucg(1).\n\n"
	"Options:\n"
	"  --json             machine-readable output\n";

struct status {
	const char *name;
	char path[4096];
	struct umucg_group_info info;
	struct umucg_stats stats;
	struct umucg_usage usage;
	bool have_cpus;
	char cpus[UMUCG_CPUS_LEN], cpus_effective[UMUCG_CPUS_LEN];
	struct umucg_proc *procs;
	size_t nprocs;
};

static const struct umucg_stat *stat_of(const struct status *s, enum umucg_stat_section sec,
					const char *name)
{
	const struct umucg_stat *st = umucg_stats_get(&s->stats, sec, name);
	return st && st->present ? st : NULL;
}

/* "4.0G", "max", or "-" when absent; count: a plain number. */
static const char *show(const struct umucg_stat *st, bool bytes, char *buf, size_t cap)
{
	if (!st)
		snprintf(buf, cap, "-");
	else if (bytes)
		umucg_format_size(st->value, buf, cap);
	else if (st->value == UMUCG_UNLIMITED)
		snprintf(buf, cap, "max");
	else
		snprintf(buf, cap, "%llu", (unsigned long long)st->value);
	return buf;
}

static void print_events(const struct status *s, enum umucg_stat_section sec, const char *label)
{
	bool any = false;
	for (size_t i = 0; i < s->stats.n; i++) {
		const struct umucg_stat *st = &s->stats.s[i];
		if (st->section != sec || !st->present)
			continue;
		printf("%s %s %llu", any ? "," : label, st->name, (unsigned long long)st->value);
		any = true;
	}
	if (any)
		putchar('\n');
}

/* The limits requested but not applied (recorded when the group was made
 * on a host without their controller). */
static const char *controller_of(unsigned bit)
{
	const struct umucg_limits one = { .set = bit };
	return umucg_controller_name(umucg_limits_controllers(&one));
}

static void print_unapplied(const struct umucg_limits *u)
{
	for (unsigned bit = 1; bit && (u->set & ~(bit - 1)); bit <<= 1) {
		const char *file;
		char value[UMUCG_LIMIT_TEXT_LEN], human[UMUCG_LIMIT_TEXT_LEN];
		if (umucg_limit_describe(u, bit, &file, value, human) == 0)
			printf("           %s: %s (not applied: no %s controller here)\n", file, human,
			       controller_of(bit));
	}
}

static void json_unapplied(struct umucg_json *j, const struct umucg_limits *u)
{
	umucg_json_begin_array(j);
	for (unsigned bit = 1; bit && (u->set & ~(bit - 1)); bit <<= 1) {
		const char *file;
		char value[UMUCG_LIMIT_TEXT_LEN], human[UMUCG_LIMIT_TEXT_LEN];
		if (umucg_limit_describe(u, bit, &file, value, human) < 0)
			continue;
		umucg_json_begin_object(j);
		umucg_json_key(j, "file");
		umucg_json_string(j, file);
		umucg_json_key(j, "value");
		umucg_json_string(j, value);
		umucg_json_key(j, "controller");
		umucg_json_string(j, controller_of(bit));
		umucg_json_end_object(j);
	}
	umucg_json_end_array(j);
}

/* Indent per level up to TREE_INDENT_MAX, so that a chain of n processes
 * prints O(n) bytes, not O(n^2); deeper ones carry their depth instead. */
#define TREE_INDENT_MAX 16

static void print_proc(const struct umucg_proc *p)
{
	char *cmd = cli_escape_dup(p->cmdline); /* argv is anyone's bytes */
	if (p->depth <= TREE_INDENT_MAX)
		printf("  %*s%s%d %s\n", (int)(2 * p->depth), "", p->depth ? "└─" : "",
		       (int)p->pid, cmd ? cmd : "?");
	else
		printf("  %*s└─[%u] %d %s\n", 2 * TREE_INDENT_MAX, "", p->depth, (int)p->pid,
		       cmd ? cmd : "?");
	free(cmd);
}

static void print_human(const struct status *s, long long now)
{
	const struct umucg_group_info *in = &s->info;
	char a[32], b[32], c[32], d[32];
	cli_fputs_escaped(s->name, stdout);
	printf(" - %s\n     Path: ", umucg_state_name(in->state));
	cli_fputs_escaped(s->path, stdout);
	putchar('\n');
	if (in->meta.manager_pid > 0)
		printf("  Manager: %d (%s)\n", (int)in->meta.manager_pid, in->manager_alive ? "alive" : "gone");
	else
		printf("  Manager: none%s\n", in->has_meta ? " (made by 'umucg create')" : " recorded");
	if (in->meta.manager_pid > 0 && !in->manager_alive && in->populated)
		printf("           its processes run on unsupervised: 'umucg stop %s' ends them,\n"
		       "           'umucg gc --stop' ends every group whose manager is gone\n", s->name);
	if (in->meta.command[0]) {
		/* The record is the delegated user's to write: escaped. */
		fputs("  Command: ", stdout);
		cli_fputs_escaped(in->meta.command, stdout);
		putchar('\n');
	}
	char when[64] = "?";
	time_t t = (time_t)in->created;
	struct tm tm;
	if (localtime_r(&t, &tm))
		strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm);
	printf("  Created: %s (%llds ago)\n", when, now - in->created);
	printf("   Limits: memory.high %s, memory.max %s, memory.swap.max %s, pids.max %s\n",
	       show(stat_of(s, UMUCG_SECTION_LIMITS, "memory_high"), true, a, sizeof a),
	       show(stat_of(s, UMUCG_SECTION_LIMITS, "memory_max"), true, b, sizeof b),
	       show(stat_of(s, UMUCG_SECTION_LIMITS, "swap_max"), true, c, sizeof c),
	       show(stat_of(s, UMUCG_SECTION_LIMITS, "pids_max"), false, d, sizeof d));
	const struct umucg_stat *q = stat_of(s, UMUCG_SECTION_LIMITS, "cpu_max_quota_us");
	const struct umucg_stat *p = stat_of(s, UMUCG_SECTION_LIMITS, "cpu_max_period_us");
	char cpumax[32] = "-";
	if (q && q->value == UMUCG_UNLIMITED)
		snprintf(cpumax, sizeof cpumax, "max");
	else if (q && p && p->value)
		snprintf(cpumax, sizeof cpumax, "%llu%%", (unsigned long long)(q->value * 100 / p->value));
	printf("           cpu.weight %s, cpu.max %s, io.weight %s, memory.low %s\n",
	       show(stat_of(s, UMUCG_SECTION_LIMITS, "cpu_weight"), false, a, sizeof a), cpumax,
	       show(stat_of(s, UMUCG_SECTION_LIMITS, "io_weight"), false, b, sizeof b),
	       show(stat_of(s, UMUCG_SECTION_LIMITS, "memory_low"), true, c, sizeof c));
	print_unapplied(&in->meta.unapplied);
	if (s->have_cpus)
		printf("     CPUs: %s (effective %s)\n", s->cpus[0] ? s->cpus : "all of the base's",
		       s->cpus_effective);
	printf("   Memory: %s (peak %s), swap %s (peak %s)\n",
	       show(stat_of(s, UMUCG_SECTION_USAGE, "memory_current"), true, a, sizeof a),
	       show(stat_of(s, UMUCG_SECTION_USAGE, "memory_peak"), true, b, sizeof b),
	       show(stat_of(s, UMUCG_SECTION_USAGE, "swap_current"), true, c, sizeof c),
	       show(stat_of(s, UMUCG_SECTION_USAGE, "swap_peak"), true, d, sizeof d));
	printf("    Tasks: %zu processes; pids.current %s (peak %s)\n", in->nprocs,
	       show(stat_of(s, UMUCG_SECTION_USAGE, "pids_current"), false, a, sizeof a),
	       show(stat_of(s, UMUCG_SECTION_USAGE, "pids_peak"), false, b, sizeof b));
	cli_usage_status_lines(stdout, &s->usage);
	print_events(s, UMUCG_SECTION_MEMORY_EVENTS, "   Events: memory");
	print_events(s, UMUCG_SECTION_PIDS_EVENTS, "   Events: pids");
	for (size_t i = 0; i < s->nprocs; i++) {
		printf("%s", i ? "" : "Processes:\n");
		print_proc(&s->procs[i]);
	}
}

/* io, pressure and cpuset: what the usage adds to the stats. */
static void json_observed(struct umucg_json *j, const struct status *s)
{
	umucg_json_key(j, "io");
	umucg_json_begin_object(j);
	umucg_json_key(j, "read_bytes");
	if (s->usage.io_read_bytes.present)
		umucg_json_uint(j, s->usage.io_read_bytes.value);
	else
		umucg_json_null(j);
	umucg_json_key(j, "write_bytes");
	if (s->usage.io_write_bytes.present)
		umucg_json_uint(j, s->usage.io_write_bytes.value);
	else
		umucg_json_null(j);
	umucg_json_end_object(j);
	umucg_json_key(j, "pressure");
	cli_pressure_json(j, &s->usage);
	umucg_json_key(j, "cpuset");
	if (s->have_cpus) {
		umucg_json_begin_object(j);
		umucg_json_key(j, "cpus");
		umucg_json_string(j, s->cpus);
		umucg_json_key(j, "cpus_effective");
		umucg_json_string(j, s->cpus_effective);
		umucg_json_end_object(j);
	} else {
		umucg_json_null(j);
	}
}

static int print_json(const struct status *s, long long now)
{
	const struct umucg_group_info *in = &s->info;
	struct umucg_json j;
	umucg_json_init(&j);
	umucg_json_begin_object(&j);
	umucg_json_key(&j, "name");
	umucg_json_string(&j, s->name);
	umucg_json_key(&j, "path");
	umucg_json_string(&j, s->path);
	umucg_json_key(&j, "state");
	umucg_json_string(&j, umucg_state_name(in->state));
	umucg_json_key(&j, "populated");
	umucg_json_bool(&j, in->populated);
	umucg_json_key(&j, "frozen");
	umucg_json_bool(&j, in->frozen);
	umucg_json_key(&j, "manager_pid");
	if (in->meta.manager_pid > 0)
		umucg_json_int(&j, in->meta.manager_pid);
	else
		umucg_json_null(&j);
	umucg_json_key(&j, "manager_alive");
	umucg_json_bool(&j, in->manager_alive);
	umucg_json_key(&j, "command");
	umucg_json_string(&j, in->has_meta ? in->meta.command : NULL);
	umucg_json_key(&j, "created");
	umucg_json_int(&j, in->created);
	umucg_json_key(&j, "age_seconds");
	umucg_json_int(&j, now > in->created ? now - in->created : 0);
	static const struct { const char *key; enum umucg_stat_section sec; } sections[] = {
		{ "limits", UMUCG_SECTION_LIMITS }, { "usage", UMUCG_SECTION_USAGE },
		{ "memory_events", UMUCG_SECTION_MEMORY_EVENTS },
		{ "pids_events", UMUCG_SECTION_PIDS_EVENTS }, { "cpu", UMUCG_SECTION_CPU },
	};
	for (size_t i = 0; i < sizeof sections / sizeof *sections; i++) {
		umucg_json_key(&j, sections[i].key);
		umucg_stats_json(&j, &s->stats, sections[i].sec);
	}
	umucg_json_key(&j, "unapplied");
	json_unapplied(&j, &in->meta.unapplied);
	json_observed(&j, s);
	umucg_json_key(&j, "processes");
	umucg_json_begin_array(&j);
	for (size_t i = 0; i < s->nprocs; i++) {
		umucg_json_begin_object(&j);
		umucg_json_key(&j, "pid");
		umucg_json_int(&j, s->procs[i].pid);
		umucg_json_key(&j, "ppid");
		umucg_json_int(&j, s->procs[i].ppid);
		umucg_json_key(&j, "depth");
		umucg_json_uint(&j, s->procs[i].depth);
		umucg_json_key(&j, "cmdline");
		umucg_json_string(&j, s->procs[i].cmdline);
		umucg_json_end_object(&j);
	}
	umucg_json_end_array(&j);
	umucg_json_end_object(&j);
	return cli_print_json(&j, "status");
}

int cmd_status(struct cli_global *g, int argc, char **argv)
{
	const struct cli_spec spec = { .cmd = "status", .help = status_help };
	struct cli_args a;
	const char *name;
	int r = cli_parse(g, &spec, argc, argv, &a);
	if (r != CLI_GO_ON || (r = cli_one_name("status", argc, argv, &a, &name)))
		return r;

	struct status s = { .name = name };
	struct umucg_error err = { 0 };
	struct umucg_base base;
	int code = EXIT_UMUCG;
	int fd = umucg_group_lookup(g->base, s.name, &base, &err);
	if (fd >= 0 && umucg_group_info(&g->store, fd, &s.info, &err) == 0 &&
	    umucg_group_stats(fd, &s.stats, &err) == 0 &&
	    umucg_group_usage(fd, UMUCG_USAGE_ALL, &s.usage, &err) == 0 &&
	    umucg_group_tree(fd, &s.procs, &s.nprocs, &err) == 0) {
		s.have_cpus = umucg_group_cpus(fd, s.cpus, s.cpus_effective, sizeof s.cpus, NULL) == 0;
		snprintf(s.path, sizeof s.path, "%s/%s", base.path, s.name);
		long long now = (long long)time(NULL);
		if (g->json)
			code = print_json(&s, now) < 0 ? EXIT_UMUCG : 0;
		else
			print_human(&s, now), code = 0;
		if (fflush(stdout) != 0)
			code = EXIT_UMUCG;
	} else {
		cli_error(&err);
	}
	umucg_procs_free(s.procs, s.nprocs);
	if (fd >= 0)
		close(fd);
	umucg_base_release(&base);
	return code;
}
