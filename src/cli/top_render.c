/* top_render.c - umucg top's output: the table (live screen and batch) and
 * one JSON object per sample. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "top.h"

static const char *const sort_names[] = { "CPU", "memory", "IO" };

static double io_rate(const struct top_row *r)
{
	return (r->io_read_rate > 0 ? r->io_read_rate : 0) + (r->io_write_rate > 0 ? r->io_write_rate : 0);
}

static uint64_t memory_now(const struct top_row *r)
{
	return r->u.memory_current.present ? r->u.memory_current.value : 0;
}

/* Highest first, then by name. */
static int by_key(double ka, double kb, const struct top_row *a, const struct top_row *b)
{
	if (ka != kb)
		return ka < kb ? 1 : -1;
	return strcmp(a->name, b->name);
}

static int by_cpu(const void *pa, const void *pb)
{
	const struct top_row *a = pa, *b = pb;
	return by_key(a->cpu_percent, b->cpu_percent, a, b);
}

static int by_memory(const void *pa, const void *pb)
{
	const struct top_row *a = pa, *b = pb;
	return by_key((double)memory_now(a), (double)memory_now(b), a, b);
}

static int by_io(const void *pa, const void *pb)
{
	const struct top_row *a = pa, *b = pb;
	return by_key(io_rate(a), io_rate(b), a, b);
}

void top_sort_rows(struct top_frame *f)
{
	int (*cmp)(const void *, const void *) = f->sort == TOP_SORT_MEMORY ? by_memory :
						 f->sort == TOP_SORT_IO ? by_io : by_cpu;
	if (f->n > 1)
		qsort(f->rows, f->n, sizeof *f->rows, cmp);
}

static void put(struct top_text *t, const char *s, size_t n)
{
	if (t->error)
		return;
	if (t->len + n + 1 > t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 8192;
		while (t->len + n + 1 > cap)
			cap *= 2;
		char *bigger = realloc(t->buf, cap);
		if (!bigger) {
			t->error = -ENOMEM;
			return;
		}
		t->buf = bigger;
		t->cap = cap;
	}
	memcpy(t->buf + t->len, s, n);
	t->len += n;
	t->buf[t->len] = '\0';
}

