# SPDX-License-Identifier: MIT
lib_LTLIBRARIES += core/libifplex.la
include_HEADERS = core/include/ifplex.h
ifplexincludedir = $(includedir)/ifplex
ifplexinclude_HEADERS = core/include/ifplex/backend.h
nodist_ifplexinclude_HEADERS = core/include/ifplex/version.h

core_libifplex_la_SOURCES = \
	core/internal.h \
	core/alloc.c core/ip.c core/mask.c core/mac.c core/hostport.c core/network.c \
	core/dnsname.c core/error.c core/opts.c core/loader.c core/plugins.c core/backend.c \
	core/backend_auto.c core/plugin_out.c \
	core/iface.c core/conn.c core/conn_live.c core/resolve.c core/datapath.c \
	core/events.h core/events.c core/events_view.c core/details.c \
	core/snapshot.c core/snapshot_get.c core/tls_block.c \
	core/version.c $(core_os_sources)
# The operating system's shim: the only files of the core that include a
# system header beyond the C library's.
if OS_WINDOWS
core_os_sources = core/os_win32.c core/trust_win32.c core/mutex_win32.c
else
core_os_sources = core/os_posix.c core/os_posix_db.c core/trust_posix.c core/mutex_posix.c
endif
core_libifplex_la_CFLAGS = $(AM_CFLAGS) -fvisibility=hidden -DIFPLEX_BUILDING
EXTRA_core_libifplex_la_DEPENDENCIES = $(top_srcdir)/core/libifplex.map
core_libifplex_la_LDFLAGS = $(AM_LDFLAGS) -version-info 0:0:0 -no-undefined \
	-Wl,--version-script=$(top_srcdir)/core/libifplex.map
EXTRA_DIST += core/libifplex.map
