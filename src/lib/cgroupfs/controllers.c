/* controllers.c - which cgroup2 controllers a directory offers, and enabling
 * them for its children. */
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

int umucg_controllers_require(unsigned available, unsigned want, const char *where,
			      struct umucg_error *err)
{
	unsigned missing = want & ~available;
	if (!missing)
		return 0;
	char names[64] = "";
	for (size_t i = 0; i < N_CONTROLLERS; i++)
		if (missing & controllers[i].bit)
			snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s",
				 names[0] ? ", " : "", controllers[i].name);
	umucg_err(err, -EOPNOTSUPP, "%s controller%s: not available in cgroup2 at %s", names,
		  (missing & (missing - 1)) ? "s" : "", where);
	return umucg_err_hint(err,
		"on a hybrid host cgroup v1 holds them: boot with cgroup_no_v1=all, or on "
		"OpenRC set rc_cgroup_mode=\"unified\" in /etc/rc.conf; in a delegated "
		"subtree, root's 'umucg setup --user' delegates them; 'umucg doctor' explains");
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
