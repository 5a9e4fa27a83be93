/* limits_apply.c - writing limits into a group's interface files, all or
 * nothing. */
#include <string.h>

#include "internal.h"

/* The value file holds now, in the form it is written back: the first line
 * (io.weight lists per-device weights after its "default N" line). */
static int limit_read_back(int group_fd, const char *file, char *buf, size_t cap)
{
	ssize_t n = cgfile_read(group_fd, file, buf, cap);
	if (n < 0)
		return (int)n;
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

int umucg_limits_apply(int group_fd, const struct umucg_limits *l,
		       struct umucg_error *err)
{
	/* All or nothing: what was written before a value the kernel refuses
	 * is put back, so that a failed 'umucg set' changes nothing. */
	struct {
		const char *file;
		char old[64];
	} done[8];
	size_t ndone = 0;
	for (unsigned bit = 1; bit <= UMUCG_LIMIT_IO_WEIGHT; bit <<= 1) {
		if (!(l->set & bit))
			continue;
		const char *file;
		char value[64];
		umucg_limits_format(l, bit, &file, value, sizeof value);
		int r = limit_read_back(group_fd, file, done[ndone].old, sizeof done[ndone].old);
		if (r == 0)
			r = cgfile_write(group_fd, file, value);
		if (r < 0) {
			umucg_err(err, r, "%s: cannot write '%s': %s", file, value, strerror(-r));
			if (r == -ENOENT)
				umucg_err_hint(err, "the controller of %s is not enabled for this group", file);
			/* The old values were accepted before: writing them back
			 * fails only if the group went away meanwhile. */
			while (ndone-- > 0)
				cgfile_write(group_fd, done[ndone].file, done[ndone].old);
			return r;
		}
		done[ndone++].file = file;
	}
	return 0;
}
