package strace

// Oracle workload of mincore and kexec_load (sys_mem_mincore.go,
// sys_misc_kexec.go): every line of their calls asserted (workload.exact).
// kexec_load is given an architecture no kernel takes (EINVAL, or ENOSYS
// without kexec): nothing is loaded.

func init() {
	workloads = append(workloads,
		workload{name: "memmisc", setup: ccWorkload("memmisc", memmiscC),
			exact: []string{"mincore", "kexec_load"}},
	)
}

const memmiscC = `#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
int main(void) {
	long pg = sysconf(_SC_PAGESIZE);
	char *p = mmap(0, 40 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *v = mmap(0, 2 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned char *end = (unsigned char *)v + pg - 33;
	struct { void *buf; size_t bufsz; void *mem; size_t memsz; } seg[2] = {{p, 10, (void *)0x100000, 4096}};
	munmap(v + pg, pg);
	p[0] = 1;
	p[2 * pg] = 1;
	mincore(p, 3 * pg, end);
	mincore(p, pg + 1, end);
	mincore(p, 0, end);
	mincore(p, 33 * pg, end);
	mincore(p, 40 * pg, (unsigned char *)v);
	mincore(p, pg, 0);
	mincore(p + 1, pg, end);
	syscall(SYS_kexec_load, 0x1000000, 2, seg, 0xdead0000 | 1);
	syscall(SYS_kexec_load, 0, 17, seg, 0xdead0000);
	syscall(SYS_kexec_load, 0, 1, 8, 0xdead0000);
	memcpy(v + pg - sizeof(seg), seg, sizeof(seg));
	syscall(SYS_kexec_load, 0, 3, v + pg - sizeof(seg), 0xdead0000);
	return 0;
}
`
