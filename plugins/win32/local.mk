# SPDX-License-Identifier: MIT
# Windows: GetAdaptersAddresses and Winsock 2, built as ifplex-win32.dll
# with mingw-w64 (configure --host=x86_64-w64-mingw32).
if OS_WINDOWS
plugin_LTLIBRARIES += plugins/win32/ifplex-win32.la
plugins_win32_ifplex_win32_la_SOURCES = plugins/win32/w32.h plugins/win32/plugin.c \
	plugins/win32/w32_text.c plugins/win32/w32_adapters.c plugins/win32/w32_sockaddr.c \
	plugins/win32/w32_wait.c plugins/win32/w32_conn.c plugins/win32/w32_io.c \
	plugins/win32/w32_opts.c plugins/win32/w32_lookup.c plugins/win32/w32_answer.c \
	plugins/win32/w32_dns.c plugins/win32/w32_details.c plugins/win32/w32_scan.c plugins/win32/w32_diff.c \
	plugins/win32/w32_events.c
plugins_win32_ifplex_win32_la_CFLAGS = $(PLUGINS_CFLAGS)
plugins_win32_ifplex_win32_la_LDFLAGS = $(AM_LDFLAGS) $(PLUGINS_LINK)
# The core's clock (ifplex_now) is the deadlines' clock: linked, not copied.
plugins_win32_ifplex_win32_la_LIBADD = plugins/common/libifplex-common.la core/libifplex.la \
	-liphlpapi -ldnsapi -lws2_32
endif
