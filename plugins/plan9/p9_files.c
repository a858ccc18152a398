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
