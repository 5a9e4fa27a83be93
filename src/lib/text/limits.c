/* limits.c - the LIMITS grammar (sizes, counts, weights, CPU percentages)
 * and the interface file and value each limit is written as. */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "internal.h"

/* Parses "123" or "123.456" into an integer part and a fraction scaled to
 * 10^9; *end points past the digits. */
static int parse_decimal(const char *s, uint64_t *whole, uint64_t *frac_e9,
			 const char **end)
{
	const char *p = s;
	uint64_t w = 0, f = 0, scale = 100000000;
	if (!isdigit((unsigned char)*p))
		return -EINVAL;
	for (; isdigit((unsigned char)*p); p++) {
		if (w > (UINT64_MAX - (uint64_t)(*p - '0')) / 10)
			return -ERANGE;
		w = w * 10 + (uint64_t)(*p - '0');
	}
	if (*p == '.') {
		p++;
		if (!isdigit((unsigned char)*p))
			return -EINVAL;
		for (; isdigit((unsigned char)*p); p++) {
			f += (uint64_t)(*p - '0') * scale;
			scale /= 10; /* digits past the ninth are dropped */
		}
	}
	*whole = w;
	*frac_e9 = f;
	*end = p;
	return 0;
}

int umucg_parse_size(const char *s, uint64_t *out, struct umucg_error *err)
{
	if (strcasecmp(s, "max") == 0) {
		*out = UMUCG_UNLIMITED;
		return 0;
	}
	uint64_t whole, frac;
	const char *p;
	int r = parse_decimal(s, &whole, &frac, &p);
	if (r == -ERANGE)
		return umucg_err(err, -ERANGE, "invalid size '%s': too large", s);
	if (r < 0) {
		umucg_err(err, -EINVAL, "invalid size '%s'", s);
		return umucg_err_hint(err, "a size is a number with an optional K, M, G or T suffix (e.g. 4G, 1.5G, 512M), or max");
	}
	unsigned shift = 0;
	switch (tolower((unsigned char)*p)) {
	case 'k': shift = 10; p++; break;
	case 'm': shift = 20; p++; break;
	case 'g': shift = 30; p++; break;
	case 't': shift = 40; p++; break;
	default: break;
	}
	if (shift && tolower((unsigned char)p[0]) == 'i' && tolower((unsigned char)p[1]) == 'b')
		p += 2;
	else if (tolower((unsigned char)*p) == 'b')
		p++;
	if (*p) {
		umucg_err(err, -EINVAL, "invalid size '%s': unexpected '%s'", s, p);
		return umucg_err_hint(err, "a size is a number with an optional K, M, G or T suffix (e.g. 4G, 1.5G, 512M), or max");
	}
	if (shift && whole > (UINT64_MAX >> shift))
		return umucg_err(err, -ERANGE, "invalid size '%s': too large", s);
	uint64_t bytes = whole << shift;
	/* fraction * 2^shift / 10^9, exact in 128 bits */
	unsigned __int128 fb = ((unsigned __int128)frac << shift) / 1000000000u;
	if ((unsigned __int128)bytes + fb >= UMUCG_UNLIMITED)
		return umucg_err(err, -ERANGE, "invalid size '%s': too large", s);
	*out = bytes + (uint64_t)fb;
	return 0;
}

/* A whole number in [lo, hi], or "max" when allow_max. */
static int parse_count(const char *opt, const char *s, uint64_t lo, uint64_t hi,
		       bool allow_max, uint64_t *out, struct umucg_error *err)
{
	if (allow_max && strcasecmp(s, "max") == 0) {
		*out = UMUCG_UNLIMITED;
		return 0;
	}
	uint64_t v = 0;
	const char *p = s;
	if (!isdigit((unsigned char)*p))
		goto bad;
	for (; isdigit((unsigned char)*p); p++) {
		if (v > (UINT64_MAX - (uint64_t)(*p - '0')) / 10)
			return umucg_err(err, -ERANGE, "%s: '%s' is too large", opt, s);
		v = v * 10 + (uint64_t)(*p - '0');
	}
	if (*p)
		goto bad;
	if (v < lo || v > hi)
		return umucg_err(err, -ERANGE, "%s: '%s' is out of range (%" PRIu64 "..%" PRIu64 ")",
				 opt, s, lo, hi);
	*out = v;
	return 0;
bad:
	return umucg_err(err, -EINVAL, "%s: '%s' is not a whole number%s", opt, s,
			 allow_max ? " or max" : "");
}

