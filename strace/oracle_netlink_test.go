package strace

// Oracle workload of netlink over sendmsg and recvmsg (what ip and ss
// do): a NETLINK_ROUTE socket's SOL_NETLINK options and address dumps of
// lo (strict checking filters them by ifa_index, so they do not depend
// on the machine's interfaces), a request in two iovecs and a reply read
// into two (each decoded as a buffer of its own), a reply sized with
// MSG_PEEK|MSG_TRUNC, an extended ACK's error, a request sent without a
// name (a string: strace decodes netlink only for an AF_NETLINK
// msg_name), and a NETLINK_SOCK_DIAG lookup of one unix socket by its
// inode. Both sockets are bound before they send, as ip and ss bind
// them: strace asks sock_diag for a socket's protocol, which it does not
// list before the socket is bound (sys_net_netlink_fd.go). The inodes
// and the socket cookie differ between runs (mask); the sequence numbers
// are the program's and the port ids its pid.

import "regexp"

func init() {
	workloads = append(workloads,
		workload{name: "netlink", setup: ccWorkload("netlink", netlinkC),
			mask:  regexp.MustCompile(`(udiag_ino=|UNIX_DIAG_PEER\}, |udiag_cookie=\[)\d+`),
			exact: []string{"sendmsg", "recvmsg", "setsockopt", "getsockopt"}},
	)
}

const netlinkC = `#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <string.h>
#include <unistd.h>
static char buf[8192];
static struct sockaddr_nl peer = {AF_NETLINK};
static int tx(int fd, void *name, struct iovec *iov, int n) {
	struct msghdr m = {name, name ? sizeof(peer) : 0, iov, n, 0, 0, 0};
	return sendmsg(fd, &m, 0);
}
static int rx(int fd, struct iovec *iov, int n, int flags) {
	struct sockaddr_nl from;
	struct msghdr m = {&from, sizeof(from), iov, n, 0, 0, 0};
	return recvmsg(fd, &m, flags);
}
/* Receive until NLMSG_DONE or NLMSG_ERROR (one iovec). */
static void drain(int fd) {
	for (;;) {
		struct iovec iov = {buf, sizeof(buf)};
		int n = rx(fd, &iov, 1, 0);
		struct nlmsghdr *h = (void *)buf;
		if (n <= 0)
			return;
		for (; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n))
			if (h->nlmsg_type == NLMSG_DONE || h->nlmsg_type == NLMSG_ERROR || !(h->nlmsg_flags & NLM_F_MULTI))
				return;
	}
}
int main(void) {
	int one = 1, v;
	unsigned groups[4];
	socklen_t len = sizeof(groups);
	struct { struct nlmsghdr h; struct ifaddrmsg a; } ra = {
		{sizeof(ra), RTM_GETADDR, NLM_F_REQUEST | NLM_F_DUMP, 1, 0}, {AF_INET, 0, 0, 0, 1}};
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	bind(fd, (struct sockaddr *)&peer, sizeof(peer));
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_NETLINK, NETLINK_GET_STRICT_CHK, &one, sizeof(one));
	/* RTNLGRP_NOP2: a group no notification is sent to. */
	v = 14;
	setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &v, sizeof(v));
	getsockopt(fd, SOL_NETLINK, NETLINK_LIST_MEMBERSHIPS, groups, &len);
	len = sizeof(v);
	getsockopt(fd, SOL_NETLINK, NETLINK_GET_STRICT_CHK, &v, &len);
	/* lo's IPv4 addresses (strict checking filters by ifa_index): the
	 * request in two iovecs, each decoded as a buffer of its own; the
	 * first reply sized with MSG_PEEK|MSG_TRUNC, then read into two. */
	struct iovec two[2] = {{&ra.h, sizeof(ra.h)}, {&ra.a, sizeof(ra.a)}};
	tx(fd, &peer, two, 2);
	struct iovec none = {0, 0};
	rx(fd, &none, 1, MSG_PEEK | MSG_TRUNC);
	struct iovec parts[2] = {{buf, 16}, {buf + 16, sizeof(buf) - 16}};
	rx(fd, parts, 2, 0);
	drain(fd);
	/* lo's IPv6 addresses, read whole. */
	ra.h.nlmsg_seq = 2;
	ra.a.ifa_family = AF_INET6;
	struct iovec whole = {&ra, sizeof(ra)};
	tx(fd, &peer, &whole, 1);
	drain(fd);
	/* A bad dump request: its error, the request echoed, the extended
	 * ACK's message; sent without a name, it is a string (strace decodes
	 * netlink only for an AF_NETLINK msg_name). */
	ra.h.nlmsg_seq = 3;
	ra.a.ifa_prefixlen = 1;
	tx(fd, 0, &whole, 1);
	drain(fd);
	close(fd);
	/* sock_diag: one unix socket, asked by its inode. */
	int sv[2];
	struct stat st;
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	fstat(sv[0], &st);
	struct { struct nlmsghdr h; struct unix_diag_req r; } ud = {
		{sizeof(ud), SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST, 4, 0},
		{AF_UNIX, 0, 0, -1, st.st_ino, UDIAG_SHOW_NAME | UDIAG_SHOW_PEER | UDIAG_SHOW_RQLEN, {~0U, ~0U}}};
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	bind(fd, (struct sockaddr *)&peer, sizeof(peer));
	whole.iov_base = &ud;
	whole.iov_len = sizeof(ud);
	tx(fd, &peer, &whole, 1);
	drain(fd);
	return 0;
}
`
