/* libcap_dl.c - libcap, loaded when a command needs it (run --user, setup,
 * doctor) instead of at every start: mapping it and running its constructor
 * cost every `umucg run` ~45 us, a twentieth of its launch overhead. */
#include <dlfcn.h>
#include <string.h>

#include "internal.h"
#include "libcap_dl.h"

int libcap_open(struct libcap *lc, struct umucg_error *err)
{
	memset(lc, 0, sizeof *lc);
	lc->handle = dlopen("libcap.so.2", RTLD_NOW | RTLD_LOCAL);
	if (!lc->handle) {
		const char *why = dlerror();
		umucg_err(err, -ENOENT, "libcap: %s", why ? why : "cannot be loaded");
		return umucg_err_hint(err, "install libcap (Debian: libcap2, Alpine: libcap2)");
	}
	static const struct {
		const char *name;
		size_t offset;
	} syms[] = {
#define SYM(field, name) { name, offsetof(struct libcap, field) }
		SYM(init, "cap_init"), SYM(get_proc, "cap_get_proc"),
		SYM(set_proc, "cap_set_proc"), SYM(free, "cap_free"),
		SYM(get_flag, "cap_get_flag"), SYM(drop_bound, "cap_drop_bound"),
		SYM(reset_ambient, "cap_reset_ambient"), SYM(to_text, "cap_to_text"),
		SYM(to_name, "cap_to_name"), SYM(max_bits, "cap_max_bits"),
#undef SYM
	};
	for (size_t i = 0; i < sizeof syms / sizeof *syms; i++) {
		void *fn = dlsym(lc->handle, syms[i].name);
		if (!fn) {
			libcap_close(lc);
			return umucg_err(err, -ENOSYS, "libcap: no %s (libcap 2.43 or later is needed)",
					 syms[i].name);
		}
		memcpy((char *)lc + syms[i].offset, &fn, sizeof fn);
	}
	return 0;
}

void libcap_close(struct libcap *lc)
{
	if (lc->handle)
		dlclose(lc->handle);
	memset(lc, 0, sizeof *lc);
}
