# SPDX-License-Identifier: MIT
# The xdp datapath's benchmark (bench/run runs it), built as bench/'s others.
EXTRA_DIST += bench/xdp.mk bench/xdp_bench.c
if OS_LINUX
EXTRA_PROGRAMS += bench/xdp_bench
bench_xdp_bench_SOURCES = bench/xdp_bench.c
bench_xdp_bench_LDADD = core/libifplex.la
CLEANFILES += bench/xdp_bench
endif
