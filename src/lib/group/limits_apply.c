/* limits_apply.c - writing limits into a group's interface files, all or
 * nothing. */
#include <string.h>

#include "internal.h"

int umucg_limits_apply(int group_fd, const struct umucg_limits *l,
		       struct umucg_error *err)
{
	/* All or nothing: what was written before a value the kernel refuses
	 * is put back, so that a failed 'umucg set' changes nothing. */
	struct {
		const char *file;
		char old[UMUCG_CPUS_LEN];
	} done[16];
	size_t ndone = 0;
	for (unsigned bit = 1; bit <= UMUCG_LIMIT_CPUS; bit <<= 1) {
		if (!(l->set & bit))
			continue;
		const char *file;
		char value[UMUCG_CPUS_LEN];
		if (umucg_limits_format(l, bit, &file, value, sizeof value) < 0)
			return umucg_err(err, -EINVAL, "limits: a bad value for bit %#x", bit);
		int r = cgfile_read_line(group_fd, file, done[ndone].old, sizeof done[ndone].old);
		if (r == 0)
			r = cgfile_write(group_fd, file, value);
		if (r < 0) {
			umucg_err(err, r, "%s: cannot write '%s': %s", file,
				  strcmp(value, "\n") ? value : "", strerror(-r));
			if (r == -ENOENT)
				umucg_err_hint(err, "the controller of %s is not enabled for this group", file);
			/* The old values were accepted before: writing them back
			 * fails only if the group went away meanwhile. */
			while (ndone-- > 0)
				cgfile_write(group_fd, done[ndone].file,
					     done[ndone].old[0] ? done[ndone].old : "\n");
			return r;
		}
		done[ndone++].file = file;
	}
	return 0;
}
