package strace

// The oracle: real programs traced by strace and by `eproc trace`, and the
// two outputs compared process by process and line by line.
//
// Both tracers run the same deterministic workload, one after the other.
// The traces are normalized (oracle_helpers_test.go): demultiplexed by
// task, tasks named by the fork tree (P1, P1.1, ...), `<unfinished ...>`
// and `<... resumed>` halves joined (how calls interleave differs between
// runs), addresses shown as 0xADDR, task ids by their names, getrandom's
// bytes and times (si_utime, tv_sec, ...) hidden.
//
// What is asserted:
//   - both tracers exit with the workload's status;
//   - the same processes and threads, each ending with the same +++ line;
//   - per task, the same sequence of syscall names, except the names a
//     workload declares volatile (their number depends on scheduling:
//     wait4 when a child may or may not have exited yet, futex when a
//     thread may or may not have finished, and the signals that come with
//     them; see each workload);
//   - eproc's output ends with exactly one `Traced ~N syscs, Dropped 0`
//     line, N at least the number of syscall lines;
//   - every line of a syscall sys_core.go decodes equals strace's;
//   - over all workloads, at least minIdentical of the lines are
//     identical. Lines of syscalls decoded by the family files (sys_*.go,
//     in progress) are counted and logged, not asserted one by one.
//
// Known strace artifacts: none needed so far; strace's own diagnostics
// ("strace: ...") are dropped.
//
// EPROC_ORACLE_KEEP=DIR keeps both raw outputs of each workload in DIR.
// EPROC_ORACLE_OPTS="OPTIONS" adds OPTIONS (split at spaces) to both
// tracers' options in every workload: e.g. "-e verbose=none" shows which
// decoders still print what strace prints as an address.

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/eproc/eproc/strace/stracetest"
)

// minIdentical is the floor of identical lines over all workloads; raise it
// as the family decoders land.
const minIdentical = 0.35

// needRoot skips without root, but never under CI=true.
func needRoot(t testing.TB) {
	t.Helper()
	if os.Geteuid() != 0 && os.Getenv("CI") != "true" {
		t.Skip("needs root for BPF and strace")
	}
}

var (
	buildOnce sync.Once
	eprocBin  string
	buildErr  error
	buildDir  string
)

