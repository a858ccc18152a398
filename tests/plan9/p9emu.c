/* SPDX-License-Identifier: MIT */
/* A test-only emulator of Plan 9's /net connection files, as a FUSE file
 * system over real loopback sockets: cs, dns, tcp/ and udp/ with clone,
 * ctl, data, listen, local, remote, status, err.  Never installed.
 *
 *   p9emu MOUNTPOINT [-e 4e|9front] [-x NETDIR] [fuse options]
 *
 * -e picks the edition's behaviour, -x the netdir cs names in its answers
 * (as ndb/cs -x /net.alt does).  FUSE carries only an errno for a failed
 * write: the kernel's and ndb's error texts become errno values through
 * emu_errno(), as any bridge from 9P to a Unix file system must. */
#define FUSE_USE_VERSION 31
#define _GNU_SOURCE
#include "p9emu.h"

#include <errno.h>
#include <fuse.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct emu_edition edition = {.mntpt = "/net"};
const char *const protos[NPROTO] = {"tcp", "udp"};

enum kind { K_CS, K_DNS, K_CTL, K_DATA, K_LOCAL, K_REMOTE, K_STATUS, K_ERR };
struct handle {
	enum kind kind;
	int proto, conv;
	struct answers answers;   /* cs and dns: the answers of the last question */
};

static const struct {
	const char *name;
	enum kind kind;
} conv_files[] = {{"ctl", K_CTL}, {"data", K_DATA}, {"listen", K_CTL}, {"local", K_LOCAL},
		  {"remote", K_REMOTE}, {"status", K_STATUS}, {"err", K_ERR}};
#define NFILES (sizeof conv_files / sizeof conv_files[0])

/* 9front's cs offers IL first; its directory is there, its conversations
 * are not emulated. */
static int is_il(const char *path)
{
	return edition.ninefront && (strcmp(path, "/il") == 0 || strcmp(path, "/il/clone") == 0);
}

/* "/tcp/3/data" -> proto, conv (-1 for none), file ("" for a directory). */
static int split(const char *path, int *proto, int *conv, const char **file)
{
	for (int p = 0; p < NPROTO; p++) {
		size_t n = strlen(protos[p]);
		if (path[0] != '/' || strncmp(path + 1, protos[p], n) != 0)
			continue;
		const char *r = path + 1 + n;
		*proto = p;
		*conv = -1;
		*file = "";
		if (*r == '\0')
			return 0;
		if (*r++ != '/')
			return -1;
		if (strcmp(r, "clone") == 0) {
			*file = "clone";
			return 0;
		}
		char *end;
		long c = strtol(r, &end, 10);
		if (end == r || !conv_exists(p, (int)c))
			return -1;
		*conv = (int)c;
		*file = *end == '/' ? end + 1 : "";
		return *end == '\0' || *end == '/' ? 0 : -1;
	}
	return -1;
}

static int e_getattr(const char *path, struct stat *st, struct fuse_file_info *fi)
{
	int proto, conv;
	const char *file;

	(void)fi;
	memset(st, 0, sizeof *st);
	st->st_nlink = 1;
	if (strcmp(path, "/") == 0 || strcmp(path, "/il") == 0) {
		st->st_mode = S_IFDIR | 0755;
		return strcmp(path, "/") == 0 || is_il(path) ? 0 : -ENOENT;
	}
	if (strcmp(path, "/cs") == 0 || strcmp(path, "/dns") == 0 || is_il(path)) {
		st->st_mode = S_IFREG | 0666;
		return 0;
	}
	if (split(path, &proto, &conv, &file) < 0)
		return -ENOENT;
	st->st_mode = *file ? S_IFREG | 0666 : S_IFDIR | 0755;
	return 0;
}

static int e_readdir(const char *path, void *buf, fuse_fill_dir_t fill, off_t off, struct fuse_file_info *fi,
		     enum fuse_readdir_flags fl)
{
	int proto, conv;
	const char *file;

	(void)off;
	(void)fi;
	(void)fl;
	fill(buf, ".", NULL, 0, 0);
	fill(buf, "..", NULL, 0, 0);
	if (strcmp(path, "/") == 0) {
		static const char *const top[] = {"cs", "dns", "tcp", "udp", "il"};
		for (size_t i = 0; i < 4 + (size_t)edition.ninefront; i++)
			fill(buf, top[i], NULL, 0, 0);
		return 0;
	}
	if (is_il(path)) {
		fill(buf, "clone", NULL, 0, 0);
		return 0;
	}
	if (split(path, &proto, &conv, &file) < 0 || *file)
		return -ENOENT;
	if (conv < 0) {
		fill(buf, "clone", NULL, 0, 0);
		for (int c = 0; c < MAXCONV; c++)
			if (conv_exists(proto, c)) {
				char n[16];
				snprintf(n, sizeof n, "%d", c);
				fill(buf, n, NULL, 0, 0);
			}
		return 0;
	}
	for (size_t i = 0; i < NFILES; i++)
		fill(buf, conv_files[i].name, NULL, 0, 0);
	return 0;
}

