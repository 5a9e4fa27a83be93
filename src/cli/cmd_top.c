/* cmd_top.c - umucg top: every group under the base, sampled every few
 * seconds and redrawn in place (or printed, in batch mode and when stdout
 * is not a terminal). */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "top.h"

static const char top_help[] =
	"Usage: umucg top [-b] [-n N] [-d S] [--json]\n"
	"A live view of every group under the base: processes, CPU % (100 is one\n"
	"CPU), memory now, its peak and limit (memory.max, else memory.high),\n"
	"IO read and write rates, memory and CPU pressure (PSI some avg10), command.\n"
	"Sorted by CPU; keys: c CPU, m memory, i IO, q quit. Rates need two\n"
	"samples: the first shows '-'.\n\n"
	"Options:\n"
	"  -b, --batch        print each sample instead of redrawing (the default\n"
	"                     when stdout is not a terminal)\n"
	"  -n, --iterations N stop after N samples (default: until q or a signal)\n"
	"  -d, --delay S      seconds between samples (default 2; a DURATION)\n"
	"  --json             batch mode, one JSON object per sample and line\n";

enum { OPT_BATCH = 0x100, OPT_ITERATIONS, OPT_DELAY };

static const struct option top_options[] = {
	{ "batch", no_argument, NULL, OPT_BATCH },
	{ "iterations", required_argument, NULL, OPT_ITERATIONS },
	{ "delay", required_argument, NULL, OPT_DELAY },
	{ NULL, 0, NULL, 0 },
};

struct top_opts {
	bool batch;
	unsigned long iterations; /* 0: no end */
	double delay;
};

static int top_option(void *ctx, int id, const char *arg)
{
	struct top_opts *o = ctx;
	char *end;
	switch (id) {
	case 'b':
	case OPT_BATCH:
		o->batch = true;
		return 0;
	case 'n':
	case OPT_ITERATIONS:
		errno = 0;
		o->iterations = strtoul(arg, &end, 10);
		if (errno || end == arg || *end || arg[0] == '-' || o->iterations == 0)
			return cli_usage_error("top", "-n %s: not a positive whole number", arg);
		return 0;
	default: {
		struct umucg_error err = { 0 };
		if (umucg_parse_duration(arg, &o->delay, &err) < 0)
			return cli_usage_error("top", "-d %s: %s", arg, err.msg);
		if (o->delay < 0.05)
			return cli_usage_error("top", "-d %s: at least 0.05 seconds", arg);
		return 0;
	}
	}
}

/* ---- sampling ----------------------------------------------------------- */

struct sampler {
	struct cli_global *g;
	struct umucg_base base;
	struct top_row *prev;    /* the previous sample, in name order */
	size_t nprev;
	int64_t prev_ns;
};

static void rows_free(struct top_row *rows, size_t n)
{
	for (size_t i = 0; rows && i < n; i++)
		free(rows[i].name);
	free(rows);
}

static const struct top_row *find_prev(const struct sampler *s, const char *name)
{
	for (size_t i = 0; i < s->nprev; i++)
		if (strcmp(s->prev[i].name, name) == 0)
			return &s->prev[i];
	return NULL;
}

static double rate(const struct umucg_figure *now, const struct umucg_figure *then, double dt,
		   double scale)
{
	if (!then || !now->present || !then->present || now->value < then->value || dt <= 0)
		return -1;
	return (double)(now->value - then->value) * scale / dt;
}

/* One group's figures; false when it went away meanwhile. */
static bool sample_group(struct sampler *s, char *name, struct top_row *r, double dt)
{
	int fd = umucg_group_open(s->base.fd, name, NULL);
	if (fd < 0)
		return false;
	const struct top_row *p = find_prev(s, name);
	struct umucg_group_info info;
	memset(r, 0, sizeof *r);
	r->name = name;
	/* Peaks sampled in earlier frames carry over where there is no memory.peak. */
	if (p)
		r->u = p->u;
	bool ok = umucg_group_info(&s->g->store, fd, &info, NULL) == 0 &&
		  umucg_group_usage(fd, UMUCG_USAGE_ALL, &r->u, NULL) == 0;
	close(fd);
	if (!ok)
		return false;
	r->nprocs = info.nprocs;
	snprintf(r->command, sizeof r->command, "%s", info.has_meta ? info.meta.command : "");
	r->cpu_percent = rate(&r->u.cpu_usec, p ? &p->u.cpu_usec : NULL, dt, 100.0 / 1e6);
	r->io_read_rate = rate(&r->u.io_read_bytes, p ? &p->u.io_read_bytes : NULL, dt, 1);
	r->io_write_rate = rate(&r->u.io_write_bytes, p ? &p->u.io_write_bytes : NULL, dt, 1);
	return true;
}

