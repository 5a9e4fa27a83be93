/* usage_report.c - a group's usage for people and scripts: the line that
 * says which limit killed processes, run --report's summary (text or JSON),
 * and the figures status adds. Absent figures are "-" or null, never 0. */
#include <inttypes.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli.h"

static const char *const psi_names[UMUCG_PSI_COUNT] = { "cpu", "memory", "io" };

/* "4.0G", or "-" when absent. */
static const char *size_or_dash(const struct umucg_figure *f, char *buf, size_t cap)
{
	if (!f->present)
		snprintf(buf, cap, "-");
	else
		umucg_format_size(f->value, buf, cap);
	return buf;
}

static const char *count_or_dash(const struct umucg_figure *f, char *buf, size_t cap)
{
	if (!f->present)
		snprintf(buf, cap, "-");
	else if (f->value == UMUCG_UNLIMITED)
		snprintf(buf, cap, "max");
	else
		snprintf(buf, cap, "%" PRIu64, f->value);
	return buf;
}

static const char *usec_or_dash(const struct umucg_figure *f, char *buf, size_t cap)
{
	if (!f->present)
		snprintf(buf, cap, "-");
	else
		snprintf(buf, cap, "%.3fs", (double)f->value / 1e6);
	return buf;
}

static void memory_hit(FILE *out, const struct umucg_limit_hit *h)
{
	char v[32], peak[32];
	if (h->oom_kills)
		fprintf(out, "%" PRIu64 " process%s killed by the kernel's OOM killer", h->oom_kills,
			h->oom_kills == 1 ? " was" : "es were");
	else
		fprintf(out, "the group was killed by the kernel's OOM killer (%" PRIu64 " time%s)",
			h->oom_group_kills, h->oom_group_kills == 1 ? "" : "s");
	if (h->memory_max == UMUCG_UNLIMITED) {
		fputs(": the machine or an enclosing group ran out of memory (no memory.max here)", out);
	} else {
		umucg_format_size(h->memory_max, v, sizeof v);
		fprintf(out, " at memory.max %s", v);
		if (h->swap_max.present) {
			umucg_format_size(h->swap_max.value, v, sizeof v);
			fprintf(out, " (memory.swap.max %s)", v);
		}
	}
	if (h->memory_peak.present)
		fprintf(out, " (peak %s)", size_or_dash(&h->memory_peak, peak, sizeof peak));
}

static void pids_hit(FILE *out, const struct umucg_limit_hit *h)
{
	fprintf(out, "%" PRIu64 " fork%s refused", h->forks_refused,
		h->forks_refused == 1 ? " was" : "s were");
	if (h->pids_max == UMUCG_UNLIMITED)
		fputs(" at the pids.max of an enclosing group", out);
	else
		fprintf(out, " at pids.max %" PRIu64, h->pids_max);
	if (h->pids_peak.present)
		fprintf(out, " (peak %" PRIu64 ")", h->pids_peak.value);
}

void cli_limit_hit_line(FILE *out, const struct umucg_limit_hit *h)
{
	if (!h->memory && !h->pids)
		return;
	fputs("umucg: ", out);
	if (h->memory)
		memory_hit(out, h);
	if (h->memory && h->pids)
		fputs("; ", out);
	if (h->pids)
		pids_hit(out, h);
	fputc('\n', out);
}

static void json_value(struct umucg_json *j, const struct umucg_figure *f)
{
	if (!f->present)
		umucg_json_null(j);
	else if (f->value == UMUCG_UNLIMITED)
		umucg_json_string(j, "max");
	else
		umucg_json_uint(j, f->value);
}

static void json_figure(struct umucg_json *j, const char *key, const struct umucg_figure *f)
{
	umucg_json_key(j, key);
	json_value(j, f);
}

void cli_pressure_json(struct umucg_json *j, const struct umucg_usage *u)
{
	umucg_json_begin_object(j);
	for (int i = 0; i < UMUCG_PSI_COUNT; i++) {
		const struct umucg_pressure *p = &u->pressure[i];
		umucg_json_key(j, psi_names[i]);
		if (!p->present) {
			umucg_json_null(j);
			continue;
		}
		umucg_json_begin_object(j);
		umucg_json_key(j, "some_avg10");
		umucg_json_fixed(j, p->some_avg10, 2);
		umucg_json_key(j, "some_total_usec");
		umucg_json_uint(j, p->some_total_usec);
		umucg_json_key(j, "full_avg10");
		if (p->full_present)
			umucg_json_fixed(j, p->full_avg10, 2);
		else
			umucg_json_null(j);
		umucg_json_key(j, "full_total_usec");
		if (p->full_present)
			umucg_json_uint(j, p->full_total_usec);
		else
			umucg_json_null(j);
		umucg_json_end_object(j);
	}
	umucg_json_end_object(j);
}

