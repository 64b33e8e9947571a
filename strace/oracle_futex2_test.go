package strace

// Oracles of sys_futex2.go, sys_misc_lsm.go, sys_process_listns.go and
// sys_misc_obsolete.go.
//
// The obsolete x86-64 syscalls (create_module ... vserver, ioperm) are a
// workload: strace 6.1 knows them, so every line must equal its own
// (workload.exact). vhangup is left out: as root it would hang up the
// terminal the tests run in (strace's own test calls setsid first).
//
// futex_wake, futex_wait, futex_requeue, the lsm_* calls, listns and
// rseq_slice_yield are newer than strace 6.1 (it prints syscall_0x1c6(...)
// for them), so CI's strace cannot be their oracle: TestOracleFutex2
// traces a C program with eproc and compares its lines with those strace
// 7.2 printed for the same program, recorded below (addresses masked).
// EPROC_STRACE7=/path/to/strace-7.2 runs that strace on it as well and
// checks the recorded lines against it.

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
)

func init() {
	if runtime.GOARCH == "amd64" {
		workloads = append(workloads, workload{name: "obsolete", setup: ccWorkload("obsolete", obsoleteC),
			exact: []string{"create_module", "get_kernel_syms", "query_module", "nfsservctl", "getpmsg", "putpmsg",
				"afs_syscall", "tuxcall", "security", "epoll_ctl_old", "epoll_wait_old", "vserver", "ioperm"}})
	}
}

// obsoleteC calls each with junk in the registers past its arguments
// (what strace's syscall table says it takes).
const obsoleteC = `#include <sys/syscall.h>
#include <unistd.h>
int main(void) {
	syscall(174, 0x1000UL, 0x20UL);
	syscall(177, 0x2000UL);
	syscall(178, 0x3000UL, 1UL, 0UL, 5UL, 0x4000UL);
	syscall(180, 1UL, 0x5000UL, 0UL);
	syscall(181, 3UL, 0UL, 0x6000UL, -1L, 0x7000UL);
	syscall(182, 3UL, 0UL, 0x6000UL, 7UL, 2UL);
	syscall(183, 1UL, 2UL, 3UL, 4UL, 5UL);
	syscall(184, 0xffffffffUL, 0UL, 3UL);
	syscall(185, 1UL, 2UL, 3UL);
	syscall(214, 1UL, 2UL, 3UL, 0x8000UL);
	syscall(215, 1UL, 0x9000UL, 3UL, -1L);
	syscall(236, 1UL, 2UL, 3UL, 4UL, 5UL);
	syscall(173, 0xdeafbeefffffffffUL, 1UL, -1L);
	return 0;
}
`

