package procview

import (
	"bufio"
	"bytes"
	"debug/elf"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Plan 9's ctl core and wait file, on real processes: the core file read
// by readelf and gdb (and debug/elf), wait read by a real reader.

// coreProg keeps a known string in a global and a known value on its
// stack, makes a second thread, says ready, and sleeps.
const coreProg = `#include <pthread.h>
#include <stdio.h>
#include <unistd.h>
char global[64] = "eproc-core-global-7f3a91";
static void *idle(void *a) { for (;;) pause(); return a; }
int main(void) {
	volatile unsigned long onstack = 0x1122334455667788UL;
	pthread_t t;
	pthread_create(&t, 0, idle, 0);
	printf("ready %p\n", (void *)&onstack);
	fflush(stdout);
	for (;;) pause();
	return (int)onstack;
}
`

// buildCoreProg builds coreProg with debug information (gdb prints its
// global by name) in a directory every user can reach.
func buildCoreProg(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "eproc-core-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	os.Chmod(dir, 0o755)
	c := filepath.Join(dir, "p.c")
	bin := filepath.Join(dir, "p")
	os.WriteFile(c, []byte(coreProg), 0o644)
	if out, err := exec.Command("cc", "-g", "-O0", "-pthread", "-o", bin, c).CombinedOutput(); err != nil {
		t.Fatalf("cc: %v\n%s", err, out)
	}
	return bin
}

// startCoreProg runs bin (through argv0, e.g. setpriv) and returns its pid
// and the address of its stack's value once it is ready.
func startCoreProg(t *testing.T, argv ...string) (int, uint64) {
	t.Helper()
	cmd := exec.Command(argv[0], argv[1:]...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	l, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("ready: %v", err)
	}
	var addr uint64
	if _, err := fmt.Sscanf(l, "ready 0x%x", &addr); err != nil {
		t.Fatalf("ready line %q: %v", l, err)
	}
	pid := cmd.Process.Pid
	waitFor(t, "both threads asleep", func() bool {
		tids, _ := coreTaskIDs(pid)
		if len(tids) != 2 {
			return false
		}
		for _, tid := range tids {
			if taskState(pid, tid) != 'S' {
				return false
			}
		}
		return true
	})
	return pid, addr
}

// coreDir is a directory for core files that uid may write.
func coreDir(t *testing.T, uid int) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "eproc-cores-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	os.Chown(dir, uid, uid)
	os.Chmod(dir, 0o755)
	return dir
}

// checkCore checks a core file of coreProg's process pid with readelf,
// gdb and debug/elf.
func checkCore(t *testing.T, core, bin string, pid int, stackAddr uint64) {
	t.Helper()
	maps, _ := os.ReadFile(fmt.Sprintf("/proc/%d/maps", pid))
	checkCoreReadelf(t, core, maps)
	checkCoreELF(t, core, bin, maps, pid, stackAddr)
	checkCoreGdb(t, core, bin, pid)
}

// checkCoreReadelf checks the core's notes and segments as readelf shows
// them: a LOAD segment for each of the process's mappings.
func checkCoreReadelf(t *testing.T, core string, maps []byte) {
	t.Helper()
	notes, err := exec.Command("readelf", "-n", core).CombinedOutput()
	if err != nil {
		t.Fatalf("readelf -n: %v\n%s", err, notes)
	}
	for _, n := range []string{"NT_PRSTATUS", "NT_PRPSINFO", "NT_AUXV", "NT_FILE", "NT_FPREGSET"} {
		if !bytes.Contains(notes, []byte(n)) {
			t.Errorf("readelf -n shows no %s:\n%s", n, notes)
		}
	}
	if c := bytes.Count(notes, []byte("NT_PRSTATUS")); c != 2 {
		t.Errorf("%d NT_PRSTATUS notes for 2 threads:\n%s", c, notes)
	}
	segs, err := exec.Command("readelf", "-lW", core).CombinedOutput()
	if err != nil {
		t.Fatalf("readelf -l: %v\n%s", err, segs)
	}
	if !bytes.Contains(segs, []byte("CORE (Core file)")) || !bytes.Contains(segs, []byte("NOTE")) || !bytes.Contains(segs, []byte("LOAD")) {
		t.Errorf("readelf -l:\n%s", segs)
	}
	if n, want := bytes.Count(segs, []byte("  LOAD ")), bytes.Count(maps, []byte("\n")); n != want {
		t.Errorf("%d LOAD segments for %d mappings:\n%s\n%s", n, want, segs, maps)
	}
}

