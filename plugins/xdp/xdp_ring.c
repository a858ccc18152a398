/* SPDX-License-Identifier: MIT */
/* AF_XDP sockets in copy mode: one UMEM per receive queue, registered by a
 * socket of its own that receives nothing (so that conversations come and
 * go in any order); each conversation's socket shares it (XDP_SHARED_UMEM)
 * with RX and TX rings of its own.  Received frames go back through the
 * fill ring, sent ones come back through the completion ring. */
#define _GNU_SOURCE
#include "xdp.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#ifndef SOL_XDP
#define SOL_XDP 283
#endif
#ifndef AF_XDP
#define AF_XDP 44
#endif

#define FRAMES 4096u
#define FRAME_SIZE 2048u
#define RING 2048u     /* fill, completion, RX and TX entries */

static int fail(char *why, size_t wl, const char *what, int e)
{
	snprintf(why, wl, "%s: %s", what, strerror(e));
	return -e;
}

static int map_ring(int fd, const struct xdp_ring_offset *off, off_t pgoff, uint32_t n,
		    size_t desc, struct xdp_ring *r)
{
	r->maplen = off->desc + n * desc;
	r->map = mmap(NULL, r->maplen, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd, pgoff);
	if (r->map == MAP_FAILED) {
		r->map = NULL;
		return -errno;
	}
	r->producer = (uint32_t *)((char *)r->map + off->producer);
	r->consumer = (uint32_t *)((char *)r->map + off->consumer);
	r->flags = (uint32_t *)((char *)r->map + off->flags);
	r->descs = (char *)r->map + off->desc;
	r->size = n;
	return 0;
}

void xdp_ring_unmap(struct xdp_ring *r)
{
	if (r->map)
		munmap(r->map, r->maplen);
	r->map = NULL;
}

static int set_ring(int fd, int opt, unsigned n)
{
	return setsockopt(fd, SOL_XDP, opt, &n, sizeof n) < 0 ? -errno : 0;
}

static int offsets(int fd, struct xdp_mmap_offsets *off)
{
	socklen_t len = sizeof *off;
	return getsockopt(fd, SOL_XDP, XDP_MMAP_OFFSETS, off, &len) < 0 ? -errno : 0;
}

/* When this process last closed an AF_XDP socket, and how long after it a
 * busy queue may still be that socket's. */
static _Atomic int64_t last_release;
#define RELEASE_GRACE 1000000000ll

void xdp_sock_close(int fd)
{
	if (fd < 0)
		return;
	close(fd);
	atomic_store(&last_release, xdp_now());
}

static int bind_queue(int fd, struct xdp_umem *u, uint16_t flags, int shared_fd, char *why,
		      size_t wl)
{
	struct sockaddr_xdp sx = {.sxdp_family = AF_XDP, .sxdp_flags = flags,
				  .sxdp_ifindex = (uint32_t)u->ifc->index,
				  .sxdp_queue_id = (uint32_t)u->queue};

	if (shared_fd >= 0)
		sx.sxdp_shared_umem_fd = (uint32_t)shared_fd;
	int e;
	for (int tries = 0;; tries++) {
		if (bind(fd, (struct sockaddr *)&sx, sizeof sx) == 0)
			return 0;
		e = errno;
		/* The kernel lets go of a closed socket's queue in deferred work:
		 * one this process has just closed may read busy for a moment. */
		if (e != EBUSY || xdp_now() - atomic_load(&last_release) > RELEASE_GRACE || tries >= 100)
			break;
		usleep(10000);
	}
	if (e == EBUSY)
		snprintf(why, wl, "queue %d of %s is busy: another AF_XDP socket is bound to it",
			 u->queue, u->ifc->name);
	else if (e == EINVAL && u->queue >= u->ifc->nqueues)
		snprintf(why, wl, "queue %d of %s does not exist (%d receive queue%s)", u->queue,
			 u->ifc->name, u->ifc->nqueues, u->ifc->nqueues == 1 ? "" : "s");
	else
		snprintf(why, wl, "bind AF_XDP socket to %s queue %d: %s", u->ifc->name, u->queue,
			 strerror(e));
	return -e;
}

/* Producer side of the fill ring; room is certain (see xdp_umem_refill). */
static void fill_push(struct xdp_umem *u, const uint64_t *a, size_t n)
{
	uint32_t prod = *u->fill.producer;
	uint64_t *d = u->fill.descs;

	for (size_t i = 0; i < n; i++)
		d[(prod + i) & (u->fill.size - 1)] = a[i] & ~(uint64_t)(u->frame_size - 1);
	xdp_ring_store(u->fill.producer, prod + (uint32_t)n);
}

static void comp_reap(struct xdp_umem *u)
{
	uint32_t cons = *u->comp.consumer;
	uint32_t prod = xdp_ring_load(u->comp.producer);
	const uint64_t *d = u->comp.descs;

	for (; cons != prod && u->nfree < u->frames; cons++)
		u->free[u->nfree++] = d[cons & (u->comp.size - 1)] & ~(uint64_t)(u->frame_size - 1);
	xdp_ring_store(u->comp.consumer, cons);
}