// futex2C makes the futex2 and LSM calls whose results do not depend on
// the kernel's configuration (they fail on argument checks made before
// any LSM is asked), but one lsm_list_modules; listns; and
// rseq_slice_yield.
// Among them: a struct futex_waitv array and a timeout cut by an unmapped
// page.
const futex2C = `#define _GNU_SOURCE
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
struct waitv { uint64_t val, uaddr; uint32_t flags, res; };
struct lsm_ctx { uint64_t id, flags, len, ctx_len; char ctx[16]; };
int main(void) {
	static uint32_t f[2] = {5, 6};
	struct timespec ts = {0, 1000};
	struct waitv w[2] = {{5, (uintptr_t)&f[0], 2 | 128, 0}, {6, (uintptr_t)&f[1], 2, 0}};
	char *pg = mmap(0, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(pg + 4096, 4096);
	struct waitv *last = (struct waitv *)(pg + 4096) - 1;
	*last = (struct waitv){~0ULL, 0, 0xffffff00, 7};
	syscall(454, f, 0xffffffffUL, 1, 2 | 128);
	syscall(454, f, 5UL, -1, 0);
	syscall(454, f, ~0UL, 0x7fffffff, 3 | 4 | 128);
	syscall(454, f, 0UL, 0, 0xff00);
	syscall(455, f, 4UL, 0xffffffffUL, 2 | 128, &ts, CLOCK_MONOTONIC);
	syscall(455, f, 5UL, 0xffffffffUL, 2 | 128, &ts, CLOCK_REALTIME);
	syscall(455, f, 4UL, 1UL, 2, 0, 99);
	syscall(455, f, ~0UL, 0UL, 0x80000000UL, pg + 4096, -1);
	syscall(456, w, 2 | 128, 1, 0);
	syscall(456, last, 0, 0, 1);
	syscall(456, pg + 4096, 0xffffffffU, 0x7fffffff, -1);
	syscall(456, 0, 1, 1, 1);

	uint64_t ids[16];
	uint32_t size = sizeof(ids);
	struct lsm_ctx c = {0, 0, 0, 0, ""};
	syscall(461, ids, &size, 0);
	size = 8;
	syscall(461, ids, &size, 1);
	syscall(461, 0, 0, 0);
	size = sizeof(c);
	syscall(459, 0, &c, &size, 0);
	syscall(459, 999, 0, &size, 0xff);
	syscall(459, 101, &c, &size, 1);
	syscall(459, 101, 0, 0, 1);
	c = (struct lsm_ctx){101, 3, 1000, 5, "unconfined"};
	syscall(460, 105, &c, sizeof(c), 7);
	syscall(460, 100, &c, sizeof(c), 0);
	syscall(460, 102, &c, 31, 0);
	syscall(460, 102, 0, 0, 0);

	struct { uint32_t size, spare; uint64_t ns_id; uint32_t ns_type, spare2; uint64_t user_ns_id; uint8_t extra[16]; } r =
		{32, 5, 0x1234, 0x7e020080, 9, ~0ULL, ""};
	syscall(470, &r, ids, 0UL, 0xffffffffUL);
	r.size = 48;
	r.spare = r.spare2 = 0;
	r.ns_type = 0x20003;
	r.extra[3] = 0x41;
	syscall(470, &r, 0, 0UL, 0UL);
	r.size = 24;
	syscall(470, &r, 0, 5UL, 1UL);
	syscall(470, 0, 0, 0UL, 0UL);
	syscall(471);
	return 0;
}
`

