package procview

import (
	"bytes"
	"context"
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

	"go.uber.org/zap/zaptest/observer"
)

// Reliability, bad input: garbage written to the control files is refused
// and changes nothing. Like every reliability test (issue 6), each is
// bounded in time.

// TestBadInput writes garbage to ctl, note and notepg: EINVAL (ESRCH for a
// dead process), a log line each, nothing changed, the daemon alive.
func TestBadInput(t *testing.T) {
	v, m, logs := mountObserved(t)
	sleeper := exec.Command("sleep", "300")
	sleeper.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := sleeper.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { sleeper.Process.Kill(); sleeper.Wait() }()
	pid := sleeper.Process.Pid
	waitFor(t, "sleep to sleep", func() bool { return procState(pid) == "S" })
	pdir := filepath.Join(m, strconv.Itoa(pid))
	writeGarbage(t, pdir, logs, badCommands())
	if st := procState(pid); st != "S" {
		t.Errorf("sleeper's state %s after bad commands", st)
	}
	if engine(t).TracedBy(pid) != nil || len(engine(t).Sessions()) != 0 {
		t.Errorf("a bad command started a session")
	}
	// Commands for a dead process, through files opened while it lived.
	deadProcessCommands(t, m)
	// straceoff for an untraced process: refused, nothing changes.
	if err := writeFile(filepath.Join(pdir, "ctl"), "straceoff"); !errors.Is(err, syscall.EINVAL) {
		t.Errorf("straceoff untraced: %v", err)
	}
	// Overlong writes to strace (a line inserted into the stream).
	overlongStraceWrites(t, pdir)
	// The daemon may not trace itself (as ptrace refuses a process
	// itself): each line it served would make more.
	self := filepath.Join(m, strconv.Itoa(os.Getpid()), "ctl")
	for _, cmd := range []string{"straceme", "straceall"} {
		if err := writeFile(self, cmd); !errors.Is(err, syscall.EPERM) {
			t.Errorf("%s on the daemon itself: %v, want EPERM", cmd, err)
		}
	}
	// The daemon is alive and well.
	if st := procState(pid); st != "S" {
		t.Errorf("sleeper's state %s at the end", st)
	}
	if _, err := os.ReadFile(filepath.Join(pdir, "status")); err != nil {
		t.Errorf("view after bad input: %v", err)
	}
	_ = v
	_ = context.Background
}

// badCommands is TestBadInput's garbage: malformed commands, and random
// bytes that are surely no command.
func badCommands() []string {
	rnd := make([]byte, 4096)
	f, _ := os.Open("/dev/urandom")
	io.ReadFull(f, rnd)
	f.Close()
	bad := []string{
		"", "\n", "\x00", "straceme\x00", "\x00straceme", "kill\x00", "hup\x00",
		"straceme extra", "straceme\nstraceall", "kill now", "stop stop", "start 1", "straceoff x",
		"STRACEME", " straceme extra ", "kill\r", "kill\x7f",
		strings.Repeat("straceme ", 30), strings.Repeat("k", 1<<16), strings.Repeat("x", 4095) + "\n",
		"hup hup", "sig", "SIGNOPE", "0", "65", "-1", "9999999999999999999999", "1e3", "0x9",
	}
	word := regexp.MustCompile(`^[A-Za-z0-9+-]*\s*[A-Za-z0-9+-]*\n?$`)
	for i := 0; i < 64; i++ {
		if r := rnd[i*64 : i*64+1+i]; !word.Match(r) { // random, and surely no command
			bad = append(bad, string(r))
		}
	}
	return bad
}

// procState is pid's state letter from /proc, or "gone".
func procState(pid int) string {
	b, _ := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return "gone"
	}
	return string(b[i+2 : i+3])
}

// writeGarbage writes each of bad to ctl, note and notepg in pdir: each
// is refused with EINVAL and a log line.
func writeGarbage(t *testing.T, pdir string, logs *observer.ObservedLogs, bad []string) {
	for _, file := range []string{"ctl", "note", "notepg"} {
		for _, msg := range bad {
			if file != "ctl" && (msg == "straceme" || msg == "kill") {
				continue
			}
			n0 := logs.FilterMessage("refused").Len()
			fh, err := os.OpenFile(filepath.Join(pdir, file), os.O_WRONLY, 0)
			if err != nil {
				t.Fatal(err)
			}
			_, err = fh.Write([]byte(msg))
			fh.Close()
			if len(msg) == 0 {
				// A write of nothing never reaches the file system.
				continue
			}
			if !errors.Is(err, syscall.EINVAL) {
				t.Errorf("%s %q: %v, want EINVAL", file, clipS(msg), err)
			}
			if logs.FilterMessage("refused").Len() != n0+1 {
				t.Errorf("%s %q: no log line", file, clipS(msg))
			}
		}
	}
}

// deadProcessCommands opens a process's ctl, note and notepg, kills it
// and writes commands through them: ESRCH, and no session. The files stay
// open until the test ends.
func deadProcessCommands(t *testing.T, m string) {
	victim := exec.Command("sleep", "300")
	victim.Start()
	vdir := filepath.Join(m, strconv.Itoa(victim.Process.Pid))
	var fhs []*os.File
	for _, file := range []string{"ctl", "note", "notepg"} {
		fh, err := os.OpenFile(filepath.Join(vdir, file), os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { fh.Close() })
		fhs = append(fhs, fh)
	}
	victim.Process.Kill()
	victim.Wait()
	for i, msg := range []string{"straceall", "hup", "term"} {
		if _, err := fhs[i].Write([]byte(msg)); !errors.Is(err, syscall.ESRCH) {
			t.Errorf("%s to a dead process: %v, want ESRCH", msg, err)
		}
	}
	for _, cmd := range []string{"straceme", "kill", "stop"} {
		if _, err := fhs[0].Write([]byte(cmd)); !errors.Is(err, syscall.ESRCH) {
			t.Errorf("%s to a dead process: %v, want ESRCH", cmd, err)
		}
	}
	if len(engine(t).Sessions()) != 0 {
		t.Errorf("a command for a dead process started a session")
	}
}

// overlongStraceWrites traces the process of pdir and writes lines too
// long or with a NUL to its strace file: EINVAL.
func overlongStraceWrites(t *testing.T, pdir string) {
	if err := writeFile(filepath.Join(pdir, "ctl"), "straceme"); err != nil {
		t.Fatal(err)
	}
	sf, err := os.OpenFile(filepath.Join(pdir, "strace"), os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, msg := range []string{strings.Repeat("y", 5000), "a\x00b"} {
		if _, err := sf.Write([]byte(msg)); !errors.Is(err, syscall.EINVAL) {
			t.Errorf("strace write %q: %v, want EINVAL", clipS(msg), err)
		}
	}
	sf.Close()
	if err := writeFile(filepath.Join(pdir, "ctl"), "straceoff"); err != nil {
		t.Fatal(err)
	}
}

func clipS(s string) string {
	if len(s) > 40 {
		return s[:40] + "..."
	}
	return s
}
