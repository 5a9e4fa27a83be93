/* libcap_dl.h - libcap's functions, loaded on demand (see libcap_dl.c). */
#ifndef UMUCG_LIBCAP_DL_H
#define UMUCG_LIBCAP_DL_H

#include <sys/capability.h>

#include "umucg.h"

struct libcap {
	void *handle;
	cap_t (*init)(void);
	cap_t (*get_proc)(void);
	int (*set_proc)(cap_t);
	int (*free)(void *);
	int (*get_flag)(cap_t, cap_value_t, cap_flag_t, cap_flag_value_t *);
	int (*drop_bound)(cap_value_t);
	int (*reset_ambient)(void);
	char *(*to_text)(cap_t, ssize_t *);
	char *(*to_name)(cap_value_t);
	cap_value_t (*max_bits)(void);
};

/* Loads libcap.so.2 into lc (caller-owned); release with libcap_close. */
int libcap_open(struct libcap *lc, struct umucg_error *err);
void libcap_close(struct libcap *lc);

#endif
