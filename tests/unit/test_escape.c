/* test_escape.c - the CLI's escaping of text for a terminal (src/cli/
 * escape.c): every control character and invalid byte is shown escaped,
 * valid UTF-8 passes, and a cut never splits an escape. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "cli.h"

struct esc_case {
	const char *in, *want;
};

Test(escape, convention)
{
	const struct esc_case cases[] = {
		{ "plain text 123", "plain text 123" },
		{ "back\\slash", "back\\\\slash" },
		{ "\a\b\t\n\v\f\r\033", "\\a\\b\\t\\n\\v\\f\\r\\e" },
		{ "\001\037\177", "\\x01\\x1f\\x7f" },
		/* OSC title, clear screen, CR overwrite, a fake row */
		{ "\033]0;pwned\007", "\\e]0;pwned\\a" },
		{ "\033[2J\033[H", "\\e[2J\\e[H" },
		{ "ok\rEVIL", "ok\\rEVIL" },
		{ "x\ngame  running", "x\\ngame  running" },
		/* C1 controls as UTF-8 (U+0080, U+009B, U+009F) and raw */
		{ "\xc2\x80\xc2\x9b\xc2\x9f", "\\u0080\\u009b\\u009f" },
		{ "\x9b" "31m", "\\x9b31m" },
		/* valid UTF-8 passes: é, €, 𝄞, and U+00A0 (not C1) */
		{ "\xc3\xa9\xe2\x82\xac\xf0\x9d\x84\x9e\xc2\xa0", "\xc3\xa9\xe2\x82\xac\xf0\x9d\x84\x9e\xc2\xa0" },
		/* bidi and zero-width format characters */
		{ "a\xe2\x80\xae" "b\xe2\x81\xa6" "c\xe2\x80\x8b" "d\xef\xbb\xbf", "a\\u202eb\\u2066c\\u200bd\\ufeff" },
		{ "\xe2\x80\xa8\xd8\x9c", "\\u2028\\u061c" },
		/* invalid: stray continuation, overlong, surrogate, > U+10FFFF,
		 * truncated at the end and in the middle */
		{ "\x80\xbf", "\\x80\\xbf" },
		{ "\xc0\xaf\xe0\x80\xaf", "\\xc0\\xaf\\xe0\\x80\\xaf" },
		{ "\xed\xa0\x80", "\\xed\\xa0\\x80" },
		{ "\xf4\x90\x80\x80\xf5", "\\xf4\\x90\\x80\\x80\\xf5" },
		{ "\xe2\x82", "\\xe2\\x82" },
		{ "\xe2(x", "\\xe2(x" },
		{ "\xff\xfe", "\\xff\\xfe" },
		{ "", "" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char out[256];
		size_t need = cli_escape(out, sizeof out, cases[i].in);
		cr_expect_str_eq(out, cases[i].want, "case %zu", i);
		cr_expect_eq(need, strlen(cases[i].want), "case %zu: length %zu", i, need);
		char *dup = cli_escape_dup(cases[i].in);
		cr_expect(dup && strcmp(dup, cases[i].want) == 0, "case %zu: dup", i);
		free(dup);
	}
}

Test(escape, a_cut_keeps_whole_escapes)
{
	char out[8];
	/* "ab" + "\e" (2) + "cd" = 6 fit; "\x01" (4) does not */
	size_t need = cli_escape(out, sizeof out, "ab\033cd\001e");
	cr_expect_str_eq(out, "ab\\ecd");
	cr_expect_eq(need, 11);
	/* a UTF-8 sequence is never split either */
	char small[4];
	cli_escape(small, sizeof small, "a\xe2\x82\xac");
	cr_expect_str_eq(small, "a");
	cr_expect_eq(cli_escape(NULL, 0, "\033"), 2);
}

Test(escape, to_a_stream)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	cr_assert(f);
	cli_fputs_escaped("t\033]0;x\007\xff", f);
	cli_fputs_escaped(NULL, f);
	fclose(f);
	cr_expect_str_eq(buf, "t\\e]0;x\\a\\xff");
	free(buf);
}