int xdp_umem_open(struct xdp_iface *ifc, int queue, struct xdp_umem **out, char *why, size_t wl)
{
	struct xdp_umem *u = calloc(1, sizeof *u);
	struct xdp_mmap_offsets off;
	int rc;

	*out = NULL;
	if (!u)
		return fail(why, wl, "UMEM", ENOMEM);
	u->ifc = ifc;
	u->queue = queue;
	u->frames = FRAMES;
	u->frame_size = FRAME_SIZE;
	u->fd = -1;
	pthread_mutex_init(&u->lock, NULL);
	u->free = calloc(FRAMES, sizeof *u->free);
	u->area = mmap(NULL, (size_t)FRAMES * FRAME_SIZE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (u->area == MAP_FAILED) {
		u->area = NULL;
		rc = fail(why, wl, "UMEM memory", errno);
		goto out;
	}
	if (!u->free) {
		rc = fail(why, wl, "UMEM", ENOMEM);
		goto out;
	}
	u->fd = socket(AF_XDP, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (u->fd < 0) {
		rc = fail(why, wl, "AF_XDP socket", errno);
		goto out;
	}
	struct xdp_umem_reg mr = {.addr = (uintptr_t)u->area, .len = (uint64_t)FRAMES * FRAME_SIZE,
				  .chunk_size = FRAME_SIZE};
	if (setsockopt(u->fd, SOL_XDP, XDP_UMEM_REG, &mr, sizeof mr) < 0) {
		rc = fail(why, wl, "register UMEM", errno);
		goto out;
	}
	/* A socket needs a ring of its own to bind: a small TX ring, unused. */
	if ((rc = set_ring(u->fd, XDP_UMEM_FILL_RING, RING)) < 0 ||
	    (rc = set_ring(u->fd, XDP_UMEM_COMPLETION_RING, RING)) < 0 ||
	    (rc = set_ring(u->fd, XDP_TX_RING, 64)) < 0 || (rc = offsets(u->fd, &off)) < 0) {
		fail(why, wl, "UMEM rings", -rc);
		goto out;
	}
	if ((rc = map_ring(u->fd, &off.fr, XDP_UMEM_PGOFF_FILL_RING, RING, sizeof(uint64_t), &u->fill)) < 0 ||
	    (rc = map_ring(u->fd, &off.cr, XDP_UMEM_PGOFF_COMPLETION_RING, RING, sizeof(uint64_t), &u->comp)) < 0) {
		fail(why, wl, "map UMEM rings", -rc);
		goto out;
	}
	/* Half the frames wait for received packets, half for sending. */
	for (uint32_t i = 0; i < FRAMES; i++)
		u->free[u->nfree++] = (uint64_t)i * FRAME_SIZE;
	u->nfree -= RING;
	fill_push(u, u->free + u->nfree, RING);
	if ((rc = bind_queue(u->fd, u, XDP_COPY, -1, why, wl)) < 0)
		goto out;
	*out = u;
	return 0;
out:
	if (u->fd >= 0) /* never bound: no queue to wait for */
		close(u->fd);
	u->fd = -1;
	xdp_umem_close(u);
	return rc;
}

void xdp_umem_close(struct xdp_umem *u)
{
	if (!u)
		return;
	xdp_ring_unmap(&u->fill);
	xdp_ring_unmap(&u->comp);
	if (u->fd >= 0)
		xdp_sock_close(u->fd);
	if (u->area)
		munmap(u->area, u->frames * u->frame_size);
	free(u->free);
	pthread_mutex_destroy(&u->lock);
	free(u);
}

size_t xdp_umem_take(struct xdp_umem *u, uint64_t *out, size_t n)
{
	pthread_mutex_lock(&u->lock);
	if (u->nfree < n)
		comp_reap(u);
	if (n > u->nfree)
		n = u->nfree;
	u->nfree -= n;
	memcpy(out, u->free + u->nfree, n * sizeof *out);
	pthread_mutex_unlock(&u->lock);
	return n;
}

void xdp_umem_put(struct xdp_umem *u, const uint64_t *addrs, size_t n)
{
	pthread_mutex_lock(&u->lock);
	for (size_t i = 0; i < n && u->nfree < u->frames; i++)
		u->free[u->nfree++] = addrs[i] & ~(uint64_t)(u->frame_size - 1);
	pthread_mutex_unlock(&u->lock);
}

/* Only frames that came out of the fill ring go back into it, so it never
 * holds more than its size. */
void xdp_umem_refill(struct xdp_umem *u, const uint64_t *addrs, size_t n)
{
	if (!n)
		return;
	pthread_mutex_lock(&u->lock);
	fill_push(u, addrs, n);
	pthread_mutex_unlock(&u->lock);
}

int xdp_sock_open(struct xdp_umem *u, int *fdp, struct xdp_ring *rx, struct xdp_ring *tx,
		  char *why, size_t wl)
{
	struct xdp_mmap_offsets off;
	int rc, fd = socket(AF_XDP, SOCK_RAW | SOCK_CLOEXEC, 0);

	*fdp = -1;
	if (fd < 0)
		return fail(why, wl, "AF_XDP socket", errno);
	if ((rc = set_ring(fd, XDP_RX_RING, RING)) < 0 || (rc = set_ring(fd, XDP_TX_RING, RING)) < 0 ||
	    (rc = offsets(fd, &off)) < 0) {
		fail(why, wl, "AF_XDP rings", -rc);
		goto out;
	}
	if ((rc = map_ring(fd, &off.rx, XDP_PGOFF_RX_RING, RING, sizeof(struct xdp_desc), rx)) < 0 ||
	    (rc = map_ring(fd, &off.tx, XDP_PGOFF_TX_RING, RING, sizeof(struct xdp_desc), tx)) < 0) {
		fail(why, wl, "map AF_XDP rings", -rc);
		goto out;
	}
	if ((rc = bind_queue(fd, u, XDP_SHARED_UMEM, u->fd, why, wl)) < 0)
		goto out;
	*fdp = fd;
	return 0;
out:
	xdp_ring_unmap(rx);
	xdp_ring_unmap(tx);
	close(fd);
	return rc;
}