// checkCoreELF checks the core with debug/elf: its header, its notes, and
// the memory it holds.
func checkCoreELF(t *testing.T, core, bin string, maps []byte, pid int, stackAddr uint64) {
	t.Helper()
	f, err := elf.Open(core)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if f.Type != elf.ET_CORE || f.Machine != elf.EM_X86_64 {
		t.Errorf("type %v machine %v", f.Type, f.Machine)
	}
	// The first NT_PRSTATUS: pr_pid the leader's, its rsp below the
	// stack's value, which the segment holding it has.
	prstatus, files := coreNotes(f)
	if !bytes.Contains(files, []byte(bin+"\x00")) {
		t.Errorf("NT_FILE does not name %s: %q", bin, files)
	}
	if len(prstatus) != 336 {
		t.Fatalf("NT_PRSTATUS of %d bytes, want 336", len(prstatus))
	}
	if got := int(binary.LittleEndian.Uint32(prstatus[32:])); got != pid {
		t.Errorf("pr_pid %d, want %d", got, pid)
	}
	rsp := binary.LittleEndian.Uint64(prstatus[112+19*8:])
	if rsp > stackAddr || stackAddr-rsp > 1<<16 {
		t.Errorf("rsp %#x, the stack's value at %#x", rsp, stackAddr)
	}
	checkCoreMemory(t, f, bin, maps, stackAddr)
}

// coreNotes is the core's first NT_PRSTATUS note's data and its NT_FILE
// note's.
func coreNotes(f *elf.File) (prstatus, files []byte) {
	for _, p := range f.Progs {
		if p.Type != elf.PT_NOTE {
			continue
		}
		b, _ := io.ReadAll(p.Open())
		for len(b) >= 12 {
			nsz, dsz, typ := binary.LittleEndian.Uint32(b), binary.LittleEndian.Uint32(b[4:]), binary.LittleEndian.Uint32(b[8:])
			d := 12 + int(nsz+3)&^3
			if typ == uint32(elf.NT_PRSTATUS) && prstatus == nil {
				prstatus = b[d : d+int(dsz)]
			}
			if typ == 0x46494c45 { // NT_FILE: readelf 2.40 does not decode it ("in 32-bit build")
				files = b[d : d+int(dsz)]
			}
			b = b[d+int(dsz+3)&^3:]
		}
	}
	return prstatus, files
}

// checkCoreMemory checks that the core's PT_LOAD segments hold the stack's
// value and the global's string.
func checkCoreMemory(t *testing.T, f *elf.File, bin string, maps []byte, stackAddr uint64) {
	t.Helper()
	want := map[uint64][]byte{stackAddr: binary.LittleEndian.AppendUint64(nil, 0x1122334455667788)}
	if sym, err := exec.Command("nm", bin).Output(); err == nil {
		for _, l := range strings.Split(string(sym), "\n") {
			if w := strings.Fields(l); len(w) == 3 && w[2] == "global" {
				// A PIE: the global's address is the executable's base
				// (its first mapping) plus its symbol's value.
				off, _ := strconv.ParseUint(w[0], 16, 64)
				base := exeBase(t, maps, bin)
				want[base+off] = []byte("eproc-core-global-7f3a91\x00")
			}
		}
	}
	if len(want) != 2 {
		t.Errorf("no symbol global in %s", bin)
	}
	for addr, w := range want {
		found := false
		for _, p := range f.Progs {
			if p.Type == elf.PT_LOAD && addr >= p.Vaddr && addr+uint64(len(w)) <= p.Vaddr+p.Filesz {
				got := make([]byte, len(w))
				p.ReadAt(got, int64(addr-p.Vaddr))
				if !bytes.Equal(got, w) {
					t.Errorf("at %#x the core has %q, want %q", addr, got, w)
				}
				found = true
			}
		}
		if !found {
			t.Errorf("no PT_LOAD with bytes holds %#x", addr)
		}
	}
}

