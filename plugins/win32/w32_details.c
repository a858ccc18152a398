/* SPDX-License-Identifier: MIT */
/* Link and address details: GetAdaptersAddresses for the operational
 * state, the media type and each address's DAD state, origins and
 * lifetimes; GetIfEntry2 for the counters and the medium's connection
 * state.  What neither tells (master, queues, peers, labels...) stays
 * absent. */
#include "w32.h"
#include "../common/vec.h"

#include <stdlib.h>
#include <string.h>

/* ipifcons.h's numbers (IANA ifType) that mingw-w64's headers lack. */
#ifndef IF_TYPE_IEEE80216_WMAN
#define IF_TYPE_IEEE80216_WMAN 237
#endif
#ifndef IF_TYPE_WWANPP
#define IF_TYPE_WWANPP 243
#endif
#ifndef IF_TYPE_WWANPP2
#define IF_TYPE_WWANPP2 244
#endif

/* IfType (IANA ifType) as a kind; a tunnel by its TunnelType when Windows
 * names one.  NULL: a type without a name here, and the kind stays absent. */
static const char *kind_of(const IP_ADAPTER_ADDRESSES *a)
{
	switch (a->IfType) {
	case IF_TYPE_ETHERNET_CSMACD:
		return "ethernet";
	case IF_TYPE_ISO88025_TOKENRING:
		return "tokenring";
	case IF_TYPE_PPP:
		return "ppp";
	case IF_TYPE_SOFTWARE_LOOPBACK:
		return "loopback";
	case IF_TYPE_ATM:
		return "atm";
	case IF_TYPE_IEEE80211:
		return "ieee80211";
	case IF_TYPE_IEEE1394:
		return "ieee1394";
	case IF_TYPE_IEEE80216_WMAN:
		return "wimax";
	case IF_TYPE_WWANPP:
	case IF_TYPE_WWANPP2:
		return "wwan";
	case IF_TYPE_TUNNEL:
		switch (a->TunnelType) {
		case TUNNEL_TYPE_6TO4:
			return "6to4";
		case TUNNEL_TYPE_ISATAP:
			return "isatap";
		case TUNNEL_TYPE_TEREDO:
			return "teredo";
		case TUNNEL_TYPE_IPHTTPS:
			return "iphttps";
		default:
			return "tunnel";
		}
	}
	return NULL;
}

/* The row GetIfEntry2 fills for luid: whether it did.  Its failure is
 * not the caller's: what GetAdaptersAddresses told stands without it. */
static int if_row(const NET_LUID *luid, MIB_IF_ROW2 *row)
{
	memset(row, 0, sizeof *row);
	row->InterfaceLuid = *luid;
	return GetIfEntry2(row) == NO_ERROR;
}

int w32_row_carrier(const MIB_IF_ROW2 *row)
{
	switch (row->MediaConnectState) {
	case MediaConnectStateConnected:
		return 1;
	case MediaConnectStateDisconnected:
		return 0;
	default:
		return -1;
	}
}

static void fill_link(const IP_ADAPTER_ADDRESSES *a, void *arg)
{
	struct ifplex_link_details *out = arg;
	const char *kind = kind_of(a);

	if (kind) {
		strncpy(out->kind, kind, sizeof out->kind - 1);
		out->present |= IFPLEX_LD_KIND;
	}
	/* IF_OPER_STATUS is RFC 2863's ifOperStatus, numbered as the enum. */
	if (a->OperStatus >= IfOperStatusUp && a->OperStatus <= IfOperStatusLowerLayerDown) {
		out->operstate = (int)a->OperStatus;
		out->present |= IFPLEX_LD_OPERSTATE;
	}
	MIB_IF_ROW2 row;
	if (!if_row(&a->Luid, &row))
		return;
	int carrier = w32_row_carrier(&row);
	if (carrier >= 0) {
		out->carrier = carrier;
		out->present |= IFPLEX_LD_CARRIER;
	}
	struct ifplex_link_stats *s = &out->stats;
	s->rx_packets = row.InUcastPkts + row.InNUcastPkts;
	s->tx_packets = row.OutUcastPkts + row.OutNUcastPkts;
	s->rx_bytes = row.InOctets;
	s->tx_bytes = row.OutOctets;
	s->rx_errors = row.InErrors;
	s->tx_errors = row.OutErrors;
	s->rx_dropped = row.InDiscards;
	s->tx_dropped = row.OutDiscards;
	out->present |= IFPLEX_LD_STATS_PACKETS | IFPLEX_LD_STATS_BYTES | IFPLEX_LD_STATS_ERRORS |
			IFPLEX_LD_STATS_DROPS;
}

