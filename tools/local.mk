bin_PROGRAMS += tools/ifplex
tools_ifplex_SOURCES = tools/ifplex.c tools/tool.h tools/out.c tools/cmd_ifaces.c \
	tools/cmd_backends.c tools/isolate.c tools/cmd_lookup.c tools/cmd_netcat.c tools/cmd_watch.c
tools_ifplex_LDADD = core/libifplex.la -lpthread
