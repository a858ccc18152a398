# SPDX-License-Identifier: MIT
EXTRA_DIST += plugins/plugin.map

# Code several plugins share; linked into each (never a plugin of its own).
noinst_LTLIBRARIES = plugins/common/libifplex-common.la
if !OS_WINDOWS
noinst_LTLIBRARIES += plugins/common/libifplex-sock.la
endif
plugins_common_libifplex_common_la_SOURCES = plugins/common/vec.c plugins/common/vec.h \
	plugins/common/hex.c plugins/common/hex.h plugins/common/dns_sort.c plugins/common/dns_sort.h \
	plugins/common/ipsa.c plugins/common/ipsa.h
plugins_common_libifplex_common_la_CFLAGS = $(PLUGINS_CFLAGS)
plugins_common_libifplex_sock_la_SOURCES = plugins/common/sock.h plugins/common/sock_os.h \
	plugins/common/sock_sockaddr.c plugins/common/sock_wait.c plugins/common/sock_wake.c plugins/common/sock_conn.c \
	plugins/common/sock_msg.c plugins/common/sock_opts.c plugins/common/sock_lookup.c
if PORTABLE_SOCKETS
plugins_common_libifplex_sock_la_SOURCES += plugins/common/sock_os_posix.c
EXTRA_DIST += plugins/common/sock_os_linux.c
else
plugins_common_libifplex_sock_la_SOURCES += plugins/common/sock_os_linux.c
EXTRA_DIST += plugins/common/sock_os_posix.c
endif
plugins_common_libifplex_sock_la_CFLAGS = $(PLUGINS_CFLAGS)
# Raw bpf(2) loading for the plugins that carry a BPF program (netlink's
# cache filter, the xdp datapath), and the script that embeds one.
EXTRA_DIST += plugins/common/bpf_embed.py
BPF_EMBED = $(PYTHON3) $(srcdir)/plugins/common/bpf_embed.py
if OS_LINUX
noinst_LTLIBRARIES += plugins/common/libifplex-bpf.la
plugins_common_libifplex_bpf_la_SOURCES = plugins/common/bpf_load.c plugins/common/bpf_load.h
plugins_common_libifplex_bpf_la_CFLAGS = $(PLUGINS_CFLAGS)
endif

if OS_LINUX
plugin_LTLIBRARIES += plugins/netlink/ifplex-netlink.la
plugins_netlink_ifplex_netlink_la_SOURCES = plugins/netlink/nl.h plugins/netlink/nl_socket.c \
	plugins/netlink/nl_parse.c plugins/netlink/nl_links.c plugins/netlink/nl_addrs.c \
	plugins/netlink/mcast_proc.c plugins/netlink/nl_mcast.c plugins/netlink/plugin.c \
	plugins/netlink/cache.h plugins/netlink/cache.c plugins/netlink/cache_table.c \
	plugins/netlink/cache_mem.c plugins/netlink/cache_sync.c plugins/netlink/cache_burst.c plugins/netlink/cache_arm.c \
	plugins/netlink/cache_bpf.c plugins/netlink/nl_fork.c plugins/netlink/nl_describe.c \
	plugins/netlink/nl_events.c plugins/netlink/nl_details.c plugins/netlink/nl_parse_details.c \
	plugins/netlink/cache_details.c
plugins_netlink_ifplex_netlink_la_CFLAGS = $(PLUGINS_CFLAGS)
plugins_netlink_ifplex_netlink_la_CPPFLAGS = $(AM_CPPFLAGS)
EXTRA_DIST += plugins/netlink/nl_notify.bpf.c plugins/netlink/nl_bpf_shared.h
if HAVE_BPF
# The socket filter: compiled for the BPF target, then turned into a header
# of instructions and map relocations that the plugin loads directly.
plugins_netlink_ifplex_netlink_la_CPPFLAGS += -DHAVE_LIBBPF -I$(builddir)/plugins/netlink
nodist_plugins_netlink_ifplex_netlink_la_SOURCES = plugins/netlink/nl_bpf_prog.h
BUILT_SOURCES = plugins/netlink/nl_bpf_prog.h
CLEANFILES += plugins/netlink/nl_bpf_prog.h plugins/netlink/nl_notify.bpf.o
plugins/netlink/nl_notify.bpf.o: $(srcdir)/plugins/netlink/nl_notify.bpf.c $(srcdir)/plugins/netlink/nl_bpf_shared.h
	$(AM_V_GEN)$(MKDIR_P) plugins/netlink && $(CLANG) -O2 -g -target bpf $(MULTIARCH_INCLUDE) \
		-I$(srcdir)/plugins/netlink -c $(srcdir)/plugins/netlink/nl_notify.bpf.c -o $@
