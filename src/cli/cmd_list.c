/* cmd_list.c - umucg list: every group under the base with its state,
 * processes, memory, limits, age and command, and every other populated
 * directory there, marked by its kind. */
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

static const char list_help[] =
	"Usage: umucg list [--json]\n"
	"Show every group under the base: name, kind, state (running, frozen,\n"
	"empty, manager-gone), process count, memory.current and memory.peak (where\n"
	"the kernel has them), limits, age and command; and every other directory\n"
	"there that has processes, by kind: session (a login session's leaf),\n"
	"foreign (no umucg record, or a name umucg never gives), nested (inside\n"
	"another, shown as PARENT/NAME). --json prints one object, with the\n"
	"pressure stalls (PSI) of each group; its fields are described in umucg(1).\n\n"
	"Options:\n"
	"  --json             machine-readable output\n";

struct row {
	const struct umucg_entry *entry;
	struct umucg_group_info info;
	struct umucg_stats stats;
	struct umucg_usage usage;   /* pressure, for --json */
};

static void format_age(long long seconds, char *out, size_t cap)
{
	if (seconds < 0)
		seconds = 0;
	if (seconds < 120)
		snprintf(out, cap, "%llds", seconds);
	else if (seconds < 7200)
		snprintf(out, cap, "%lldm", seconds / 60);
	else if (seconds < 172800)
		snprintf(out, cap, "%lldh", seconds / 3600);
	else
		snprintf(out, cap, "%lldd", seconds / 86400);
}

/* "mem=4.0G pids=512": the limits that are not max. */
static void format_limits(const struct umucg_stats *st, char *out, size_t cap)
{
	static const struct { const char *stat, *label; bool bytes; } shown[] = {
		{ "memory_high", "mem", true }, { "memory_max", "mem-max", true },
		{ "memory_low", "mem-low", true },
		{ "swap_max", "swap-max", true }, { "pids_max", "pids", false },
		{ "cpu_max_quota_us", "cpu-max", false },
	};
	size_t o = 0;
	out[0] = '\0';
	for (size_t i = 0; i < sizeof shown / sizeof *shown; i++) {
		const struct umucg_stat *s = umucg_stats_get(st, UMUCG_SECTION_LIMITS, shown[i].stat);
		if (!s || !s->present || s->value == UMUCG_UNLIMITED)
			continue;
		char v[32];
		if (shown[i].bytes)
			umucg_format_size(s->value, v, sizeof v);
		else if (strcmp(shown[i].stat, "cpu_max_quota_us") == 0)
			snprintf(v, sizeof v, "%llu%%", (unsigned long long)(s->value * 100 / UMUCG_CPU_PERIOD_US));
		else
			snprintf(v, sizeof v, "%llu", (unsigned long long)s->value);
		int n = snprintf(out + o, cap - o, "%s%s=%s", o ? "," : "", shown[i].label, v);
		if (n < 0 || (size_t)n >= cap - o)
			break;
		o += (size_t)n;
	}
	if (!o)
		snprintf(out, cap, "-");
}

static void print_table(const struct row *rows, size_t n, long long now)
{
	printf("%-24s %-8s %-12s %5s %8s %8s %6s %-20s %s\n", "NAME", "KIND", "STATE", "PROCS",
	       "MEMORY", "PEAK", "AGE", "LIMITS", "COMMAND");
	for (size_t i = 0; i < n; i++) {
		const struct row *r = &rows[i];
		const struct umucg_stat *cur = umucg_stats_get(&r->stats, UMUCG_SECTION_USAGE, "memory_current");
		const struct umucg_stat *peak = umucg_stats_get(&r->stats, UMUCG_SECTION_USAGE, "memory_peak");
		char mem[16] = "-", pk[16] = "-", age[32], lim[128];
		if (cur && cur->present)
			umucg_format_size(cur->value, mem, sizeof mem);
		if (peak && peak->present)
			umucg_format_size(peak->value, pk, sizeof pk);
		format_age(now - r->info.created, age, sizeof age);
		format_limits(&r->stats, lim, sizeof lim);
		/* Names and commands are anyone's bytes: escaped (escape.c). */
		char *name = cli_escape_dup(r->entry->name);
		char *cmd = cli_escape_dup(r->info.meta.command[0] ? r->info.meta.command : "-");
		printf("%-24s %-8s %-12s %5zu %8s %8s %6s %-20s %s\n", name ? name : "?",
		       umucg_entry_kind_name(r->entry->kind), umucg_state_name(r->info.state),
		       r->info.nprocs, mem, pk, age, lim, cmd ? cmd : "?");
		free(name);
		free(cmd);
	}
}

/* Groups whose umucg was killed while their processes run on: say how to
 * end them (on stderr, after the table). */
