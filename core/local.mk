lib_LTLIBRARIES += core/libifplex.la
include_HEADERS = core/include/ifplex.h
ifplexincludedir = $(includedir)/ifplex
ifplexinclude_HEADERS = core/include/ifplex/backend.h

core_libifplex_la_SOURCES = \
	core/internal.h \
	core/alloc.c core/ip.c core/mask.c core/hostport.c core/network.c \
	core/error.c core/opts.c core/loader.c core/plugins.c core/backend.c core/backend_auto.c core/plugin_out.c \
	core/iface.c core/conn.c core/conn_live.c core/resolve.c \
	core/os_posix.c core/trust_posix.c
core_libifplex_la_CFLAGS = $(AM_CFLAGS) -fvisibility=hidden -DIFPLEX_BUILDING
EXTRA_core_libifplex_la_DEPENDENCIES = $(top_srcdir)/core/libifplex.map
core_libifplex_la_LDFLAGS = $(AM_LDFLAGS) -version-info 0:0:0 -no-undefined \
	-Wl,--version-script=$(top_srcdir)/core/libifplex.map
EXTRA_DIST += core/libifplex.map
