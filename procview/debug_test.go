package procview

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
)

// FreeBSD's debugging verbs of ctl (attach, wait, step, run, a signal's
// name, detach) and the regs and fpregs files, driven on a real process
// that spins in its own text, checked against what /proc says of it.

// spinner loops in its text; a SIGUSR1 writes "u" to the file argv[1].
const spinner = `#include <fcntl.h>
#include <signal.h>
#include <unistd.h>
static volatile int fd; // volatile: the loop never returns, and -O1 would drop the store
static void on_usr1(int s) { (void)s; write(fd, "u", 1); }
volatile unsigned long x;
int main(int argc, char **argv) {
	signal(SIGUSR1, on_usr1);
	fd = open(argv[1], O_WRONLY | O_CREAT | O_APPEND, 0644);
	for (;;) x++;
}
`

// spin runs spinner: its pid, its binary, and the file its handler
// writes to. It returns once the process spins (has used CPU time).
func spin(t *testing.T) (int, string, string) {
	t.Helper()
	bin := buildC(t, spinner)
	out := filepath.Join(t.TempDir(), "usr1")
	cmd := exec.Command(bin, out)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	pid := cmd.Process.Pid
	waitFor(t, "the spinner to spin", func() bool {
		_, err := os.Stat(out)
		return err == nil && taskStat(t, pid, pid, 14) != "0" // utime
	})
	return pid, bin, out
}

// textRange is the executable mapping of bin in the process.
func textRange(t *testing.T, pid int, bin string) (lo, hi uint64) {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/maps", pid))
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(string(b), "\n") {
		f := strings.Fields(l)
		if len(f) == 6 && f[1] == "r-xp" && f[5] == bin {
			a, z, _ := strings.Cut(f[0], "-")
			lo, _ = strconv.ParseUint(a, 16, 64)
			hi, _ = strconv.ParseUint(z, 16, 64)
			return lo, hi
		}
	}
	t.Fatalf("no r-xp mapping of %s:\n%s", bin, b)
	return 0, 0
}

// readRegs reads a register file into a map, checking every line's form.
func readRegs(t *testing.T, path string) map[string]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	m := map[string]string{}
	for _, l := range strings.Split(strings.TrimSuffix(string(b), "\n"), "\n") {
		f := strings.Fields(l)
		if len(f) != 2 || !strings.HasPrefix(f[1], "0x") {
			t.Fatalf("%s: line %q", path, l)
		}
		m[f[0]] = f[1]
	}
	return m
}

func regValue(t *testing.T, regs map[string]string, name string) uint64 {
	t.Helper()
	n, err := strconv.ParseUint(regs[name], 0, 64)
	if err != nil {
		t.Fatalf("%s = %q: %v", name, regs[name], err)
	}
	return n
}

