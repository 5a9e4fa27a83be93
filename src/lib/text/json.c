/* json.c - a small JSON writer into a growing buffer: strings are always
 * valid JSON and valid UTF-8, whatever bytes they were given. */
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

void umucg_json_init(struct umucg_json *j)
{
	memset(j, 0, sizeof *j);
}

void umucg_json_free(struct umucg_json *j)
{
	free(j->buf);
	umucg_json_init(j);
}

static void put(struct umucg_json *j, const char *s, size_t n)
{
	if (j->error)
		return;
	if (j->len + n + 1 > j->cap) {
		size_t cap = j->cap ? j->cap : 256;
		while (j->len + n + 1 > cap)
			cap *= 2;
		char *bigger = realloc(j->buf, cap);
		if (!bigger) {
			j->error = -ENOMEM;
			return;
		}
		j->buf = bigger;
		j->cap = cap;
	}
	memcpy(j->buf + j->len, s, n);
	j->len += n;
	j->buf[j->len] = '\0';
}

static void puts_(struct umucg_json *j, const char *s)
{
	put(j, s, strlen(s));
}

/* A comma before every value of a container but its first; none after a key. */
static void separate(struct umucg_json *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (j->depth > 0 && j->count[j->depth - 1]++ > 0)
		put(j, ",", 1);
}

static void open_(struct umucg_json *j, const char *c)
{
	separate(j);
	put(j, c, 1);
	if (j->depth >= (int)(sizeof j->count / sizeof *j->count)) {
		j->error = -E2BIG;
		return;
	}
	j->count[j->depth++] = 0;
}

static void close_(struct umucg_json *j, const char *c)
{
	if (j->depth <= 0) {
		j->error = -EINVAL;
		return;
	}
	j->depth--;
	put(j, c, 1);
	if (j->depth == 0)
		put(j, "\n", 1);
}

void umucg_json_begin_object(struct umucg_json *j) { open_(j, "{"); }
void umucg_json_end_object(struct umucg_json *j) { close_(j, "}"); }
void umucg_json_begin_array(struct umucg_json *j) { open_(j, "["); }
void umucg_json_end_array(struct umucg_json *j) { close_(j, "]"); }

/* Length of the well-formed UTF-8 sequence at s (1..4), 0 when it is not
 * one (overlong forms, surrogates and code points past U+10FFFF included). */
static size_t utf8_sequence(const unsigned char *s)
{
	unsigned c = s[0];
	size_t n;
	unsigned cp;
	if (c < 0x80)
		return 1;
	else if (c >= 0xc2 && c <= 0xdf)
		n = 2, cp = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3, cp = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4, cp = c & 0x07;
	else
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

void umucg_json_string(struct umucg_json *j, const char *s)
{
	separate(j);
	if (!s) {
		puts_(j, "null");
		return;
	}
	put(j, "\"", 1);
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		char esc[8];
		size_t n;
		if (*p == '"' || *p == '\\') {
			esc[0] = '\\', esc[1] = (char)*p;
			put(j, esc, 2);
			p++;
		} else if (*p < 0x20 || *p == 0x7f) {
			snprintf(esc, sizeof esc, "\\u%04x", *p);
			put(j, esc, 6);
			p++;
		} else if ((n = utf8_sequence(p)) > 0) {
			put(j, (const char *)p, n);
			p += n;
		} else {
			/* An invalid byte becomes U+FFFD, one per byte. */
			puts_(j, "\\ufffd");
			p++;
		}
	}
	put(j, "\"", 1);
}

void umucg_json_key(struct umucg_json *j, const char *key)
{
	umucg_json_string(j, key);
	put(j, ":", 1);
	j->after_key = true;
}

void umucg_json_uint(struct umucg_json *j, uint64_t v)
{
	char buf[32];
	separate(j);
	snprintf(buf, sizeof buf, "%" PRIu64, v);
	puts_(j, buf);
}

void umucg_json_int(struct umucg_json *j, int64_t v)
{
	char buf[32];
	separate(j);
	snprintf(buf, sizeof buf, "%" PRId64, v);
	puts_(j, buf);
}

void umucg_json_bool(struct umucg_json *j, bool v)
{
	separate(j);
	puts_(j, v ? "true" : "false");
}

void umucg_json_null(struct umucg_json *j)
{
	separate(j);
	puts_(j, "null");
}

void umucg_json_fixed(struct umucg_json *j, double v, unsigned decimals)
{
	/* JSON has no NaN or infinity; no figure of a kernel comes near 1e18. */
	if (!isfinite(v) || fabs(v) >= 1e18) {
		umucg_json_null(j);
		return;
	}
	if (decimals > 9)
		decimals = 9;
	uint64_t scale = 1;
	for (unsigned i = 0; i < decimals && fabs(v) * (double)scale * 10 < 1.8e19; i++)
		scale *= 10;
	decimals = 0;
	for (uint64_t s = scale; s > 1; s /= 10)
		decimals++;
	/* Integer arithmetic: the caller's locale must not turn '.' into ','. */
	bool negative = v < 0;
	uint64_t scaled = (uint64_t)(fabs(v) * (double)scale + 0.5);
	char buf[48];
	if (decimals)
		snprintf(buf, sizeof buf, "%s%" PRIu64 ".%0*" PRIu64, negative && scaled ? "-" : "",
			 scaled / scale, (int)decimals, scaled % scale);
	else
		snprintf(buf, sizeof buf, "%s%" PRIu64, negative && scaled ? "-" : "", scaled);
	separate(j);
	puts_(j, buf);
}

int umucg_json_finish(struct umucg_json *j, const char **text, size_t *len)
{
	if (!j->error && j->depth != 0)
		j->error = -EINVAL;
	if (j->error)
		return j->error;
	*text = j->buf ? j->buf : "";
	if (len)
		*len = j->len;
	return 0;
}
