/* SPDX-License-Identifier: MIT */
#include <ifplex.h>
#include <stdio.h>

int main(void)
{
	struct ifplex_iface *ifs;
	size_t n;

	if (ifplex_interfaces(&ifs, &n) < 0) {
		fprintf(stderr, "%s\n", ifplex_last_error());
		return 1;
	}
	for (size_t i = 0; i < n; i++)
		printf("%d %s mtu %d\n", ifs[i].index, ifs[i].name, ifs[i].mtu);
	ifplex_free(ifs);   /* one allocation, one free */
	return 0;
}
