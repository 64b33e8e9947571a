package strace

// Oracle workload of mincore, kexec_load, membarrier, set_thread_area and
// get_thread_area (sys_mem_mincore.go, sys_misc_kexec.go,
// sys_misc_membarrier.go, sys_process_tls.go): every line of their calls
// asserted (workload.exact).
// kexec_load is given an architecture no kernel takes (EINVAL, or ENOSYS
// without kexec): nothing is loaded.

func init() {
	workloads = append(workloads,
		workload{name: "memmisc", setup: ccWorkload("memmisc", memmiscC),
			exact: []string{"mincore", "kexec_load", "membarrier", "set_thread_area", "get_thread_area"}},
	)
}

const memmiscC = `#include <string.h>
#include <asm/ldt.h>
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
	syscall(SYS_membarrier, 0, 0);
	syscall(SYS_membarrier, 3, 255, -1);
	syscall(SYS_membarrier, 0x10, 0);
	syscall(SYS_membarrier, 0x8, 0);
	syscall(SYS_membarrier, 128, 1, 5);
#ifdef SYS_set_thread_area
	struct user_desc d = {.entry_number = -1, .base_addr = 0x12345, .limit = 0xfffff, .seg_32bit = 1, .limit_in_pages = 1, .useable = 1};
	syscall(SYS_set_thread_area, &d);
	syscall(SYS_set_thread_area, 0);
	d.entry_number = 3;
	syscall(SYS_get_thread_area, &d);
	syscall(SYS_get_thread_area, 8);
#endif
	return 0;
}
`