// checkCoreGdb checks that gdb reads the core: the global, the stack's
// value in main's frame, and the leader's thread (skipped without gdb).
func checkCoreGdb(t *testing.T, core, bin string, pid int) {
	t.Helper()
	if _, err := exec.LookPath("gdb"); err != nil {
		t.Log("no gdb: the core is checked with readelf and debug/elf only")
		return
	}
	out, err := exec.Command("gdb", "-nx", "-batch", "-ex", "print global", "-ex", "info threads",
		"-ex", "frame function main", "-ex", "print/x onstack", bin, core).CombinedOutput()
	if err != nil {
		t.Fatalf("gdb: %v\n%s", err, out)
	}
	for _, w := range []string{`"eproc-core-global-7f3a91"`, "0x1122334455667788", "LWP " + strconv.Itoa(pid)} {
		if !bytes.Contains(out, []byte(w)) {
			t.Errorf("gdb does not show %s:\n%s", w, out)
		}
	}
	t.Logf("gdb:\n%s", out)
}

// exeBase is the start of bin's first mapping.
func exeBase(t *testing.T, maps []byte, bin string) uint64 {
	t.Helper()
	for _, l := range strings.Split(string(maps), "\n") {
		if strings.HasSuffix(l, " "+bin) {
			a, _, _ := strings.Cut(l, "-")
			n, _ := strconv.ParseUint(a, 16, 64)
			return n
		}
	}
	t.Fatalf("no mapping of %s", bin)
	return 0
}

// tracerOf is TracerPid of every thread, as a set.
func tracersOf(pid int) map[int]bool {
	tids, _ := coreTaskIDs(pid)
	m := map[int]bool{}
	for _, tid := range tids {
		m[tracerPid(tid)] = true
	}
	return m
}

func TestCoreFile(t *testing.T) {
	_, m := mount(t)
	bin := buildCoreProg(t)
	pid, stackAddr := startCoreProg(t, bin)
	dir := coreDir(t, 0)
	core := filepath.Join(dir, "core")
	ctl := filepath.Join(m, strconv.Itoa(pid), "ctl")
	if out, err := sh(t, `echo "core $C" > "$CTL"`, "C="+core, "CTL="+ctl); err != nil {
		t.Fatalf("echo core: %v %s", err, out)
	}
	var st syscall.Stat_t
	if err := syscall.Stat(core, &st); err != nil {
		t.Fatal(err)
	}
	if st.Mode&0o7777 != 0o600 || st.Uid != 0 || st.Gid != 0 {
		t.Errorf("core mode %o uid %d gid %d, want 0600 root's", st.Mode&0o7777, st.Uid, st.Gid)
	}
	// Let go: it runs again (asleep in pause), traced by no one.
	waitFor(t, "the process to sleep again", func() bool { return procState(pid) == "S" })
	if tr := tracersOf(pid); len(tr) != 1 || !tr[0] {
		t.Errorf("after core, tracers %v", tr)
	}
	checkCore(t, core, bin, pid, stackAddr)

	// A stopped process stays stopped.
	syscall.Kill(pid, syscall.SIGSTOP)
	waitFor(t, "the stop", func() bool { return procState(pid) == "T" })
	core2 := filepath.Join(dir, "core2")
	if err := writeFile(ctl, "core "+core2); err != nil {
		t.Fatalf("core of a stopped process: %v", err)
	}
	time.Sleep(100 * time.Millisecond)
	if s := procState(pid); s != "T" {
		t.Errorf("a stopped process is %s after core", s)
	}
	if tr := tracersOf(pid); len(tr) != 1 || !tr[0] {
		t.Errorf("after core, tracers %v", tr)
	}
	syscall.Kill(pid, syscall.SIGCONT)
	checkCore(t, core2, bin, pid, stackAddr)
}

