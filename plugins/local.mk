EXTRA_DIST += plugins/plugin.map

# Code several plugins share; linked into each (never a plugin of its own).
noinst_LTLIBRARIES = plugins/common/libifplex-common.la plugins/common/libifplex-posix.la
plugins_common_libifplex_common_la_SOURCES = plugins/common/vec.c plugins/common/vec.h \
	plugins/common/hex.c plugins/common/hex.h
plugins_common_libifplex_common_la_CFLAGS = $(PLUGINS_CFLAGS)
plugins_common_libifplex_posix_la_SOURCES = plugins/common/posix.h \
	plugins/common/posix_sockaddr.c plugins/common/posix_conn.c plugins/common/posix_msg.c \
	plugins/common/posix_opts.c plugins/common/posix_lookup.c
plugins_common_libifplex_posix_la_CFLAGS = $(PLUGINS_CFLAGS)

if OS_LINUX
plugin_LTLIBRARIES += plugins/netlink/ifplex-netlink.la
plugins_netlink_ifplex_netlink_la_SOURCES = plugins/netlink/nl.h plugins/netlink/nl_socket.c \
	plugins/netlink/nl_parse.c plugins/netlink/nl_links.c plugins/netlink/nl_addrs.c \
	plugins/netlink/mcast_proc.c plugins/netlink/nl_mcast.c plugins/netlink/plugin.c \
	plugins/netlink/cache.h plugins/netlink/cache.c plugins/netlink/cache_table.c \
	plugins/netlink/cache_bpf.c
plugins_netlink_ifplex_netlink_la_CFLAGS = $(PLUGINS_CFLAGS)
plugins_netlink_ifplex_netlink_la_CPPFLAGS = $(AM_CPPFLAGS)
EXTRA_DIST += plugins/netlink/nl_notify.bpf.c plugins/netlink/nl_bpf_shared.h \
	plugins/netlink/bpf_embed.py
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
plugins/netlink/nl_bpf_prog.h: plugins/netlink/nl_notify.bpf.o $(srcdir)/plugins/netlink/bpf_embed.py
	$(AM_V_GEN)$(PYTHON3) $(srcdir)/plugins/netlink/bpf_embed.py plugins/netlink/nl_notify.bpf.o $@
endif
plugins_netlink_ifplex_netlink_la_LDFLAGS = $(AM_LDFLAGS) $(PLUGINS_LINK)
plugins_netlink_ifplex_netlink_la_LIBADD = plugins/common/libifplex-posix.la \
	plugins/common/libifplex-common.la -lresolv -lpthread

endif

# Plan 9: the /net file tree.  Built everywhere, so that its tests run here
# against fixture trees.
plugin_LTLIBRARIES += plugins/plan9/ifplex-plan9.la
plugins_plan9_ifplex_plan9_la_SOURCES = plugins/plan9/p9.h plugins/plan9/p9_parse.c \
	plugins/plan9/p9_files.c plugins/plan9/p9_iface.c plugins/plan9/p9_conn.c plugins/plan9/p9_dns.c plugins/plan9/plugin.c
plugins_plan9_ifplex_plan9_la_CFLAGS = $(PLUGINS_CFLAGS)
plugins_plan9_ifplex_plan9_la_LDFLAGS = $(AM_LDFLAGS) $(PLUGINS_LINK)
plugins_plan9_ifplex_plan9_la_LIBADD = plugins/common/libifplex-common.la core/libifplex.la
