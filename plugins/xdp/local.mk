# SPDX-License-Identifier: MIT
# The xdp datapath (Linux): AF_XDP UDP on the interfaces IFPLEX_XDP names.
# Its XDP program is compiled for the BPF target and embedded as
# instructions with map relocations, as the netlink cache's filter is, so
# it needs clang and python3 (HAVE_BPF); without them it is not built.
EXTRA_DIST += plugins/xdp/xdp_prog.bpf.c plugins/xdp/xdp_shared.h plugins/xdp/local.mk
XDP_CORE_SOURCES = plugins/xdp/xdp_config.c plugins/xdp/xdp_frame.c
XDP_SOURCES = plugins/xdp/xdp.h $(XDP_CORE_SOURCES) plugins/xdp/xdp_ring.c plugins/xdp/xdp_kernel.c \
	plugins/xdp/xdp_attach.c plugins/xdp/xdp_route.c plugins/xdp/xdp_conn.c plugins/xdp/xdp_io.c \
	plugins/xdp/xdp_send.c plugins/xdp/xdp_wait.c plugins/xdp/xdp_describe.c plugins/xdp/plugin.c
if OS_LINUX
if HAVE_BPF
plugin_LTLIBRARIES += plugins/xdp/ifplex-xdp.la
plugins_xdp_ifplex_xdp_la_SOURCES = $(XDP_SOURCES)
nodist_plugins_xdp_ifplex_xdp_la_SOURCES = plugins/xdp/xdp_prog.h
BUILT_SOURCES += plugins/xdp/xdp_prog.h
CLEANFILES += plugins/xdp/xdp_prog.h plugins/xdp/xdp_prog.bpf.o
plugins_xdp_ifplex_xdp_la_CPPFLAGS = $(AM_CPPFLAGS) -I$(builddir)/plugins/xdp
plugins_xdp_ifplex_xdp_la_CFLAGS = $(PLUGINS_CFLAGS)
plugins_xdp_ifplex_xdp_la_LDFLAGS = $(AM_LDFLAGS) $(PLUGINS_LINK)
plugins_xdp_ifplex_xdp_la_LIBADD = plugins/common/libifplex-bpf.la -lpthread
plugins/xdp/xdp_prog.bpf.o: $(srcdir)/plugins/xdp/xdp_prog.bpf.c $(srcdir)/plugins/xdp/xdp_shared.h
	$(AM_V_GEN)$(MKDIR_P) plugins/xdp && $(CLANG) -O2 -g -target bpf $(MULTIARCH_INCLUDE) \
		-I$(srcdir)/plugins/xdp -c $(srcdir)/plugins/xdp/xdp_prog.bpf.c -o $@
plugins/xdp/xdp_prog.h: plugins/xdp/xdp_prog.bpf.o $(srcdir)/plugins/common/bpf_embed.py
	$(AM_V_GEN)$(BPF_EMBED) plugins/xdp/xdp_prog.bpf.o $@ xdp_bpf xdp xsks,ports,counters
else
EXTRA_DIST += $(XDP_SOURCES)
endif
else
EXTRA_DIST += $(XDP_SOURCES)
endif

