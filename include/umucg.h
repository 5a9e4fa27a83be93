/* umucg.h - libumucg: cgroup-v2 groups for process trees, without systemd.
 *
 * A function returning int returns 0, or the non-negative value its comment
 * documents (a file descriptor, a count, 1 for yes), on success, and a
 * negative errno on failure, filling the caller's struct umucg_error (err
 * may be NULL) with a message ("what: why") and, where one exists, a hint.
 * Functions of other types cannot fail: void ones, bool answers, names
 * (static strings), masks. Nothing here prints, exits, reads the
 * environment or keeps global state.
 */
#ifndef UMUCG_H
#define UMUCG_H

/* The API in parts, from the bottom layer up. */
#include <umucg/text.h>
#include <umucg/cgroupfs.h>
#include <umucg/group.h>
#include <umucg/run.h>
#include <umucg/setup.h>

#endif
