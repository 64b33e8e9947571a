package strace

// Oracle workload of mincore, kexec_load, membarrier, set_thread_area and
// get_thread_area (sys_mem_mincore.go, sys_misc_kexec.go,
// sys_misc_membarrier.go, sys_process_tls.go): every line of their calls
// asserted (workload.exact). TestMemRecentTrace traces cachestat,
// map_shadow_stack and mseal, which strace 6.1 predates, and compares
// eproc's lines with what strace 7.2 printed for the same program.
// kexec_load is given an architecture no kernel takes (EINVAL, or ENOSYS
// without kexec): nothing is loaded.

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

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

const memRecentC = `#define _GNU_SOURCE
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
int main(void) {
	struct { uint64_t off, len; } r = {0, 8192}, r2 = {0x1000, 0};
	uint64_t st[5];
	char page[4096];
	int fd = memfd_create("cs", 0);
	memset(page, 'x', sizeof(page));
	write(fd, page, sizeof(page));
	syscall(451, fd, &r, st, 0);
	syscall(451, fd, &r2, st, 0);
	syscall(451, fd, &r, st, 0xffffffff00000005);
	syscall(451, -1, &r, st, 0);
	syscall(451, fd, 0, st, 0);
	syscall(451, fd, 8, 16, 0);
	syscall(453, 0, 4096, 4);
	syscall(453, 0x7f0000000000, 8192, 3 | 0xff00000000);
	char *p = mmap(0, 8192, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	syscall(462, p, 4096, 0);
	syscall(462, p + 1, 4096, 0);
	syscall(462, p, -1L, 0xffffffff00000001);
	return 0;
}
`

// memRecentWant is what strace 7.2 printed for memRecentC on x86_64
// (6.18), addresses masked, the result column's padding collapsed;
// map_shadow_stack's results (ENOSYS without user shadow stacks, EINVAL
// with) are not compared.
var memRecentWant = []string{
	`cachestat(3, {off=0, len=8192}, {nr_cache=1, nr_dirty=0, nr_writeback=0, nr_evicted=0, nr_recently_evicted=0}, 0) = 0`,
	`cachestat(3, {off=0x1000, len=0}, {nr_cache=0, nr_dirty=0, nr_writeback=0, nr_evicted=0, nr_recently_evicted=0}, 0) = 0`,
	`cachestat(3, {off=0, len=8192}, ADDR, 0x5) = -1 EINVAL (Invalid argument)`,
	`cachestat(-1, {off=0, len=8192}, ADDR, 0) = -1 EBADF (Bad file descriptor)`,
	`cachestat(3, NULL, ADDR, 0) = -1 EFAULT (Bad address)`,
	`cachestat(3, 0x8, 0x10, 0) = -1 EFAULT (Bad address)`,
	`map_shadow_stack(NULL, 4096, 0x4 /* SHADOW_STACK_??? */) = RESULT`,
	`map_shadow_stack(ADDR, 8192, SHADOW_STACK_SET_TOKEN|0x2) = RESULT`,
	`mseal(ADDR, 4096, 0) = 0`,
	`mseal(ADDR, 4096, 0) = -1 EINVAL (Invalid argument)`,
	`mseal(ADDR, 18446744073709551615, 0xffffffff00000001) = -1 EINVAL (Invalid argument)`,
	`+++ exited with 0 +++`,
}

var (
	reMemRecentAddr = regexp.MustCompile(`0x7f[0-9a-f]{6,}`) // user space addresses
	reMemRecentPad  = regexp.MustCompile(`\) +=`)
	reMemRecentMSS  = regexp.MustCompile(`^(map_shadow_stack\(.*\)) = .*`)
)

func TestMemRecentTrace(t *testing.T) {
	needRoot(t)
	bin := buildEproc(t)
	dir := t.TempDir()
	argv := ccWorkload("memrecent", memRecentC)(t, dir)
	out := filepath.Join(t.TempDir(), "eproc.out")
	args := append([]string{bin, "trace", "-e", "trace=cachestat,map_shadow_stack,mseal", "-o", out, "--"}, argv...)
	if code, _, stderr := runTracer(t, dir, args...); code != 0 {
		t.Fatalf("eproc trace exited with %d; stderr:\n%s", code, stderr)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, l := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		if strings.HasPrefix(l, "Traced ~") { // eproc's own last line
			continue
		}
		l = reMemRecentPad.ReplaceAllString(reMemRecentAddr.ReplaceAllString(l, "ADDR"), ") =")
		got = append(got, reMemRecentMSS.ReplaceAllString(l, "$1 = RESULT"))
	}
	if strings.Join(got, "\n") != strings.Join(memRecentWant, "\n") {
		t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(memRecentWant, "\n"))
	}
}
