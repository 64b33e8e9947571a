package strace

// Oracle workload of -e read= and -e write= (dumpio.go): every call
// strace dumps the data of, on a pipe, a file and a unix socket pair, with
// buffers of one line, of several, across an iovec boundary, an empty
// iovec that ends the dump, a write that failed (dumped: strace dumps what
// a write was given) and a read that failed (not dumped). The dump lines
// belong to the call line before them (tentry.raw), so every dumped
// call's lines are asserted (workload.exact).

func init() {
	workloads = append(workloads, workload{
		name: "dumps", setup: ccWorkload("dumps", dumpsC),
		opts:  []string{"-e", "read=all", "-e", "write=!2", "-e", "trace=!execve,mmap,mprotect,munmap,brk,arch_prctl,set_tid_address,set_robust_list,rseq,prlimit64,newfstatat,access,openat,close,exit_group"},
		exact: []string{"read", "write", "readv", "writev", "pread64", "pwrite64", "sendmsg", "recvmsg", "sendmmsg", "recvmmsg", "sendto", "recvfrom", "vmsplice", "preadv", "pwritev"},
	})
}

const dumpsC = `#define _GNU_SOURCE
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>
static char big[6000], in[6000];
int main(void) {
	int p[2], sv[2], f;
	char a[] = "hello, dump\n", b[] = "second buffer: a little longer than one line";
	struct iovec iov[3] = {{a, sizeof(a) - 1}, {b, sizeof(b) - 1}, {big, 0}}, riov[2] = {{in, 20}, {in + 100, 200}};
	struct msghdr m = {0}, rm = {0};
	struct mmsghdr mm[2], rmm[2];

	for (int i = 0; i < (int)sizeof(big); i++)
		big[i] = i * 7;
	pipe(p);
	write(p[1], a, sizeof(a) - 1);
	read(p[0], in, sizeof(in));
	writev(p[1], iov, 3);
	readv(p[0], riov, 2);
	write(p[1], big, 300);
	read(p[0], in, 17);
	read(p[0], in, sizeof(in));
	vmsplice(p[1], iov, 2, 0);
	read(p[0], in, sizeof(in));
	write(p[0], a, 5);          /* EBADF: still dumped */
	write(p[1], "z", 1);
	read(p[0], (void *)16, 1);  /* EFAULT: not dumped */
	f = open("data", O_RDWR | O_CREAT | O_TRUNC, 0600);
	pwrite(f, big, 1000, 0);
	pread(f, in, 333, 10);
	pwritev(f, iov, 2, 0);
	preadv(f, riov, 2, 0);
	socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
	m.msg_iov = iov;
	m.msg_iovlen = 2;
	sendmsg(sv[0], &m, 0);
	rm.msg_iov = riov;
	rm.msg_iovlen = 2;
	recvmsg(sv[1], &rm, 0);
	memset(mm, 0, sizeof(mm));
	mm[0].msg_hdr = m;
	mm[1].msg_hdr.msg_iov = iov + 1;
	mm[1].msg_hdr.msg_iovlen = 1;
	sendmmsg(sv[0], mm, 2, 0);
	memset(rmm, 0, sizeof(rmm));
	rmm[0].msg_hdr.msg_iov = riov;
	rmm[0].msg_hdr.msg_iovlen = 1;
	rmm[1].msg_hdr.msg_iov = riov + 1;
	rmm[1].msg_hdr.msg_iovlen = 1;
	recvmmsg(sv[1], rmm, 2, 0, 0);
	sendto(sv[0], big, 40, 0, 0, 0);
	recvfrom(sv[1], in, sizeof(in), 0, 0, 0);
	write(2, "not dumped\n", 11);
	return 0;
}
`
