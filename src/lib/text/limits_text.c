/* limits_text.c - limits as text: the group record's form ("mem=4294967296
 * pids=512", parsed back by the LIMITS grammar), each limit described for
 * people and machines. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

/* Bit i of umucg_limits.set is the limit of umucg_limit_option(i). */
static bool bit_known(unsigned bit)
{
	unsigned i = 0;
	if (!bit || (bit & (bit - 1)))
		return false;
	while ((1u << i) != bit)
		i++;
	return umucg_limit_option(i) != NULL;
}

/* The value in the LIMITS grammar, exactly (it parses back to the same):
 * the interface file's own text, except where the grammar differs. */
static void option_value(const struct umucg_limits *l, unsigned bit, char *buf, size_t cap)
{
	const char *file;
	switch (bit) {
	case UMUCG_LIMIT_CPU_MAX:
		/* a percentage: quota / 1000 with three decimals */
		if (l->cpu_quota_us == UMUCG_UNLIMITED)
			snprintf(buf, cap, "max");
		else
			snprintf(buf, cap, "%" PRIu64 ".%03" PRIu64 "%%", l->cpu_quota_us / 1000,
				 l->cpu_quota_us % 1000);
		return;
	case UMUCG_LIMIT_IO_WEIGHT: /* the file says "default N" */
		snprintf(buf, cap, "%" PRIu32, l->io_weight);
		return;
	case UMUCG_LIMIT_CPUS: /* the file gets a newline for "every CPU" */
		snprintf(buf, cap, "%s", l->cpus[0] ? l->cpus : "max");
		return;
	default:
		umucg_limits_format(l, bit, &file, buf, cap);
	}
}

int umucg_limits_to_text(const struct umucg_limits *l, char *buf, size_t cap)
{
	size_t o = 0;
	if (cap)
		buf[0] = '\0';
	for (unsigned i = 0; umucg_limit_option(i); i++) {
		unsigned bit = 1u << i;
		if (!(l->set & bit))
			continue;
		char value[UMUCG_CPUS_LEN]; /* the longest: a CPU list */
		option_value(l, bit, value, sizeof value);
		int n = snprintf(buf + o, cap - o, "%s%s=%s", o ? " " : "", umucg_limit_option(i), value);
		if (n < 0 || (size_t)n >= cap - o)
			return -ENOSPC;
		o += (size_t)n;
	}
	return (int)o;
}

int umucg_limits_from_text(const char *text, struct umucg_limits *l)
{
	memset(l, 0, sizeof *l);
	const char *p = text;
	while (*p) {
		while (*p == ' ')
			p++;
		size_t len = strcspn(p, " ");
		if (!len)
			break;
		char word[UMUCG_CPUS_LEN + 16], *eq;
		if (len >= sizeof word)
			return -EINVAL;
		memcpy(word, p, len);
		word[len] = '\0';
		p += len;
		if (!(eq = strchr(word, '=')))
			return -EINVAL;
		*eq = '\0';
		/* -ENOENT (not a limit option) is malformed here too */
		if (umucg_limits_parse_option(l, word, eq + 1, NULL) < 0)
			return -EINVAL;
	}
	return 0;
}

/* "150.000%" -> "150%", "12.500%" -> "12.5%" */
static void strip_zeros(char *pct)
{
	char *dot = strchr(pct, '.');
	if (!dot)
		return;
	size_t end = strlen(pct) - 1; /* the '%' */
	while (end > (size_t)(dot - pct) && pct[end - 1] == '0')
		end--;
	if (pct[end - 1] == '.')
		end--;
	memmove(pct + end, "%", 2);
}

int umucg_limit_describe(const struct umucg_limits *l, unsigned bit, const char **file,
			 char value[UMUCG_LIMIT_TEXT_LEN], char human[UMUCG_LIMIT_TEXT_LEN])
{
	if (!(l->set & bit) || !bit_known(bit))
		return -ENOENT;
	umucg_limits_format(l, bit, file, value, UMUCG_LIMIT_TEXT_LEN);
	switch (bit) {
	case UMUCG_LIMIT_MEM_HIGH: umucg_format_size(l->mem_high, human, UMUCG_LIMIT_TEXT_LEN); break;
	case UMUCG_LIMIT_MEM_MAX: umucg_format_size(l->mem_max, human, UMUCG_LIMIT_TEXT_LEN); break;
	case UMUCG_LIMIT_SWAP_MAX: umucg_format_size(l->swap_max, human, UMUCG_LIMIT_TEXT_LEN); break;
	case UMUCG_LIMIT_MEM_LOW: umucg_format_size(l->mem_low, human, UMUCG_LIMIT_TEXT_LEN); break;
	default:
		option_value(l, bit, human, UMUCG_LIMIT_TEXT_LEN);
		if (bit == UMUCG_LIMIT_CPU_MAX)
			strip_zeros(human);
		break;
	}
	return 0;
}