// TestCoreFileUser: a writer without privileges dumps its own process;
// the core is its own.
func TestCoreFileUser(t *testing.T) {
	_, m := mount(t)
	if _, err := exec.LookPath("setpriv"); err != nil {
		t.Fatal("setpriv is not installed")
	}
	bin := buildCoreProg(t)
	as := []string{"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"}
	pid, stackAddr := startCoreProg(t, append(as, bin)...)
	dir := coreDir(t, 65534)
	core := filepath.Join(dir, "core")
	ctl := filepath.Join(m, strconv.Itoa(pid), "ctl")
	cmd := exec.Command(as[0], append(as[1:], "sh", "-c", `echo "core $C" > "$CTL"`)...)
	cmd.Env = append(os.Environ(), "C="+core, "CTL="+ctl)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("echo core as nobody: %v %s", err, out)
	}
	var st syscall.Stat_t
	if err := syscall.Stat(core, &st); err != nil {
		t.Fatal(err)
	}
	if st.Mode&0o7777 != 0o600 || st.Uid != 65534 || st.Gid != 65534 {
		t.Errorf("core mode %o uid %d gid %d, want 0600 nobody's", st.Mode&0o7777, st.Uid, st.Gid)
	}
	checkCore(t, core, bin, pid, stackAddr)
	// A directory it may not write: the kernel's EACCES, as the writer.
	rootDir := coreDir(t, 0)
	// (dash's echo says "I/O error" for any failed write: python's
	// errno is the one the view answered.)
	py := exec.Command(as[0], append(as[1:], "/usr/bin/python3", "-c", "import os,sys\ntry:\n  fd=os.open(sys.argv[1],os.O_WRONLY); os.write(fd,b'core '+sys.argv[2].encode()); print('written')\nexcept OSError as e: print('errno', e.errno)", ctl, filepath.Join(rootDir, "core"))...)
	if out, err := py.CombinedOutput(); err != nil || string(out) != fmt.Sprintf("errno %d\n", syscall.EACCES) {
		t.Errorf("core into root's directory as nobody: %v %s", err, out)
	}
	if ents, _ := os.ReadDir(rootDir); len(ents) != 0 {
		t.Errorf("%s holds %v", rootDir, ents)
	}
}

