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

/* A group directory shares its parent with the interface files: a name
 * with one of their prefixes could clash with a file that a controller
 * enabled later makes (memory.high), and reads as one in messages. */
static const char *const reserved_prefixes[] = {
	"cgroup.", "memory.", "pids.", "cpu.", "cpuset.", "io.", "hugetlb.", "rdma.", "misc.",
};

/* The length of the reserved prefix name begins with, 0 when none. */
static size_t reserved_prefix(const char *name)
{
	for (size_t i = 0; i < sizeof reserved_prefixes / sizeof *reserved_prefixes; i++) {
		size_t len = strlen(reserved_prefixes[i]);
		if (strncmp(name, reserved_prefixes[i], len) == 0)
			return len;
	}
	return 0;
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
	/* Every command would read it as an option. */
	if (name[0] == '-') {
		umucg_err(err, -EINVAL, "name '%s': a group name cannot begin with '-'", name);
		return umucg_err_hint(err, "begin it with a letter or digit");
	}
	size_t plen = reserved_prefix(name);
	if (plen) {
		umucg_err(err, -EINVAL, "name '%s': '%.*s' names cgroup interface files", name,
			  (int)plen, name);
		return umucg_err_hint(err, "names may not begin with cgroup. memory. pids. cpu. "
				      "cpuset. io. hugetlb. rdma. or misc.");
	}
	return 0;
}

/* Copies prefix + value into out, replacing odd bytes with '_', at most
 * UMUCG_NAME_MAX bytes; a leading '-' and the dot of a reserved prefix
 * become '_' too, so that the result is always a valid name. */
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
	if (strcmp(out, ".") == 0 || strcmp(out, "..") == 0 || o == 0) {
		snprintf(out, UMUCG_NAME_MAX + 1, "cmd");
		return;
	}
	if (out[0] == '-')
		out[0] = '_';
	size_t plen = reserved_prefix(out);
	if (plen)
		out[plen - 1] = '_';
}

void umucg_name_default(const char *argv0, const char *(*getenv_fn)(const char *),
			char out[UMUCG_NAME_MAX + 1])
{
	const char *v = NULL;
	/* No getenv_fn: no environment (the library reads none itself). */
	if (getenv_fn && (v = getenv_fn("UMU_ID")) && *v) {
		/* umu's own ids often carry the prefix already (umu-1091500). */
		name_sanitize(strncmp(v, "umu-", 4) == 0 ? "" : "umu-", v, out);
		return;
	}
	if (getenv_fn && (((v = getenv_fn("SteamAppId")) && *v && strcmp(v, "0") != 0) ||
			  ((v = getenv_fn("SteamGameId")) && *v && strcmp(v, "0") != 0))) {
		name_sanitize("steam-", v, out);
		return;
	}
	const char *base = argv0 ? strrchr(argv0, '/') : NULL;
	base = base ? base + 1 : argv0;
	name_sanitize("", base ? base : "", out);
}
