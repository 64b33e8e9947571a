//go:build amd64

package procview

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"go.uber.org/zap"
)

// FreeBSD's dbregs on amd64: a write watchpoint set through the file stops
// a real process with SIGTRAP when it writes the variable, and dr6 says
// which breakpoint hit.

// watchee prints the address of a variable, then writes it once a byte
// arrives on its stdin, and exits once a second one does.
const watchee = `#include <stdio.h>
#include <unistd.h>
volatile long watched;
int main(void) {
	char c;
	printf("%p\n", (void *)&watched);
	fflush(stdout);
	if (read(0, &c, 1) != 1) return 1;
	watched = 42;
	if (read(0, &c, 1) != 1) return 2;
	return 0;
}
`

// hwWatchProbe is the machine's own answer to whether a data breakpoint
// traps here, without eproc: a child under ptrace, its dr0 and dr7 set
// by its parent with PTRACE_POKEUSER as gdb's watch sets them, writes the
// variable; it prints "trap" if that stopped it with SIGTRAP, "none" if it
// ran to its end. Some hypervisors deliver no data breakpoint to a guest
// (gdb's watch never fires there either).
const hwWatchProbe = `#include <stddef.h>
#include <stdio.h>
#include <signal.h>
#include <unistd.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <sys/wait.h>
volatile long watched;
int main(void) {
	int st;
	pid_t p = fork();
	if (p == 0) {
		ptrace(PTRACE_TRACEME, 0, 0, 0);
		raise(SIGSTOP);
		watched = 42;
		_exit(0);
	}
	if (waitpid(p, &st, 0) != p || !WIFSTOPPED(st)) return 1;
	if (ptrace(PTRACE_POKEUSER, p, offsetof(struct user, u_debugreg[0]), &watched) ||
	    ptrace(PTRACE_POKEUSER, p, offsetof(struct user, u_debugreg[7]), 1 | 1 << 16 | 3 << 18)) return 2;
	ptrace(PTRACE_CONT, p, 0, 0);
	if (waitpid(p, &st, 0) != p) return 3;
	puts(WIFSTOPPED(st) && WSTOPSIG(st) == SIGTRAP ? "trap" : "none");
	kill(p, SIGKILL);
	return 0;
}
`

// hwWatchTraps runs hwWatchProbe.
func hwWatchTraps(t *testing.T) bool {
	t.Helper()
	out, err := exec.Command(buildC(t, hwWatchProbe)).Output()
	if err != nil {
		t.Fatalf("the watchpoint probe: %v", err)
	}
	return strings.TrimSpace(string(out)) == "trap"
}

// dr7Write8 enables breakpoint 0 (L0) for writes (RW0 01) of 8 bytes
// (LEN0 11).
const dr7Write8 = 1 | 1<<16 | 3<<18

// startWatchee runs watchee: the process, its stdin, and the variable's
// address. Nothing waits for it until the test ends: the test's process is
// its parent and the view at once, and a wait would take the stops ptrace
// reports to the view's tracer.
func startWatchee(t *testing.T) (*exec.Cmd, io.Writer, uint64) {
	t.Helper()
	bin := buildC(t, watchee)
	cmd := exec.Command(bin)
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	addr, err := strconv.ParseUint(strings.TrimSpace(line), 0, 64)
	if err != nil {
		t.Fatalf("address %q: %v", line, err)
	}
	pid := cmd.Process.Pid
	waitFor(t, "the watchee to block in read", func() bool { return procState(pid) == "S" })
	return cmd, stdin, addr
}

