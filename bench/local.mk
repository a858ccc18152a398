# Benchmarks: built by `make bench`, never by `make check` (they report
# figures; tests assert behaviour).
EXTRA_PROGRAMS = bench/enum_bench bench/cache_bench
bench_enum_bench_SOURCES = bench/enum_bench.c
bench_enum_bench_LDADD = core/libifplex.la
bench_cache_bench_SOURCES = bench/cache_bench.c
bench_cache_bench_LDADD = core/libifplex.la
CLEANFILES += bench/enum_bench bench/cache_bench
EXTRA_DIST += bench/run-cache

bench: bench/enum_bench bench/cache_bench
	IFPLEX_PLUGIN_PATH='$(abs_top_builddir)/plugins/netlink/.libs' $(LIBTOOL) --mode=execute bench/enum_bench
	IFPLEX_PLUGIN_PATH='$(abs_top_builddir)/plugins/netlink/.libs' $(srcdir)/bench/run-cache '$(LIBTOOL)' bench/cache_bench
.PHONY: bench