// futex2Want are strace 7.2's lines for futex2C (x86-64, Linux 6.18),
// addresses masked, the result column's padding collapsed. "re:" lines
// are regular expressions: the LSMs a kernel has, and what a kernel that
// has no rseq_slice_yield (or has one) returns; of "pre:" lines only what
// comes before the result is compared (listns: whatever a kernel returns,
// the array is NULL or empty).
var futex2Want = []string{
	`futex_wake(0xADDR, FUTEX_BITSET_MATCH_ANY, 1, FUTEX2_SIZE_U32|FUTEX2_PRIVATE) = 0`,
	`futex_wake(0xADDR, 0x5, -1, FUTEX2_SIZE_U8) = -1 EINVAL (Invalid argument)`,
	`futex_wake(0xADDR, 0xffffffffffffffff, 2147483647, FUTEX2_SIZE_U64|FUTEX2_NUMA|FUTEX2_PRIVATE) = -1 EINVAL (Invalid argument)`,
	`futex_wake(0xADDR, 0, 0, FUTEX2_SIZE_U8|0xff00) = -1 EINVAL (Invalid argument)`,
	`futex_wait(0xADDR, 4, FUTEX_BITSET_MATCH_ANY, FUTEX2_SIZE_U32|FUTEX2_PRIVATE, {tv_sec=0, tv_nsec=1000}, CLOCK_MONOTONIC) = -1 EAGAIN (Resource temporarily unavailable)`,
	`futex_wait(0xADDR, 5, FUTEX_BITSET_MATCH_ANY, FUTEX2_SIZE_U32|FUTEX2_PRIVATE, {tv_sec=0, tv_nsec=1000}, CLOCK_REALTIME) = -1 ETIMEDOUT (Connection timed out)`,
	`futex_wait(0xADDR, 4, 0x1, FUTEX2_SIZE_U32, NULL, 0x63 /* CLOCK_??? */) = -1 EAGAIN (Resource temporarily unavailable)`,
	`futex_wait(0xADDR, 18446744073709551615, 0, FUTEX2_SIZE_U8|0x80000000, 0xADDR, 0xffffffff /* CLOCK_??? */) = -1 EINVAL (Invalid argument)`,
	`futex_requeue([{val=0x5, uaddr=0xADDR, flags=FUTEX2_SIZE_U32|FUTEX2_PRIVATE}, {val=0x6, uaddr=0xADDR, flags=FUTEX2_SIZE_U32}], 0x82, 1, 0) = -1 EINVAL (Invalid argument)`,
	`futex_requeue([{val=0xffffffffffffffff, uaddr=NULL, flags=FUTEX2_SIZE_U8|0xffffff00, __reserved=0x7}, ... /* 0xADDR */], 0, 0, 1) = -1 EINVAL (Invalid argument)`,
	`futex_requeue(0xADDR, 0xffffffff, 2147483647, -1) = -1 EINVAL (Invalid argument)`,
	`futex_requeue(NULL, 0x1, 1, 1) = -1 EINVAL (Invalid argument)`,
	// strace 7.2 here: lsm_list_modules([LSM_ID_LOCKDOWN, LSM_ID_CAPABILITY, LSM_ID_LANDLOCK, LSM_ID_BPF], [128 => 32], 0) = 4
	`re:lsm_list_modules\(\[LSM_ID_[A-Z]+(, LSM_ID_[A-Z]+)*\], \[128 => \d+\], 0\) = \d+`,
	`lsm_list_modules(0xADDR, [8], 0x1) = -1 EINVAL (Invalid argument)`,
	`lsm_list_modules(NULL, NULL, 0) = -1 EFAULT (Bad address)`,
	`lsm_get_self_attr(LSM_ATTR_UNDEF, 0xADDR, [48], 0) = -1 EINVAL (Invalid argument)`,
	`lsm_get_self_attr(0x3e7 /* LSM_ATTR_??? */, NULL, [48], LSM_FLAG_SINGLE|0xfe) = -1 EINVAL (Invalid argument)`,
	`lsm_get_self_attr(LSM_ATTR_EXEC, {id=LSM_ID_UNDEF} => 0xADDR, [48], LSM_FLAG_SINGLE) = -1 EINVAL (Invalid argument)`,
	`lsm_get_self_attr(LSM_ATTR_EXEC, NULL, NULL, LSM_FLAG_SINGLE) = -1 EINVAL (Invalid argument)`,
	`lsm_set_self_attr(LSM_ATTR_SOCKCREATE, {id=LSM_ID_SELINUX, flags=0x3, len=1000, ctx_len=5, ctx="\x75\x6e\x63\x6f\x6e"}, 48, 0x7) = -1 EINVAL (Invalid argument)`,
	`lsm_set_self_attr(LSM_ATTR_CURRENT, {id=LSM_ID_SELINUX, flags=0x3, len=1000, ctx_len=5, ctx="\x75\x6e\x63\x6f\x6e"}, 48, 0) = -1 EINVAL (Invalid argument)`,
	`lsm_set_self_attr(LSM_ATTR_FSCREATE, 0xADDR, 31, 0) = -1 EINVAL (Invalid argument)`,
	`lsm_set_self_attr(LSM_ATTR_FSCREATE, NULL, 0, 0) = -1 EINVAL (Invalid argument)`,
	// listns' results: Linux 6.18 has none (ENOSYS).
	`pre:listns({size=32, spare=0x5, ns_id=0x1234, ns_type=TIME_NS|MNT_NS|CGROUP_NS|UTS_NS|IPC_NS|USER_NS|PID_NS|NET_NS, spare2=0x9, user_ns_id=LISTNS_CURRENT_USER}, [], 0, 0xffffffff)`,
	`pre:listns({size=48, ns_id=0x1234, ns_type=MNT_NS|0x3, user_ns_id=LISTNS_CURRENT_USER, /* bytes 32..47 */ "\x00\x00\x00\x41\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"}, NULL, 0, 0)`,
	`pre:listns({size=24}, NULL, 5, 0x1)`,
	`pre:listns(NULL, NULL, 0, 0)`,
	// strace 7.2 on Linux 6.18, which has none: = -1 ENOSYS (Function not implemented)
	`re:rseq_slice_yield\(\) = .*`,
	`+++ exited with 0 +++`,
}

