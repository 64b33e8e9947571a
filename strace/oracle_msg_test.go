package strace

// Oracle workload of the message calls (sys_net_msghdr.go,
// sys_net_mmsg.go): sendmsg and recvmsg on a unix socket pair with
// descriptors and credentials passed, on UDP with the IP control messages
// a receiver asks for, a name shorter than the sender's, a failed
// recvmsg, and sendmmsg/recvmmsg vectors; every line of those calls
// asserted (workload.exact).

func init() {
	workloads = append(workloads, workload{
		name: "messages", setup: ccWorkload("messages", messagesC),
		exact: []string{"sendmsg", "recvmsg", "sendmmsg"},
	})
}

const messagesC = `#define _GNU_SOURCE
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
int main(void) {
	int sv[2], one = 1, u, r;
	char a[] = "hello", b[] = " world", in1[16], in2[64];
	struct iovec iov[2] = {{a, 5}, {b, 6}}, riov[2] = {{in1, 3}, {in2, sizeof(in2)}};
	union { char buf[CMSG_SPACE(2 * sizeof(int)) + CMSG_SPACE(sizeof(struct ucred))]; struct cmsghdr align; } cb, rcb;
	struct msghdr m = {0}, rm = {0};
	struct cmsghdr *c;
	struct ucred cr = {getpid(), getuid(), getgid()};
	struct sockaddr_in sin = {AF_INET, htons(47123), {htonl(INADDR_LOOPBACK)}}, from;
	socklen_t sl = sizeof(sin);
	struct mmsghdr mm[3], rmm[3];

	socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
	setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &one, sizeof(one));
	m.msg_iov = iov;
	m.msg_iovlen = 2;
	m.msg_control = cb.buf;
	m.msg_controllen = sizeof(cb.buf);
	memset(cb.buf, 0, sizeof(cb.buf));
	c = CMSG_FIRSTHDR(&m);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(2 * sizeof(int));
	memcpy(CMSG_DATA(c), sv, 2 * sizeof(int));
	c = CMSG_NXTHDR(&m, c);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_CREDENTIALS;
	c->cmsg_len = CMSG_LEN(sizeof(cr));
	memcpy(CMSG_DATA(c), &cr, sizeof(cr));
	sendmsg(sv[0], &m, 0);
	rm.msg_iov = riov;
	rm.msg_iovlen = 2;
	rm.msg_control = rcb.buf;
	rm.msg_controllen = sizeof(rcb.buf);
	recvmsg(sv[1], &rm, MSG_CMSG_CLOEXEC);
	recvmsg(-1, &rm, 0);
	recvmsg(sv[1], &rm, MSG_DONTWAIT);

	u = socket(AF_INET, SOCK_DGRAM, 0);
	bind(u, (struct sockaddr *)&sin, sizeof(sin));
	getsockname(u, (struct sockaddr *)&sin, &sl);
	setsockopt(u, IPPROTO_IP, IP_PKTINFO, &one, sizeof(one));
	setsockopt(u, IPPROTO_IP, IP_RECVTTL, &one, sizeof(one));
	memset(&m, 0, sizeof(m));
	m.msg_name = &sin;
	m.msg_namelen = sizeof(sin);
	m.msg_iov = iov;
	m.msg_iovlen = 1;
	sendmsg(u, &m, 0);
	memset(&rm, 0, sizeof(rm));
	rm.msg_name = &from;
	rm.msg_namelen = 8; /* shorter than the sender's: in => out */
	rm.msg_iov = riov;
	rm.msg_iovlen = 2;
	rm.msg_control = in2;
	rm.msg_controllen = sizeof(in2);
	recvmsg(u, &rm, 0);

	for (r = 0; r < 3; r++) {
		memset(&mm[r], 0, sizeof(mm[r]));
		mm[r].msg_hdr.msg_name = &sin;
		mm[r].msg_hdr.msg_namelen = sizeof(sin);
		mm[r].msg_hdr.msg_iov = &iov[r & 1];
		mm[r].msg_hdr.msg_iovlen = 1;
		memset(&rmm[r], 0, sizeof(rmm[r]));
		rmm[r].msg_hdr.msg_iov = &riov[1];
		rmm[r].msg_hdr.msg_iovlen = 1;
	}
	sendmmsg(u, mm, 3, 0);
	recvmmsg(u, rmm, 3, MSG_DONTWAIT, 0);
	sendmmsg(-1, mm, 2, 0);
	return 0;
}
`
