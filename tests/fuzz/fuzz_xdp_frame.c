/* SPDX-License-Identifier: MIT */
/* libFuzzer target for the xdp datapath's parsers: the input as a received
 * frame (whatever is accepted lies inside the frame and is UDP of the
 * right length), as an IFPLEX_XDP value, and as the header fields and
 * payload of a frame built for sending, which must parse back to them. */
#include "../../plugins/xdp/xdp.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void received(const uint8_t *data, size_t size)
{
	struct xdp_rx rx;
	int rc = xdp_frame_parse(data, size, &rx);

	if (rc != XDP_RX_OK)
		return;
	if (rx.payload < data || rx.payload + rx.len > data + size)
		__builtin_trap();
	if ((rx.src.len != 4 && rx.src.len != 16) || rx.src.len != rx.dst.len)
		__builtin_trap();
	if (rx.sport < 0 || rx.sport > 65535 || rx.dport < 0 || rx.dport > 65535)
		__builtin_trap();
}

static void configured(const uint8_t *data, size_t size)
{
	struct xdp_cfg cfg;
	char why[256];

	if (xdp_cfg_parse((const char *)data, size, &cfg, why, sizeof why) < 0) {
		if (!memchr(why, '\0', sizeof why) || !why[0])
			__builtin_trap();
		return;
	}
	if (cfg.n < 1 || cfg.n > XDP_CFG_MAX)
		__builtin_trap();
	for (int i = 0; i < cfg.n; i++)
		if (!cfg.e[i].name[0] || strlen(cfg.e[i].name) > 15 || cfg.e[i].queue < -1 ||
		    cfg.e[i].queue > 65535)
			__builtin_trap();
}

/* 1 byte family, 12 of MACs, 2x16 of addresses, 2x2 of ports, 2 of id:
 * 51 bytes of header, then the payload. */
static void sent(const uint8_t *data, size_t size)
{
	static uint8_t f[2048];
	struct xdp_tx h;
	struct xdp_rx rx;

	if (size < 51)
		return;
	int fam = data[0] & 1 ? 6 : 4;
	size_t alen = fam == 4 ? 4 : 16, hl = xdp_frame_hdrlen(fam), len = size - 51;
	if (hl + len > sizeof f)
		return;
	memcpy(h.dst_mac, data + 1, 6);
	memcpy(h.src_mac, data + 7, 6);
	h.src.len = h.dst.len = (uint8_t)alen;
	memcpy(h.src.b, data + 13, alen);
	memcpy(h.dst.b, data + 29, alen);
	h.sport = data[45] << 8 | data[46];
	h.dport = data[47] << 8 | data[48];
	h.ip_id = (uint16_t)(data[49] << 8 | data[50]);
	memcpy(f + hl, data + 51, len);
	size_t n = xdp_frame_build(f, &h, len);
	if (n != hl + len || xdp_frame_parse(f, n, &rx) != XDP_RX_OK)
		__builtin_trap();
	if (rx.len != len || memcmp(rx.payload, data + 51, len) != 0 || rx.sport != h.sport ||
	    rx.dport != h.dport || memcmp(rx.src.b, h.src.b, alen) != 0 || memcmp(rx.dst.b, h.dst.b, alen) != 0)
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	received(data, size);
	configured(data, size);
	sent(data, size);
	return 0;
}
