/* name.c - group names: validation and the default name of a run. */
#include <stdio.h>
#include <string.h>

#include "internal.h"

static bool name_char_ok(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '@' ||
	       c == ':' || c == '-';
}

int umucg_name_validate(const char *name, struct umucg_error *err)
{
	size_t len = strlen(name);
	if (len == 0)
		return umucg_err(err, -EINVAL, "name '': a group name cannot be empty");
	if (len > UMUCG_NAME_MAX)
		return umucg_err(err, -EINVAL, "name '%.20s...': longer than %d bytes",
				 name, UMUCG_NAME_MAX);
	if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return umucg_err(err, -EINVAL, "name '%s': not a group name", name);
	for (size_t i = 0; i < len; i++) {
		if (!name_char_ok((unsigned char)name[i])) {
			umucg_err(err, -EINVAL, "name '%s': byte %zu (0x%02x) is not allowed",
				  name, i + 1, (unsigned char)name[i]);
			return umucg_err_hint(err, "names use only A-Z a-z 0-9 . _ @ : -");
		}
	}
	return 0;
}

/* Copies prefix + value into out, replacing odd bytes with '_', at most
 * UMUCG_NAME_MAX bytes. */
static void name_sanitize(const char *prefix, const char *value,
			  char out[UMUCG_NAME_MAX + 1])
{
	size_t o = 0;
	for (const char *p = prefix; *p && o < UMUCG_NAME_MAX; p++)
		out[o++] = *p;
	for (const unsigned char *p = (const unsigned char *)value;
	     *p && o < UMUCG_NAME_MAX; p++)
		out[o++] = name_char_ok(*p) ? (char)*p : '_';
	out[o] = '\0';
	if (strcmp(out, ".") == 0 || strcmp(out, "..") == 0 || o == 0)
		snprintf(out, UMUCG_NAME_MAX + 1, "cmd");
}

void umucg_name_default(const char *argv0, const char *(*getenv_fn)(const char *),
			char out[UMUCG_NAME_MAX + 1])
{
	const char *v;
	if (!getenv_fn)
		getenv_fn = (const char *(*)(const char *))getenv;
	if ((v = getenv_fn("UMU_ID")) && *v) {
		name_sanitize("umu-", v, out);
		return;
	}
	if (((v = getenv_fn("SteamAppId")) && *v && strcmp(v, "0") != 0) ||
	    ((v = getenv_fn("SteamGameId")) && *v && strcmp(v, "0") != 0)) {
		name_sanitize("steam-", v, out);
		return;
	}
	const char *base = argv0 ? strrchr(argv0, '/') : NULL;
	base = base ? base + 1 : argv0;
	name_sanitize("", base ? base : "", out);
}
