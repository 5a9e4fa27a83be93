# bench: `make bench` measures umucg against bare fork/exec and the subreapers
# people use instead; separate from `make check`. See bench/README.
BENCH_PROGS = bench/launch bench/teardown bench/treekill bench/idle bench/scale \
	bench/callgrind bench/helper bench/summary
noinst_PROGRAMS += $(BENCH_PROGS)
BENCH_COMMON = bench/bench.h bench/bench.c
bench_launch_SOURCES = bench/launch.c $(BENCH_COMMON)
bench_teardown_SOURCES = bench/teardown.c $(BENCH_COMMON)
bench_treekill_SOURCES = bench/treekill.c $(BENCH_COMMON)
bench_idle_SOURCES = bench/idle.c $(BENCH_COMMON)
bench_scale_SOURCES = bench/scale.c $(BENCH_COMMON)
bench_callgrind_SOURCES = bench/callgrind.c $(BENCH_COMMON)
bench_helper_SOURCES = bench/helper.c
bench_summary_SOURCES = bench/summary.c
EXTRA_DIST += bench/README
CLEANFILES += bench/goals.tsv

# umucg links the library's objects itself, so $(top_builddir)/umucg is the
# real ELF, not a libtool wrapper script; LD_LIBRARY_PATH serves the bench
# programs that link libumucg.so.
BENCH_ENV = \
	UMUCG_ELF='$(abs_top_builddir)/umucg' \
	LD_LIBRARY_PATH='$(abs_top_builddir)/.libs' \
	BENCH_HELPER='$(abs_top_builddir)/bench/helper' \
	BENCH_SRCDIR='$(abs_top_srcdir)/bench' \
	BENCH_GOALS='$(abs_top_builddir)/bench/goals.tsv'

.PHONY: bench
bench: umucg libumucg.la $(BENCH_PROGS)
	@echo "umucg benchmarks, $$(date -u '+%Y-%m-%d %H:%M UTC'), $$(uname -sr), $$(nproc) CPUs, load $$(cut -d' ' -f1-3 /proc/loadavg)"
	@rm -f bench/goals.tsv
	$(BENCH_ENV) ./bench/launch
	$(BENCH_ENV) ./bench/teardown
	$(BENCH_ENV) ./bench/treekill
	$(BENCH_ENV) ./bench/idle
	$(BENCH_ENV) ./bench/scale
	$(BENCH_ENV) ./bench/callgrind
	@echo "load at the end: $$(cut -d' ' -f1-3 /proc/loadavg)"
	@$(BENCH_ENV) ./bench/summary
