# SPDX-License-Identifier: MIT
# Benchmarks: built by `make bench` (or bench/run), never by `make check`'s
# tests, which only check that bench/run --smoke writes sound results.
EXTRA_PROGRAMS = bench/enum_bench bench/sock_bench bench/order_bench bench/rs_bench
bench_enum_bench_SOURCES = bench/enum_bench.c bench/enum.h bench/enum_peers.c bench/enum_cache.c \
	bench/bench.c bench/bench.h
bench_enum_bench_CPPFLAGS = $(AM_CPPFLAGS)
bench_enum_bench_CFLAGS = $(AM_CFLAGS)
bench_enum_bench_LDADD = core/libifplex.la
if HAVE_LIBNL
bench_enum_bench_CPPFLAGS += -DHAVE_LIBNL
bench_enum_bench_CFLAGS += $(LIBNL_CFLAGS)
bench_enum_bench_LDADD += $(LIBNL_LIBS)
endif
if HAVE_LIBUV
bench_enum_bench_CPPFLAGS += -DHAVE_LIBUV
bench_enum_bench_CFLAGS += $(LIBUV_CFLAGS)
bench_enum_bench_LDADD += $(LIBUV_LIBS)
endif
bench_sock_bench_SOURCES = bench/sock_bench.c
bench_sock_bench_LDADD = core/libifplex.la -lpthread
# What the cache's address order costs (run it with unshare -n).
bench_order_bench_SOURCES = bench/order_bench.c bench/bench.h
bench_order_bench_LDADD = core/libifplex.la
bench_rs_bench_SOURCES = bench/rs_bench.c
bench_rs_bench_LDADD = core/libifplex.la
CLEANFILES += bench/enum_bench bench/sock_bench bench/order_bench bench/rs_bench
EXTRA_DIST += bench/run bench/report.py bench/readme_figures.py bench/go/enum.go bench/node/enum.js

bench:
	IFPLEX_BUILD='$(abs_top_builddir)' $(srcdir)/bench/run
.PHONY: bench
# Change events against ip monitor and libnl's cache manager (bench/run
# writes its table to events.md).
EXTRA_PROGRAMS += bench/events_bench
bench_events_bench_SOURCES = bench/events_bench.c bench/bench.h
bench_events_bench_CPPFLAGS = $(AM_CPPFLAGS)
bench_events_bench_CFLAGS = $(AM_CFLAGS)
bench_events_bench_LDADD = core/libifplex.la -lpthread
if HAVE_LIBNL
bench_events_bench_CPPFLAGS += -DHAVE_LIBNL
bench_events_bench_CFLAGS += $(LIBNL_CFLAGS)
bench_events_bench_LDADD += $(LIBNL_LIBS)
endif
CLEANFILES += bench/events_bench
include bench/xdp.mk
# Details from the cache against by request, and the list calls beside them.
EXTRA_PROGRAMS += bench/details_bench
bench_details_bench_SOURCES = bench/details_bench.c bench/bench.c bench/bench.h
bench_details_bench_LDADD = core/libifplex.la
CLEANFILES += bench/details_bench
