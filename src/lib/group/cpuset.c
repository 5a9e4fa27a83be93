/* cpuset.c - the CPUs a group may use: --cpus checked against what its
 * parent has, and a group's cpuset.cpus read back. */
#include <stdio.h>
#include <string.h>

#include "internal.h"

int umucg_limits_check(int base_fd, const struct umucg_limits *l, struct umucg_error *err)
{
	if (!(l->set & UMUCG_LIMIT_CPUS) || !l->cpus[0])
		return 0;
	char text[4096];
	int r = cgfile_read_line(base_fd, "cpuset.cpus.effective", text, sizeof text);
	if (r < 0) {
		umucg_err(err, r, "--cpus %s: cannot read the base's cpuset.cpus.effective: %s",
			  l->cpus, strerror(-r));
		if (r == -ENOENT)
			umucg_err_hint(err, "the cpuset controller is not enabled for the base");
		return r;
	}
	uint64_t want[UMUCG_CPUSET_WORDS], have[UMUCG_CPUSET_WORDS];
	if (umucg_cpulist_parse(l->cpus, want, NULL) < 0 ||
	    umucg_cpulist_parse(text, have, NULL) < 0)
		return umucg_err(err, -EINVAL, "--cpus %s: cpuset.cpus.effective is '%s': not a CPU list",
				 l->cpus, text);
	for (size_t i = 0; i < UMUCG_CPUSET_WORDS; i++)
		want[i] &= ~have[i];
	if (umucg_cpulist_empty(want))
		return 0;
	char missing[UMUCG_CPUS_LEN];
	if (umucg_cpulist_format(want, missing, sizeof missing) < 0)
		snprintf(missing, sizeof missing, "several");
	bool several = strpbrk(missing, ",-") != NULL;
	umucg_err(err, -EINVAL, "--cpus %s: %s %s %s not available here", l->cpus,
		  several ? "CPUs" : "CPU", missing, several ? "are" : "is");
	return umucg_err_hint(err, "the groups here may use CPUs %s (cpuset.cpus.effective of the base)",
			      text[0] ? text : "(none)");
}

int umucg_group_cpus(int group_fd, char *cpus, char *effective, size_t cap,
		     struct umucg_error *err)
{
	if (cap)
		cpus[0] = effective[0] = '\0';
	int r = cgfile_read_line(group_fd, "cpuset.cpus", cpus, cap);
	if (r == 0)
		r = cgfile_read_line(group_fd, "cpuset.cpus.effective", effective, cap);
	if (r < 0)
		return umucg_err(err, r, "cpuset.cpus: %s", strerror(-r));
	return 0;
}
