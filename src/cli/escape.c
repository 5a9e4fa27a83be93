/* escape.c - text from groups, processes and the kernel made safe to print
 * on a terminal: control characters and invalid UTF-8 shown escaped, the
 * way ls -b and ps do, so that nothing a user wrote can move the cursor,
 * retitle or clear the terminal, or fake a line of a table. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* Code points a terminal does not show as a glyph but acts on or hides:
 * C1 controls, and the bidirectional and zero-width format characters that
 * reorder or hide text ("Trojan Source"). */
static bool hidden_codepoint(unsigned cp)
{
	return (cp >= 0x80 && cp <= 0x9f) || cp == 0x061c || (cp >= 0x200b && cp <= 0x200f) ||
	       (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2060 && cp <= 0x2069) || cp == 0xfeff;
}

/* Length of the valid UTF-8 sequence at s (2..4) and its code point, or 0. */
static size_t utf8_sequence(const unsigned char *s, unsigned *cp)
{
	size_t len;
	unsigned min;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, *cp = s[0] & 0x1f, min = 0x80;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, *cp = s[0] & 0x0f, min = 0x800;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, *cp = s[0] & 0x07, min = 0x10000;
	else
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80) /* also stops at the terminating NUL */
			return 0;
		*cp = (*cp << 6) | (s[i] & 0x3f);
	}
	if (*cp < min || *cp > 0x10ffff || (*cp >= 0xd800 && *cp <= 0xdfff))
		return 0; /* overlong, out of range, or a surrogate */
	return len;
}

/* The escaped form of the character at s, in unit (NUL-terminated); *used
 * gets how many bytes of s it stands for. */
static void escape_one(const unsigned char *s, size_t *used, char unit[16])
{
	static const char named[] = "\a" "a" "\b" "b" "\t" "t" "\n" "n" "\v" "v" "\f" "f"
				    "\r" "r" "\033" "e" "\\" "\\";
	unsigned cp;
	*used = 1;
	if (s[0] >= 0x20 && s[0] < 0x7f && s[0] != '\\') {
		unit[0] = (char)s[0], unit[1] = '\0';
		return;
	}
	if (s[0] < 0x80) {
		for (size_t i = 0; named[i]; i += 2)
			if ((unsigned char)named[i] == s[0]) {
				snprintf(unit, 16, "\\%c", named[i + 1]);
				return;
			}
		snprintf(unit, 16, "\\x%02x", s[0]); /* other C0 bytes and DEL */
		return;
	}
	size_t len = utf8_sequence(s, &cp);
	if (len == 0) {
		snprintf(unit, 16, "\\x%02x", s[0]); /* a byte of invalid UTF-8 */
		return;
	}
	*used = len;
	if (hidden_codepoint(cp))
		snprintf(unit, 16, "\\u%04x", cp);
	else
		memcpy(unit, s, len), unit[len] = '\0';
}

size_t cli_escape(char *out, size_t cap, const char *s)
{
	size_t total = 0, written = 0;
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	while (*p) {
		char unit[16];
		size_t used;
		escape_one(p, &used, unit);
		p += used;
		size_t ulen = strlen(unit);
		/* Whole units only: a cut never leaves half an escape or half a
		 * UTF-8 sequence. */
		if (written == total && total + ulen < cap) {
			memcpy(out + total, unit, ulen);
			written += ulen;
		}
		total += ulen;
	}
	if (cap)
		out[written] = '\0';
	return total;
}

char *cli_escape_dup(const char *s)
{
	size_t len = cli_escape(NULL, 0, s);
	char *out = malloc(len + 1);
	if (out)
		cli_escape(out, len + 1, s);
	return out;
}

void cli_fputs_escaped(const char *s, FILE *f)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	while (*p) {
		char unit[16];
		size_t used;
		escape_one(p, &used, unit);
		p += used;
		fputs(unit, f);
	}
}