/* A new sample of every group into f (rows owned by the sampler from now). */
static int sample(struct sampler *s, struct top_frame *f, struct umucg_error *err)
{
	char **names = NULL;
	size_t n = 0;
	if (s->base.fd >= 0 && umucg_group_list(&s->g->store, s->base.fd, &names, &n, err) < 0)
		return err->code;
	struct top_row *rows = calloc(n ? n : 1, sizeof *rows);
	if (!rows) {
		umucg_names_free(names, n);
		return -ENOMEM;
	}
	int64_t now = cli_now_ns();
	double dt = s->prev_ns ? (double)(now - s->prev_ns) / 1e9 : 0;
	size_t used = 0;
	for (size_t i = 0; i < n; i++) {
		if (sample_group(s, names[i], &rows[used], dt))
			used++;
		else
			free(names[i]);
	}
	free(names); /* the strings now belong to rows */
	rows_free(s->prev, s->nprev);
	s->prev = rows;
	s->nprev = used;
	s->prev_ns = now;
	f->rows = rows;
	f->n = used;
	f->interval = dt;
	f->iteration++;
	f->wall_time = (long long)time(NULL);
	return 0;
}

/* ---- batch mode ---------------------------------------------------------- */

static int run_batch(struct sampler *s, const struct top_opts *o, bool json)
{
	struct top_frame f = { .base_path = s->base.path };
	struct umucg_error err = { 0 };
	for (unsigned long i = 0; !o->iterations || i < o->iterations; i++) {
		if (i) {
			struct timespec ts = { (time_t)o->delay,
					       (long)((o->delay - (double)(time_t)o->delay) * 1e9) };
			while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
				;
		}
		int r = sample(s, &f, &err);
		if (r < 0) {
			cli_error_in("top", &err);
			return EXIT_UMUCG;
		}
		top_sort_rows(&f);
		if (json) {
			r = top_render_json(&f, stdout);
		} else {
			struct top_text t = { 0 };
			top_render_table(&t, &f, 0, 0, "\n", false);
			r = t.error;
			if (!r && fprintf(stdout, "%s%s", i ? "\n" : "", t.buf ? t.buf : "") < 0)
				r = -EIO;
			free(t.buf);
		}
		if (r < 0 || fflush(stdout) != 0) {
			/* a closed pipe (head -n) ends the output, not an error to shout */
			return errno == EPIPE ? 0 : EXIT_UMUCG;
		}
	}
	return 0;
}

/* ---- the live screen ----------------------------------------------------- */

#define SCREEN_ENTER "\x1b[?1049h\x1b[?25l"
#define SCREEN_LEAVE "\x1b[?25h\x1b[?1049l"

struct screen {
	bool tty_in;           /* keys come from a terminal in non-canonical mode */
	struct termios saved;
	bool active;
	size_t rows, cols;
};

static void write_all(const char *s, size_t n)
{
	while (n) {
		ssize_t w = write(STDOUT_FILENO, s, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		s += w;
		n -= (size_t)w;
	}
}

static void screen_size(struct screen *sc)
{
	struct winsize ws;
	sc->rows = 24;
	sc->cols = 80;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row && ws.ws_col) {
		sc->rows = ws.ws_row;
		sc->cols = ws.ws_col;
	}
}

static void screen_enter(struct screen *sc)
{
	if (sc->tty_in) {
		struct termios raw = sc->saved;
		/* Keys one at a time, not echoed; Ctrl-C still sends SIGINT. */
		raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
		raw.c_cc[VMIN] = 1;
		raw.c_cc[VTIME] = 0;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &raw);
	}
	write_all(SCREEN_ENTER, strlen(SCREEN_ENTER));
	sc->active = true;
	screen_size(sc);
}

static void screen_leave(struct screen *sc)
{
	if (!sc->active)
		return;
	write_all(SCREEN_LEAVE, strlen(SCREEN_LEAVE));
	if (sc->tty_in)
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &sc->saved);
	sc->active = false;
}

/* Cursor home, every line overwritten and cleared to its end, the rest of
 * the screen cleared: no blank frame in between, so no flicker. */
static void screen_draw(const struct screen *sc, const struct top_frame *f)
{
	struct top_text t = { 0 };
	static const char home[] = "\x1b[H", rest[] = "\x1b[J";
	/* one line fewer than the screen: the last newline must not scroll it */
	top_render_table(&t, f, sc->cols, sc->rows > 2 ? sc->rows - 1 : 2, "\x1b[K\n", true);
	if (t.error) {
		free(t.buf);
		return;
	}
	/* One write per frame: home, the lines, clear below. */
	size_t n = sizeof home - 1 + t.len + sizeof rest - 1;
	char *frame = malloc(n + 1);
	if (frame) {
		snprintf(frame, n + 1, "%s%s%s", home, t.buf ? t.buf : "", rest);
		write_all(frame, n);
		free(frame);
	}
	free(t.buf);
}

/* Leaves the screen as it was, then dies of sig the way it would have. */
static void die_of(struct screen *sc, int sig)
{
	screen_leave(sc);
	signal(sig, SIG_DFL);
	sigset_t one;
	sigemptyset(&one);
	sigaddset(&one, sig);
	sigprocmask(SIG_UNBLOCK, &one, NULL);
	raise(sig);
	_exit(128 + sig);
}

