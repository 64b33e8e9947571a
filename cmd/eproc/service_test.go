package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// capNumbers are the capabilities deploy/eproc.service may name, by number
// (linux/capability.h).
var capNumbers = map[string]uint{
	"CAP_DAC_OVERRIDE": 1, "CAP_DAC_READ_SEARCH": 2, "CAP_KILL": 5, "CAP_SETGID": 6, "CAP_SETUID": 7,
	"CAP_SYS_PTRACE": 19, "CAP_SYS_ADMIN": 21, "CAP_SYS_NICE": 23, "CAP_SYS_RESOURCE": 24,
	"CAP_PERFMON": 38, "CAP_BPF": 39,
}

// serviceUnit reads key=value settings of deploy/eproc.service (the last of
// each key).
func serviceUnit(t *testing.T) map[string]string {
	t.Helper()
	b, err := os.ReadFile("../../deploy/eproc.service")
	if err != nil {
		t.Fatal(err)
	}
	kv := map[string]string{}
	for _, l := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(l, "="); ok && !strings.HasPrefix(l, "#") {
			kv[k] = v
		}
	}
	return kv
}

// capEff is a process's effective capability set, from its status.
func capEff(t *testing.T, pid int) uint64 {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "CapEff:\t"); ok {
			n, err := strconv.ParseUint(v, 16, 64)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
	}
	t.Fatalf("no CapEff in /proc/%d/status", pid)
	return 0
}

// TestServiceCapabilities runs `eproc mount` as eproc.service does: root
// with only the unit's CapabilityBoundingSet (setpriv gives root the same
// sets systemd would), at the unit's Nice. Each capability's use is then
// exercised: the view comes up (BPF, PERFMON, SYS_ADMIN), a session traces
// a shell, a caller other than root reads through the view (SETUID,
// SETGID), root reads another user's environ and fd/ (SYS_PTRACE, DAC_*)
// and signals it through note (KILL); and the daemon logs no warning (a
// missing CAP_SYS_NICE for its -nice would be one).
func TestServiceCapabilities(t *testing.T) {
	needRoot(t)
	for _, tool := range []string{"setpriv", "nice"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is not installed (util-linux, coreutils)", tool)
		}
	}
	unit := serviceUnit(t)
	var want uint64
	bounding := "-all"
	for _, c := range strings.Fields(unit["CapabilityBoundingSet"]) {
		n, ok := capNumbers[c]
		if !ok {
			t.Fatalf("eproc.service names %s, which this test does not know", c)
		}
		want |= 1 << n
		bounding += ",+" + strings.ToLower(strings.TrimPrefix(c, "CAP_"))
	}
	dir := t.TempDir()
	// Reachable by the caller other than root (TempDir's are 0700).
	for _, p := range []string{filepath.Dir(dir), dir} {
		if err := os.Chmod(p, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	d := startMount(t, "nice", "-n", unit["Nice"], "setpriv", "--bounding-set", bounding, "--inh-caps=-all",
		builtEproc(t), "mount", "-q", dir)
	if got := capEff(t, d.cmd.Process.Pid); got != want {
		t.Fatalf("the daemon's effective capabilities are %#x, want the unit's %#x", got, want)
	}

	// A session, from a shell that traces itself.
	script := fmt.Sprintf(`echo straceall > %[1]s/$$/ctl; cat /dev/null; echo straceoff > %[1]s/$$/ctl; cat %[1]s/$$/strace`, dir)
	out, err := exec.Command("sh", "-c", script).CombinedOutput()
	if err != nil || !bytes.Contains(out, []byte(`openat(AT_FDCWD, "/dev/null", O_RDONLY`)) || !bytes.Contains(out, []byte("Traced ~")) {
		t.Errorf("a session under the unit's capabilities: %v\n%s", err, out)
	}

	// A caller other than root: the daemon takes its identity.
	asNobody := []string{"setpriv", "--reuid", "65534", "--regid", "65534", "--clear-groups"}
	out, err = exec.Command(asNobody[0], append(asNobody[1:], "cat", dir+"/self/status")...).CombinedOutput()
	if err != nil || !bytes.Contains(out, []byte("\nUid:\t65534\t65534\t65534\t65534\n")) {
		t.Errorf("nobody reading %s/self/status: %v\n%.300s", dir, err, out)
	}

	otherUser(t, dir)

	d.stop(t)
	for _, l := range strings.Split(d.stderr.String(), "\n") {
		if f := strings.Fields(l); len(f) > 1 && (f[1] == "warn" || f[1] == "error") {
			t.Errorf("the daemon logged: %s", l)
		}
	}
}

// otherUser checks that root, through the view at dir, reads another
// user's environ, exe link and fd/ as /proc shows them, and kills it
// through its note file.
func otherUser(t *testing.T, dir string) {
	t.Helper()
	asNobody := []string{"setpriv", "--reuid", "65534", "--regid", "65534", "--clear-groups"}
	victim := exec.Command(asNobody[0], append(asNobody[1:], "sleep", "60")...)
	if err := victim.Start(); err != nil {
		t.Fatal(err)
	}
	defer victim.Process.Kill()
	pid := victim.Process.Pid
	waitUid(t, pid, 65534)
	proc := fmt.Sprintf("/proc/%d", pid)
	view := filepath.Join(dir, strconv.Itoa(pid))
	direct, err := os.ReadFile(proc + "/environ")
	if err != nil {
		t.Fatal(err)
	}
	if got, err := os.ReadFile(view + "/environ"); err != nil || !bytes.Equal(got, direct) {
		t.Errorf("root reading nobody's environ through the view: %v (%d bytes, /proc has %d)", err, len(got), len(direct))
	}
	exe, err := os.Readlink(proc + "/exe")
	if err != nil {
		t.Fatal(err)
	}
	if got, err := os.Readlink(view + "/exe"); err != nil || got != exe {
		t.Errorf("root reading nobody's exe link through the view: %q, %v; want %q", got, err, exe)
	}
	if ents, err := os.ReadDir(view + "/fd"); err != nil || len(ents) == 0 {
		t.Errorf("root listing nobody's fd/ through the view: %v, %d entries", err, len(ents))
	}
	if err := os.WriteFile(view+"/note", []byte("kill"), 0); err != nil {
		t.Errorf("root writing kill to nobody's note: %v", err)
	}
	victim.Wait()
	if ws := victim.ProcessState.Sys().(syscall.WaitStatus); !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
		t.Errorf("nobody's sleep after note kill: %v, want killed by SIGKILL", victim.ProcessState)
	}

}

// waitUid waits for process pid's real uid to be uid (setpriv switches
// before it executes the command).
func waitUid(t *testing.T, pid, uid int) {
	t.Helper()
	want := fmt.Sprintf("\nUid:\t%d\t", uid)
	for range 500 {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
		if err == nil && strings.Contains(string(b), want) && !strings.Contains(string(b), "Name:\tsetpriv") {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("process %d never ran as uid %d", pid, uid)
}
