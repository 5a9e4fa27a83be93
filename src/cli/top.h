/* top.h - what cmd_top.c (sampling, terminal, loop) and top_render.c (the
 * table and the JSON) share. */
#ifndef UMUCG_TOP_H
#define UMUCG_TOP_H

#include <stddef.h>
#include <stdint.h>

#include "cli.h"

/* One group in one sample. Rates are negative until there are two
 * samples of the group. */
struct top_row {
	char *name;
	char command[1024];
	size_t nprocs;
	struct umucg_usage u;
	double cpu_percent;          /* of one CPU: 200 is two CPUs busy */
	double io_read_rate, io_write_rate; /* bytes per second */
};

enum top_sort { TOP_SORT_CPU, TOP_SORT_MEMORY, TOP_SORT_IO };

struct top_frame {
	const char *base_path;
	struct top_row *rows;
	size_t n;
	enum top_sort sort;
	unsigned iteration;       /* 1 for the first sample */
	double interval;          /* seconds since the previous sample, 0 for the first */
	long long wall_time;      /* unix time of the sample */
};

/* Orders the rows for display (highest first, then by name). */
void top_sort_rows(struct top_frame *f);
/* The table: a header of two lines, then one line per group. Each line is
 * cut to width bytes (0: no limit) and ends with eol ("\n", or "\x1b[K\r\n"
 * on a live screen); at most max_lines lines (0: all). Appended to *buf. */
struct top_text {
	char *buf;
	size_t len, cap;
	int error;
};
void top_render_table(struct top_text *t, const struct top_frame *f, size_t width,
		      size_t max_lines, const char *eol, bool keys);
/* One JSON object (one line) for the frame. 0 or -errno. */
int top_render_json(const struct top_frame *f, FILE *out);

#endif
