/* signame.c - signal names for --signal: TERM, SIGTERM, 15, any case. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "internal.h"

static const struct { const char *name; int sig; } signals[] = {
	{ "HUP", SIGHUP }, { "INT", SIGINT }, { "QUIT", SIGQUIT }, { "ILL", SIGILL },
	{ "TRAP", SIGTRAP }, { "ABRT", SIGABRT }, { "BUS", SIGBUS }, { "FPE", SIGFPE },
	{ "KILL", SIGKILL }, { "USR1", SIGUSR1 }, { "SEGV", SIGSEGV }, { "USR2", SIGUSR2 },
	{ "PIPE", SIGPIPE }, { "ALRM", SIGALRM }, { "TERM", SIGTERM }, { "CHLD", SIGCHLD },
	{ "CONT", SIGCONT }, { "STOP", SIGSTOP }, { "TSTP", SIGTSTP }, { "TTIN", SIGTTIN },
	{ "TTOU", SIGTTOU }, { "URG", SIGURG }, { "XCPU", SIGXCPU }, { "XFSZ", SIGXFSZ },
	{ "VTALRM", SIGVTALRM }, { "PROF", SIGPROF }, { "WINCH", SIGWINCH }, { "IO", SIGIO },
	{ "PWR", SIGPWR }, { "SYS", SIGSYS },
};

int umucg_parse_signal(const char *s, int *sig, struct umucg_error *err)
{
	if (!s || !*s)
		return umucg_err(err, -EINVAL, "signal: empty");
	if (s[0] >= '0' && s[0] <= '9') {
		char *end;
		errno = 0;
		long v = strtol(s, &end, 10);
		if (errno || *end || v < 1 || v > SIGRTMAX)
			return umucg_err(err, -EINVAL, "signal '%s': not a signal number (1..%d)", s, SIGRTMAX);
		*sig = (int)v;
		return 0;
	}
	const char *name = strncasecmp(s, "SIG", 3) == 0 ? s + 3 : s;
	for (size_t i = 0; i < sizeof signals / sizeof *signals; i++)
		if (strcasecmp(name, signals[i].name) == 0) {
			*sig = signals[i].sig;
			return 0;
		}
	umucg_err(err, -EINVAL, "signal '%s': unknown", s);
	return umucg_err_hint(err, "a name such as TERM, INT, KILL, USR1 (with or without SIG) or a number");
}
