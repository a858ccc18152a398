# SPDX-License-Identifier: MIT
bin_PROGRAMS += tools/ifplex
tools_ifplex_SOURCES = tools/ifplex.c tools/tool.h tools/out.c tools/help.c tools/iface_map.c \
	tools/cmd_ifaces.c tools/cmd_addrs.c tools/cmd_backends.c tools/cmd_lookup.c tools/cmd_netcat.c \
	tools/cmd_watch.c tools/cmd_rib.c
# Probing plugins in a child: fork() on POSIX, the command started again
# on Windows.
if OS_WINDOWS
tools_ifplex_SOURCES += tools/isolate_win32.c
else
tools_ifplex_SOURCES += tools/isolate.c
endif
if OS_WINDOWS
# winpthreads linked in, so that ifplex.exe needs no libwinpthread-1.dll.
tools_ifplex_LDADD = core/libifplex.la $(WIN_STATIC_PTHREAD)
else
tools_ifplex_LDADD = core/libifplex.la -lpthread
endif
# rib-capture reads the routing sysctls with the routesock plugin's own
# system layer, on the systems that have them.
if OS_BSD
tools_ifplex_SOURCES += plugins/routesock/rs_sys.c plugins/routesock/rs_layout.c
tools_ifplex_CPPFLAGS = $(AM_CPPFLAGS) -DIFPLEX_RS_SYSTEM
else
tools_ifplex_CPPFLAGS = $(AM_CPPFLAGS)
endif
dist_bashcomp_DATA = tools/bash-completion/ifplex
EXTRA_DIST += tests/core/test_completion.sh
if !OS_WINDOWS
TESTS += tests/core/test_completion.sh
endif