func TestDbregsWatchpoint(t *testing.T) {
	_, m, logs := mountObserved(t)
	cmd, stdin, addr := startWatchee(t)
	pid := cmd.Process.Pid
	pdir := filepath.Join(m, strconv.Itoa(pid))
	db := filepath.Join(pdir, "dbregs")
	if _, err := os.ReadFile(db); !errors.Is(err, syscall.EBUSY) {
		t.Fatalf("dbregs of a process not under attach: %v, want EBUSY", err)
	}
	ctl := ctlOpen(t, pdir)
	defer ctl.Close()
	verb(t, ctl, "attach")
	waitFor(t, "attach's stop", func() bool { return procState(pid) == "t" })
	verb(t, ctl, "wait")
	r := readRegs(t, db)
	if len(r) != 6 {
		t.Errorf("dbregs has %d registers, want 6: %v", len(r), r)
	}
	for _, n := range []string{"dr0", "dr1", "dr2", "dr3", "dr6", "dr7"} {
		if len(r[n]) != 18 {
			t.Errorf("dbregs %s = %q: not a 64-bit value", n, r[n])
		}
	}
	if regValue(t, r, "dr7") != 0 || regValue(t, r, "dr6")&0xf != 0 {
		t.Errorf("dbregs before any breakpoint: dr6 %s dr7 %s", r["dr6"], r["dr7"])
	}
	checkDbregsRefused(t, pdir, addr, r)
	// The watchpoint: dr0 the variable's address, dr7 enabling writes.
	if err := writeFile(db, fmt.Sprintf("dr0 %#x\ndr7 %#x\n", addr, dr7Write8)); err != nil {
		t.Fatalf("write dbregs: %v", err)
	}
	r = readRegs(t, db)
	if regValue(t, r, "dr0") != addr || regValue(t, r, "dr7") != dr7Write8 {
		t.Fatalf("after writing dr0 %#x dr7 %#x: %v", addr, dr7Write8, r)
	}
	traps := func() int {
		return logs.FilterMessage("stopped").FilterField(zap.String("signal", "SIGTRAP")).FilterField(zap.Int("event", 0)).Len()
	}
	if n := traps(); n != 0 {
		t.Fatalf("%d SIGTRAP stops before run", n)
	}
	trapsHere := hwWatchTraps(t)
	verb(t, ctl, "run")
	if _, err := stdin.Write([]byte("x")); err != nil {
		t.Fatal(err)
	}
	if trapsHere {
		watchTrapped(t, ctl, pid, db, addr, traps)
	} else {
		watchUntrapped(t, ctl, pid, db, addr, traps)
	}
	// Cleared, then let go: it runs to its end.
	if err := writeFile(db, "dr7 0\ndr6 0\ndr0 0"); err != nil {
		t.Fatalf("clear dbregs: %v", err)
	}
	if r := readRegs(t, db); regValue(t, r, "dr0") != 0 || regValue(t, r, "dr6") != 0 || regValue(t, r, "dr7") != 0 {
		t.Errorf("after clearing: %v", r)
	}
	verb(t, ctl, "detach")
	if _, err := os.ReadFile(db); !errors.Is(err, syscall.EBUSY) {
		t.Errorf("dbregs after detach: %v, want EBUSY", err)
	}
	if !trapsHere {
		// Let go with the SIGSTOP it was stopped by: stopped still.
		waitFor(t, "the stop it was let go with", func() bool { return procState(pid) == "T" })
		syscall.Kill(pid, syscall.SIGCONT)
	}
	stdin.Write([]byte("y"))
	waitFor(t, "the watchee's end", func() bool { return procState(pid) == "Z" })
	var ws syscall.WaitStatus
	if _, err := syscall.Wait4(pid, &ws, syscall.WNOHANG, nil); err != nil || !ws.Exited() || ws.ExitStatus() != 0 {
		t.Errorf("the watchee ended with %v (%v), want exit 0", ws, err)
	}
}

