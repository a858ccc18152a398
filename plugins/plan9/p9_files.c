/* Small files of the /net tree, under the root IFPLEX_PLAN9_NET names. */
#include "p9.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int p9_rebase(const struct p9 *p, const char *plan9_path, char *out, size_t len)
{
	/* Plan 9's dial rebases cs replies onto its own netdir; so do we. */
	const char *rest = strncmp(plan9_path, "/net/", 5) == 0 ? plan9_path + 4
			   : strcmp(plan9_path, "/net") == 0 ? "" : NULL;
	if (!rest)
		return IFPLEX_EBADADDR;
	int n = snprintf(out, len, "%s%s", p->root, rest);
	return n < 0 || (size_t)n >= len ? IFPLEX_ESHORTBUF : 0;
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

int p9_query(struct p9 *p, const char *file, const char *question,
	     int (*fn)(const char *reply, size_t len, void *arg), void *arg)
{
	char path[600], reply[512];
	int rc = IFPLEX_ENOTFOUND;

	snprintf(path, sizeof path, "%s/%s", p->root, file);
	int fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return p->host->fail("open", -errno);
	/* A refused question ("cs: can't translate address", "dns: resource
	 * does not exist") is no answer; then one answer per read. */
	if (write(fd, question, strlen(question)) >= 0 && lseek(fd, 0, SEEK_SET) == 0) {
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
	}
	close(fd);
	return rc;
}