/* One hit: {"limit": FILE, "value": N or "max", COUNT_KEY: N, "peak": ...}. */
static void json_hit(struct umucg_json *j, const char *file, uint64_t value,
		     const char *count_key, uint64_t count, const struct umucg_figure *peak)
{
	umucg_json_begin_object(j);
	umucg_json_key(j, "limit");
	umucg_json_string(j, file);
	json_figure(j, "value", &(struct umucg_figure){ .present = true, .value = value });
	umucg_json_key(j, count_key);
	umucg_json_uint(j, count);
	json_figure(j, "peak", peak);
	umucg_json_end_object(j);
}

static void json_limit_hit(struct umucg_json *j, const struct umucg_limit_hit *h)
{
	umucg_json_key(j, "limit_hit");
	umucg_json_begin_object(j);
	umucg_json_key(j, "memory");
	if (h->memory)
		json_hit(j, "memory.max", h->memory_max, "oom_kills", h->oom_kills, &h->memory_peak);
	else
		umucg_json_null(j);
	umucg_json_key(j, "pids");
	if (h->pids)
		json_hit(j, "pids.max", h->pids_max, "forks_refused", h->forks_refused, &h->pids_peak);
	else
		umucg_json_null(j);
	umucg_json_end_object(j);
}

void cli_usage_json_members(struct umucg_json *j, const struct umucg_usage *u)
{
	json_figure(j, "cpu_usec", &u->cpu_usec);
	json_figure(j, "cpu_user_usec", &u->cpu_user_usec);
	json_figure(j, "cpu_system_usec", &u->cpu_system_usec);
	json_figure(j, "memory_peak_bytes", &u->memory_peak);
	umucg_json_key(j, "memory_peak_sampled");
	umucg_json_bool(j, u->memory_peak_sampled);
	json_figure(j, "pids_peak", &u->pids_peak);
	json_figure(j, "io_read_bytes", &u->io_read_bytes);
	json_figure(j, "io_write_bytes", &u->io_write_bytes);
	json_figure(j, "oom_kills", &u->oom_kill);
	json_figure(j, "oom_group_kills", &u->oom_group_kill);
	json_figure(j, "pids_max_refusals", &u->pids_max_events);
	json_figure(j, "memory_high_events", &u->memory_high_events);
	json_figure(j, "memory_max_events", &u->memory_max_events);
	umucg_json_key(j, "pressure");
	cli_pressure_json(j, u);
}

static void text_pressure(FILE *out, const struct umucg_usage *u)
{
	bool any = false;
	for (int i = 0; i < UMUCG_PSI_COUNT; i++) {
		const struct umucg_pressure *p = &u->pressure[i];
		if (!p->present)
			continue;
		fprintf(out, "%s%s some %.3fs", any ? ", " : "  pressure       ", psi_names[i],
			(double)p->some_total_usec / 1e6);
		if (p->full_present)
			fprintf(out, " full %.3fs", (double)p->full_total_usec / 1e6);
		any = true;
	}
	fputs(any ? "\n" : "  pressure       - (no PSI here)\n", out);
}