// ctlOpen opens ctl for writing: the controller's file.
func ctlOpen(t *testing.T, pdir string) *os.File {
	t.Helper()
	f, err := os.OpenFile(filepath.Join(pdir, "ctl"), os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func verb(t *testing.T, f *os.File, cmd string) {
	t.Helper()
	if _, err := f.WriteString(cmd); err != nil {
		t.Fatalf("%s: %v", cmd, err)
	}
}

func verbFails(t *testing.T, f *os.File, cmd string, want syscall.Errno) {
	t.Helper()
	if _, err := f.WriteString(cmd); !errors.Is(err, want) {
		t.Errorf("%q: %v, want %v", cmd, err, want)
	}
}

// other runs a shell script as another process (root, with the rights),
// P the process's directory in the view, W a writer that tells why a
// write failed (writeC: dash's echo says "I/O error" whatever the error):
// its output.
func other(t *testing.T, pdir, script string) string {
	t.Helper()
	cmd := exec.Command("sh", "-c", script)
	cmd.Env = append(os.Environ(), "P="+pdir, "W="+writer(t))
	out, _ := cmd.CombinedOutput()
	return string(out)
}

var (
	writerOnce sync.Once
	writerBin  string
)

// writer builds writeC once: it outlives the test that built it.
func writer(t *testing.T) string {
	t.Helper()
	writerOnce.Do(func() {
		dir, err := os.MkdirTemp("", "eproc-writer-")
		if err != nil {
			t.Fatal(err)
		}
		os.Chmod(dir, 0o755)
		os.WriteFile(filepath.Join(dir, "w.c"), []byte(writeC), 0o644)
		writerBin = filepath.Join(dir, "w")
		if out, err := exec.Command("cc", "-o", writerBin, filepath.Join(dir, "w.c")).CombinedOutput(); err != nil {
			t.Fatalf("cc: %v\n%s", err, out)
		}
	})
	return writerBin
}

func TestDebugCtl(t *testing.T) {
	_, m := mount(t)
	pid, bin, usr1 := spin(t)
	pdir := filepath.Join(m, strconv.Itoa(pid))
	regs := filepath.Join(pdir, "regs")
	if _, err := os.ReadFile(regs); !errors.Is(err, syscall.EBUSY) {
		t.Fatalf("regs of a process not under attach: %v, want EBUSY", err)
	}
	ctl := ctlOpen(t, pdir)
	defer ctl.Close()
	verb(t, ctl, "attach")
	verb(t, ctl, "wait")
	if out := asNobody(t, m, "cat $M/"+strconv.Itoa(pid)+"/regs 2>&1"); !strings.HasSuffix(out, "Permission denied\n") {
		t.Errorf("nobody read root's process's regs: %q", out)
	}
	if s := procState(pid); s != "t" {
		t.Fatalf("after attach and wait: state %s, want t", s)
	}
	lo, hi := textRange(t, pid, bin)
	r := readRegs(t, regs)
	for _, n := range []string{"rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp", "r8", "r15", "rip", "eflags", "cs", "ss", "ds", "es", "fs", "gs", "fs_base", "gs_base", "orig_rax"} {
		if _, ok := r[n]; !ok {
			t.Errorf("regs has no %s", n)
		}
	}
	if len(r) != 27 {
		t.Errorf("regs has %d registers, want 27", len(r))
	}
	rip := regValue(t, r, "rip")
	if rip < lo || rip >= hi {
		t.Fatalf("rip %#x outside the text %#x-%#x", rip, lo, hi)
	}
	checkFPRegs(t, pdir)
	// step: one instruction at a time, in the loop.
	changed := false
	for i := 0; i < 3; i++ {
		verb(t, ctl, "step")
		if s := procState(pid); s != "t" {
			t.Fatalf("after step: state %s", s)
		}
		next := regValue(t, readRegs(t, regs), "rip")
		if next < lo || next >= hi {
			t.Fatalf("step %d: rip %#x outside the text %#x-%#x", i, next, lo, hi)
		}
		changed = changed || next != rip
		rip = next
	}
	if !changed {
		t.Errorf("three steps left rip at %#x", rip)
	}
	checkWriteRegs(t, pdir)
	checkOthers(t, pdir, ctl)
	checkRunAndSignals(t, pid, pdir, ctl, usr1)
	// detach: it runs on, no longer traced.
	verb(t, ctl, "detach")
	if s := procState(pid); s == "t" {
		t.Errorf("after detach: state %s", s)
	}
	if n := tracerPid(pid); n != 0 {
		t.Errorf("after detach: TracerPid %d", n)
	}
	verbFails(t, ctl, "step", syscall.EBUSY)
	verbFails(t, ctl, "detach", syscall.EBUSY)
	if _, err := os.ReadFile(regs); !errors.Is(err, syscall.EBUSY) {
		t.Errorf("regs after detach: %v, want EBUSY", err)
	}
	if b, _ := os.ReadFile(usr1); string(b) != "u" {
		t.Errorf("the handler wrote %q, want one u (the signal run discarded never delivered)", b)
	}
}

// checkFPRegs reads fpregs (mxcsr is the ABI's default: the spinner does
// no floating point), and writes xmm0 and reads it back.
func checkFPRegs(t *testing.T, pdir string) {
	t.Helper()
	fp := filepath.Join(pdir, "fpregs")
	r := readRegs(t, fp)
	for _, n := range []string{"fcw", "fsw", "ftw", "fop", "rip", "rdp", "mxcsr", "xmm0", "xmm15", "st0", "st7"} {
		if _, ok := r[n]; !ok {
			t.Errorf("fpregs has no %s", n)
		}
	}
	if r["mxcsr"] != "0x00001f80" || r["fcw"] != "0x037f" {
		t.Errorf("fpregs: mxcsr %s fcw %s, want 0x00001f80 0x037f", r["mxcsr"], r["fcw"])
	}
	if len(r["xmm3"]) != 34 {
		t.Errorf("xmm3 %q: not 128 bits", r["xmm3"])
	}
	want := "0x0123456789abcdef0011223344556677"
	if err := writeFile(fp, "xmm0 "+want+"\n"); err != nil {
		t.Fatalf("write xmm0: %v", err)
	}
	if got := readRegs(t, fp)["xmm0"]; got != want {
		t.Errorf("xmm0 %s after writing %s", got, want)
	}
	if err := writeFile(fp, "mxcsr 0xffffffff"); !errors.Is(err, syscall.EINVAL) {
		t.Errorf("mxcsr with reserved bits: %v, want EINVAL", err)
	}
}

// checkWriteRegs writes registers, good and bad.
func checkWriteRegs(t *testing.T, pdir string) {
	t.Helper()
	regs := filepath.Join(pdir, "regs")
	if err := writeFile(regs, "rax 0x1234\nrbx 77\n"); err != nil {
		t.Fatalf("write regs: %v", err)
	}
	r := readRegs(t, regs)
	if r["rax"] != "0x0000000000001234" || regValue(t, r, "rbx") != 77 {
		t.Errorf("after writing rax 0x1234, rbx 77: rax %s, rbx %s", r["rax"], r["rbx"])
	}
	for _, bad := range []string{"\n", "rax", "rax 1 2", "xmm0 1", "rax -1", "rax 0x", "rax 0x1ffffffffffffffff", "rax zz", "rbx 1\nfoo 2", "cs 0x1234"} {
		if err := writeFile(regs, bad); !errors.Is(err, syscall.EINVAL) {
			t.Errorf("regs %q: %v, want EINVAL", bad, err)
		}
	}
	if r := readRegs(t, regs); r["rax"] != "0x0000000000001234" || regValue(t, r, "rbx") != 77 {
		t.Errorf("bad writes changed registers: rax %s, rbx %s", r["rax"], r["rbx"])
	}
}

// checkOthers: another process may read the registers, not write them,
// nor send verbs; bad verbs are EINVAL.
func checkOthers(t *testing.T, pdir string, ctl *os.File) {
	t.Helper()
	if out := other(t, pdir, `grep '^rax ' $P/regs`); out != "rax 0x0000000000001234\n" {
		t.Errorf("another process reading regs: %q", out)
	}
	for _, script := range []string{`$W $P/ctl step`, `$W $P/ctl detach`, `$W $P/ctl attach`, `$W $P/ctl usr1`, `$W $P/regs "rax 1"`} {
		if out := other(t, pdir, script); out != "Device or resource busy\n" {
			t.Errorf("another process: %s: %q, want EBUSY", script, out)
		}
	}
	for _, bad := range []string{"attach now", "step 2", "wait x", "SIGFOO", "stepp"} {
		verbFails(t, ctl, bad, syscall.EINVAL)
	}
	verbFails(t, ctl, "attach", syscall.EBUSY)
}

// checkRunAndSignals: run continues it; a signal stops it again (run
// discards it); a signal's verb delivers one.
func checkRunAndSignals(t *testing.T, pid int, pdir string, ctl *os.File, usr1 string) {
	t.Helper()
	verb(t, ctl, "run")
	if s := procState(pid); s == "t" {
		t.Errorf("after run: state %s", s)
	}
	if _, err := os.ReadFile(filepath.Join(pdir, "regs")); !errors.Is(err, syscall.EBUSY) {
		t.Errorf("regs of a running process: %v, want EBUSY", err)
	}
	verbFails(t, ctl, "step", syscall.EBUSY)
	if out := other(t, pdir, `$W $P/ctl wait`); out != "Device or resource busy\n" {
		t.Errorf("another process: wait: %q, want EBUSY", out)
	}
	// A signal from outside stops it; run goes on without it.
	syscall.Kill(pid, syscall.SIGUSR1)
	verb(t, ctl, "wait")
	verb(t, ctl, "run")
	// usr1 on the running process signals it: it stops for it.
	verb(t, ctl, "usr1")
	verb(t, ctl, "wait")
	if s := procState(pid); s != "t" {
		t.Fatalf("stopped for SIGUSR1: state %s", s)
	}
	// SIGUSR1 on the stopped process delivers it: the handler writes.
	verb(t, ctl, "SIGUSR1")
	waitFor(t, "the handler's write", func() bool { b, _ := os.ReadFile(usr1); return len(b) > 0 })
}

// TestDebugSignalFromInterrupt: a signal's verb on a process stopped by
// attach's interrupt (no signal-delivery stop to inject it at) reaches it,
// and it runs on.
func TestDebugSignalFromInterrupt(t *testing.T) {
	_, m := mount(t)
	pid, _, usr1 := spin(t)
	ctl := ctlOpen(t, filepath.Join(m, strconv.Itoa(pid)))
	defer ctl.Close()
	verb(t, ctl, "attach")
	verb(t, ctl, "wait")
	verb(t, ctl, "usr1")
	waitFor(t, "the handler's write", func() bool { b, _ := os.ReadFile(usr1); return string(b) == "u" })
	if s := procState(pid); s == "t" {
		t.Errorf("after usr1: state %s, want it running", s)
	}
	verb(t, ctl, "detach")
}

// TestDebugCloseDetaches: control ends with the controller's ctl file.
func TestDebugCloseDetaches(t *testing.T) {
	_, m := mount(t)
	pid, _, usr1 := spin(t)
	pdir := filepath.Join(m, strconv.Itoa(pid))
	ctl := ctlOpen(t, pdir)
	verb(t, ctl, "attach")
	verb(t, ctl, "wait")
	// Stopped for a signal when its controller goes: it gets the signal.
	verb(t, ctl, "run")
	syscall.Kill(pid, syscall.SIGUSR1)
	verb(t, ctl, "wait")
	if b, _ := os.ReadFile(usr1); len(b) != 0 {
		t.Fatalf("the handler ran in a stop for its signal: %q", b)
	}
	if cr, err := readCreds(tracerPid(pid)); err != nil || cr.tgid != os.Getpid() {
		t.Fatalf("TracerPid %d: not a thread of the view's process %d (%v)", tracerPid(pid), os.Getpid(), err)
	}
	ctl.Close()
	waitFor(t, "the detach at close", func() bool { return tracerPid(pid) == 0 })
	waitFor(t, "the handler's write", func() bool { b, _ := os.ReadFile(usr1); return string(b) == "u" })
	if s := procState(pid); s == "t" {
		t.Errorf("after close: state %s", s)
	}
	if _, err := os.ReadFile(filepath.Join(pdir, "regs")); !errors.Is(err, syscall.EBUSY) {
		t.Errorf("regs after close: %v, want EBUSY", err)
	}
	// Another may attach now; echo's ctl closes at once: detached again.
	if out := other(t, pdir, `echo attach > $P/ctl && echo ok`); out != "ok\n" {
		t.Errorf("attach by another after close: %q", out)
	}
	waitFor(t, "the detach at echo's close", func() bool { return tracerPid(pid) == 0 })
}

// TestDebugBusy: a process ptraced elsewhere is EBUSY; one traced by
// eproc's BPF may be attached; one that dies under attach is ESRCH.
func TestDebugBusy(t *testing.T) {
	_, m := mount(t)
	_, m2 := mount(t)
	pid, _, _ := spin(t)
	name := strconv.Itoa(pid)
	if err := writeFile(filepath.Join(m, name, "ctl"), "straceme"); err != nil {
		t.Fatalf("straceme: %v", err)
	}
	ctl := ctlOpen(t, filepath.Join(m, name))
	defer ctl.Close()
	verb(t, ctl, "attach")
	verb(t, ctl, "wait")
	ctl2 := ctlOpen(t, filepath.Join(m2, name))
	defer ctl2.Close()
	verbFails(t, ctl2, "attach", syscall.EBUSY) // ptraced by the first view
	verbFails(t, ctl2, "wait", syscall.EBUSY)
	if err := writeFile(filepath.Join(m, name, "ctl"), "straceoff"); err != nil {
		t.Errorf("straceoff: %v", err)
	}
	syscall.Kill(pid, syscall.SIGKILL)
	waitFor(t, "the process's end", func() bool { return tracerPid(pid) == 0 })
	verbFails(t, ctl, "wait", syscall.ESRCH)
	if _, err := os.ReadFile(filepath.Join(m, name, "regs")); !errors.Is(err, syscall.ESRCH) && !errors.Is(err, syscall.ENOENT) {
		t.Errorf("regs of a dead process: %v, want ESRCH", err)
	}
}

// controllerC writes each of argv[2..] to the ctl file argv[1] through one
// open file, printing "verb: ok" or why it failed; SIGUSR1 interrupts a
// write (no SA_RESTART).
const controllerC = `#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
static void h(int s) { (void)s; }
int main(int argc, char **argv) {
	struct sigaction sa = {0};
	sa.sa_handler = h;
	sigaction(SIGUSR1, &sa, 0);
	int fd = open(argv[1], O_WRONLY);
	for (int i = 2; i < argc; i++) {
		if (write(fd, argv[i], strlen(argv[i])) < 0)
			printf("%s: %s\n", argv[i], strerror(errno));
		else
			printf("%s: ok\n", argv[i]);
		fflush(stdout);
	}
	return 0;
}
`

// TestDebugWaitInterrupted: a controller of its own, interrupted in wait.
func TestDebugWaitInterrupted(t *testing.T) {
	_, m := mount(t)
	pid, _, _ := spin(t)
	var out lockedBuffer
	c := exec.Command(buildC(t, controllerC), filepath.Join(m, strconv.Itoa(pid), "ctl"), "attach", "wait", "run", "wait", "detach")
	c.Stdout = &out
	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Process.Kill(); c.Wait() })
	wchan := fmt.Sprintf("/proc/%d/wchan", c.Process.Pid)
	waitFor(t, "the controller to wait", func() bool {
		b, _ := os.ReadFile(wchan)
		return strings.HasSuffix(out.String(), "run: ok\n") && strings.Contains(string(b), "request_wait_answer")
	})
	c.Process.Signal(syscall.SIGUSR1)
	if err := c.Wait(); err != nil {
		t.Fatal(err)
	}
	if want := "attach: ok\nwait: ok\nrun: ok\nwait: Interrupted system call\ndetach: ok\n"; out.String() != want {
		t.Errorf("controller said %q, want %q", out.String(), want)
	}
	if n := tracerPid(pid); n != 0 {
		t.Errorf("after detach: TracerPid %d", n)
	}
	if s := procState(pid); s == "t" {
		t.Errorf("after detach: state %s", s)
	}
}
