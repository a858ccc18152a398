bin_PROGRAMS += tools/ifplex
tools_ifplex_SOURCES = tools/ifplex.c tools/tool.h tools/out.c tools/help.c tools/iface_map.c \
	tools/cmd_ifaces.c tools/cmd_addrs.c tools/cmd_backends.c tools/cmd_lookup.c tools/cmd_netcat.c tools/cmd_watch.c
tools_ifplex_LDADD = core/libifplex.la -lpthread
dist_bashcomp_DATA = tools/bash-completion/ifplex
EXTRA_DIST += tests/core/test_completion.sh
TESTS += tests/core/test_completion.sh
