/* SPDX-License-Identifier: MIT */
/* Small files of the /net tree, under the root IFPLEX_PLAN9_NET names. */
#include "p9.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int fit(int n, size_t len)
{
	return n < 0 || (size_t)n >= len ? IFPLEX_ESHORTBUF : 0;
}

int p9_rebase(const struct p9 *p, const char *plan9_path, char *out, size_t len)
{
	/* dial(2)'s call(): cs names clone files under its own mount point
	 * ("/net/tcp/clone", "/net.alt/tcp/clone"); the first element goes,
	 * the rest lands on our netdir.  A relative path lands there too. */
	if (plan9_path[0] != '/')
		return fit(snprintf(out, len, "%s/%s", p->root, plan9_path), len);
	const char *rest = strchr(plan9_path + 1, '/');
	return fit(snprintf(out, len, "%s%s", p->root, rest ? rest : ""), len);
}

int p9_nspath(const struct p9 *p, const char *plan9_path, char *out, size_t len)
{
	if (plan9_path[0] != '/')
		return IFPLEX_EBADADDR;
	return fit(snprintf(out, len, "%s%s", p->ns, plan9_path), len);
}

int p9_read_file(const char *path, char *buf, size_t len, size_t *n)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t got = 0;

	if (fd < 0)
		return -errno;
	while (got + 1 < len) {
		ssize_t r = read(fd, buf + got, len - 1 - got);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			int e = -errno;
			close(fd);
			return e;
		}
		if (r == 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	buf[got] = '\0';
	*n = got;
	return 0;
}

int p9_file_has_field(const char *path, const char *word)
{
	char buf[4096];
	size_t have = 0;
	int found = 0, fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return 0;
	while (!found) {
		ssize_t r = read(fd, buf + have, sizeof buf - have);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		have += (size_t)r;
		/* Whole lines only, so that no field straddles two reads. */
		size_t upto = have;
		while (upto > 0 && buf[upto - 1] != '\n')
			upto--;
		if (upto == 0 && have == sizeof buf)
			upto = have; /* a line longer than the buffer: no route line */
		found = upto && p9_has_field(buf, upto, word);
		memmove(buf, buf + upto, have - upto);
		have -= upto;
	}
	if (!found && have)
		found = p9_has_field(buf, have, word);
	close(fd);
	return found;
}

int p9_query(struct p9 *p, const char *file, const char *question,
	     int (*fn)(const char *reply, size_t len, void *arg), void *arg)
{
	char path[600], reply[1024];
	int rc = IFPLEX_ENOTFOUND;

	snprintf(path, sizeof path, "%s/%s", p->root, file);
	int fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return p->host->fail("open", -errno);
	/* The server's refusal ("cs: can't translate address") is the
	 * write's error; then one answer per read. */
	if (write(fd, question, strlen(question)) < 0) {
		rc = -errno;
		close(fd);
		return rc;
	}
	if (lseek(fd, 0, SEEK_SET) != 0) {
		rc = p->host->fail("seek", -errno);
		close(fd);
		return rc;
	}
	ssize_t n;
	while ((n = read(fd, reply, sizeof reply - 1)) > 0) {
		reply[n] = '\0';
		int r = fn(reply, (size_t)n, arg);
		if (r < 0) {
			rc = r;
			break;
		}
		if (r > 0)
			rc = 0;
		if (r == 2)
			break;
	}
	if (n < 0)
		rc = p->host->fail("read", -errno);
	close(fd);
	return rc;
}
