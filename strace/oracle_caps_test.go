package strace

// Oracle workloads of capget and capset (sys_caps.go), pivot_root, uselib
// and sysfs (sys_misc_paths.go): every line of these calls asserted
// (workload.exact). capget with each version (a version the kernel does
// not know, which it rewrites, printed as given), NULL and unreadable
// pointers, data arrays at a page's end (enough for one element, not for
// two); capset refused (effective not within permitted) with versions 1
// and 3, a version unknown, NULL data. caps-nv: the same under
// -e verbose=!capget,capset (strace's caps-abbrev test): addresses.

func init() {
	workloads = append(workloads,
		workload{name: "caps", setup: ccWorkload("caps", capsC),
			exact: []string{"capget", "capset", "pivot_root", "uselib", "sysfs"}},
		workload{name: "caps-nv", setup: ccWorkload("caps", capsC), opts: []string{"-e", "verbose=!capget,capset"},
			exact: []string{"capget", "capset"}},
	)
}

const capsC = `#include <linux/capability.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
int main(void) {
	struct __user_cap_header_struct h = {0, 0};
	struct __user_cap_data_struct d[2], *tail;
	char *pg = mmap(0, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(pg + 4096, 4096);
	tail = (void *)(pg + 4096 - sizeof(*tail));
	syscall(SYS_capget, 0, 0);
	syscall(SYS_capget, &h, 0);
	h.version = 0;
	syscall(SYS_capget, &h, d);
	h.version = _LINUX_CAPABILITY_VERSION_1;
	syscall(SYS_capget, &h, d);
	h.version = _LINUX_CAPABILITY_VERSION_2;
	syscall(SYS_capget, &h, d);
	h.version = _LINUX_CAPABILITY_VERSION_3;
	syscall(SYS_capget, &h, d);
	syscall(SYS_capget, &h, pg + 4096);
	syscall(SYS_capget, pg + 4096, d);
	memset(d, 0, sizeof(d));
	d[0].effective = 2;
	d[1].effective = 8;
	d[1].inheritable = 0xfffffe00;
	syscall(SYS_capset, &h, d);
	memset(tail, 0, sizeof(*tail));
	tail->effective = 0x80000001;
	tail->inheritable = 4;
	syscall(SYS_capset, &h, tail);
	h.version = _LINUX_CAPABILITY_VERSION_1;
	syscall(SYS_capset, &h, tail);
	h.version = 0xbadc0ded;
	h.pid = -1;
	syscall(SYS_capset, &h, tail);
	syscall(SYS_capset, &h, 0);
	syscall(SYS_capset, 0, d);
	syscall(SYS_pivot_root, "/nonexistent-new", "/nonexistent-old");
	syscall(SYS_pivot_root, 0, "/");
	syscall(SYS_uselib, "/nonexistent-lib");
	syscall(SYS_sysfs, 1, "proc", 0);
	syscall(SYS_sysfs, 2, 1000, d);
	return 0;
}
`