func TestCoreFileErrors(t *testing.T) {
	_, m, logs := mountObserved(t)
	bin := buildCoreProg(t)
	pid, _ := startCoreProg(t, bin)
	dir := coreDir(t, 0)
	ctl := filepath.Join(m, strconv.Itoa(pid), "ctl")
	exist := filepath.Join(dir, "exists")
	os.WriteFile(exist, []byte("keep"), 0o644)
	for _, c := range []struct {
		cmd  string
		want syscall.Errno
	}{
		{"core rel/core", syscall.EINVAL},
		{"core core", syscall.EINVAL},
		{"core", syscall.EINVAL},
		{"core " + exist, syscall.EEXIST},
		{"core " + filepath.Join(dir, "no/such/dir"), syscall.ENOENT},
	} {
		n := logs.Len()
		if err := writeFile(ctl, c.cmd); !errors.Is(err, c.want) {
			t.Errorf("%q: %v, want %v", c.cmd, err, c.want)
		}
		if logs.Len() == n {
			t.Errorf("%q: no log line", c.cmd)
		}
	}
	if b, _ := os.ReadFile(exist); string(b) != "keep" {
		t.Errorf("the existing file now holds %q", b)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("%s holds %v", dir, ents)
	}
	if s := procState(pid); s != "S" {
		t.Errorf("process state %s", s)
	}
	// A process gone: ESRCH, nothing written.
	f, err := os.OpenFile(ctl, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	syscall.Kill(pid, syscall.SIGKILL)
	waitFor(t, "its end", func() bool { return procState(pid) == "Z" || procState(pid) == "gone" })
	if _, err := f.WriteString("core " + filepath.Join(dir, "dead")); !errors.Is(err, syscall.ESRCH) {
		t.Errorf("core of a dead process: %v, want ESRCH", err)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("%s holds %v", dir, ents)
	}
}

// waitProg reads wait once (a read interrupted by SIGALRM after a
// second, the handler installed without SA_RESTART): it prints what it
// read or the read's error.
const waitProg = `#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
static void on_alarm(int s) { (void)s; }
int main(int argc, char **argv) {
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, 0);
	int fd = open(argv[1], O_RDONLY);
	if (fd < 0) { perror("open"); return 1; }
	alarm(1);
	char buf[256];
	ssize_t n = read(fd, buf, sizeof buf);
	if (n < 0) { printf("error %s\n", strerror(errno)); return 0; }
	printf("read %.*s\n", (int)n, buf);
	return 0;
}
`

var waitMsg = regexp.MustCompile(`^(\d+) (\d+) (\d+) (\d+) (.*)$`)

func TestWaitFile(t *testing.T) {
	_, m := mount(t)
	dir := t.TempDir()
	pids := filepath.Join(dir, "pids")
	// Three children, one at a time: exit 3, exit 0, killed.
	t.Setenv("P", pids) // startTracee's shell has the test's environment
	tr := startTracee(t, `sh -c 'exit 3' & echo $! >> "$P"; wait; `+
		`sh -c 'exit 0' & echo $! >> "$P"; wait; `+
		`sh -c 'kill -9 $$' & echo $! >> "$P"; wait; exec sleep 100`)
	path := filepath.Join(m, strconv.Itoa(tr.pid), "wait")
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	// Nothing yet: a non-blocking open reads EAGAIN.
	nb, err := syscall.Open(path, syscall.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { syscall.Close(nb) }) // before the unmount, which an open file would hold up
	if _, err := syscall.Read(nb, make([]byte, 256)); err != syscall.EAGAIN {
		t.Errorf("non-blocking read with no exit: %v, want EAGAIN", err)
	}
	tr.release(t)
	var msgs []string
	for i := 0; i < 3; i++ {
		buf := make([]byte, 256)
		n, err := f.Read(buf)
		if err != nil {
			t.Fatalf("read %d: %v", i, err)
		}
		msgs = append(msgs, string(buf[:n]))
	}
	// The shell writes a child's pid after starting it, and the third
	// kills itself at once: its end can be in the wait file before its
	// pid is in the pids file (beside a CPU hog, once in 5 make tests).
	var b []byte
	var cpids []string
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		b, _ = os.ReadFile(pids)
		if cpids = strings.Fields(string(b)); len(cpids) >= 3 || time.Now().After(deadline) {
			break
		}
	}
	if len(cpids) != 3 {
		t.Fatalf("children %q", b)
	}
	status := []string{"'sh " + cpids[0] + ": exit 3'", "''", "'sh " + cpids[2] + ": killed by SIGKILL'"}
	for i, msg := range msgs {
		w := waitMsg.FindStringSubmatch(msg)
		if w == nil || w[1] != cpids[i] || w[5] != status[i] {
			t.Errorf("message %d %q, want pid %s status %s", i, msg, cpids[i], status[i])
		}
		if w != nil {
			if real, _ := strconv.Atoi(w[4]); real > 10000 {
				t.Errorf("message %d: real %s ms", i, w[4])
			}
		}
	}
	t.Logf("wait messages: %q", msgs)
	// The non-blocking open got them too.
	buf := make([]byte, 256)
	if n, err := syscall.Read(nb, buf); err != nil || string(buf[:n]) != msgs[0] {
		t.Errorf("non-blocking read: %q %v, want %q", buf[:max(n, 0)], err, msgs[0])
	}

	// A real reader: a read that waits is interrupted (EINTR) by its
	// signal; a new open sees no exit from before it.
	rd := buildC(t, waitProg)
	start := time.Now()
	out, err := exec.Command(rd, path).CombinedOutput()
	if err != nil || string(out) != "error Interrupted system call\n" {
		t.Errorf("interrupted read: %v %q", err, out)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("the interrupted read took %v", d)
	}
}

