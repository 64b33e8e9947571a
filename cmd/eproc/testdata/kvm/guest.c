// guest N: a minimal KVM VMM for the KVM guest test (cmd/eproc/kvm_test.go).
// It creates one VM with one vCPU whose real-mode code at 0x1000 does N
// 16-bit `out dx, ax` to port 0x10 (the values 0, 1, ..., N-1), then `hlt`.
// It checks every KVM_EXIT_IO, prints "guest: io=N hlt=1" after the HLT
// exit, then waits for SIGUSR1 (so that the caller can read the VMM's
// files while it is alive) and exits 0. Any error: a message and exit 1.
// Build: gcc -static -O2 -o guest guest.c
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#define PORT 0x10

static void die(const char *what) {
	printf("guest: %s: %s\n", what, strerror(errno));
	exit(1);
}

int main(int argc, char **argv) {
	long n = argc == 2 ? strtol(argv[1], NULL, 10) : -1;
	if (n < 0 || n > 65535) {
		printf("usage: guest N (0 <= N <= 65535)\n");
		return 1;
	}
	sigset_t usr1;
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_BLOCK, &usr1, NULL);

	int kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm < 0) die("open /dev/kvm");
	if (ioctl(kvm, KVM_GET_API_VERSION, 0) != KVM_API_VERSION) die("KVM_GET_API_VERSION");
	int vm = ioctl(kvm, KVM_CREATE_VM, 0);
	if (vm < 0) die("KVM_CREATE_VM");

	size_t memsz = 0x10000;
	unsigned char *mem = mmap(NULL, memsz, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED) die("mmap guest memory");
	const unsigned char code[] = {
		0xba, PORT, 0x00,       // 0x1000 mov dx, PORT
		0x31, 0xc0,             // 0x1003 xor ax, ax
		0xb9, n & 0xff, n >> 8, // 0x1005 mov cx, N
		0xe3, 0x04,             // 0x1008 jcxz 0x100e
		0xef,                   // 0x100a out dx, ax
		0x40,                   // 0x100b inc ax
		0xe2, 0xfc,             // 0x100c loop 0x100a
		0xf4,                   // 0x100e hlt
	};
	memcpy(mem + 0x1000, code, sizeof code);
	struct kvm_userspace_memory_region region = {
		.slot = 0, .guest_phys_addr = 0, .memory_size = memsz, .userspace_addr = (unsigned long)mem,
	};
	if (ioctl(vm, KVM_SET_USER_MEMORY_REGION, &region) < 0) die("KVM_SET_USER_MEMORY_REGION");

	int vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
	if (vcpu < 0) die("KVM_CREATE_VCPU");
	int runsz = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (runsz <= 0) die("KVM_GET_VCPU_MMAP_SIZE");
	struct kvm_run *run = mmap(NULL, runsz, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
	if (run == MAP_FAILED) die("mmap kvm_run");

	struct kvm_sregs sregs;
	if (ioctl(vcpu, KVM_GET_SREGS, &sregs) < 0) die("KVM_GET_SREGS");
	sregs.cs.base = 0;
	sregs.cs.selector = 0;
	if (ioctl(vcpu, KVM_SET_SREGS, &sregs) < 0) die("KVM_SET_SREGS");
	struct kvm_regs regs = {.rip = 0x1000, .rflags = 0x2};
	if (ioctl(vcpu, KVM_SET_REGS, &regs) < 0) die("KVM_SET_REGS");

	long io = 0, hlt = 0;
	while (!hlt) {
		if (ioctl(vcpu, KVM_RUN, 0) < 0) {
			if (errno == EINTR || errno == EAGAIN) continue;
			die("KVM_RUN");
		}
		switch (run->exit_reason) {
		case KVM_EXIT_IO: {
			unsigned short v = *(unsigned short *)((char *)run + run->io.data_offset);
			if (run->io.direction != KVM_EXIT_IO_OUT || run->io.port != PORT || run->io.size != 2 ||
			    run->io.count != 1 || v != io) {
				printf("guest: unexpected io: dir=%d port=%#x size=%d count=%u value=%u, want value %ld\n",
				       run->io.direction, run->io.port, run->io.size, run->io.count, v, io);
				return 1;
			}
			io++;
			break;
		}
		case KVM_EXIT_HLT:
			hlt++;
			break;
		case KVM_EXIT_INTR:
			break;
		default:
			printf("guest: unexpected exit reason %u (hardware reason %#llx, internal suberror %u)\n",
			       run->exit_reason, (unsigned long long)run->fail_entry.hardware_entry_failure_reason,
			       run->internal.suberror);
			return 1;
		}
	}
	if (io != n) {
		printf("guest: io=%ld, want %ld\n", io, n);
		return 1;
	}
	printf("guest: io=%ld hlt=%ld\n", io, hlt);
	fflush(stdout);
	int sig;
	if (sigwait(&usr1, &sig) != 0) die("sigwait");
	return 0;
}
