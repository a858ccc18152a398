# Benchmarks: built by `make bench`, never by `make check` (they report
# figures; tests assert behaviour).
EXTRA_PROGRAMS = bench/enum_bench
bench_enum_bench_SOURCES = bench/enum_bench.c
bench_enum_bench_LDADD = core/libifplex.la
CLEANFILES += bench/enum_bench

bench: bench/enum_bench
	IFPLEX_PLUGIN_PATH='$(abs_top_builddir)/plugins/netlink/.libs' $(LIBTOOL) --mode=execute bench/enum_bench
.PHONY: bench