// buildEproc builds cmd/eproc once per test binary.
func buildEproc(t testing.TB) string {
	t.Helper()
	buildOnce.Do(func() {
		buildDir, buildErr = os.MkdirTemp("", "eproc-oracle-")
		if buildErr != nil {
			return
		}
		eprocBin = filepath.Join(buildDir, "eproc")
		gobin := filepath.Join(runtime.GOROOT(), "bin", "go")
		out, err := exec.Command(gobin, "build", "-o", eprocBin, "github.com/eproc/eproc/cmd/eproc").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return eprocBin
}

func TestMain(m *testing.M) {
	code := m.Run()
	if buildDir != "" {
		os.RemoveAll(buildDir)
	}
	os.Exit(code)
}

type workload struct {
	name string
	argv []string
	// setup prepares the working directory (nil: a fresh empty one) and may
	// rewrite argv.
	setup func(t *testing.T, dir string) []string
	exit  int
	// volatile syscalls: how many there are depends on scheduling, not on
	// the program. They are left out of the name sequences (their lines are
	// still compared where they align).
	volatile []string
	// volatileSignals: signals (and the rt_sigreturn that ends their
	// handlers) arrive at points that depend on scheduling.
	volatileSignals bool
	// volatileText: lines whose text depends on time (dd's rate line); they
	// are neither compared nor counted.
	volatileText *regexp.Regexp
	// exact: syscalls (beyond sys_core.go's) whose every line in this
	// workload must equal strace's.
	exact []string
	// opts: both tracers' options beyond -f -o FILE.
	opts []string
	// mask: what differs between two runs in this workload's lines (IPC
	// ids, times), kept as its first group before comparing.
	mask *regexp.Regexp
}

const threadsC = `#include <pthread.h>
#include <unistd.h>
static void *run(void *arg) { write(1, arg, 2); return 0; }
int main(void) {
	pthread_t a, b;
	pthread_create(&a, 0, run, "a\n");
	pthread_join(a, 0);
	pthread_create(&b, 0, run, "b\n");
	pthread_join(b, 0);
	return 0;
}
`

var workloads = []workload{
	{name: "true", argv: []string{"/bin/true"}},
	{name: "cat", argv: []string{"cat", "/etc/hostname"}},
	{name: "ls", argv: []string{"ls", "-la", "/usr/share"}},
	{
		name: "sh", argv: []string{"sh", "-c", "echo a | cat; ls /nonexistent; exit 3"}, exit: 3,
		// The shell reaps its children with wait4 whenever SIGCHLD arrives.
		volatile: []string{"wait4"}, volatileSignals: true,
	},
	{
		name: "dd", argv: []string{"dd", "if=/dev/zero", "of=/dev/null", "bs=1", "count=1000"},
		volatileText: regexp.MustCompile(`^write\(2, "1000 bytes \(1\.0 kB\) copied, `),
	},
	{
		name: "threads", setup: ccWorkload("threads", threadsC, "-pthread"),
		// pthread_join waits in futex only if the thread has not ended yet.
		volatile: []string{"futex"},
	},
	{
		name: "make",
		setup: func(t *testing.T, dir string) []string {
			mk := "all: a b\n\techo done\na:\n\techo a > /dev/null\nb:\n\techo b > /dev/null\n.PHONY: all a b\n"
			if err := os.WriteFile(filepath.Join(dir, "Makefile"), []byte(mk), 0o644); err != nil {
				t.Fatal(err)
			}
			return []string{"make", "-s", "-j2", "-C", dir}
		},
		// make waits for jobs as they end; which ends first is up to the
		// scheduler.
		// Under load it takes other paths too, under either tracer: its
		// jobserver pipe and the stack limit it raises (pipe2, fcntl,
		// prlimit64), and the fds a child closes or dups before its exec
		// (close, dup2) depend on which job it starts while another runs.
		volatile: []string{"wait4", "pselect6", "read", "write", "rt_sigprocmask", "sigaltstack", "pipe2", "fcntl", "prlimit64", "close", "dup2"}, volatileSignals: true,
	},
	{name: "env", argv: []string{"env", "-i", "/bin/sh", "-c", "true"}},
	// A VMM's set-up and run requests, made on /dev/null (no /dev/kvm here):
	// their names and arguments as strace prints them.
	{name: "kvm-ioctls", setup: ccWorkload("kvmioctls", kvmIoctlsC)},
	// Value-result lengths ([in => out]): the kernel shortens them.
	{name: "sockets", setup: ccWorkload("sockets", socketsC)},
	// Buffers in pages the program never touched, which the kernel did
	// not read either: the BPF read cannot map them, the decoder reads
	// them while the program lives (strace/refetch.go).
	{name: "untouched", setup: ccWorkload("untouched", untouchedC)},
	// Paths that run past their first page: into a guard page (EFAULT),
	// the call after mended; into a page the program never touched, which
	// the kernel did not read either (it failed on the times first).
	{name: "unterminated", setup: ccWorkload("unterminated", unterminatedC), exact: []string{"utimensat"}},
}

const untouchedC = `#include <fcntl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
static const char lit[8192] __attribute__((aligned(4096))) = "a literal on a page of its own";
int main(void) {
	int fd = open("/dev/null", O_WRONLY);
	char *anon = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct timespec ts = {0, 500000000};
	write(fd, lit, 30);
	write(-1, lit + 2, 7);
	write(fd, lit + 4096, 5);
	write(fd, anon, 3);
	int self = open("/proc/self/exe", O_RDONLY);
	char *elf = mmap(0, 4096, PROT_READ, MAP_PRIVATE, self, 0);
	write(fd, elf, 4);
	nanosleep(&ts, 0); /* alive while eproc's reader takes the records */
	return 0;
}
`

const unterminatedC = `#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
int main(void) {
	static const char proto[] = "unterminated\\npath";
	long ps = sysconf(_SC_PAGESIZE);
	char *p = mmap(0, 2 * ps, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *q = mmap(0, 2 * ps, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *path = p + ps - sizeof(proto);
	struct timespec ts = {0, 500000000};
	mprotect(p + ps, ps, PROT_NONE);
	memcpy(path, proto, sizeof(proto));
	path[sizeof(proto) - 1] = '+';
	syscall(SYS_utimensat, AT_FDCWD, path, 0, 0);
	path[sizeof(proto) - 1] = 0;
	syscall(SYS_utimensat, AT_FDCWD, path, 0, 0);
	memcpy(q + ps - 5, "cross", 5);
	syscall(SYS_utimensat, AT_FDCWD, q + ps - 5, 8, 0);
	nanosleep(&ts, 0); /* alive while eproc's reader takes the records */
	return 0;
}
`

const socketsC = `#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <netinet/in.h>
#include <unistd.h>
int main(void) {
	struct sockaddr_storage ss;
	struct sockaddr_in sin = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	socklen_t len;
	int l, c, a, u, v, type;
	char buf[8];

	l = socket(AF_INET, SOCK_STREAM, 0);
	bind(l, (struct sockaddr *)&sin, sizeof(sin));
	listen(l, 1);
	len = sizeof(sin);
	getsockname(l, (struct sockaddr *)&sin, &len);
	c = socket(AF_INET, SOCK_STREAM, 0);
	connect(c, (struct sockaddr *)&sin, sizeof(sin));
	len = sizeof(ss);
	a = accept(l, (struct sockaddr *)&ss, &len);
	len = sizeof(ss);
	getpeername(c, (struct sockaddr *)&ss, &len);
	len = 2;
	getpeername(c, (struct sockaddr *)&ss, &len);
	len = sizeof(ss);
	getpeername(l, (struct sockaddr *)&ss, &len);
	len = sizeof(type);
	getsockopt(a, SOL_SOCKET, SO_TYPE, &type, &len);
	len = sizeof(ss);
	getsockopt(a, SOL_SOCKET, SO_TYPE, &type, &len);
	u = socket(AF_UNIX, SOCK_DGRAM, 0);
	strcpy(sun.sun_path + 1, "eproc-oracle-sockets");
	bind(u, (struct sockaddr *)&sun, sizeof(sa_family_t) + 1 + strlen("eproc-oracle-sockets"));
	v = socket(AF_UNIX, SOCK_DGRAM, 0);
	sendto(v, "hi", 2, 0, (struct sockaddr *)&sun, sizeof(sa_family_t) + 1 + strlen("eproc-oracle-sockets"));
	len = sizeof(ss);
	recvfrom(u, buf, sizeof(buf), 0, (struct sockaddr *)&ss, &len);
	return 0;
}
`

const kvmIoctlsC = `#include <fcntl.h>
#include <linux/kvm.h>
#include <sys/ioctl.h>
int main(void) {
	int fd = open("/dev/null", O_RDONLY);
	ioctl(fd, KVM_GET_API_VERSION, 0);
	ioctl(fd, KVM_CREATE_VM, 0);
	ioctl(fd, KVM_CHECK_EXTENSION, KVM_CAP_USER_MEMORY);
	ioctl(fd, KVM_CHECK_EXTENSION, KVM_CAP_NR_VCPUS);
	ioctl(fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	ioctl(fd, KVM_CREATE_VCPU, 0);
	ioctl(fd, KVM_SET_USER_MEMORY_REGION, 0);
	ioctl(fd, KVM_GET_SREGS, 0);
	ioctl(fd, KVM_SET_SREGS, 0);
	ioctl(fd, KVM_SET_REGS, 0);
	ioctl(fd, KVM_SET_TSS_ADDR, 0xfffbd000);
	ioctl(fd, KVM_CREATE_IRQCHIP, 0);
	ioctl(fd, KVM_IRQFD, 0);
	ioctl(fd, KVM_RUN, 0);
	return 0;
}
`

// ccWorkload compiles a C program into the workload's directory.
func ccWorkload(name, src string, flags ...string) func(t *testing.T, dir string) []string {
	return func(t *testing.T, dir string) []string {
		file := filepath.Join(dir, name+".c")
		if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		bin := filepath.Join(dir, name)
		cc, err := exec.LookPath("cc")
		if err != nil {
			t.Skip("no C compiler")
		}
		args := append([]string{"-O1", "-o", bin, file}, flags...)
		if out, err := exec.Command(cc, args...).CombinedOutput(); err != nil {
			t.Fatalf("cc: %v\n%s", err, out)
		}
		return []string{bin}
	}
}

// runTracer runs argv (a tracer command line) in dir and returns its exit
// status and pid.
func runTracer(t *testing.T, dir string, argv ...string) (int, int, string) {
	t.Helper()
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.Stdin = nil
	err := cmd.Run()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("%v: %v", argv, err)
	}
	return code, cmd.Process.Pid, stderr.String()
}

// oracleResult is one workload's comparison.
type oracleResult struct {
	identical, total int
	byName           map[string][2]int // name -> identical, total
}

func TestOracle(t *testing.T) {
	needRoot(t)
	if _, err := exec.LookPath("strace"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("strace is not installed")
		}
		t.Skip("strace is not installed")
	}
	bin := buildEproc(t)
	core, err := coreNames()
	if err != nil {
		t.Fatal(err)
	}
	keep := os.Getenv("EPROC_ORACLE_KEEP")
	var mu sync.Mutex
	results := map[string]oracleResult{}
	for _, w := range workloads {
		w := w
		t.Run(w.name, func(t *testing.T) {
			dir := t.TempDir()
			argv := w.argv
			if w.setup != nil {
				argv = w.setup(t, dir)
			}
			outs := t.TempDir() // not in dir, which make lists
			sOut, eOut := filepath.Join(outs, "strace.out"), filepath.Join(outs, "eproc.out")
			sArgs := tracerArgs([]string{"strace"}, w.opts, sOut, argv)
			eArgs := tracerArgs([]string{bin, "trace"}, w.opts, eOut, argv)
			sCode, sPid, sErr := runTracer(t, dir, sArgs...)
			eCode, ePid, eErr := runTracer(t, dir, eArgs...)
			if sCode != w.exit {
				t.Errorf("strace exited with %d, want %d; stderr:\n%s", sCode, w.exit, sErr)
			}
			if eCode != w.exit {
				t.Errorf("eproc trace exited with %d, want %d; stderr:\n%s", eCode, w.exit, eErr)
			}
			if strings.Contains(eErr, "bad record") {
				t.Errorf("eproc trace reported bad records:\n%s", eErr)
			}
			sData, err := os.ReadFile(sOut)
			if err != nil {
				t.Fatal(err)
			}
			eData, err := os.ReadFile(eOut)
			if err != nil {
				t.Fatal(err)
			}
			if keep != "" {
				os.MkdirAll(keep, 0o755)
				os.WriteFile(filepath.Join(keep, w.name+".strace"), sData, 0o644)
				os.WriteFile(filepath.Join(keep, w.name+".eproc"), eData, 0o644)
			}
			s := parseTrace(string(sData), sPid)
			e := parseTrace(string(eData), ePid)
			r := compareTraces(t, w, s, e, core)
			t.Logf("%s: %d/%d lines identical (%.1f%%)", w.name, r.identical, r.total, pct(r.identical, r.total))
			mu.Lock()
			results[w.name] = r
			mu.Unlock()
		})
	}
	var ident, total int
	var names []string
	for n, r := range results {
		ident += r.identical
		total += r.total
		names = append(names, n)
	}
	sort.Strings(names)
	var sb strings.Builder
	for _, n := range names {
		r := results[n]
		fmt.Fprintf(&sb, "  %-8s %5d/%-5d %5.1f%%\n", n, r.identical, r.total, pct(r.identical, r.total))
	}
	t.Logf("identical lines per workload:\n%s  all      %5d/%-5d %5.1f%%", sb.String(), ident, total, pct(ident, total))
	logWorstSyscalls(t, results)
	if total > 0 && float64(ident) < minIdentical*float64(total) {
		t.Errorf("only %d/%d lines identical to strace's, want at least %.0f%%", ident, total, minIdentical*100)
	}
}