/* "150%", "150", "12.5%" or "max" -> quota in microseconds per period. */
static int parse_cpu_max(const char *s, uint64_t *quota, struct umucg_error *err)
{
	if (strcasecmp(s, "max") == 0) {
		*quota = UMUCG_UNLIMITED;
		return 0;
	}
	uint64_t whole, frac;
	const char *p;
	int r = parse_decimal(s, &whole, &frac, &p);
	if (r == 0 && *p == '%')
		p++;
	if (r < 0 || *p) {
		umucg_err(err, -EINVAL, "--cpu-max: invalid percentage '%s'", s);
		return umucg_err_hint(err, "a percentage of one CPU, e.g. 50%% or 150%% (one and a half CPUs), or max");
	}
	/* 1% of a 100000 us period is 1000 us; the kernel's floor is 1000 us */
	if (whole > 100000000)
		return umucg_err(err, -ERANGE, "--cpu-max: '%s' is too large", s);
	uint64_t q = whole * 1000 + frac / 1000000;
	if (q < 1000)
		return umucg_err(err, -ERANGE, "--cpu-max: '%s' is below the minimum of 1%%", s);
	*quota = q;
	return 0;
}

/* "0-7,16-23" (the canonical form is kept) or "max" (every CPU of the
 * parent: an empty cpuset.cpus). */
static int parse_cpus(const char *s, struct umucg_limits *l, struct umucg_error *err)
{
	if (strcasecmp(s, "max") == 0) {
		l->cpus[0] = '\0';
		l->set |= UMUCG_LIMIT_CPUS;
		return 0;
	}
	uint64_t bits[UMUCG_CPUSET_WORDS];
	const char *bad = s;
	int r = *s ? umucg_cpulist_parse(s, bits, &bad) : -EINVAL;
	if (r == -ERANGE)
		return umucg_err(err, -ERANGE, "--cpus: invalid CPU list '%s': CPU numbers go up to %d",
				 s, UMUCG_CPU_ID_MAX);
	if (r == 0 && strchr(s, '\n'))
		r = -EINVAL;
	if (r < 0) {
		if (*bad && bad != s)
			umucg_err(err, -EINVAL, "--cpus: invalid CPU list '%s' at '%s'", s, bad);
		else
			umucg_err(err, -EINVAL, "--cpus: invalid CPU list '%s'", s);
		return umucg_err_hint(err, "CPU numbers and ranges separated by commas, e.g. 0-7,16-23 "
				      "(/sys/devices/system/cpu/online lists them), or max");
	}
	if (umucg_cpulist_format(bits, l->cpus, sizeof l->cpus) < 0)
		return umucg_err(err, -ERANGE, "--cpus: CPU list '%s' is too long", s);
	l->set |= UMUCG_LIMIT_CPUS;
	return 0;
}

static const char *const limit_options[] = {
	"mem", "mem-max", "swap-max", "pids", "cpu-weight", "cpu-max", "io-weight",
	"mem-low", "cpus", NULL,
};

const char *umucg_limit_option(unsigned i)
{
	return i < sizeof limit_options / sizeof *limit_options ? limit_options[i] : NULL;
}

int umucg_limits_parse_option(struct umucg_limits *l, const char *opt,
			      const char *value, struct umucg_error *err)
{
	uint64_t v = 0;
	int r;
	char what[32];
	snprintf(what, sizeof what, "--%s", opt);
	if (!value)
		return umucg_err(err, -EINVAL, "%s: needs a value", what);
	if (strcmp(opt, "mem") == 0 || strcmp(opt, "mem-max") == 0 ||
	    strcmp(opt, "swap-max") == 0 || strcmp(opt, "mem-low") == 0) {
		struct umucg_error sub = { 0 };
		r = umucg_parse_size(value, &v, &sub);
		if (r < 0) {
			umucg_err(err, r, "%s: %s", what, sub.msg);
			if (sub.hint[0])
				umucg_err_hint(err, "%s", sub.hint);
			return r;
		}
		if (strcmp(opt, "mem") == 0) {
			l->mem_high = v;
			l->set |= UMUCG_LIMIT_MEM_HIGH;
		} else if (strcmp(opt, "mem-max") == 0) {
			l->mem_max = v;
			l->set |= UMUCG_LIMIT_MEM_MAX;
		} else if (strcmp(opt, "mem-low") == 0) {
			l->mem_low = v;
			l->set |= UMUCG_LIMIT_MEM_LOW;
		} else {
			l->swap_max = v;
			l->set |= UMUCG_LIMIT_SWAP_MAX;
		}
		return 0;
	}
	if (strcmp(opt, "cpus") == 0)
		return parse_cpus(value, l, err);
	if (strcmp(opt, "pids") == 0) {
		r = parse_count(what, value, 1, UMUCG_UNLIMITED - 1, true, &v, err);
		if (r < 0)
			return r;
		l->pids_max = v;
		l->set |= UMUCG_LIMIT_PIDS_MAX;
		return 0;
	}
	if (strcmp(opt, "cpu-weight") == 0 || strcmp(opt, "io-weight") == 0) {
		r = parse_count(what, value, 1, 10000, false, &v, err);
		if (r < 0)
			return r;
		if (opt[0] == 'c') {
			l->cpu_weight = (uint32_t)v;
			l->set |= UMUCG_LIMIT_CPU_WEIGHT;
		} else {
			l->io_weight = (uint32_t)v;
			l->set |= UMUCG_LIMIT_IO_WEIGHT;
		}
		return 0;
	}
	if (strcmp(opt, "cpu-max") == 0) {
		r = parse_cpu_max(value, &v, err);
		if (r < 0)
			return r;
		l->cpu_quota_us = v;
		l->set |= UMUCG_LIMIT_CPU_MAX;
		return 0;
	}
	return umucg_err(err, -ENOENT, "%s: not a limit option", what);
}