static int e_open(const char *path, struct fuse_file_info *fi)
{
	int proto, conv;
	const char *file;
	size_t i;

	fi->direct_io = 1;
	if (is_il(path))
		return -EPROTONOSUPPORT;
	struct handle *h = calloc(1, sizeof *h);
	if (!h)
		return -ENOMEM;
	fi->fh = (uintptr_t)h;
	if (strcmp(path, "/cs") == 0 || strcmp(path, "/dns") == 0) {
		h->kind = path[1] == 'c' ? K_CS : K_DNS;
		return 0;
	}
	if (split(path, &proto, &conv, &file) < 0 || !*file) {
		free(h);
		return -ENOENT;
	}
	h->proto = proto;
	h->kind = K_CTL;
	if (strcmp(file, "clone") == 0) {
		h->conv = conv_clone(proto);
	} else if (strcmp(file, "listen") == 0) {
		h->conv = conv_listen(proto, conv); /* blocks until a call comes */
	} else {
		for (i = 0; i < NFILES && strcmp(file, conv_files[i].name) != 0; i++)
			;
		if (i == NFILES) {
			free(h);
			return -ENOENT;
		}
		h->kind = conv_files[i].kind;
		h->conv = conv;
		conv_ref(proto, conv);
	}
	if (h->conv < 0) {
		int e = h->conv;
		free(h);
		return e;
	}
	return 0;
}

static int e_release(const char *path, struct fuse_file_info *fi)
{
	struct handle *h = (struct handle *)(uintptr_t)fi->fh;

	(void)path;
	if (h->kind != K_CS && h->kind != K_DNS)
		conv_unref(h->proto, h->conv);
	free(h);
	return 0;
}

static int e_truncate(const char *path, off_t size, struct fuse_file_info *fi)
{
	(void)path;
	(void)size;
	(void)fi;
	return 0;
}

static int e_write(const char *path, const char *buf, size_t size, off_t off, struct fuse_file_info *fi)
{
	struct handle *h = (struct handle *)(uintptr_t)fi->fh;
	char msg[256];

	(void)path;
	(void)off;
	if (h->kind == K_DATA) {
		long w = conv_write_data(h->proto, h->conv, buf, size);
		return (int)w;
	}
	if (h->kind != K_CS && h->kind != K_DNS && h->kind != K_CTL)
		return -EPERM;
	size_t n = size < sizeof msg - 1 ? size : sizeof msg - 1;
	memcpy(msg, buf, n);
	while (n && msg[n - 1] == '\n')
		n--;
	msg[n] = '\0';
	const char *err = h->kind == K_CS ? cs_ask(msg, &h->answers)
			  : h->kind == K_DNS ? dns_ask(msg, &h->answers)
					     : conv_ctl(h->proto, h->conv, msg);
	return err ? -emu_errno(err) : (int)size;
}

/* cs and dns hand out one answer per read: the rest of the answer in
 * which the offset falls (rread in cs.c and dns.c). */
static int read_answer(const struct answers *a, char *buf, size_t size, off_t off)
{
	off_t start = 0;

	for (int i = 0; i < a->n; i++) {
		off_t len = (off_t)strlen(a->text[i]);
		if (off < start + len) {
			size_t n = (size_t)(start + len - off);
			if (n > size)
				n = size;
			memcpy(buf, a->text[i] + (off - start), n);
			return (int)n;
		}
		start += len;
	}
	return 0;
}

static int e_read(const char *path, char *buf, size_t size, off_t off, struct fuse_file_info *fi)
{
	struct handle *h = (struct handle *)(uintptr_t)fi->fh;
	char text[512];
	int n;

	(void)path;
	switch (h->kind) {
	case K_CS:
	case K_DNS:
		return read_answer(&h->answers, buf, size, off);
	case K_DATA:
		return (int)conv_read_data(h->proto, h->conv, buf, size);
	case K_ERR:
		return conv_wait_err(h->proto, h->conv);
	case K_CTL:
		n = snprintf(text, sizeof text, "%d", h->conv);
		break;
	default:
		n = conv_text(h->proto, h->conv, h->kind == K_LOCAL ? "local" : h->kind == K_REMOTE ? "remote" : "status",
			      text, sizeof text);
	}
	/* readstr(): small files read from the offset */
	if (off >= n)
		return 0;
	n -= (int)off;
	if ((size_t)n > size)
		n = (int)size;
	memcpy(buf, text + off, (size_t)n);
	return n;
}

static const struct fuse_operations ops = {
	.getattr = e_getattr,
	.readdir = e_readdir,
	.open = e_open,
	.release = e_release,
	.read = e_read,
	.write = e_write,
	.truncate = e_truncate,
};

int main(int argc, char **argv)
{
	char **fargv = calloc((size_t)argc + 1, sizeof *fargv);
	int fargc = 0;

	if (!fargv)
		return 1;
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "-e") == 0 && i + 1 < argc) {
			edition.ninefront = strcmp(argv[++i], "9front") == 0;
		} else if (strcmp(argv[i], "-x") == 0 && i + 1 < argc) {
			edition.mntpt = argv[++i];
		} else {
			fargv[fargc++] = argv[i];
		}
	}
	int rc = fuse_main(fargc, fargv, &ops, NULL);
	free(fargv);
	return rc;
}
