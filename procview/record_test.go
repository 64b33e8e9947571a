package procview

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"go.uber.org/zap/zaptest"
)

// mountWith mounts a view with opt (its Log set here).
func mountWith(t *testing.T, opt Options) (*View, string) {
	t.Helper()
	needRoot(t)
	dir := mountDir(t)
	opt.Log = zaptest.NewLogger(t)
	v, err := Mount(dir, engine(t), opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := v.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return v, dir
}

// deadEntry waits for the dead record of pid and returns its directory.
func waitDead(t *testing.T, m string, pid int) string {
	t.Helper()
	var dir string
	waitFor(t, "the dead record", func() bool {
		ents, _ := os.ReadDir(filepath.Join(m, "dead"))
		for _, e := range ents {
			if strings.HasPrefix(e.Name(), strconv.Itoa(pid)+"-") {
				dir = filepath.Join(m, "dead", e.Name())
				return true
			}
		}
		return false
	})
	return dir
}

// inOrder reports whether each pattern matches a line after the previous
// one's.
func inOrder(text string, pats ...string) bool {
	lines := strings.Split(text, "\n")
	i := 0
	for _, p := range pats {
		re := regexp.MustCompile(p)
		for i < len(lines) && !re.MatchString(lines[i]) {
			i++
		}
		if i == len(lines) {
			return false
		}
		i++
	}
	return true
}

// A recorded process that crashes leaves its last calls, in order, in
// dead/PID-START/strace, and how it died in status, for those who could
// read its strace file: not for another user.
func TestRecordCrash(t *testing.T) {
	_, m := mount(t)
	tr := startTracee(t, `exec 3</etc/hostname; kill -0 $$; kill -SEGV $$`)
	if err := writeFile(filepath.Join(m, strconv.Itoa(tr.pid), "ctl"), "record"); err != nil {
		t.Fatal(err)
	}
	tr.release(t)
	dir := waitDead(t, m, tr.pid)
	text, err := exec.Command("cat", filepath.Join(dir, "strace")).Output()
	if err != nil {
		t.Fatal(err)
	}
	p := strconv.Itoa(tr.pid)
	if !inOrder(string(text),
		`^`+p+` +\d\d:\d\d:\d\d\.\d{6} openat\(AT_FDCWD, "/etc/hostname", O_RDONLY\) = 3$`,
		`^`+p+` .* kill\(`+p+`, 0\) += 0$`,
		`^`+p+` .* kill\(`+p+`, SIGSEGV\) += 0$`,
		`^`+p+` .* --- SIGSEGV \{si_signo=SIGSEGV, si_code=SI_USER, si_pid=`+p+`, si_uid=0\} ---$`,
		`^`+p+` .* \+\+\+ killed by SIGSEGV( \(core dumped\))? \+\+\+$`,
		`^Traced ~\d+ syscs, Dropped 0$`) {
		t.Errorf("dead record lacks the crash's calls in order:\n%s", tail(string(text)))
	}
	if strings.Contains(string(text), "overwritten") {
		t.Errorf("a 256 KiB recorder overwrote a short script's calls:\n%s", tail(string(text)))
	}
	status, err := os.ReadFile(filepath.Join(dir, "status"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"State:\tX (dead)\n", "\nExit:\tkilled by SIGSEGV", "\nOverwritten:\t0 calls", "\nPid:\t" + p + "\n"} {
		if !strings.Contains(string(status), want) {
			t.Errorf("status lacks %q:\n%s", want, status)
		}
	}
	// Another user may not read it (the process was root's).
	out, err := exec.Command("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all",
		"cat", filepath.Join(dir, "strace")).CombinedOutput()
	if err == nil || !strings.Contains(string(out), "Permission denied") {
		t.Errorf("nobody read the dead record: %v %s", err, out)
	}
}

// A recorder too small for what the processes did keeps their last calls
// and says how many it overwrote, first in each dead record and in status;
// each process of the tree has its own record.
func TestRecordOverwrites(t *testing.T) {
	_, m := mountWith(t, Options{RecordSize: 16 << 10})
	tr := startTracee(t, `dd if=/dev/zero of=/dev/null bs=1 count=3000 2>/dev/null; exit 3`)
	if err := writeFile(filepath.Join(m, strconv.Itoa(tr.pid), "ctl"), "recordall"); err != nil {
		t.Fatal(err)
	}
	tr.release(t)
	dir := waitDead(t, m, tr.pid)
	ents, err := os.ReadDir(filepath.Join(m, "dead"))
	if err != nil {
		t.Fatal(err)
	}
	var ddDir string
	for _, e := range ents {
		d := filepath.Join(m, "dead", e.Name())
		if b, _ := os.ReadFile(filepath.Join(d, "status")); strings.Contains(string(b), "Name:\tdd\n") {
			ddDir = d
		}
	}
	if ddDir == "" {
		t.Fatalf("no dead record of dd among %v", ents)
	}
	over := regexp.MustCompile(`^--- overwritten (\d+) calls and \d+ other records of the session's processes: the recorder keeps the last 16 KiB ---\n`)
	p := strconv.Itoa(tr.pid)
	for _, c := range []struct{ dir, last, exit string }{
		{ddDir, `^\d+ .* exit_group\(0\) += \?$`, "Exit:\texited with 0"},
		{dir, `^` + p + ` .* \+\+\+ exited with 3 \+\+\+$`, "Exit:\texited with 3"},
	} {
		text, err := os.ReadFile(filepath.Join(c.dir, "strace"))
		if err != nil {
			t.Fatal(err)
		}
		m := over.FindSubmatch(text)
		if m == nil {
			t.Fatalf("%s: first line is not the overwritten count:\n%s", c.dir, tail(string(text)))
		}
		if n, _ := strconv.Atoi(string(m[1])); n < 5000 {
			t.Errorf("%d calls overwritten, want most of dd's ~6000", n)
		}
		if !inOrder(string(text), c.last) || strings.Contains(string(text), "execve(") {
			t.Errorf("%s: want its last calls only:\n%s", c.dir, tail(string(text)))
		}
		status, _ := os.ReadFile(filepath.Join(c.dir, "status"))
		if !regexp.MustCompile(`\nOverwritten:\t`+string(m[1])+` calls`).Match(status) || !strings.Contains(string(status), c.exit) {
			t.Errorf("%s: status:\n%s", c.dir, status)
		}
	}
}

// Reading a recorded process's strace shows what it recorded, then goes on
// live; record on a traced process is EBUSY, recordoff on one that is not
// recorded EINVAL.
func TestRecordThenLive(t *testing.T) {
	_, m := mount(t)
	// A second fifo for the second wait: the first's writer may still
	// have it open when the shell opens it again, which would not wait.
	second := filepath.Join(t.TempDir(), "second")
	if err := syscall.Mkfifo(second, 0o666); err != nil {
		t.Fatal(err)
	}
	tr := startTracee(t, `kill -0 $$; read x < `+second+`; kill -0 $$; kill -0 $$`)
	pdir := filepath.Join(m, strconv.Itoa(tr.pid))
	if err := writeFile(filepath.Join(pdir, "ctl"), "recordoff"); err == nil || !strings.Contains(err.Error(), "invalid argument") {
		t.Errorf("recordoff of a process not recorded: %v, want EINVAL", err)
	}
	if err := writeFile(filepath.Join(pdir, "ctl"), "record"); err != nil {
		t.Fatal(err)
	}
	for _, verb := range []string{"record", "straceme"} {
		if err := writeFile(filepath.Join(pdir, "ctl"), verb); err == nil || !strings.Contains(err.Error(), "busy") {
			t.Errorf("%s of a recorded process: %v, want EBUSY", verb, err)
		}
	}
	tr.release(t)
	waitFor(t, "the first kill", func() bool {
		b, _ := os.ReadFile("/proc/" + strconv.Itoa(tr.pid) + "/wchan")
		return string(b) == "wait_for_partner"
	})
	f, err := os.Open(filepath.Join(pdir, "strace"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	done := make(chan string)
	go func() { s, _ := readAll(f, 1<<16, 0, nil); done <- s }()
	(&tracee{fifo: second}).release(t)
	text := <-done
	p := strconv.Itoa(tr.pid)
	if !inOrder(text, `kill\(`+p+`, 0\)`, `openat\(AT_FDCWD, "/`, `kill\(`+p+`, 0\)`, `kill\(`+p+`, 0\)`, `\+\+\+ exited with 0 \+\+\+`, `^Traced ~`) {
		t.Errorf("want the recorded kill, then the live ones:\n%s", text)
	}
	if c := strings.Count(text, "kill("+p+", 0)"); c != 3 {
		t.Errorf("%d kills, want 3", c)
	}
}

// A cgroup's recorder (recordcgroup, eproc mount -record-cgroup): every
// process that enters the cgroup is recorded, and each one that ends leaves
// its own record of its last calls in dead/; a process outside is not.
func TestRecordCgroup(t *testing.T) {
	v, m := mount(t)
	cg := testCgroup(t)
	if err := v.RecordCgroup(cg); err != nil {
		t.Fatal(err)
	}
	if err := v.RecordCgroup(cg); err == nil || !strings.Contains(err.Error(), "busy") {
		t.Errorf("a second recorder rooted at the daemon: %v, want EBUSY", err)
	}
	// A worker that joins the cgroup, then crashes after known calls; a
	// process outside it makes the same calls.
	inside := exec.Command("sh", "-c", `echo $$ > "$CG/cgroup.procs"; exec 3</etc/hostname; kill -0 $$; kill -SEGV $$`)
	inside.Env = append(os.Environ(), "CG="+cg)
	outside := exec.Command("sh", "-c", `exec 3</etc/hostname; kill -0 $$; exit 4`)
	if err := outside.Run(); err == nil {
		t.Fatal("the outside shell exited 0")
	}
	if err := inside.Run(); err == nil {
		t.Fatal("the worker did not die")
	}
	dir := waitDead(t, m, inside.Process.Pid)
	text, err := os.ReadFile(filepath.Join(dir, "strace"))
	if err != nil {
		t.Fatal(err)
	}
	p := strconv.Itoa(inside.Process.Pid)
	if !inOrder(string(text), `^`+p+` .* openat\(AT_FDCWD, "/etc/hostname", O_RDONLY\) = 3$`, `^`+p+` .* kill\(`+p+`, SIGSEGV\) += 0$`,
		`^`+p+` .* \+\+\+ killed by SIGSEGV`) {
		t.Errorf("the worker's record lacks its last calls:\n%s", tail(string(text)))
	}
	status, _ := os.ReadFile(filepath.Join(dir, "status"))
	if !strings.Contains(string(status), "Exit:\tkilled by SIGSEGV") {
		t.Errorf("status:\n%s", status)
	}
	ents, _ := os.ReadDir(filepath.Join(m, "dead"))
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), strconv.Itoa(outside.Process.Pid)+"-") {
			t.Errorf("a process outside the cgroup was recorded: %s", e.Name())
		}
	}
}
