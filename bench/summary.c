/* summary.c - the one table `make bench` ends with: each goal of issue 13,
 * umucg's figure, the peer it is held against (measured in the same run),
 * the bound that follows, MET or MISSED. Reads the lines the benchmarks
 * appended to $BENCH_GOALS (bench_goal in bench.c). */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void)
{
	const char *path = getenv("BENCH_GOALS");
	FILE *f = path && *path ? fopen(path, "re") : NULL;
	printf("\n== goals (issue 13): umucg against its peer, measured in this run\n");
	if (!f) {
		printf("  no figures (%s): run the benchmarks with `make bench`\n",
		       path && *path ? path : "BENCH_GOALS unset");
		return 1;
	}
	printf("  %-46s %12s   %-30s %12s  %s\n", "goal", "umucg", "peer (same run)", "bound",
	       "verdict");
	char line[512];
	int met = 0, missed = 0;
	while (fgets(line, sizeof line, f)) {
		char *save = NULL;
		char *what = strtok_r(line, "\t", &save), *fig = strtok_r(NULL, "\t", &save);
		char *unit = strtok_r(NULL, "\t", &save), *peer = strtok_r(NULL, "\t", &save);
		char *peer_fig = strtok_r(NULL, "\t", &save), *bound = strtok_r(NULL, "\t\n", &save);
		if (!bound)
			continue;
		double v = strtod(fig, NULL), b = strtod(bound, NULL), p = strtod(peer_fig, NULL);
		char peer_text[64], fig_text[32], bound_text[32];
		if (p >= 0)
			snprintf(peer_text, sizeof peer_text, "%s %.1f", peer, p);
		else
			snprintf(peer_text, sizeof peer_text, "%s", peer);
		snprintf(fig_text, sizeof fig_text, "%.1f %s", v, unit);
		snprintf(bound_text, sizeof bound_text, "<= %.1f", b);
		bool ok = v <= b;
		printf("  %-46s %12s   %-30s %12s  %s\n", what, fig_text, peer_text, bound_text,
		       ok ? "MET" : "MISSED");
		ok ? met++ : missed++;
	}
	fclose(f);
	printf("  %d met, %d missed\n", met, missed);
	return 0;
}