int w32_link_details(void *state, int index, struct ifplex_link_details *out)
{
	return w32_adapter_find(index, NULL, fill_link, out);
}

/* Linux's scope of an IPv6 address follows from its prefix; Windows keeps
 * no scope for IPv4, so that stays absent. */
static void scope_of(struct ifplex_addr_details *d)
{
	const uint8_t *b = d->addr.ip.b;
	static const uint8_t loop6[16] = {[15] = 1};

	if (d->addr.ip.len != 16)
		return;
	if (memcmp(b, loop6, 16) == 0)
		d->scope = IFPLEX_SCOPE_HOST;
	else if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80)
		d->scope = IFPLEX_SCOPE_LINK;
	else if (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0)
		d->scope = IFPLEX_SCOPE_SITE;
	else
		d->scope = IFPLEX_SCOPE_GLOBAL;
	d->present |= IFPLEX_AD_SCOPE;
}

unsigned w32_addr_flags(const IP_ADAPTER_UNICAST_ADDRESS *u)
{
	unsigned f = 0;

	switch (u->DadState) {
	case IpDadStateTentative:
		f |= IFPLEX_ADDRF_TENTATIVE;
		break;
	case IpDadStateDuplicate:
		f |= IFPLEX_ADDRF_DADFAILED;
		break;
	case IpDadStateDeprecated:
		f |= IFPLEX_ADDRF_DEPRECATED;
		break;
	default:
		break; /* preferred (or invalid): no flag, as on Linux */
	}
	if (u->SuffixOrigin == IpSuffixOriginRandom)
		f |= IFPLEX_ADDRF_TEMPORARY;
	/* Configured by hand (or built in), as Linux's permanent addresses. */
	if ((u->PrefixOrigin == IpPrefixOriginManual || u->PrefixOrigin == IpPrefixOriginWellKnown) &&
	    (u->SuffixOrigin == IpSuffixOriginManual || u->SuffixOrigin == IpSuffixOriginWellKnown))
		f |= IFPLEX_ADDRF_PERMANENT;
	return f;
}

/* One unicast (u) or anycast (sa alone) address with what is known of it. */
static int push_details(struct vec *v, const IP_ADAPTER_ADDRESSES *a,
			const IP_ADAPTER_UNICAST_ADDRESS *u, const SOCKET_ADDRESS *sa)
{
	struct ifplex_addr one;
	int rc = w32_addr_of(a, sa, u ? u->OnLinkPrefixLength : -1, &one);

	if (rc <= 0)
		return rc;
	struct ifplex_addr_details *d = vec_push(v);
	if (!d)
		return IFPLEX_ENOMEM;
	d->size = sizeof *d;
	d->addr = one;
	scope_of(d);
	if (!u)
		return 0;
	d->flags = w32_addr_flags(u);
	d->valid_lft = u->ValidLifetime;
	d->preferred_lft = u->PreferredLifetime;
	d->present |= IFPLEX_AD_FLAGS | IFPLEX_AD_LIFETIMES;
	return 0;
}

/* interface_addrs' order: each adapter's unicast, then its anycast. */
static int details_of(const IP_ADAPTER_ADDRESSES *a, struct vec *v, void *arg)
{
	int rc = 0;

	for (IP_ADAPTER_UNICAST_ADDRESS *u = a->FirstUnicastAddress; u && rc == 0; u = u->Next)
		rc = push_details(v, a, u, &u->Address);
	for (IP_ADAPTER_ANYCAST_ADDRESS *y = a->FirstAnycastAddress; y && rc == 0; y = y->Next)
		rc = push_details(v, a, NULL, &y->Address);
	return rc;
}

int w32_addr_details(void *state, int index, struct ifplex_addr_details **list, size_t *count)
{
	return w32_adapter_list(GAA_UNICAST, index, sizeof **list, details_of, NULL, list, count);
}
