package strace

// Oracle workload of socket's protocol argument per address family
// (sys_net_socket_proto.go) and socketpair's: every line asserted.

func init() {
	workloads = append(workloads,
		workload{name: "socketproto", setup: ccWorkload("socketproto", socketProtoC),
			exact: []string{"socket", "socketpair"}},
	)
}

const socketProtoC = `#include <sys/socket.h>
#include <sys/syscall.h>
#include <arpa/inet.h>
#include <unistd.h>
static const int fams[] = {AF_INET, AF_INET6, AF_AX25, AF_NETLINK, AF_PACKET, 23, AF_CAN,
	AF_BLUETOOTH, AF_RXRPC, AF_ISDN, AF_PHONET, AF_CAIF, AF_NFC, AF_KCM, AF_SMC, AF_ALG};
static const int protos[] = {0, 1, 3, 7, 47, 143, 1000, -1};
int main(void) {
	int sv[2];
	for (unsigned i = 0; i < sizeof(fams) / sizeof(fams[0]); i++)
		for (unsigned j = 0; j < sizeof(protos) / sizeof(protos[0]); j++) {
			int fd = socket(fams[i], SOCK_DGRAM, protos[j]);
			if (fd >= 0)
				close(fd);
		}
	int fd = socket(AF_PACKET, SOCK_RAW, htons(0x0003));
	close(fd);
	socket(AF_AX25, SOCK_RAW, 0xcc);
	syscall(SYS_socket, 0x100000002UL, 0x2UL, 0x100000011UL);
	syscall(SYS_socket, 0x2UL, 0x2UL, 0x100000003UL);
	syscall(SYS_socket, 0x3UL, 0x2UL, 0x1000000ccUL);
	socketpair(AF_INET, SOCK_STREAM, IPPROTO_TCP, sv);
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	return 0;
}
`