// tracerArgs is a tracer's command line (head: its program and command)
// for a workload: its options, EPROC_ORACLE_OPTS's, -f -o out, argv.
func tracerArgs(head, opts []string, out string, argv []string) []string {
	if o := os.Getenv("EPROC_ORACLE_OPTS"); o != "" {
		opts = append(append([]string{}, opts...), strings.Fields(o)...)
	}
	return append(append(append(head, opts...), "-f", "-o", out, "--"), argv...)
}

func pct(a, b int) float64 {
	if b == 0 {
		return 100
	}
	return 100 * float64(a) / float64(b)
}

// logWorstSyscalls logs the syscalls with the most differing lines: the
// to-do list of the family decoders.
func logWorstSyscalls(t *testing.T, results map[string]oracleResult) {
	agg := map[string][2]int{}
	for _, r := range results {
		for n, c := range r.byName {
			a := agg[n]
			a[0] += c[0]
			a[1] += c[1]
			agg[n] = a
		}
	}
	type row struct {
		name      string
		diff, tot int
	}
	var rows []row
	for n, c := range agg {
		if c[0] < c[1] {
			rows = append(rows, row{n, c[1] - c[0], c[1]})
		}
	}
	sort.Slice(rows, func(i, j int) bool {
		if rows[i].diff != rows[j].diff {
			return rows[i].diff > rows[j].diff
		}
		return rows[i].name < rows[j].name
	})
	var sb strings.Builder
	for _, r := range rows {
		fmt.Fprintf(&sb, " %s %d/%d", r.name, r.diff, r.tot)
	}
	t.Logf("differing lines by syscall (differing/total):%s", sb.String())
}