// checkDbregsRefused writes what Linux or the file refuses: EINVAL, and
// dbregs keeps r; another process may read it, not write it.
func checkDbregsRefused(t *testing.T, pdir string, addr uint64, r map[string]string) {
	t.Helper()
	db := filepath.Join(pdir, "dbregs")
	// Refused: nothing changes (dr1, written before the bad dr7, gets its
	// old value back).
	for _, bad := range []string{
		"dr0 0xffffffff81000000",  // the kernel's half
		"dr1 0x1000\ndr7 0x20001", // RW0 10: an I/O breakpoint
		"dr4 0", "dr0", "dr0 0x1ffffffffffffffff", "rax 1",
		fmt.Sprintf("dr0 %#x\ndr7 %#x", addr+1, dr7Write8), // 8 bytes, misaligned
	} {
		if err := writeFile(db, bad); !errors.Is(err, syscall.EINVAL) {
			t.Errorf("dbregs %q: %v, want EINVAL", bad, err)
		}
	}
	if r2 := readRegs(t, db); fmt.Sprint(r2) != fmt.Sprint(r) {
		t.Errorf("refused writes changed dbregs:\n%v\nwas\n%v", r2, r)
	}
	if out := other(t, pdir, `$W $P/dbregs "dr0 0x1000"`); out != "Device or resource busy\n" {
		t.Errorf("another process writing dbregs: %q, want EBUSY", out)
	}
	if out := other(t, pdir, `grep '^dr7 ' $P/dbregs`); out != "dr7 0x0000000000000000\n" {
		t.Errorf("another process reading dbregs: %q", out)
	}
}

// memWord reads the word at addr in the process's memory.
func memWord(t *testing.T, pid int, addr uint64) uint64 {
	t.Helper()
	b := make([]byte, 8)
	mem, err := os.Open(fmt.Sprintf("/proc/%d/mem", pid))
	if err != nil {
		t.Fatal(err)
	}
	defer mem.Close()
	if _, err := mem.ReadAt(b, int64(addr)); err != nil {
		t.Fatal(err)
	}
	return binary.LittleEndian.Uint64(b)
}

// watchTrapped: the write stopped the process with SIGTRAP, dr6 says
// breakpoint 0 hit, and the variable is written (a data breakpoint traps
// after the write).
func watchTrapped(t *testing.T, ctl *os.File, pid int, db string, addr uint64, traps func() int) {
	t.Helper()
	// Polled first: a wait that never returned would hang the test.
	waitFor(t, "the watchpoint's stop", func() bool { return procState(pid) == "t" })
	verb(t, ctl, "wait")
	if n := traps(); n != 1 {
		t.Errorf("%d SIGTRAP stops, want 1", n)
	}
	r := readRegs(t, db)
	if dr6 := regValue(t, r, "dr6"); dr6&0xf != 1 {
		t.Errorf("dr6 %#x: want B0 (breakpoint 0 hit) alone", dr6)
	}
	if v := memWord(t, pid, addr); v != 42 {
		t.Errorf("the variable at the trap: %d, want 42", v)
	}
}

// watchUntrapped: on a machine whose CPU delivers no data breakpoint (the
// probe's, set without eproc, did not trap), the write goes through
// unstopped. What eproc does is checked still: the process runs on with
// the registers it set, and a stop (SIGSTOP) brings it back under the
// tracer with them.
func watchUntrapped(t *testing.T, ctl *os.File, pid int, db string, addr uint64, traps func() int) {
	t.Helper()
	t.Log("this machine delivers no data breakpoint (hwWatchProbe, without eproc): the trap itself is not checked")
	waitFor(t, "the write, unstopped", func() bool { return memWord(t, pid, addr) == 42 && procState(pid) == "S" })
	verb(t, ctl, "SIGSTOP")
	waitFor(t, "the stop", func() bool { return procState(pid) == "t" })
	verb(t, ctl, "wait")
	if n := traps(); n != 0 {
		t.Errorf("%d SIGTRAP stops, want none", n)
	}
	if r := readRegs(t, db); regValue(t, r, "dr0") != addr || regValue(t, r, "dr7") != dr7Write8 {
		t.Errorf("after the run: %v, want dr0 %#x dr7 %#x", r, addr, dr7Write8)
	}
}
