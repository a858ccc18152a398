/* SPDX-License-Identifier: MIT */
/* rib-capture: this machine's routing-message dumps as a RIB file, to
 * replay anywhere with IFPLEX_ROUTESOCK_RIB (bug reports, fixtures). */
#include "tool.h"
#ifdef IFPLEX_RS_SYSTEM
#include "../plugins/routesock/rs_sys.h"
#endif

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int cmd_rib_capture(struct tool *t)
{
	if (t->argc != 1)
		return tool_usage("rib-capture takes one file name");
#ifndef IFPLEX_RS_SYSTEM
	fprintf(stderr, "ifplex: rib-capture needs a BSD or macOS kernel (sysctl NET_RT_IFLIST); this system "
			"has none\n");
	return EXIT_OPFAIL;
#else
	const struct rs_layout *l = rs_sys_layout();
	if (!l) {
		fprintf(stderr, "ifplex: rib-capture: no routing-message layout for this system and architecture\n");
		return EXIT_OPFAIL;
	}
	FILE *f = fopen(t->argv[0], "wb");
	if (!f) {
		fprintf(stderr, "ifplex: rib-capture: %s: %s\n", t->argv[0], strerror(errno));
		return EXIT_OPFAIL;
	}
	size_t total = 0;
	int sections = 0;
	for (int what = RS_IFLIST; what <= RS_IFMALIST; what <<= 1) {
		uint8_t *buf;
		size_t len;
		if (!(l->whats & (unsigned)what))
			continue;
		int rc = rs_sys_fetch(what, 0, &buf, &len);
		if (rc < 0) {
			fprintf(stderr, "ifplex: rib-capture: sysctl %s: %s\n", rs_what_name(what), strerror(-rc));
			fclose(f);
			return EXIT_OPFAIL;
		}
		fprintf(f, "ifplex-rib 1 %s %s %s %zu\n", l->os, l->arch, rs_what_name(what), len);
		fwrite(buf, 1, len, f);
		free(buf);
		total += len;
		sections++;
	}
	if (fclose(f) != 0) {
		fprintf(stderr, "ifplex: rib-capture: %s: %s\n", t->argv[0], strerror(errno));
		return EXIT_OPFAIL;
	}
	printf("%s: %d sections, %zu bytes of %s %s routing messages\n", t->argv[0], sections, total, l->os,
	       l->arch);
	return 0;
#endif
}