var (
	futex2Addr = regexp.MustCompile(`0x[57][0-9a-f]{11}\b`)
	futex2Pad  = regexp.MustCompile(`\) +=`)
)

// futex2Lines are a trace's lines, addresses masked, padding collapsed.
func futex2Lines(out string) []string {
	var ls []string
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		if strings.HasPrefix(l, "Traced ~") {
			continue
		}
		ls = append(ls, futex2Pad.ReplaceAllString(futex2Addr.ReplaceAllString(l, "0xADDR"), ") ="))
	}
	return ls
}

// checkFutex2Lines compares a trace of futex2C with futex2Want; a kernel
// without LSM syscalls (no CONFIG_SECURITY) answers them with ENOSYS.
func checkFutex2Lines(t *testing.T, who string, got []string) {
	t.Helper()
	if len(got) != len(futex2Want) {
		t.Errorf("%s: %d lines, want %d:\n%s", who, len(got), len(futex2Want), strings.Join(got, "\n"))
		return
	}
	for i, w := range futex2Want {
		g := got[i]
		if strings.HasPrefix(g, "lsm_") && strings.HasSuffix(g, "= -1 ENOSYS (Function not implemented)") {
			continue
		}
		if pre, ok := strings.CutPrefix(w, "pre:"); ok {
			if g, _, _ = strings.Cut(g, ") = "); g+")" != pre {
				t.Errorf("%s line %d:\n got: %s) = ...\nwant: %s = ...", who, i+1, g, pre)
			}
		} else if re, ok := strings.CutPrefix(w, "re:"); ok {
			if !regexp.MustCompile(`^` + re + `$`).MatchString(g) {
				t.Errorf("%s line %d:\n got: %s\nwant: /%s/", who, i+1, g, re)
			}
		} else if g != w {
			t.Errorf("%s line %d:\n got: %s\nwant: %s", who, i+1, g, w)
		}
	}
}

func TestOracleFutex2(t *testing.T) {
	needRoot(t)
	if runtime.GOARCH != "amd64" {
		t.Skip("x86-64's numbers and junk registers")
	}
	bin := buildEproc(t)
	dir := t.TempDir()
	argv := ccWorkload("futex2", futex2C)(t, dir)
	filter := "trace=futex_wake,futex_wait,futex_requeue,lsm_get_self_attr,lsm_set_self_attr,lsm_list_modules,listns,rseq_slice_yield"
	run := func(tracer ...string) []string {
		out := filepath.Join(dir, filepath.Base(tracer[0])+".out")
		args := append(append(tracer, "-e", filter, "-o", out, "--"), argv...)
		if code, _, stderr := runTracer(t, dir, args...); code != 0 {
			t.Fatalf("%s exited with %d; stderr:\n%s", tracer[0], code, stderr)
		}
		data, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		return futex2Lines(string(data))
	}
	checkFutex2Lines(t, "eproc", run(bin, "trace"))
	if s7 := os.Getenv("EPROC_STRACE7"); s7 != "" {
		if _, err := exec.LookPath(s7); err != nil {
			t.Fatalf("EPROC_STRACE7: %v", err)
		}
		checkFutex2Lines(t, "strace 7.2", run(s7))
	}
}
