/* usage.c - what a group used (CPU time, memory and process peaks, IO
 * bytes, pressure stalls) and why its processes died (OOM kills, refused
 * forks), each figure absent where the kernel does not give it. */
#include <ctype.h>
#include <string.h>

#include "internal.h"

/* A file of one value: a number or "max". */
static struct umucg_figure read_single(int group_fd, const char *file)
{
	struct umucg_figure f = { 0 };
	char text[64];
	if (cgfile_read(group_fd, file, text, sizeof text) <= 0)
		return f;
	if (strncmp(text, "max", 3) == 0) {
		f.value = UMUCG_UNLIMITED;
		f.present = true;
		return f;
	}
	char *end;
	errno = 0;
	unsigned long long v = strtoull(text, &end, 10);
	if (!errno && end != text && isdigit((unsigned char)text[0])) {
		f.value = v;
		f.present = true;
	}
	return f;
}

static struct umucg_figure keyed(const char *text, bool have, const char *key)
{
	struct umucg_figure f = { 0 };
	unsigned long long v;
	if (have && cgfile_keyed_value(text, key, &v) == 0) {
		f.value = v;
		f.present = true;
	}
	return f;
}

void umucg_io_stat_parse(const char *text, uint64_t *rbytes, uint64_t *wbytes)
{
	*rbytes = *wbytes = 0;
	/* "MAJ:MIN rbytes=N wbytes=N rios=N ..." per device */
	for (const char *p = text; *p; p++) {
		if (p != text && p[-1] != ' ')
			continue;
		uint64_t *sum = strncmp(p, "rbytes=", 7) == 0 ? rbytes :
				strncmp(p, "wbytes=", 7) == 0 ? wbytes : NULL;
		if (sum)
			*sum += strtoull(p + 7, NULL, 10);
	}
}

/* "12.34" (the kernel prints two decimals) without the locale's say. */
static bool parse_percent(const char *s, double *out)
{
	if (!isdigit((unsigned char)*s))
		return false;
	double v = 0, scale = 1;
	for (; isdigit((unsigned char)*s); s++)
		v = v * 10 + (*s - '0');
	if (*s == '.')
		for (s++; isdigit((unsigned char)*s); s++)
			v += (*s - '0') * (scale /= 10);
	*out = v;
	return *s == ' ' || *s == '\n' || !*s;
}

/* One line "some avg10=A avg60=B avg300=C total=T" of a pressure file. */
static bool pressure_line(const char *text, const char *kind, double *avg10, uint64_t *total)
{
	size_t klen = strlen(kind);
	const char *line = text;
	while (strncmp(line, kind, klen) != 0 || line[klen] != ' ') {
		line = strchr(line, '\n');
		if (!line)
			return false;
		line++;
	}
	const char *a = strstr(line, " avg10="), *t = strstr(line, " total=");
	const char *eol = strchr(line, '\n');
	if (!a || !t || (eol && (a > eol || t > eol)) || !parse_percent(a + 7, avg10) ||
	    !isdigit((unsigned char)t[7]))
		return false;
	*total = strtoull(t + 7, NULL, 10);
	return true;
}

int umucg_pressure_parse(const char *text, struct umucg_pressure *p)
{
	memset(p, 0, sizeof *p);
	if (!pressure_line(text, "some", &p->some_avg10, &p->some_total_usec))
		return -EINVAL;
	p->present = true;
	p->full_present = pressure_line(text, "full", &p->full_avg10, &p->full_total_usec);
	return 0;
}

static void read_cpu(int group_fd, struct umucg_usage *u)
{
	char text[1024];
	bool have = cgfile_read(group_fd, "cpu.stat", text, sizeof text) >= 0;
	u->cpu_usec = keyed(text, have, "usage_usec");
	u->cpu_user_usec = keyed(text, have, "user_usec");
	u->cpu_system_usec = keyed(text, have, "system_usec");
}

static void read_memory_events(int group_fd, struct umucg_usage *u)
{
	char text[512];
	bool have = cgfile_read(group_fd, "memory.events", text, sizeof text) >= 0;
	u->oom_kill = keyed(text, have, "oom_kill");
	u->oom_group_kill = keyed(text, have, "oom_group_kill");
	u->memory_high_events = keyed(text, have, "high");
	u->memory_max_events = keyed(text, have, "max");
}

static void read_memory(int group_fd, unsigned what, struct umucg_usage *u)
{
	read_memory_events(group_fd, u);
	bool oom = u->oom_kill.value || u->oom_group_kill.value;
	if (!(what & UMUCG_USAGE_MEMORY) && !oom)
		return;
	if (what & UMUCG_USAGE_MEMORY) {
		u->memory_current = read_single(group_fd, "memory.current");
		u->memory_high = read_single(group_fd, "memory.high");
	}
	u->memory_peak = read_single(group_fd, "memory.peak");
	u->memory_max = read_single(group_fd, "memory.max");
	u->swap_max = read_single(group_fd, "memory.swap.max");
}

static void read_pids(int group_fd, unsigned what, struct umucg_usage *u)
{
	char text[128];
	bool have = cgfile_read(group_fd, "pids.events", text, sizeof text) >= 0;
	u->pids_max_events = keyed(text, have, "max");
	if (!(what & UMUCG_USAGE_PIDS) && !u->pids_max_events.value)
		return;
	if (what & UMUCG_USAGE_PIDS)
		u->pids_current = read_single(group_fd, "pids.current");
	u->pids_peak = read_single(group_fd, "pids.peak");
	u->pids_max = read_single(group_fd, "pids.max");
}

