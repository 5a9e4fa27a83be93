/* cpulist.c - CPU lists ("0-7,16-23"): the grammar of --cpus and of the
 * kernel's cpuset.cpus files, read into bitmaps and written back. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

static void bit_set(uint64_t *bits, unsigned cpu)
{
	bits[cpu / 64] |= (uint64_t)1 << (cpu % 64);
}

static bool bit_test(const uint64_t *bits, unsigned cpu)
{
	return bits[cpu / 64] >> (cpu % 64) & 1;
}

/* A CPU number at *p (digits only); moves *p past it. */
static int parse_cpu(const char **p, unsigned *cpu)
{
	const char *s = *p;
	unsigned long v = 0;
	if (!isdigit((unsigned char)*s))
		return -EINVAL;
	for (; isdigit((unsigned char)*s); s++) {
		v = v * 10 + (unsigned long)(*s - '0');
		if (v > UMUCG_CPU_ID_MAX)
			return -ERANGE;
	}
	*cpu = (unsigned)v;
	*p = s;
	return 0;
}

int umucg_cpulist_parse(const char *text, uint64_t *bits, const char **bad)
{
	memset(bits, 0, UMUCG_CPUSET_WORDS * sizeof *bits);
	const char *p = text;
	if (*p == '\n' && !p[1])
		return 0; /* the kernel's empty list */
	while (*p) {
		const char *start = p;
		unsigned lo, hi;
		int r = parse_cpu(&p, &lo);
		hi = lo;
		if (r == 0 && *p == '-') {
			p++;
			r = parse_cpu(&p, &hi);
			if (r == 0 && hi < lo)
				r = -EINVAL;
		}
		if (r == 0 && *p == ',' && p[1] && p[1] != '\n')
			p++;
		else if (r == 0 && *p == '\n' && !p[1])
			p++;
		else if (r == 0 && *p)
			r = -EINVAL;
		if (r < 0) {
			if (bad)
				*bad = start;
			return r;
		}
		for (unsigned c = lo; c <= hi; c++)
			bit_set(bits, c);
	}
	return 0;
}

int umucg_cpulist_format(const uint64_t *bits, char *out, size_t cap)
{
	size_t len = 0;
	if (cap == 0)
		return -ENOSPC;
	out[0] = '\0';
	for (unsigned c = 0; c <= UMUCG_CPU_ID_MAX; c++) {
		if (!bit_test(bits, c))
			continue;
		unsigned end = c;
		while (end < UMUCG_CPU_ID_MAX && bit_test(bits, end + 1))
			end++;
		int n = end == c ? snprintf(out + len, cap - len, "%s%u", len ? "," : "", c)
				 : snprintf(out + len, cap - len, "%s%u-%u", len ? "," : "", c, end);
		if (n < 0 || (size_t)n >= cap - len) {
			out[len] = '\0';
			return -ENOSPC;
		}
		len += (size_t)n;
		c = end;
	}
	return (int)len;
}

bool umucg_cpulist_empty(const uint64_t *bits)
{
	for (size_t i = 0; i < UMUCG_CPUSET_WORDS; i++)
		if (bits[i])
			return false;
	return true;
}