// TestWaitFileCat: cat of wait shows the exit of a child started after
// the open, then its process's end ends it (ESRCH).
func TestWaitFileCat(t *testing.T) {
	_, m := mount(t)
	tr := startTracee(t, `sh -c 'exit 7' & wait; exit 0`)
	path := filepath.Join(m, strconv.Itoa(tr.pid), "wait")
	cat := exec.Command("cat", path)
	var out, errb bytes.Buffer
	cat.Stdout, cat.Stderr = &out, &errb
	if err := cat.Start(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "cat to open wait", func() bool {
		l, _ := os.Readlink(fmt.Sprintf("/proc/%d/fd/3", cat.Process.Pid))
		return l == path
	})
	tr.release(t)
	<-exited(tr) // reaped: no zombie's stat left to read
	done := make(chan error, 1)
	go func() { done <- cat.Wait() }()
	select {
	case err := <-done:
		// The tracee ended: cat's next read is ESRCH.
		if err == nil || !strings.Contains(errb.String(), "No such process") {
			t.Errorf("cat: %v %s", err, errb.String())
		}
	case <-time.After(20 * time.Second):
		cat.Process.Kill()
		t.Fatalf("cat did not end: %q", out.String())
	}
	if !regexp.MustCompile(`^\d+ \d+ \d+ \d+ 'sh \d+: exit 7'$`).MatchString(out.String()) {
		t.Errorf("cat wait: %q", out.String())
	}
}

// TestCoreFileAttached: a process under attach is dumped by its tracer
// while stopped (every thread held by it already), and stays stopped
// under attach; while it runs, core is EBUSY.
func TestCoreFileAttached(t *testing.T) {
	_, m := mount(t)
	bin := buildCoreProg(t)
	pid, stackAddr := startCoreProg(t, bin)
	dir := coreDir(t, 0)
	f := ctlOpen(t, filepath.Join(m, strconv.Itoa(pid)))
	defer f.Close()
	verb(t, f, "attach")
	verb(t, f, "wait")
	core := filepath.Join(dir, "core")
	verb(t, f, "core "+core)
	checkCore(t, core, bin, pid, stackAddr)
	if s := procState(pid); s != "t" {
		t.Errorf("after core under attach, state %s, want t", s)
	}
	tids, _ := coreTaskIDs(pid)
	if len(tids) < 2 {
		t.Fatalf("threads %v, want 2", tids)
	}
	for _, tid := range tids {
		// Every thread is held under attach (by the view's tracer, a
		// thread of this process), before the dump and after.
		if cr, err := readCreds(tracerPid(tid)); err != nil || cr.tgid != os.Getpid() {
			t.Errorf("thread %d: TracerPid %d, not a thread of the view (%v)", tid, tracerPid(tid), err)
		}
		if s := taskStat(t, pid, tid, 3); s != "t" {
			t.Errorf("thread %d: state %s under attach, want t", tid, s)
		}
	}
	readRegs(t, filepath.Join(m, strconv.Itoa(pid), "regs")) // still stopped under attach
	verb(t, f, "run")
	verbFails(t, f, "core "+filepath.Join(dir, "running"), syscall.EBUSY)
	verb(t, f, "detach")
	waitFor(t, "the process to sleep again", func() bool { return procState(pid) == "S" })
	for _, tid := range tids {
		if n := tracerPid(tid); n != 0 {
			t.Errorf("thread %d still traced by %d after detach", tid, n)
		}
	}
}