/* One line, cut to width, then eol. */
static void line(struct top_text *t, size_t width, const char *eol, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void line(struct top_text *t, size_t width, const char *eol, const char *fmt, ...)
{
	char buf[2048];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	size_t len = n < 0 ? 0 : (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1;
	while (len && buf[len - 1] == ' ')
		len--;
	if (width && len > width) {
		len = width;
		while (len && ((unsigned char)buf[len] & 0xc0) == 0x80)
			len--; /* not inside a UTF-8 character */
	}
	put(t, buf, len);
	put(t, eol, strlen(eol));
}

static void size_cell(const struct umucg_figure *f, char *out, size_t cap)
{
	if (f->present)
		umucg_format_size(f->value, out, cap);
	else
		snprintf(out, cap, "-");
}

static void rate_cell(double rate, char *out, size_t cap)
{
	if (rate < 0)
		snprintf(out, cap, "-");
	else
		umucg_format_size((uint64_t)(rate + 0.5), out, cap);
}

static void psi_cell(const struct umucg_pressure *p, char *out, size_t cap)
{
	if (p->present)
		snprintf(out, cap, "%.2f", p->some_avg10);
	else
		snprintf(out, cap, "-");
}

/* memory.max when set, else memory.high, else "max" (or "-" without
 * the memory controller). */
static void limit_cell(const struct umucg_usage *u, char *out, size_t cap)
{
	const struct umucg_figure *f = &u->memory_max;
	if (f->present && f->value == UMUCG_UNLIMITED && u->memory_high.present)
		f = &u->memory_high;
	size_cell(f, out, cap);
}

static void row_line(struct top_text *t, const struct top_row *r, size_t width, const char *eol)
{
	char name[4 * UMUCG_NAME_MAX + 1], cmd[512], cpu[16], mem[16], peak[16], lim[16];
	char rd[16], wr[16], pm[16], pc[16];
	cli_escape(name, sizeof name, r->name);
	cli_escape(cmd, sizeof cmd, r->command[0] ? r->command : "-");
	if (r->cpu_percent < 0)
		snprintf(cpu, sizeof cpu, "-");
	else
		snprintf(cpu, sizeof cpu, "%.1f", r->cpu_percent);
	size_cell(&r->u.memory_current, mem, sizeof mem);
	size_cell(&r->u.memory_peak, peak, sizeof peak);
	limit_cell(&r->u, lim, sizeof lim);
	rate_cell(r->io_read_rate, rd, sizeof rd);
	rate_cell(r->io_write_rate, wr, sizeof wr);
	psi_cell(&r->u.pressure[UMUCG_PSI_MEMORY], pm, sizeof pm);
	psi_cell(&r->u.pressure[UMUCG_PSI_CPU], pc, sizeof pc);
	line(t, width, eol, "%-20s %5zu %6s %7s %7s %7s %7s %7s %6s %6s  %s", name, r->nprocs, cpu,
	     mem, peak, lim, rd, wr, pm, pc, cmd);
}

void top_render_table(struct top_text *t, const struct top_frame *f, size_t width,
		      size_t max_lines, const char *eol, bool keys)
{
	char when[32] = "", base[1024];
	time_t now = (time_t)f->wall_time;
	struct tm tm;
	if (localtime_r(&now, &tm))
		strftime(when, sizeof when, "%H:%M:%S", &tm);
	cli_escape(base, sizeof base, f->base_path);
	line(t, width, eol, "umucg top - %s - %zu group%s - by %s - %s%s", base, f->n,
	     f->n == 1 ? "" : "s", sort_names[f->sort], when,
	     keys ? " - keys: c CPU, m memory, i IO, q quit" : "");
	line(t, width, eol, "%-20s %5s %6s %7s %7s %7s %7s %7s %6s %6s  %s", "NAME", "PROCS", "CPU%",
	     "MEMORY", "PEAK", "LIMIT", "READ/s", "WRITE/s", "PSImem", "PSIcpu", "COMMAND");
	for (size_t i = 0; i < f->n && (!max_lines || i + 2 < max_lines); i++)
		row_line(t, &f->rows[i], width, eol);
}

static void json_figure(struct umucg_json *j, const char *key, const struct umucg_figure *f)
{
	umucg_json_key(j, key);
	if (!f->present)
		umucg_json_null(j);
	else if (f->value == UMUCG_UNLIMITED)
		umucg_json_string(j, "max");
	else
		umucg_json_uint(j, f->value);
}

static void json_rate(struct umucg_json *j, const char *key, double v, unsigned decimals)
{
	umucg_json_key(j, key);
	if (v < 0)
		umucg_json_null(j);
	else
		umucg_json_fixed(j, v, decimals);
}

static void json_row(struct umucg_json *j, const struct top_row *r)
{
	umucg_json_begin_object(j);
	umucg_json_key(j, "name");
	umucg_json_string(j, r->name);
	umucg_json_key(j, "processes");
	umucg_json_uint(j, r->nprocs);
	json_rate(j, "cpu_percent", r->cpu_percent, 1);
	json_figure(j, "cpu_usec", &r->u.cpu_usec);
	json_figure(j, "memory_current", &r->u.memory_current);
	json_figure(j, "memory_peak", &r->u.memory_peak);
	umucg_json_key(j, "memory_peak_sampled");
	umucg_json_bool(j, r->u.memory_peak_sampled);
	json_figure(j, "memory_high", &r->u.memory_high);
	json_figure(j, "memory_max", &r->u.memory_max);
	json_figure(j, "pids_current", &r->u.pids_current);
	json_figure(j, "pids_max", &r->u.pids_max);
	json_figure(j, "io_read_bytes", &r->u.io_read_bytes);
	json_figure(j, "io_write_bytes", &r->u.io_write_bytes);
	json_rate(j, "io_read_bytes_per_second", r->io_read_rate, 0);
	json_rate(j, "io_write_bytes_per_second", r->io_write_rate, 0);
	umucg_json_key(j, "pressure");
	cli_pressure_json(j, &r->u);
	umucg_json_key(j, "command");
	umucg_json_string(j, r->command[0] ? r->command : NULL);
	umucg_json_end_object(j);
}

int top_render_json(const struct top_frame *f, FILE *out)
{
	struct umucg_json j;
	umucg_json_init(&j);
	umucg_json_begin_object(&j);
	umucg_json_key(&j, "time");
	umucg_json_int(&j, f->wall_time);
	umucg_json_key(&j, "iteration");
	umucg_json_uint(&j, f->iteration);
	umucg_json_key(&j, "interval_seconds");
	umucg_json_fixed(&j, f->interval, 3);
	umucg_json_key(&j, "base");
	umucg_json_string(&j, f->base_path);
	umucg_json_key(&j, "sort");
	umucg_json_string(&j, f->sort == TOP_SORT_MEMORY ? "memory" : f->sort == TOP_SORT_IO ? "io" : "cpu");
	umucg_json_key(&j, "groups");
	umucg_json_begin_array(&j);
	for (size_t i = 0; i < f->n; i++)
		json_row(&j, &f->rows[i]);
	umucg_json_end_array(&j);
	umucg_json_end_object(&j);
	const char *text;
	int r = umucg_json_finish(&j, &text, NULL);
	if (r == 0 && fputs(text, out) < 0)
		r = -EIO;
	umucg_json_free(&j);
	return r;
}
