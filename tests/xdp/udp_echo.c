/* SPDX-License-Identifier: MIT */
/* A plain ifplex UDP program that knows nothing of datapaths: listen on
 * argv[1], say "ready", echo every datagram back reversed until "end",
 * and write what it saw.  The xdp tests run it with and without
 * IFPLEX_DATAPATH=xdp and compare the transcripts. */
#include <ifplex.h>
#include <stdio.h>

int main(int argc, char **argv)
{
	ifplex_conn *c;
	char local[IFPLEX_ADDR_STRLEN], from[IFPLEX_ADDR_STRLEN];
	struct ifplex_netaddr la, fa;
	static unsigned char buf[65536], out[65536];
	size_t n, sent;

	if (argc != 2)
		return 2;
	if (ifplex_listen_packet("udp", argv[1], &c) != 0 || ifplex_conn_local_addr(c, &la) != 0) {
		printf("listen %s: %s\n", argv[1], ifplex_last_error());
		return 1;
	}
	ifplex_netaddr_string(&la, local, sizeof local);
	printf("ready %s\n", local);
	fflush(stdout);
	ifplex_set_read_deadline(c, ifplex_now() + 20 * 1000000000ll);
	for (;;) {
		if (ifplex_read_from(c, buf, sizeof buf, &n, &fa) != 0) {
			printf("read: %s\n", ifplex_last_error());
			break;
		}
		unsigned sum = 0;
		for (size_t i = 0; i < n; i++) {
			sum = sum * 31 + buf[i];
			out[n - 1 - i] = buf[i];
		}
		ifplex_netaddr_string(&fa, from, sizeof from);
		printf("from %s len %zu sum %08x\n", from, n, sum);
		if (ifplex_write_to(c, out, n, &fa, &sent) != 0 || sent != n)
			printf("write: %s\n", ifplex_last_error());
		if (n == 3 && buf[0] == 'e' && buf[1] == 'n' && buf[2] == 'd')
			break;
	}
	fflush(stdout);
	return ifplex_close(c) == 0 ? 0 : 1;
}
