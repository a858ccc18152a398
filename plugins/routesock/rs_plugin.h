/* SPDX-License-Identifier: MIT */
/* The routesock plugin's state and the dump loading its files share:
 * lists (plugin.c), details (rs_details.c) and events (rs_events.c). */
#ifndef IFPLEX_ROUTESOCK_RS_PLUGIN_H
#define IFPLEX_ROUTESOCK_RS_PLUGIN_H

#include "rs.h"
#include "../common/vec.h"

#include <ifplex/backend.h>
#include <pthread.h>
#include <sys/stat.h>

struct rs_state {
	const struct ifplex_host *host;
	char rib[1024];             /* IFPLEX_ROUTESOCK_RIB, "" for the system */
	char events[1024];          /* IFPLEX_ROUTESOCK_EVENTS, "" for the system */
	const struct rs_layout *sys; /* the running system's layout */
	pthread_mutex_t lock;       /* what follows */
	uint64_t generation;
	struct stat seen;           /* replay: the file when last looked at */
	int watch;                  /* system: routing socket, -1 until first asked */
	unsigned rejected;          /* events: routing messages that could not be read */
	char reject[256];           /* the last one's fault */
	char text[1100];            /* describe's answers */
};

/* The dumps one call reads, and the memory they live in. */
struct rs_dump {
	const struct rs_layout *layout;
	struct {
		const uint8_t *p;
		size_t n;
	} sec[3];
	uint8_t *owned[3];
};

/* load's whats may ask for the layout's details_what by this bit. */
#define RS_DETAILS_WHAT 0x100u

/* The sections of whats (enum rs_what bits), for interface index (0: all;
 * the kernel filters, a replay is filtered by the caller). */
int rs_load(struct rs_state *st, unsigned whats, int index, struct rs_dump *d);
void rs_dump_free(struct rs_dump *d);
/* Section what of d through sink; a malformed dump fails with its text. */
int rs_parse_dump(struct rs_state *st, const struct rs_dump *d, int what, const struct rs_sink *sink);

/* What interface_addrs gives besides the list, per address (details). */
struct rs_addr_extra {
	struct rs_addr msg;         /* has_brd, brd, has_flags, flags */
	int peer;                   /* brd is the point-to-point peer */
};
/* The addresses of index (0: all) as interface_addrs lists them; with
 * extra (a vec of struct rs_addr_extra), what each message said besides. */
int rs_list_addrs(struct rs_state *st, int index, struct ifplex_addr **list, size_t *count, struct vec *extra);
/* Interfaces of the IFLIST dump (vec of struct ifplex_iface), of index
 * (0: all). */
int rs_list_ifaces(struct rs_state *st, int index, struct vec *out);

int rs_link_details(void *state, int index, struct ifplex_link_details *out);
int rs_addr_details(void *state, int index, struct ifplex_addr_details **list, size_t *count);

int rs_events_open(void *state, unsigned mask, ifplex_bevents **out);
int rs_events_read(ifplex_bevents *e, struct ifplex_notice *v, size_t n);
int rs_events_wait(ifplex_bevents *e, int64_t deadline);
int rs_events_wait_fd(ifplex_bevents *e, intptr_t *fd);
void rs_events_close(ifplex_bevents *e);

#endif