unsigned umucg_limits_controllers(const struct umucg_limits *l)
{
	unsigned c = 0;
	if (l->set & (UMUCG_LIMIT_MEM_HIGH | UMUCG_LIMIT_MEM_MAX | UMUCG_LIMIT_SWAP_MAX |
		      UMUCG_LIMIT_MEM_LOW))
		c |= UMUCG_CTRL_MEMORY;
	if (l->set & UMUCG_LIMIT_PIDS_MAX)
		c |= UMUCG_CTRL_PIDS;
	if (l->set & (UMUCG_LIMIT_CPU_WEIGHT | UMUCG_LIMIT_CPU_MAX))
		c |= UMUCG_CTRL_CPU;
	if (l->set & UMUCG_LIMIT_IO_WEIGHT)
		c |= UMUCG_CTRL_IO;
	if (l->set & UMUCG_LIMIT_CPUS)
		c |= UMUCG_CTRL_CPUSET;
	return c;
}

void umucg_limits_drop_controllers(struct umucg_limits *l, unsigned ctrl)
{
	if (ctrl & UMUCG_CTRL_MEMORY)
		l->set &= ~(unsigned)(UMUCG_LIMIT_MEM_HIGH | UMUCG_LIMIT_MEM_MAX | UMUCG_LIMIT_SWAP_MAX |
				      UMUCG_LIMIT_MEM_LOW);
	if (ctrl & UMUCG_CTRL_PIDS)
		l->set &= ~(unsigned)UMUCG_LIMIT_PIDS_MAX;
	if (ctrl & UMUCG_CTRL_CPU)
		l->set &= ~(unsigned)(UMUCG_LIMIT_CPU_WEIGHT | UMUCG_LIMIT_CPU_MAX);
	if (ctrl & UMUCG_CTRL_IO)
		l->set &= ~(unsigned)UMUCG_LIMIT_IO_WEIGHT;
	if (ctrl & UMUCG_CTRL_CPUSET)
		l->set &= ~(unsigned)UMUCG_LIMIT_CPUS;
}

static void format_u64_or_max(char *buf, size_t cap, uint64_t v)
{
	if (v == UMUCG_UNLIMITED)
		str_copy(buf, cap, "max");
	else
		fmt_ull(buf, cap, v);
}

int umucg_limits_format(const struct umucg_limits *l, unsigned bit,
			const char **file, char *value, size_t cap)
{
	switch (bit) {
	case UMUCG_LIMIT_MEM_HIGH:
		*file = "memory.high";
		format_u64_or_max(value, cap, l->mem_high);
		return 0;
	case UMUCG_LIMIT_MEM_MAX:
		*file = "memory.max";
		format_u64_or_max(value, cap, l->mem_max);
		return 0;
	case UMUCG_LIMIT_SWAP_MAX:
		*file = "memory.swap.max";
		format_u64_or_max(value, cap, l->swap_max);
		return 0;
	case UMUCG_LIMIT_PIDS_MAX:
		*file = "pids.max";
		format_u64_or_max(value, cap, l->pids_max);
		return 0;
	case UMUCG_LIMIT_CPU_WEIGHT:
		*file = "cpu.weight";
		fmt_ull(value, cap, l->cpu_weight);
		return 0;
	case UMUCG_LIMIT_CPU_MAX:
		*file = "cpu.max";
		/* "QUOTA PERIOD" or "max PERIOD" */
		format_u64_or_max(value, cap, l->cpu_quota_us);
		if (strlen(value) + 2 < cap) {
			size_t n = strlen(value);
			value[n++] = ' ';
			fmt_ull(value + n, cap - n, UMUCG_CPU_PERIOD_US);
		}
		return 0;
	case UMUCG_LIMIT_IO_WEIGHT:
		*file = "io.weight";
		str_copy(value, cap, "default ");
		if (strlen(value) + 1 < cap)
			fmt_ull(value + strlen(value), cap - strlen(value), l->io_weight);
		return 0;
	case UMUCG_LIMIT_MEM_LOW:
		*file = "memory.low";
		format_u64_or_max(value, cap, l->mem_low);
		return 0;
	case UMUCG_LIMIT_CPUS:
		*file = "cpuset.cpus";
		/* An empty list is written as a newline: the kernel strips it. */
		snprintf(value, cap, "%s", l->cpus[0] ? l->cpus : "\n");
		return (size_t)snprintf(NULL, 0, "%s", l->cpus) < cap ? 0 : -ENOSPC;
	}
	return -EINVAL;
}