static void read_io(int group_fd, struct umucg_usage *u)
{
	cleanup_free char *text = NULL;
	if (cgfile_read_alloc(group_fd, "io.stat", &text, NULL) < 0)
		return;
	umucg_io_stat_parse(text, &u->io_read_bytes.value, &u->io_write_bytes.value);
	u->io_read_bytes.present = u->io_write_bytes.present = true;
}

static void read_pressure(int group_fd, struct umucg_usage *u)
{
	static const char *const files[UMUCG_PSI_COUNT] = {
		[UMUCG_PSI_CPU] = "cpu.pressure",
		[UMUCG_PSI_MEMORY] = "memory.pressure",
		[UMUCG_PSI_IO] = "io.pressure",
	};
	for (int i = 0; i < UMUCG_PSI_COUNT; i++) {
		char text[256];
		/* EOPNOTSUPP when PSI is off (psi=0, or cgroup.pressure 0). */
		if (cgfile_read(group_fd, files[i], text, sizeof text) < 0 ||
		    umucg_pressure_parse(text, &u->pressure[i]) < 0)
			memset(&u->pressure[i], 0, sizeof u->pressure[i]);
	}
}

/* A kernel peak wins; else the highest sample the caller took, if any,
 * and the value read now counts as one more. */
static void keep_sampled(struct umucg_figure *peak, bool *sampled, struct umucg_figure sample,
			 struct umucg_figure now)
{
	*sampled = false;
	if (peak->present || !sample.present)
		return;
	*peak = sample;
	if (now.present && now.value > peak->value)
		peak->value = now.value;
	*sampled = true;
}

int umucg_group_usage(int group_fd, unsigned what, struct umucg_usage *u,
		      struct umucg_error *err)
{
	struct umucg_figure mem_sample = u->memory_peak_sampled ? u->memory_peak : (struct umucg_figure){ 0 };
	struct umucg_figure pids_sample = u->pids_peak_sampled ? u->pids_peak : (struct umucg_figure){ 0 };
	memset(u, 0, sizeof *u);
	u->read = what;
	if (!what)
		return 0;
	if (what & UMUCG_USAGE_CPU)
		read_cpu(group_fd, u);
	if (what & (UMUCG_USAGE_MEMORY | UMUCG_USAGE_MEMORY_EVENTS))
		read_memory(group_fd, what, u);
	if (what & (UMUCG_USAGE_PIDS | UMUCG_USAGE_PIDS_EVENTS))
		read_pids(group_fd, what, u);
	if (what & UMUCG_USAGE_IO)
		read_io(group_fd, u);
	if (what & UMUCG_USAGE_PRESSURE)
		read_pressure(group_fd, u);
	if (what & UMUCG_USAGE_MEMORY)
		keep_sampled(&u->memory_peak, &u->memory_peak_sampled, mem_sample, u->memory_current);
	if (what & UMUCG_USAGE_PIDS)
		keep_sampled(&u->pids_peak, &u->pids_peak_sampled, pids_sample, u->pids_current);
	/* Absent figures are normal (no controller, an old kernel); a group
	 * that was removed has no file at all. */
	if (!u->cpu_usec.present && !u->oom_kill.present && !u->pids_max_events.present &&
	    !u->io_read_bytes.present && !u->pressure[UMUCG_PSI_CPU].present &&
	    umucg_group_gone(group_fd))
		return umucg_err(err, -ENOENT, "group: removed while its usage was read");
	return 0;
}

static void raise_to(struct umucg_figure *peak, bool *sampled, struct umucg_figure now)
{
	if (!now.present)
		return;
	if (!*sampled || !peak->present || now.value > peak->value)
		*peak = now;
	*sampled = true;
}

int umucg_usage_sample(int group_fd, struct umucg_usage *u, struct umucg_error *err)
{
	struct umucg_figure mem = read_single(group_fd, "memory.current");
	struct umucg_figure pids = read_single(group_fd, "pids.current");
	if (!mem.present && !pids.present && umucg_group_gone(group_fd))
		return umucg_err(err, -ENOENT, "group: removed while it was sampled");
	raise_to(&u->memory_peak, &u->memory_peak_sampled, mem);
	raise_to(&u->pids_peak, &u->pids_peak_sampled, pids);
	return 0;
}

static uint64_t rise(const struct umucg_figure *before, const struct umucg_figure *after)
{
	uint64_t from = before && before->present ? before->value : 0;
	return after->present && after->value > from ? after->value - from : 0;
}

bool umucg_usage_limit_hit(const struct umucg_usage *before, const struct umucg_usage *after,
			   struct umucg_limit_hit *hit)
{
	memset(hit, 0, sizeof *hit);
	hit->oom_kills = rise(before ? &before->oom_kill : NULL, &after->oom_kill);
	hit->oom_group_kills = rise(before ? &before->oom_group_kill : NULL, &after->oom_group_kill);
	hit->memory = hit->oom_kills || hit->oom_group_kills;
	if (hit->memory) {
		/* Without a memory.max of its own (or unread), the OOM killer
		 * acted for the machine or an enclosing group. */
		hit->memory_max = after->memory_max.present ? after->memory_max.value : UMUCG_UNLIMITED;
		if (after->swap_max.present && after->swap_max.value != UMUCG_UNLIMITED)
			hit->swap_max = after->swap_max;
		hit->memory_peak = after->memory_peak;
	}
	hit->forks_refused = rise(before ? &before->pids_max_events : NULL, &after->pids_max_events);
	hit->pids = hit->forks_refused > 0;
	if (hit->pids) {
		hit->pids_max = after->pids_max.present ? after->pids_max.value : UMUCG_UNLIMITED;
		hit->pids_peak = after->pids_peak;
	}
	return hit->memory || hit->pids;
}
