/* SPDX-License-Identifier: MIT */
/* p9emu: a test-only emulator of Plan 9's /net connection files (FUSE over
 * real loopback sockets), behaving as the kernel's devip.c, tcp.c, udp.c
 * and ndb's cs and dns do.  Never installed. */
#ifndef P9EMU_H
#define P9EMU_H

#include <stddef.h>

enum { TCP, UDP, NPROTO };
#define MAXCONV 256

/* What differs between the two kernels and their ndb. */
struct emu_edition {
	int ninefront;          /* 9front: ctl "close", negrcode names, IL in cs's "net" answers */
	const char *mntpt;      /* the netdir cs names in its answers (ndb/cs -x) */
};
extern struct emu_edition edition;
extern const char *const protos[NPROTO];

/* ---- p9emu_conv.c: conversations over sockets */
int conv_exists(int proto, int c);
int conv_clone(int proto);
/* Open listen: blocks until a call comes; the new conversation or -errno. */
int conv_listen(int proto, int c);
void conv_ref(int proto, int c);
void conv_unref(int proto, int c);
/* A ctl message: NULL, or the kernel's error text. */
const char *conv_ctl(int proto, int c, const char *msg);
long conv_read_data(int proto, int c, char *buf, size_t size);
long conv_write_data(int proto, int c, const char *buf, size_t size);
/* status, local, remote as the kernel prints them. */
int conv_text(int proto, int c, const char *file, char *buf, size_t len);
/* err: a queue nothing is written to; a read waits until the call ends
 * (0), or fails after a while rather than hang the test (-errno). */
int conv_wait_err(int proto, int c);

/* ---- p9emu_ndb.c: cs and dns */
struct answers {
	char text[8][256];      /* one answer per record, as the server keeps them */
	int n;
};
/* A question to cs or dns: NULL and the answers, or the error text. */
const char *cs_ask(const char *q, struct answers *a);
const char *dns_ask(const char *q, struct answers *a);
/* The errno an error text arrives as through FUSE. */
int emu_errno(const char *text);

#endif