// compareTraces compares strace's trace s with eproc's e.
func compareTraces(t *testing.T, w workload, s, e *trace, core map[string]bool) oracleResult {
	t.Helper()
	r := oracleResult{byName: map[string][2]int{}}
	volatile, exact := map[string]bool{}, map[string]bool{}
	for _, n := range w.volatile {
		volatile[n] = true
	}
	for _, n := range w.exact {
		exact[n] = true
	}
	skip := func(l tline) bool {
		if volatile[l.name] {
			return true
		}
		// A call a signal interrupted is restarted: strace shows both.
		return w.volatileSignals && (l.kind == 's' || l.name == "rt_sigreturn" || strings.Contains(l.ret, "ERESTART") || l.ret == "?" && strings.Contains(l.raw, "ERESTART"))
	}
	checkEnds(t, s, e)

	// The same tasks.
	sn, en := s.procNames(), e.procNames()
	if strings.Join(sn, " ") != strings.Join(en, " ") {
		t.Errorf("tasks differ: strace %v, eproc %v", sn, en)
	}

	for _, p := range sn {
		sl, el := s.procs[p], e.procs[p]
		if el == nil {
			r.total += len(sl)
			continue
		}
		// (a) names.
		sk, _ := keys(sl, skip)
		ek, _ := keys(el, skip)
		if strings.Join(sk, " ") != strings.Join(ek, " ") {
			t.Errorf("%s: syscall sequences differ (%d vs %d names):\n%s", p, len(sk), len(ek), diffKeys(sk, ek))
		}
		// (b) how it ended.
		if se, ee := lastExit(sl), lastExit(el); se != ee {
			t.Errorf("%s: strace says %q, eproc says %q", p, se, ee)
		}
		// (c) lines.
		r.compareLines(t, w, p, sl, el, func(a tline) bool { return a.kind == 'c' && (core[a.name] || exact[a.name]) && !volatile[a.name] })
	}
	return r
}

