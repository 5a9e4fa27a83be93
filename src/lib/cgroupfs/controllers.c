/* controllers.c - which cgroup2 controllers a directory offers, and enabling
 * them for its children. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

static const struct {
	unsigned bit;
	const char *name;
} controllers[] = {
	{ UMUCG_CTRL_MEMORY, "memory" },
	{ UMUCG_CTRL_PIDS, "pids" },
	{ UMUCG_CTRL_CPU, "cpu" },
	{ UMUCG_CTRL_IO, "io" },
	{ UMUCG_CTRL_CPUSET, "cpuset" },
};
#define N_CONTROLLERS (sizeof controllers / sizeof *controllers)

const char *umucg_controller_name(unsigned ctrl)
{
	for (size_t i = 0; i < N_CONTROLLERS; i++)
		if (controllers[i].bit == ctrl)
			return controllers[i].name;
	return "?";
}

unsigned umucg_controllers_parse(const char *text)
{
	unsigned mask = 0;
	const char *p = text;
	while (*p) {
		while (*p == ' ' || *p == '\n')
			p++;
		size_t len = strcspn(p, " \n");
		for (size_t i = 0; i < N_CONTROLLERS; i++)
			if (strlen(controllers[i].name) == len &&
			    strncmp(p, controllers[i].name, len) == 0)
				mask |= controllers[i].bit;
		p += len;
	}
	return mask;
}

int umucg_controllers_read(int dir_fd, const char *file, unsigned *mask,
			   struct umucg_error *err)
{
	char buf[512];
	ssize_t n = cgfile_read(dir_fd, file, buf, sizeof buf);
	if (n < 0)
		return umucg_err(err, (int)n, "%s: %s", file, strerror((int)-n));
	*mask = umucg_controllers_parse(buf);
	return 0;
}

int umucg_proc_cgroups_find(const char *text, const char *name, int *hierarchy, int *enabled)
{
	size_t len = strlen(name);
	for (const char *line = text; line && *line;) {
		const char *nl = strchr(line, '\n');
		int h, e;
		if (strncmp(line, name, len) == 0 && line[len] == '\t' &&
		    sscanf(line + len, "%d %*d %d", &h, &e) == 2) {
			*hierarchy = h;
			*enabled = e;
			return 0;
		}
		line = nl ? nl + 1 : NULL;
	}
	return -ENOENT;
}

enum missing_why { WHY_NOT_ENABLED, WHY_V1, WHY_DISABLED, WHY_ABSENT };

/* Why a controller cgroup2 does not offer here is missing, from
 * /proc/cgroups (cgroup v1's name for io is blkio). Unknown: not enabled. */
static enum missing_why missing_why(const char *cgroups, unsigned ctrl)
{
	const char *name = ctrl == UMUCG_CTRL_IO ? "blkio" : umucg_controller_name(ctrl);
	int hierarchy, enabled;
	if (!cgroups)
		return WHY_NOT_ENABLED;
	if (umucg_proc_cgroups_find(cgroups, name, &hierarchy, &enabled) < 0)
		return WHY_ABSENT;
	if (!enabled)
		return WHY_DISABLED;
	return hierarchy ? WHY_V1 : WHY_NOT_ENABLED;
}

/* "memory, pids": the controllers of mask. */
static void names_of(unsigned mask, char *out, size_t cap)
{
	size_t o = 0;
	out[0] = '\0';
	for (size_t i = 0; i < N_CONTROLLERS; i++) {
		if (!(mask & controllers[i].bit))
			continue;
		int n = snprintf(out + o, cap - o, "%s%s", o ? ", " : "", controllers[i].name);
		if (n < 0 || (size_t)n >= cap - o)
			return;
		o += (size_t)n;
	}
}

int umucg_controllers_require(unsigned available, unsigned want, const char *where,
			      struct umucg_error *err)
{
	unsigned missing = want & ~available;
	if (!missing)
		return 0;
	char names[64], text[1024], *cgroups = NULL;
	names_of(missing, names, sizeof names);
	umucg_err(err, -EOPNOTSUPP, "%s controller%s: not available in cgroup2 at %s", names,
		  (missing & (missing - 1)) ? "s" : "", where);
	/* The fix depends on why: the hint names those missing for the same
	 * reason as the first. */
	cleanup_close int fd = open("/proc/cgroups", O_RDONLY | O_CLOEXEC);
	if (fd >= 0 && cgfile_pread_fd(fd, text, sizeof text) > 0)
		cgroups = text;
	enum missing_why why = missing_why(cgroups, missing & -missing);
	unsigned same = 0;
	for (size_t i = 0; i < N_CONTROLLERS; i++)
		if ((missing & controllers[i].bit) && missing_why(cgroups, controllers[i].bit) == why)
			same |= controllers[i].bit;
	names_of(same, names, sizeof names);
	switch (why) {
	case WHY_V1:
		return umucg_err_hint(err, "%s: bound to cgroup v1 here (a hybrid host); boot with "
				      "cgroup_no_v1=all, or on OpenRC set rc_cgroup_mode=\"unified\" in "
				      "/etc/rc.conf", names);
	case WHY_DISABLED:
		return umucg_err_hint(err, "%s: disabled by cgroup_disable= on the kernel command line",
				      names);
	case WHY_ABSENT:
		return umucg_err_hint(err, "this kernel has no %s controller", names);
	default:
		return umucg_err_hint(err, "%s: not enabled down to here; as root, run 'umucg setup' "
				      "(with the same --base, if one is given): it enables them on "
				      "every level", names);
	}
}

int umucg_controllers_enable(int dir_fd, unsigned want, struct umucg_error *err)
{
	if (!want)
		return 0;
	unsigned enabled;
	int r = umucg_controllers_read(dir_fd, "cgroup.subtree_control", &enabled, err);
	if (r < 0)
		return r;
	for (size_t i = 0; i < N_CONTROLLERS; i++) {
		if (!(want & controllers[i].bit) || (enabled & controllers[i].bit))
			continue;
		char token[32];
		token[0] = '+';
		str_copy(token + 1, sizeof token - 1, controllers[i].name);
		r = cgfile_write(dir_fd, "cgroup.subtree_control", token);
		if (r < 0) {
			umucg_err(err, r, "cgroup.subtree_control: cannot enable %s: %s",
				  controllers[i].name, strerror(-r));
			if (r == -EBUSY)
				umucg_err_hint(err, "processes live directly in this group; the kernel "
					       "allows controllers only above leaves ('umucg setup --user U "
					       "--session PID' puts a login session in a leaf)");
			return r;
		}
	}
	return 0;
}
