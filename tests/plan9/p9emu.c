/* A test-only emulator of Plan 9's /net connection files, as a FUSE file
 * system over real loopback sockets: cs, tcp/ and udp/ with clone, ctl,
 * data, listen, local, remote, status, err.  Never installed.
 *
 *   p9emu MOUNTPOINT [fuse options]   (the tests start and unmount it)
 */
#define FUSE_USE_VERSION 31
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fuse.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAXCONV 256
enum { TCP, UDP };
static const char *const protos[] = {"tcp", "udp"};

struct conv {
	int used, proto, fd, headers, refs;
	char err[160];
};
static struct conv convs[2][MAXCONV];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

enum kind { K_CS, K_DNS, K_CTL, K_DATA, K_LOCAL, K_REMOTE, K_STATUS, K_ERR };
struct handle {
	enum kind kind;
	int proto, conv;
	char lines[8][160];   /* cs replies, one per read */
	int nlines, next;
};

/* "/tcp/3/data" -> proto, conv, file ("" for the directory). */
static int split(const char *path, int *proto, int *conv, const char **file)
{
	for (int p = 0; p < 2; p++) {
		size_t n = strlen(protos[p]);
		if (path[0] != '/' || strncmp(path + 1, protos[p], n) != 0)
			continue;
		const char *r = path + 1 + n;
		*proto = p;
		*conv = -1;
		*file = "";
		if (*r == '\0')
			return 0;
		if (*r != '/')
			return -1;
		r++;
		if (strcmp(r, "clone") == 0) {
			*file = "clone";
			return 0;
		}
		char *end;
		long c = strtol(r, &end, 10);
		if (end == r || c < 0 || c >= MAXCONV || !convs[p][c].used)
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
	if (strcmp(path, "/") == 0) {
		st->st_mode = S_IFDIR | 0755;
		return 0;
	}
	if (strcmp(path, "/cs") == 0 || strcmp(path, "/dns") == 0) {
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
		fill(buf, "cs", NULL, 0, 0);
		fill(buf, "dns", NULL, 0, 0);
		fill(buf, "tcp", NULL, 0, 0);
		fill(buf, "udp", NULL, 0, 0);
		return 0;
	}
	if (split(path, &proto, &conv, &file) < 0 || *file)
		return -ENOENT;
	if (conv < 0) {
		fill(buf, "clone", NULL, 0, 0);
		pthread_mutex_lock(&lock);
		for (int c = 0; c < MAXCONV; c++)
			if (convs[proto][c].used) {
				char n[16];
				snprintf(n, sizeof n, "%d", c);
				fill(buf, n, NULL, 0, 0);
			}
		pthread_mutex_unlock(&lock);
		return 0;
	}
	static const char *const files[] = {"ctl", "data", "listen", "local", "remote", "status", "err"};
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
		fill(buf, files[i], NULL, 0, 0);
	return 0;
}

static int new_conv(int proto, int fd)
{
	pthread_mutex_lock(&lock);
	for (int c = 0; c < MAXCONV; c++)
		if (!convs[proto][c].used) {
			convs[proto][c] = (struct conv){.used = 1, .proto = proto, .fd = fd, .refs = 1};
			pthread_mutex_unlock(&lock);
			return c;
		}
	pthread_mutex_unlock(&lock);
	return -1;
}

static void unref(int proto, int c)
{
	pthread_mutex_lock(&lock);
	struct conv *v = &convs[proto][c];
	if (--v->refs == 0) {
		if (v->fd >= 0)
			close(v->fd);
		v->used = 0;
	}
	pthread_mutex_unlock(&lock);
}

static int e_open(const char *path, struct fuse_file_info *fi)
{
	struct handle *h = calloc(1, sizeof *h);
	int proto, conv;
	const char *file;

	if (!h)
		return -ENOMEM;
	fi->direct_io = 1;
	fi->nonseekable = 0;
	if (strcmp(path, "/cs") == 0 || strcmp(path, "/dns") == 0) {
		h->kind = path[1] == 'c' ? K_CS : K_DNS;
		fi->fh = (uintptr_t)h;
		return 0;
	}
	if (split(path, &proto, &conv, &file) < 0 || !*file) {
		free(h);
		return -ENOENT;
	}
	h->proto = proto;
	if (strcmp(file, "clone") == 0) {
		if ((h->conv = new_conv(proto, -1)) < 0) {
			free(h);
			return -ENFILE;
		}
		h->kind = K_CTL;
		fi->fh = (uintptr_t)h;
		return 0;
	}
	if (strcmp(file, "listen") == 0) {
		/* Blocks until a call arrives; the new conversation's ctl. */
		int fd = accept(convs[proto][conv].fd, NULL, NULL);
		if (fd < 0) {
			free(h);
			return -errno;
		}
		if ((h->conv = new_conv(proto, fd)) < 0) {
			close(fd);
			free(h);
			return -ENFILE;
		}
		h->kind = K_CTL;
		fi->fh = (uintptr_t)h;
		return 0;
	}
	static const struct {
		const char *name;
		enum kind kind;
	} files[] = {{"ctl", K_CTL}, {"data", K_DATA}, {"local", K_LOCAL}, {"remote", K_REMOTE},
		     {"status", K_STATUS}, {"err", K_ERR}};
	size_t i;
	for (i = 0; i < sizeof files / sizeof files[0]; i++)
		if (strcmp(file, files[i].name) == 0)
			break;
	if (i == sizeof files / sizeof files[0]) {
		free(h);
		return -ENOENT;
	}
	h->kind = files[i].kind;
	h->conv = conv;
	pthread_mutex_lock(&lock);
	convs[proto][conv].refs++;
	pthread_mutex_unlock(&lock);
	fi->fh = (uintptr_t)h;
	return 0;
}

static int e_release(const char *path, struct fuse_file_info *fi)
{
	struct handle *h = (struct handle *)(uintptr_t)fi->fh;

	(void)path;
	if (h->kind != K_CS && h->kind != K_DNS)
		unref(h->proto, h->conv);
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

/* "a!p" into a socket address; "*" is the wildcard. */
static int parse_dial(const char *s, struct sockaddr_in6 *sa)
{
	char host[128];
	const char *bang = strrchr(s, '!');

	if (!bang || (size_t)(bang - s) >= sizeof host)
		return -1;
	memcpy(host, s, (size_t)(bang - s));
	host[bang - s] = '\0';
	memset(sa, 0, sizeof *sa);
	sa->sin6_family = AF_INET6;
	sa->sin6_port = htons((uint16_t)atoi(bang + 1));
	if (strcmp(host, "*") == 0)
		return 0;
	struct in_addr a4;
	if (inet_pton(AF_INET, host, &a4) == 1) {
		sa->sin6_addr.s6_addr[10] = sa->sin6_addr.s6_addr[11] = 0xff;
		memcpy(sa->sin6_addr.s6_addr + 12, &a4, 4);
		return 0;
	}
	return inet_pton(AF_INET6, host, &sa->sin6_addr) == 1 ? 0 : -1;
}

static void lower_error(struct conv *v, int e)
{
	snprintf(v->err, sizeof v->err, "%s", strerror(e));
	if (v->err[0] >= 'A' && v->err[0] <= 'Z')
		v->err[0] = (char)(v->err[0] + 32);
}

static int ctl(struct handle *h, const char *msg)
{
	struct conv *v = &convs[h->proto][h->conv];
	struct sockaddr_in6 sa;
	int type = h->proto == TCP ? SOCK_STREAM : SOCK_DGRAM, zero = 0, one = 1;

	if (strncmp(msg, "connect ", 8) == 0 || strncmp(msg, "announce ", 9) == 0) {
		int connect_ = msg[0] == 'c';
		if (parse_dial(msg + (connect_ ? 8 : 9), &sa) < 0) {
			snprintf(v->err, sizeof v->err, "bad address");
			return -EINVAL;
		}
		int fd = socket(AF_INET6, type, 0);
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof zero);
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
		int r = connect_ ? connect(fd, (struct sockaddr *)&sa, sizeof sa)
				 : bind(fd, (struct sockaddr *)&sa, sizeof sa);
		if (r == 0 && !connect_ && type == SOCK_STREAM)
			r = listen(fd, 64);
		if (r < 0) {
			int e = errno;
			lower_error(v, e);
			close(fd);
			return -e;
		}
		v->fd = fd;
		return 0;
	}
	if (strcmp(msg, "headers") == 0) {
		v->headers = 1;
		return 0;
	}
	if (strcmp(msg, "hangup") == 0) {
		if (v->fd >= 0)
			shutdown(v->fd, SHUT_RDWR);
		return 0;
	}
	if (strncmp(msg, "keepalive", 9) == 0)
		return v->fd >= 0 && setsockopt(v->fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof one) == 0 ? 0 : -EINVAL;
	snprintf(v->err, sizeof v->err, "unknown control request");
	return -EINVAL;
}

/* cs: "tcp!host!service" -> "/net/tcp/clone addr!port"; "net" gives both. */
static int cs(struct handle *h, const char *q)
{
	char net[16], host[128], svc[64];

	if (sscanf(q, "%15[^!]!%127[^!]!%63s", net, host, svc) != 3)
		return -EINVAL;
	int port = atoi(svc);
	if (port == 0 && strcmp(svc, "0") != 0) {
		struct servent *se = getservbyname(svc, strcmp(net, "udp") == 0 ? "udp" : "tcp");
		if (!se)
			return -ENOENT;
		port = ntohs((uint16_t)se->s_port);
	}
	const char *addrs[2] = {host, NULL};
	if (strcmp(host, "localhost") == 0) {
		addrs[0] = "127.0.0.1";
		addrs[1] = "::1";
	} else if (strcmp(host, "*") != 0) {
		struct sockaddr_in6 sa;
		char probe[160];
		snprintf(probe, sizeof probe, "%s!0", host);
		if (parse_dial(probe, &sa) < 0)
			return -ENOENT; /* cs: can't translate address */
	}
	h->nlines = h->next = 0;
	for (int p = 0; p < 2; p++) {
		if (strcmp(net, "net") != 0 && strcmp(net, protos[p]) != 0)
			continue;
		for (int a = 0; a < 2 && addrs[a]; a++)
			snprintf(h->lines[h->nlines++], sizeof h->lines[0], "/net/%s/clone %s!%d", protos[p], addrs[a], port);
	}
	return h->nlines ? 0 : -ENOENT;
}

/* dns: "name type" -> canned records, as ndb/dns prints them. */
static int dns(struct handle *h, const char *q)
{
	static const char *const records[] = {
		"www.example.test cname canon.example.test",
		"_xmpp._tcp.example.test srv 5 20 5269 b.example.test",
		"_xmpp._tcp.example.test srv 60 10 5270 a.example.test",
		"example.test mx 30 mx2.example.test",
		"example.test mx 10 mx1.example.test",
		"1.0.0.127.in-addr.arpa ptr localhost",
	};
	char name[200], type[16];

	if (sscanf(q, "%199s %15s", name, type) != 2)
		return -EINVAL;
	h->nlines = h->next = 0;
	for (size_t i = 0; i < sizeof records / sizeof records[0] && h->nlines < 8; i++) {
		char rn[200], rt[16];
		if (sscanf(records[i], "%199s %15s", rn, rt) == 2 && strcmp(rn, name) == 0 && strcmp(rt, type) == 0)
			snprintf(h->lines[h->nlines++], sizeof h->lines[0], "%s", records[i]);
	}
	return h->nlines ? 0 : -ENOENT; /* dns: resource does not exist */
}

static int e_write(const char *path, const char *buf, size_t size, off_t off, struct fuse_file_info *fi)
{
	struct handle *h = (struct handle *)(uintptr_t)fi->fh;
	struct conv *v = h->kind == K_CS || h->kind == K_DNS ? NULL : &convs[h->proto][h->conv];
	char msg[256];

	(void)path;
	(void)off;
	if (h->kind == K_CS || h->kind == K_DNS || h->kind == K_CTL) {
		size_t n = size < sizeof msg - 1 ? size : sizeof msg - 1;
		memcpy(msg, buf, n);
		while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
			n--;
		msg[n] = '\0';
		int rc = h->kind == K_CS ? cs(h, msg) : h->kind == K_DNS ? dns(h, msg) : ctl(h, msg);
		return rc < 0 ? rc : (int)size;
	}
	if (h->kind != K_DATA || v->fd < 0)
		return -EINVAL;
	if (v->headers) {
		/* raddr(16) laddr(16) ifcaddr(16) rport(2) lport(2), then data. */
		if (size < 52)
			return -EINVAL;
		struct sockaddr_in6 to = {.sin6_family = AF_INET6};
		memcpy(&to.sin6_addr, buf, 16);
		to.sin6_port = htons((uint16_t)((unsigned char)buf[48] << 8 | (unsigned char)buf[49]));
		ssize_t w = sendto(v->fd, buf + 52, size - 52, 0, (struct sockaddr *)&to, sizeof to);
		return w < 0 ? -errno : (int)size;
	}
	ssize_t w = send(v->fd, buf, size, MSG_NOSIGNAL);
	return w < 0 ? -errno : (int)w;
}

static int addr_text(int fd, int peer, char *buf, size_t len)
{
	struct sockaddr_in6 sa;
	socklen_t sl = sizeof sa;
	char ip[INET6_ADDRSTRLEN];

	if ((peer ? getpeername(fd, (struct sockaddr *)&sa, &sl) : getsockname(fd, (struct sockaddr *)&sa, &sl)) < 0)
		return snprintf(buf, len, "::!0\n");
	if (IN6_IS_ADDR_V4MAPPED(&sa.sin6_addr))
		inet_ntop(AF_INET, sa.sin6_addr.s6_addr + 12, ip, sizeof ip);
	else
		inet_ntop(AF_INET6, &sa.sin6_addr, ip, sizeof ip);
	return snprintf(buf, len, "%s!%d\n", ip, ntohs(sa.sin6_port));
}

static int e_read(const char *path, char *buf, size_t size, off_t off, struct fuse_file_info *fi)
{
	struct handle *h = (struct handle *)(uintptr_t)fi->fh;
	char text[256];
	int n;

	(void)path;
	if (h->kind == K_CS || h->kind == K_DNS) {
		if (h->next >= h->nlines)
			return 0;
		n = snprintf(text, sizeof text, "%s", h->lines[h->next++]);
	} else {
		struct conv *v = &convs[h->proto][h->conv];
		switch (h->kind) {
		case K_CTL:
			n = snprintf(text, sizeof text, "%d", h->conv);
			break;
		case K_LOCAL:
		case K_REMOTE:
			n = addr_text(v->fd, h->kind == K_REMOTE, text, sizeof text);
			break;
		case K_STATUS:
			n = snprintf(text, sizeof text, "%s\n", v->fd >= 0 ? "Established" : "Closed");
			break;
		case K_ERR:
			n = snprintf(text, sizeof text, "%s\n", v->err);
			break;
		default: {
			if (v->fd < 0)
				return -EINVAL;
			if (!v->headers) {
				ssize_t r = recv(v->fd, buf, size, 0);
				return r < 0 ? -errno : (int)r;
			}
			unsigned char pkt[65536 + 52];
			struct sockaddr_in6 from, me;
			socklen_t fl = sizeof from, ml = sizeof me;
			ssize_t r = recvfrom(v->fd, pkt + 52, sizeof pkt - 52, 0, (struct sockaddr *)&from, &fl);
			if (r < 0)
				return -errno;
			getsockname(v->fd, (struct sockaddr *)&me, &ml);
			memcpy(pkt, &from.sin6_addr, 16);
			memcpy(pkt + 16, &me.sin6_addr, 16);
			memcpy(pkt + 32, &me.sin6_addr, 16);
			memcpy(pkt + 48, &from.sin6_port, 2);
			memcpy(pkt + 50, &me.sin6_port, 2);
			size_t total = (size_t)r + 52 < size ? (size_t)r + 52 : size;
			memcpy(buf, pkt, total);
			return (int)total;
		}
		}
		/* Small files read from their start each time. */
		if (off >= n)
			return 0;
		memmove(text, text + off, (size_t)(n - off));
		n -= (int)off;
	}
	if ((size_t)n > size)
		n = (int)size;
	memcpy(buf, text, (size_t)n);
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
	return fuse_main(argc, argv, &ops, NULL);
}
