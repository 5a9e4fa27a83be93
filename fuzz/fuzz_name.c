/* fuzz_name.c - group names: validation, and the default name made from
 * UMU_ID / SteamAppId / argv0, which must always be a valid name. A valid
 * name is one path component, never an option, never an interface file's. */
#include <stdbool.h>
#include <stdio.h>

#include "fuzz.h"
#include "umucg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *fuzz_env_key, *fuzz_env_value;

static const char *fuzz_getenv(const char *key)
{
	return strcmp(key, fuzz_env_key) == 0 ? fuzz_env_value : NULL;
}

/* The oracle's own list (DESIGN.md, "run semantics"), not the library's. */
static bool reserved(const char *s)
{
	static const char *const prefixes[] = {
		"cgroup.", "memory.", "pids.", "cpu.", "cpuset.", "io.", "hugetlb.", "rdma.", "misc.",
	};
	if (s[0] == '-')
		return true;
	for (size_t i = 0; i < sizeof prefixes / sizeof *prefixes; i++)
		if (strncmp(s, prefixes[i], strlen(prefixes[i])) == 0)
			return true;
	return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_strndup(data, size);
	struct umucg_error err = { 0 };
	int r = umucg_name_validate(s, &err);
	if (r == 0) {
		/* a valid name is one path component below the base */
		FUZZ_ASSERT(!strchr(s, '/') && strcmp(s, ".") && strcmp(s, "..") &&
			    strlen(s) >= 1 && strlen(s) <= UMUCG_NAME_MAX && !reserved(s));
	} else {
		FUZZ_ASSERT(r == -EINVAL && err.msg[0]);
	}

	static const char *const keys[] = { "UMU_ID", "SteamAppId", "SteamGameId", "none" };
	char out[UMUCG_NAME_MAX + 1];
	for (size_t k = 0; k < sizeof keys / sizeof *keys; k++) {
		fuzz_env_key = keys[k];
		fuzz_env_value = s;
		memset(out, 'X', sizeof out);
		umucg_name_default(s, fuzz_getenv, out);
		struct umucg_error derr = { 0 };
		FUZZ_ASSERT(umucg_name_validate(out, &derr) == 0 && !reserved(out));
	}
	free(s);
	return 0;
}
