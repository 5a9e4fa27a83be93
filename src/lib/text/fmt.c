/* fmt.c - the few texts a run writes (numbers, a path joined, a name
 * copied) without printf: `umucg run` then touches none of glibc's printf
 * machinery on its way (three 64 KiB windows of its text plus its tables,
 * mapped by the kernel's fault-around: a sixth of the supervisor's peak
 * RSS, and page faults at every start). */
#include <string.h>

#include "internal.h"

size_t fmt_ull(char *buf, size_t cap, unsigned long long v)
{
	char digits[24];
	size_t n = 0;
	do
		digits[n++] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	if (cap == 0)
		return n;
	size_t w = n < cap ? n : cap - 1;
	for (size_t i = 0; i < w; i++)
		buf[i] = digits[n - 1 - i];
	buf[w] = '\0';
	return n;
}

size_t fmt_ll(char *buf, size_t cap, long long v)
{
	if (v >= 0)
		return fmt_ull(buf, cap, (unsigned long long)v);
	unsigned long long magnitude = 0ull - (unsigned long long)v;
	if (cap < 2) {
		if (cap)
			buf[0] = '\0';
		return 1 + fmt_ull(NULL, 0, magnitude);
	}
	buf[0] = '-';
	return 1 + fmt_ull(buf + 1, cap - 1, magnitude);
}

size_t str_copy(char *dst, size_t cap, const char *src)
{
	size_t n = strlen(src);
	if (cap) {
		size_t w = n < cap ? n : cap - 1;
		memcpy(dst, src, w);
		dst[w] = '\0';
	}
	return n;
}

char *str_join(const char *a, size_t alen, const char *sep, const char *b)
{
	size_t ls = strlen(sep), lb = strlen(b);
	char *out = malloc(alen + ls + lb + 1);
	if (!out)
		return NULL;
	memcpy(out, a, alen);
	memcpy(out + alen, sep, ls);
	memcpy(out + alen + ls, b, lb + 1);
	return out;
}