// checkEnds: eproc's stream ends with one hang-up line that counts its
// lines and drops nothing; strace's has none; eproc has no line of no
// known form.
func checkEnds(t *testing.T, s, e *trace) {
	t.Helper()
	if len(e.hangups) != 1 || !e.lastIsHangup {
		t.Errorf("eproc: want exactly one hang-up line, at the end; got %q (last line is it: %v)", e.hangups, e.lastIsHangup)
	} else {
		m := reHangup.FindStringSubmatch(e.hangups[0])
		n, _ := strconv.Atoi(m[1])
		d, _ := strconv.Atoi(m[2])
		if n < e.calls {
			t.Errorf("eproc: %q, but %d syscall lines", e.hangups[0], e.calls)
		}
		if d != 0 {
			t.Errorf("eproc: %q: records dropped", e.hangups[0])
		}
	}
	if len(s.hangups) != 0 {
		t.Errorf("strace output has a hang-up line? %q", s.hangups)
	}
	if len(e.other) > 0 {
		t.Errorf("eproc: %d lines of no known form, first %q", len(e.other), e.other[0])
	}
}

// compareLines aligns one task's lines, strace's sl and eproc's el, and
// counts the identical ones; a differing line of a core call fails.
func (r *oracleResult) compareLines(t *testing.T, w workload, p string, sl, el []tline, core func(tline) bool) {
	t.Helper()
	sAll, _ := keys(sl, nil)
	eAll, _ := keys(el, nil)
	var diffs []string
	for _, pr := range align(sAll, eAll) {
		if pr.a < 0 {
			continue // eproc's extra lines: counted by (a)
		}
		a := sl[pr.a]
		if w.volatileText != nil && w.volatileText.MatchString(a.text) {
			continue
		}
		r.total++
		c := r.byName[a.name]
		c[1]++
		if pr.b < 0 {
			r.byName[a.name] = c
			continue
		}
		b := el[pr.b]
		al, bl := a.lit, b.lit
		if w.mask != nil {
			al, bl = w.mask.ReplaceAllString(al, "${1}V"), w.mask.ReplaceAllString(bl, "${1}V")
		}
		if stracetest.SameLine(al, bl, a.tasks, b.tasks) && a.dump == b.dump {
			r.identical++
			c[0]++
			r.byName[a.name] = c
			continue
		}
		r.byName[a.name] = c
		msg := fmt.Sprintf("%s %s:\n  strace: %s\n%s  eproc:  %s\n%s", p, a.name, a.text, a.dump, b.text, b.dump)
		if core(a) {
			t.Errorf("core syscall differs: %s", msg)
		} else {
			diffs = append(diffs, msg)
		}
	}
	if len(diffs) > 0 {
		const max = 60
		more := ""
		if len(diffs) > max {
			more = fmt.Sprintf("\n... and %d more", len(diffs)-max)
			diffs = diffs[:max]
		}
		t.Logf("%s: %d lines differ (family decoders in progress):\n%s%s", p, len(diffs), strings.Join(diffs, "\n"), more)
	}
}

func lastExit(ls []tline) string {
	for i := len(ls) - 1; i >= 0; i-- {
		if ls[i].kind == 'x' {
			return ls[i].text
		}
	}
	return ""
}

// diffKeys shows where two name sequences part, as a short unified diff.
func diffKeys(a, b []string) string {
	var sb strings.Builder
	n := 0
	for _, p := range align(a, b) {
		switch {
		case p.a >= 0 && p.b >= 0:
			continue
		case p.a >= 0:
			fmt.Fprintf(&sb, "  - %d %s (strace only)\n", p.a, a[p.a])
		default:
			fmt.Fprintf(&sb, "  + %d %s (eproc only)\n", p.b, b[p.b])
		}
		if n++; n == 40 {
			sb.WriteString("  ...\n")
			break
		}
	}
	return sb.String()
}
