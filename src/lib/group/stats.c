/* stats.c - a group's limits, usage, peaks and event counters, read from
 * the interface files the kernel has (absent ones are reported absent). */
#include <stdio.h>
#include <string.h>

#include "internal.h"

struct stat_source {
	const char *name;
	enum umucg_stat_section section;
	const char *file;
	const char *key;  /* NULL: the file holds one value ("max" allowed) */
};

static const struct stat_source sources[] = {
	{ "memory_current", UMUCG_SECTION_USAGE, "memory.current", NULL },
	{ "memory_peak", UMUCG_SECTION_USAGE, "memory.peak", NULL },
	{ "swap_current", UMUCG_SECTION_USAGE, "memory.swap.current", NULL },
	{ "swap_peak", UMUCG_SECTION_USAGE, "memory.swap.peak", NULL },
	{ "pids_current", UMUCG_SECTION_USAGE, "pids.current", NULL },
	{ "pids_peak", UMUCG_SECTION_USAGE, "pids.peak", NULL },
	{ "memory_low", UMUCG_SECTION_LIMITS, "memory.low", NULL },
	{ "memory_high", UMUCG_SECTION_LIMITS, "memory.high", NULL },
	{ "memory_max", UMUCG_SECTION_LIMITS, "memory.max", NULL },
	{ "swap_max", UMUCG_SECTION_LIMITS, "memory.swap.max", NULL },
	{ "pids_max", UMUCG_SECTION_LIMITS, "pids.max", NULL },
	{ "cpu_weight", UMUCG_SECTION_LIMITS, "cpu.weight", NULL },
	{ "cpu_max_quota_us", UMUCG_SECTION_LIMITS, "cpu.max", NULL },
	{ "cpu_max_period_us", UMUCG_SECTION_LIMITS, "cpu.max", "" },
	{ "io_weight", UMUCG_SECTION_LIMITS, "io.weight", "default" },
	{ "low", UMUCG_SECTION_MEMORY_EVENTS, "memory.events", "low" },
	{ "high", UMUCG_SECTION_MEMORY_EVENTS, "memory.events", "high" },
	{ "max", UMUCG_SECTION_MEMORY_EVENTS, "memory.events", "max" },
	{ "oom", UMUCG_SECTION_MEMORY_EVENTS, "memory.events", "oom" },
	{ "oom_kill", UMUCG_SECTION_MEMORY_EVENTS, "memory.events", "oom_kill" },
	{ "oom_group_kill", UMUCG_SECTION_MEMORY_EVENTS, "memory.events", "oom_group_kill" },
	{ "max", UMUCG_SECTION_PIDS_EVENTS, "pids.events", "max" },
	{ "usage_usec", UMUCG_SECTION_CPU, "cpu.stat", "usage_usec" },
	{ "user_usec", UMUCG_SECTION_CPU, "cpu.stat", "user_usec" },
	{ "system_usec", UMUCG_SECTION_CPU, "cpu.stat", "system_usec" },
	{ "nr_throttled", UMUCG_SECTION_CPU, "cpu.stat", "nr_throttled" },
	{ "throttled_usec", UMUCG_SECTION_CPU, "cpu.stat", "throttled_usec" },
};

/* One value: a number or "max"; for cpu.max the key "" names the period
 * (second field). */
static bool parse_value(const char *text, const char *key, uint64_t *out)
{
	const char *p = text;
	if (key && *key) {
		unsigned long long v;
		if (cgfile_keyed_value(text, key, &v) < 0)
			return false;
		*out = v;
		return true;
	}
	if (key) { /* the second field */
		p = strchr(text, ' ');
		if (!p)
			return false;
		p++;
	}
	if (strncmp(p, "max", 3) == 0) {
		*out = UMUCG_UNLIMITED;
		return true;
	}
	char *end;
	errno = 0;
	unsigned long long v = strtoull(p, &end, 10);
	if (errno || end == p)
		return false;
	*out = v;
	return true;
}

int umucg_group_stats(int group_fd, struct umucg_stats *stats, struct umucg_error *err)
{
	memset(stats, 0, sizeof *stats);
	char probe[64];
	ssize_t r = cgfile_read(group_fd, "cgroup.events", probe, sizeof probe);
	if (r < 0)
		return umucg_err(err, (int)r, "cgroup.events: %s", strerror((int)-r));
	const char *cached_file = NULL;
	char text[1024] = "";
	bool have_text = false;
	for (size_t i = 0; i < sizeof sources / sizeof *sources && i < UMUCG_STATS_MAX; i++) {
		const struct stat_source *src = &sources[i];
		if (!cached_file || strcmp(cached_file, src->file) != 0) {
			cached_file = src->file;
			have_text = cgfile_read(group_fd, src->file, text, sizeof text) >= 0;
		}
		struct umucg_stat *s = &stats->s[stats->n++];
		s->name = src->name;
		s->section = src->section;
		s->present = have_text && parse_value(text, src->key, &s->value);
	}
	return 0;
}

const struct umucg_stat *umucg_stats_get(const struct umucg_stats *stats,
					 enum umucg_stat_section section, const char *name)
{
	for (size_t i = 0; i < stats->n; i++)
		if (stats->s[i].section == section && strcmp(stats->s[i].name, name) == 0)
			return &stats->s[i];
	return NULL;
}

void umucg_stats_json(struct umucg_json *j, const struct umucg_stats *stats,
		      enum umucg_stat_section section)
{
	umucg_json_begin_object(j);
	for (size_t i = 0; i < stats->n; i++) {
		const struct umucg_stat *s = &stats->s[i];
		if (s->section != section)
			continue;
		umucg_json_key(j, s->name);
		if (!s->present)
			umucg_json_null(j);
		else if (s->value == UMUCG_UNLIMITED)
			umucg_json_string(j, "max");
		else
			umucg_json_uint(j, s->value);
	}
	umucg_json_end_object(j);
}

void umucg_format_size(uint64_t bytes, char *out, size_t cap)
{
	static const char units[] = "BKMGTPE";
	if (bytes == UMUCG_UNLIMITED) {
		snprintf(out, cap, "max");
		return;
	}
	double v = (double)bytes;
	size_t u = 0;
	while (v >= 1024 && u + 1 < sizeof units - 1) {
		v /= 1024;
		u++;
	}
	if (u == 0)
		snprintf(out, cap, "%lluB", (unsigned long long)bytes);
	else
		snprintf(out, cap, "%.1f%c", v, units[u]);
}
