package strace

// An oracle workload of a call whose thread sleeps after the call's
// exit, on its way back to user space: dup2 over the last descriptor of
// a TCP socket with unsent data and SO_LINGER on. The socket's release is
// task work, run after the call's exit; it waits out the linger second.
// The registers still name dup2 while the thread sleeps there: taken
// for a call under way, the switch announced a second dup2 (`dup2(0, 4
// <unfinished ...>` after `dup2(0, 4) = 4`): the failure CI's crash-nv
// run had on a wait4, message for message (what put that wait4's thread
// to sleep on its way out was not seen).

import "regexp"

func init() {
	workloads = append(workloads,
		workload{name: "exitwork", setup: ccWorkload("exitwork", exitworkC),
			// How much of the send the socket took.
			mask:  regexp.MustCompile(`(sendto\(.*\) += )\d+`),
			exact: []string{"dup2", "getpid", "setsockopt", "listen"}},
	)
}

const exitworkC = `#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
int main(void) {
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t al = sizeof(a);
	struct linger lg = {1, 1};
	static char buf[65536];
	int r = 4096;
	int l = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(l, SOL_SOCKET, SO_RCVBUF, &r, sizeof(r));
	bind(l, (struct sockaddr *)&a, sizeof(a));
	listen(l, 1);
	getsockname(l, (struct sockaddr *)&a, &al);
	int c = socket(AF_INET, SOCK_STREAM, 0);
	connect(c, (struct sockaddr *)&a, sizeof(a));
	send(c, buf, sizeof(buf), MSG_DONTWAIT);
	setsockopt(c, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	dup2(0, c);
	getpid();
	return 0;
}
`