static void text_report(FILE *out, const struct cli_report *r)
{
	const struct umucg_usage *u = r->usage;
	char a[32], b[32], c[32];
	if (r->group)
		fprintf(out, "umucg: report for %s (exit status %d)\n", r->group, r->exit_code);
	else
		fprintf(out, "umucg: report (no group: exit status %d)\n", r->exit_code);
	fprintf(out, "  wall time      %.3fs\n", (double)r->wall_usec / 1e6);
	fprintf(out, "  CPU            %s (user %s, system %s)\n",
		usec_or_dash(&u->cpu_usec, a, sizeof a), usec_or_dash(&u->cpu_user_usec, b, sizeof b),
		usec_or_dash(&u->cpu_system_usec, c, sizeof c));
	fprintf(out, "  memory peak    %s%s\n", size_or_dash(&u->memory_peak, a, sizeof a),
		u->memory_peak_sampled ? " (highest sample: no memory.peak here)" : "");
	fprintf(out, "  processes peak %s%s\n", count_or_dash(&u->pids_peak, a, sizeof a),
		u->pids_peak_sampled ? " (highest sample: no pids.peak here)" : "");
	fprintf(out, "  IO             read %s, written %s\n",
		size_or_dash(&u->io_read_bytes, a, sizeof a), size_or_dash(&u->io_write_bytes, b, sizeof b));
	fprintf(out, "  OOM kills      %s", count_or_dash(&u->oom_kill, a, sizeof a));
	if (u->oom_group_kill.present && u->oom_group_kill.value)
		fprintf(out, " (%" PRIu64 " of the whole group)", u->oom_group_kill.value);
	fprintf(out, "\n  forks refused  %s (pids.max)\n", count_or_dash(&u->pids_max_events, a, sizeof a));
	fprintf(out, "  throttled      %s (memory.high events)\n",
		count_or_dash(&u->memory_high_events, a, sizeof a));
	text_pressure(out, u);
}

int cli_usage_report(const struct cli_report *r, bool json)
{
	if (!json) {
		text_report(stderr, r);
		return fflush(stderr) == 0 ? 0 : -EIO;
	}
	struct umucg_limit_hit hit;
	umucg_usage_limit_hit(NULL, r->usage, &hit);
	struct umucg_json j;
	umucg_json_init(&j);
	umucg_json_begin_object(&j);
	umucg_json_key(&j, "group");
	umucg_json_string(&j, r->group);
	umucg_json_key(&j, "exit_code");
	umucg_json_int(&j, r->exit_code);
	umucg_json_key(&j, "wall_usec");
	umucg_json_int(&j, r->wall_usec);
	cli_usage_json_members(&j, r->usage);
	json_limit_hit(&j, &hit);
	umucg_json_end_object(&j);
	const char *text;
	int rc = umucg_json_finish(&j, &text, NULL);
	if (rc == 0)
		fputs(text, stderr);
	umucg_json_free(&j);
	return rc;
}

void cli_usage_status_lines(FILE *out, const struct umucg_usage *u)
{
	char a[32], b[32], c[32];
	fprintf(out, "      CPU: %s (user %s, system %s)\n", usec_or_dash(&u->cpu_usec, a, sizeof a),
		usec_or_dash(&u->cpu_user_usec, b, sizeof b),
		usec_or_dash(&u->cpu_system_usec, c, sizeof c));
	fprintf(out, "       IO: read %s, written %s\n", size_or_dash(&u->io_read_bytes, a, sizeof a),
		size_or_dash(&u->io_write_bytes, b, sizeof b));
	fputs(" Pressure:", out);
	bool any = false;
	for (int i = 0; i < UMUCG_PSI_COUNT; i++) {
		const struct umucg_pressure *p = &u->pressure[i];
		if (!p->present)
			continue;
		fprintf(out, "%s %s some %.2f%%", any ? "," : "", psi_names[i], p->some_avg10);
		if (p->full_present)
			fprintf(out, " full %.2f%%", p->full_avg10);
		any = true;
	}
	if (!any) {
		fputs(" - (no PSI here)\n", out);
		return;
	}
	fputs(" (avg10)\n           stalled:", out);
	any = false;
	for (int i = 0; i < UMUCG_PSI_COUNT; i++) {
		const struct umucg_pressure *p = &u->pressure[i];
		if (!p->present)
			continue;
		fprintf(out, "%s %s %.3fs", any ? "," : "", psi_names[i], (double)p->some_total_usec / 1e6);
		if (p->full_present)
			fprintf(out, "/%.3fs", (double)p->full_total_usec / 1e6);
		any = true;
	}
	fputs(" (some/full, total)\n", out);
}

int64_t cli_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void cli_run_report(const struct umucg_run_result *res, const char *group, bool report,
		    bool json, int exit_code)
{
	struct umucg_limit_hit hit;
	/* With --report --json stderr holds one JSON object: limit_hit is in it. */
	if (umucg_usage_limit_hit(NULL, &res->usage, &hit) && !(report && json))
		cli_limit_hit_line(stderr, &hit);
	if (!report)
		return;
	/* Without a group (no usable cgroup2) only the wall time is known. */
	struct cli_report r = { .group = group, .exit_code = exit_code,
				.wall_usec = res->wall_usec, .usage = &res->usage };
	cli_usage_report(&r, json);
}