/* A key: 1 to redraw, 0 to go on, -1 to quit. */
static int on_key(char c, struct top_frame *f)
{
	switch (c) {
	case 'q': case 'Q': return -1;
	case 'c': case 'C': case 'P': f->sort = TOP_SORT_CPU; return 1;
	case 'm': case 'M': f->sort = TOP_SORT_MEMORY; return 1;
	case 'i': case 'I': f->sort = TOP_SORT_IO; return 1;
	default: return 0;
	}
}

/* 1 to redraw, 0 to go on, -1 to quit; dies of a stop signal. */
static int on_signal(int sfd, struct screen *sc)
{
	struct signalfd_siginfo si;
	if (read(sfd, &si, sizeof si) != (ssize_t)sizeof si)
		return 0;
	int sig = (int)si.ssi_signo;
	if (sig == SIGWINCH) {
		screen_size(sc);
		return 1;
	}
	if (sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU) {
		/* Give the terminal back while stopped, take it again after. */
		screen_leave(sc);
		kill(getpid(), SIGSTOP);
		screen_enter(sc);
		return 1;
	}
	if (sig == SIGCONT)
		return 1;
	die_of(sc, sig);
	return -1;
}

static int live_loop(struct sampler *s, const struct top_opts *o, struct screen *sc, int sfd)
{
	struct top_frame f = { .base_path = s->base.path };
	struct umucg_error err = { 0 };
	int64_t next = cli_now_ns();
	for (;;) {
		if (cli_now_ns() >= next) {
			if (o->iterations && f.iteration >= o->iterations)
				return 0;
			if (sample(s, &f, &err) < 0) {
				screen_leave(sc);
				cli_error_in("top", &err);
				return EXIT_UMUCG;
			}
			next += (int64_t)(o->delay * 1e9);
			top_sort_rows(&f);
			screen_draw(sc, &f);
		}
		int64_t wait_ms = (next - cli_now_ns()) / 1000000 + 1;
		struct pollfd pfd[2] = { { sfd, POLLIN, 0 }, { sc->tty_in ? STDIN_FILENO : -1, POLLIN, 0 } };
		int n = poll(pfd, 2, wait_ms > 0 ? (int)wait_ms : 0);
		if (n < 0 && errno != EINTR)
			break;
		int act = 0;
		if (n > 0 && (pfd[0].revents & POLLIN))
			act = on_signal(sfd, sc);
		if (act >= 0 && n > 0 && (pfd[1].revents & (POLLIN | POLLHUP))) {
			char keys[16];
			ssize_t k = read(STDIN_FILENO, keys, sizeof keys);
			if (k <= 0)
				act = -1; /* the terminal went away */
			for (ssize_t i = 0; i < k && act >= 0; i++) {
				int a = on_key(keys[i], &f);
				act = a ? a : act;
			}
		}
		if (act < 0)
			return 0;
		if (act > 0) {
			top_sort_rows(&f);
			screen_draw(sc, &f);
		}
	}
	return 0;
}

static const int live_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGWINCH, SIGTSTP,
				    SIGTTIN, SIGTTOU, SIGCONT };

static int run_live(struct sampler *s, const struct top_opts *o)
{
	struct screen sc = { .tty_in = isatty(STDIN_FILENO) == 1 };
	if (sc.tty_in && tcgetattr(STDIN_FILENO, &sc.saved) < 0)
		sc.tty_in = false;
	sigset_t mask, old;
	sigemptyset(&mask);
	for (size_t i = 0; i < sizeof live_signals / sizeof *live_signals; i++)
		sigaddset(&mask, live_signals[i]);
	sigprocmask(SIG_BLOCK, &mask, &old);
	int sfd = signalfd(-1, &mask, SFD_CLOEXEC);
	if (sfd < 0) {
		cli_errorf("top: signalfd: %s", strerror(errno));
		sigprocmask(SIG_SETMASK, &old, NULL);
		return EXIT_UMUCG;
	}
	screen_enter(&sc);
	int code = live_loop(s, o, &sc, sfd);
	screen_leave(&sc);
	close(sfd);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return code;
}

int cmd_top(struct cli_global *g, int argc, char **argv)
{
	struct top_opts o = { .delay = 2 };
	const struct cli_spec spec = {
		.cmd = "top", .help = top_help, .own = top_options, .shortopts = "bn:d:",
		.option = top_option, .ctx = &o,
	};
	struct cli_args a;
	int r = cli_parse(g, &spec, argc, argv, &a);
	if (r != CLI_GO_ON || (r = cli_no_operands("top", argc, argv, &a)))
		return r;
	struct sampler s = { .g = g };
	struct umucg_error err = { 0 };
	if (umucg_base_resolve(g->base, &s.base, &err) < 0) {
		cli_error(&err);
		return EXIT_UMUCG;
	}
	bool live = !o.batch && !g->json && isatty(STDOUT_FILENO) == 1;
	/* A reader that goes away (| head) ends a batch quietly. */
	if (!live)
		signal(SIGPIPE, SIG_IGN);
	int code = live ? run_live(&s, &o) : run_batch(&s, &o, g->json);
	rows_free(s.prev, s.nprev);
	umucg_base_release(&s.base);
	return code;
}