static void hint_orphans(const struct row *rows, size_t n)
{
	char names[256] = "";
	size_t o = 0, count = 0;
	for (size_t i = 0; i < n; i++) {
		const struct umucg_group_info *in = &rows[i].info;
		/* (a frozen one lists as frozen, but its manager is gone too) */
		if (in->meta.manager_pid <= 0 || in->manager_alive || !in->populated)
			continue;
		int k = snprintf(names + o, sizeof names - o, "%s'%s'", count ? ", " : "", rows[i].entry->name);
		if (k > 0 && (size_t)k < sizeof names - o)
			o += (size_t)k;
		count++;
	}
	if (count)
		cli_hintf("%s run%s on without %s manager (umucg was killed): 'umucg stop NAME' "
			  "ends one, 'umucg gc --stop' ends every such group", names,
			  count == 1 ? "s" : "", count == 1 ? "its" : "their");
}

static void json_group(struct umucg_json *j, const char *base_path, const struct row *r,
		       long long now)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", base_path, r->entry->name);
	umucg_json_begin_object(j);
	umucg_json_key(j, "name");
	umucg_json_string(j, r->entry->name);
	umucg_json_key(j, "path");
	umucg_json_string(j, path);
	umucg_json_key(j, "kind");
	umucg_json_string(j, umucg_entry_kind_name(r->entry->kind));
	umucg_json_key(j, "addressable");
	umucg_json_bool(j, r->entry->addressable);
	umucg_json_key(j, "state");
	umucg_json_string(j, umucg_state_name(r->info.state));
	umucg_json_key(j, "processes");
	umucg_json_uint(j, r->info.nprocs);
	umucg_json_key(j, "manager_pid");
	if (r->info.meta.manager_pid > 0)
		umucg_json_int(j, r->info.meta.manager_pid);
	else
		umucg_json_null(j);
	umucg_json_key(j, "manager_alive");
	umucg_json_bool(j, r->info.manager_alive);
	umucg_json_key(j, "created");
	umucg_json_int(j, r->info.created);
	umucg_json_key(j, "age_seconds");
	umucg_json_int(j, now > r->info.created ? now - r->info.created : 0);
	umucg_json_key(j, "command");
	umucg_json_string(j, r->info.has_meta ? r->info.meta.command : NULL);
	umucg_json_key(j, "usage");
	umucg_stats_json(j, &r->stats, UMUCG_SECTION_USAGE);
	umucg_json_key(j, "limits");
	umucg_stats_json(j, &r->stats, UMUCG_SECTION_LIMITS);
	umucg_json_key(j, "pressure");
	cli_pressure_json(j, &r->usage);
	umucg_json_end_object(j);
}

static int print_json(const char *base_path, const struct row *rows, size_t n, long long now)
{
	struct umucg_json j;
	umucg_json_init(&j);
	umucg_json_begin_object(&j);
	umucg_json_key(&j, "base");
	umucg_json_string(&j, base_path);
	umucg_json_key(&j, "groups");
	umucg_json_begin_array(&j);
	for (size_t i = 0; i < n; i++)
		json_group(&j, base_path, &rows[i], now);
	umucg_json_end_array(&j);
	umucg_json_end_object(&j);
	return cli_print_json(&j, "list");
}

int cmd_list(struct cli_global *g, int argc, char **argv)
{
	const struct cli_spec spec = { .cmd = "list", .help = list_help };
	struct cli_args a;
	int r = cli_parse(g, &spec, argc, argv, &a);
	if (r != CLI_GO_ON || (r = cli_no_operands("list", argc, argv, &a)))
		return r;

	struct umucg_error err = { 0 };
	struct umucg_base base;
	if (umucg_base_resolve(g->base, &base, &err) < 0) {
		cli_error(&err);
		return EXIT_UMUCG;
	}
	struct umucg_entry *entries = NULL;
	size_t n = 0;
	/* A system base not made yet holds no group. */
	if (base.fd >= 0 && umucg_base_entries(&g->store, base.fd, &entries, &n, &err) < 0) {
		cli_error(&err);
		umucg_base_release(&base);
		return EXIT_UMUCG;
	}
	struct row *rows = calloc(n ? n : 1, sizeof *rows);
	size_t nrows = 0;
	for (size_t i = 0; rows && i < n; i++) {
		int fd = umucg_openat_beneath(base.fd, entries[i].name, O_RDONLY | O_DIRECTORY,
					      UMUCG_BENEATH_SAME_MOUNT, NULL);
		if (fd < 0)
			continue; /* removed since the directory was read */
		struct row *row = &rows[nrows];
		row->entry = &entries[i];
		if (umucg_group_info(&g->store, fd, &row->info, NULL) == 0 &&
		    umucg_group_stats(fd, &row->stats, NULL) == 0 &&
		    umucg_group_usage(fd, g->json ? UMUCG_USAGE_PRESSURE : 0, &row->usage, NULL) == 0)
			nrows++;
		close(fd);
	}
	int code = 0;
	long long now = (long long)time(NULL);
	if (!rows) {
		cli_errorf("list: out of memory");
		code = EXIT_UMUCG;
	} else if (g->json) {
		code = print_json(base.path, rows, nrows, now) < 0 ? EXIT_UMUCG : 0;
	} else {
		print_table(rows, nrows, now);
		hint_orphans(rows, nrows);
	}
	if (fflush(stdout) != 0)
		code = EXIT_UMUCG;
	free(rows);
	umucg_entries_free(entries, n);
	umucg_base_release(&base);
	return code;
}