plugins/netlink/nl_bpf_prog.h: plugins/netlink/nl_notify.bpf.o $(srcdir)/plugins/common/bpf_embed.py
	$(AM_V_GEN)$(BPF_EMBED) plugins/netlink/nl_notify.bpf.o $@ nl_bpf socket ring,counters,scratch
else
# A per-target CPPFLAGS set in one branch only would be empty in the other.
plugins_netlink_ifplex_netlink_la_CPPFLAGS = $(AM_CPPFLAGS)
endif
plugins_netlink_ifplex_netlink_la_LDFLAGS = $(AM_LDFLAGS) $(PLUGINS_LINK)
plugins_netlink_ifplex_netlink_la_LIBADD = plugins/common/libifplex-sock.la \
	plugins/common/libifplex-bpf.la plugins/common/libifplex-common.la -lresolv -lpthread

endif

# routesock: the BSDs and macOS.  Built everywhere: it replays captured
# routing-message dumps (IFPLEX_ROUTESOCK_RIB) on any system, so that its
# parser is tested here; the system layer exists on the BSDs only.
if !OS_WINDOWS
plugin_LTLIBRARIES += plugins/routesock/ifplex-routesock.la
endif
plugins_routesock_ifplex_routesock_la_SOURCES = plugins/routesock/rs.h plugins/routesock/rs_layout.c \
	plugins/routesock/rs_parse.c plugins/routesock/rs_rib.c plugins/routesock/rs_stream.c \
	plugins/routesock/rs_plugin.h plugins/routesock/plugin.c plugins/routesock/rs_details.c \
	plugins/routesock/rs_events.c
if OS_BSD
plugins_routesock_ifplex_routesock_la_SOURCES += plugins/routesock/rs_sys.h plugins/routesock/rs_sys.c
plugins_routesock_ifplex_routesock_la_CPPFLAGS = $(AM_CPPFLAGS) -DIFPLEX_RS_SYSTEM
else
EXTRA_DIST += plugins/routesock/rs_sys.h plugins/routesock/rs_sys.c
plugins_routesock_ifplex_routesock_la_CPPFLAGS = $(AM_CPPFLAGS)
endif
plugins_routesock_ifplex_routesock_la_CFLAGS = $(PLUGINS_CFLAGS)
plugins_routesock_ifplex_routesock_la_LDFLAGS = $(AM_LDFLAGS) $(PLUGINS_LINK)
plugins_routesock_ifplex_routesock_la_LIBADD = plugins/common/libifplex-sock.la \
	plugins/common/libifplex-common.la $(RESOLV_LIBS) -lpthread

# Plan 9: the /net file tree.  Built everywhere but Windows (its files are
# POSIX), so that its tests run here against fixture trees.  It links no
# libifplex (IP text goes through the host's helpers): -z defs proves
# nothing is left for the core to supply.
if !OS_WINDOWS
plugin_LTLIBRARIES += plugins/plan9/ifplex-plan9.la
endif
plugins_plan9_ifplex_plan9_la_SOURCES = plugins/plan9/p9.h plugins/plan9/p9_ip.c \
	plugins/plan9/p9_parse.c plugins/plan9/p9_files.c plugins/plan9/p9_err.c \
	plugins/plan9/p9_iface.c plugins/plan9/p9_conn.c plugins/plan9/p9_dns.c plugins/plan9/p9_details.c \
	plugins/plan9/plugin.c
plugins_plan9_ifplex_plan9_la_CFLAGS = $(PLUGINS_CFLAGS)
plugins_plan9_ifplex_plan9_la_LDFLAGS = $(AM_LDFLAGS) $(PLUGINS_LINK) -Wl,-z,defs
plugins_plan9_ifplex_plan9_la_LIBADD = plugins/common/libifplex-common.la

include plugins/xdp/local.mk
include plugins/win32/local.mk
