package strace

// Oracle workload of netlink over sendto and recvfrom, and of the socket
// buffers captured whole only on netlink sockets (wire.CWNetlink): on a
// bound NETLINK_ROUTE socket with strict checking, a dump of lo's IPv4
// addresses sent with sendto and read with recvfrom (its size first with
// MSG_PEEK|MSG_TRUNC into a buffer too short, then whole, with the
// sender's address), a recvfrom that fails (MSG_DONTWAIT, nothing
// queued: its buffer an address), a request and its reply over sendmmsg
// and recvmmsg; then 1000 bytes over a UDP socket and a unix one with
// sendto, sendmsg, recvfrom and recvmsg: strings cut at -s, as strace's.

import "regexp"

func init() {
	workloads = append(workloads,
		workload{name: "netlink_recvfrom", setup: ccWorkload("netlink_recvfrom", netlinkRecvfromC),
			mask:  regexp.MustCompile(`(sin_port=htons\()\d+`),
			exact: []string{"sendto", "recvfrom", "sendmsg", "recvmsg", "sendmmsg", "recvmmsg"}},
	)
}

const netlinkRecvfromC = `#define _GNU_SOURCE
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <string.h>
#include <unistd.h>
static char buf[8192], big[1000];
static struct sockaddr_nl peer = {AF_NETLINK};
/* Whether the n bytes in buf end a dump (NLMSG_DONE, NLMSG_ERROR). */
static int ends(int n) {
	struct nlmsghdr *h = (void *)buf;
	if (n <= 0)
		return 1;
	for (; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n))
		if (h->nlmsg_type == NLMSG_DONE || h->nlmsg_type == NLMSG_ERROR || !(h->nlmsg_flags & NLM_F_MULTI))
			return 1;
	return 0;
}
/* recvfrom until the dump ends, unless the n bytes in buf ended it. */
static void drain(int fd, int n) {
	while (!ends(n))
		n = recvfrom(fd, buf, sizeof(buf), 0, 0, 0);
}
int main(void) {
	int one = 1;
	struct sockaddr_nl from;
	socklen_t fl = sizeof(from);
	struct { struct nlmsghdr h; struct ifaddrmsg a; } ra = {
		{sizeof(ra), RTM_GETADDR, NLM_F_REQUEST | NLM_F_DUMP, 1, 0}, {AF_INET, 0, 0, 0, 1}};
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	bind(fd, (struct sockaddr *)&peer, sizeof(peer));
	setsockopt(fd, SOL_NETLINK, NETLINK_GET_STRICT_CHK, &one, sizeof(one));
	sendto(fd, &ra, sizeof(ra), 0, (struct sockaddr *)&peer, sizeof(peer));
	recvfrom(fd, buf, 8, MSG_PEEK | MSG_TRUNC, 0, 0);
	drain(fd, recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fl));
	recvfrom(fd, buf, sizeof(buf), MSG_DONTWAIT, 0, 0);
	/* The IPv6 ones over sendmmsg and recvmmsg. */
	ra.h.nlmsg_seq = 2;
	ra.a.ifa_family = AF_INET6;
	struct iovec iov = {&ra, sizeof(ra)}, riov = {buf, sizeof(buf)};
	struct mmsghdr m = {{&peer, sizeof(peer), &iov, 1, 0, 0, 0}, 0};
	sendmmsg(fd, &m, 1, 0);
	struct mmsghdr r = {{&from, sizeof(from), &riov, 1, 0, 0, 0}, 0};
	drain(fd, recvmmsg(fd, &r, 1, 0, 0) == 1 ? (int)r.msg_len : 0);
	close(fd);
	/* Not netlink: 1000 bytes, printed (and captured) -s long. */
	memset(big, 'a', sizeof(big));
	int u = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in a = {AF_INET, 0, {htonl(INADDR_LOOPBACK)}};
	socklen_t al = sizeof(a);
	bind(u, (struct sockaddr *)&a, sizeof(a));
	getsockname(u, (struct sockaddr *)&a, &al);
	sendto(u, big, sizeof(big), 0, (struct sockaddr *)&a, sizeof(a));
	struct iovec bi = {big, sizeof(big)}, bo = {buf, sizeof(buf)};
	struct msghdr bm = {&a, sizeof(a), &bi, 1, 0, 0, 0};
	sendmsg(u, &bm, 0);
	recvfrom(u, buf, sizeof(buf), 0, 0, 0);
	struct msghdr rm = {0, 0, &bo, 1, 0, 0, 0};
	recvmsg(u, &rm, 0);
	int sv[2];
	socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
	sendto(sv[0], big, sizeof(big), 0, 0, 0);
	recvfrom(sv[1], buf, sizeof(buf), 0, 0, 0);
	return 0;
}
`
