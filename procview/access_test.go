package procview

import (
	"bufio"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// The access matrix: callers root, the target's owner and a stranger
// (setpriv), targets a normal process of the owner, a setuid-root program
// the owner runs, a non-dumpable process of the owner, and root's own
// process. For every entry of the process directory, each caller's result
// through the view is compared with the same caller's result on the real
// /proc: the view must refuse exactly where /proc refuses, and where both
// answer, answer the same. Plan 9's files (strace, ctl, note, notepg)
// follow the ptrace-attach rule, which the kernel itself applies to
// opening /proc/PID/mem: they open exactly when mem does.

const (
	ownerUID    = 4321
	strangerUID = 65534
)

// accessHelperEnv makes the test binary act as the probe: it runs the
// operations listed on stdin ("kind path" lines) and prints one result a
// line.
const accessHelperEnv = "EPROC_ACCESS_PROBE"

func TestMain(m *testing.M) {
	if os.Getenv(accessHelperEnv) == "1" {
		probe(os.Stdin, os.Stdout)
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// probe runs each operation and prints "ok <digest>" or the errno's name.
func probe(in io.Reader, out io.Writer) {
	sc := bufio.NewScanner(in)
	for sc.Scan() {
		kind, path, _ := strings.Cut(sc.Text(), " ")
		fmt.Fprintln(out, probeOne(kind, path))
	}
}

func errName(err error) string {
	var e syscall.Errno
	if errors.As(err, &e) {
		return unix.ErrnoName(e)
	}
	return "ERR " + err.Error()
}

func digest(b []byte) string {
	return fmt.Sprintf("ok %x", sha256.Sum256(b))[:19]
}

func probeOne(kind, path string) string {
	switch kind {
	case "dir":
		f, err := os.Open(path)
		if err != nil {
			return errName(err)
		}
		defer f.Close()
		names, err := f.Readdirnames(-1)
		if err != nil {
			return errName(err)
		}
		sort.Strings(names)
		return digest([]byte(strings.Join(names, "/")))
	case "link":
		l, err := os.Readlink(path)
		if err != nil {
			return errName(err)
		}
		return digest([]byte(l))
	case "wopen":
		f, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			return errName(err)
		}
		f.Close()
		return "ok"
	case "open":
		f, err := os.Open(path)
		if err != nil {
			return errName(err)
		}
		f.Close()
		return "ok"
	default: // read
		f, err := os.Open(path)
		if err != nil {
			return errName(err)
		}
		defer f.Close()
		b := make([]byte, 1<<16)
		n, err := f.Read(b)
		if err != nil && err != io.EOF {
			return "open-ok read " + errName(err)
		}
		return digest(b[:n])
	}
}

// runProbe runs the probe as uid (0: root, unchanged) over ops.
func runProbe(t *testing.T, bin string, uid int, ops []string) []string {
	t.Helper()
	var cmd *exec.Cmd
	if uid == 0 {
		cmd = exec.Command(bin)
	} else {
		u := strconv.Itoa(uid)
		cmd = exec.Command("setpriv", "--reuid="+u, "--regid="+u, "--clear-groups", "--inh-caps=-all", bin)
	}
	cmd.Dir = "/"
	cmd.Env = []string{accessHelperEnv + "=1", "PATH=/usr/bin:/bin"}
	cmd.Stdin = strings.NewReader(strings.Join(ops, "\n") + "\n")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("probe as %d: %v", uid, err)
	}
	res := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if len(res) != len(ops) {
		t.Fatalf("probe as %d: %d results for %d operations", uid, len(res), len(ops))
	}
	return res
}

// copyExe copies the file at src to dir/name with mode.
func copyExe(t *testing.T, src, dst string, mode os.FileMode) {
	t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, b, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dst, mode); err != nil {
		t.Fatal(err)
	}
}

const nondumpC = `#include <sys/prctl.h>
#include <unistd.h>
int main(void) { prctl(PR_SET_DUMPABLE, 0); for (;;) pause(); }
`

// volatile entries change between two reads of an idle process: only
// their access is compared.
var volatile = map[string]bool{
	"sched": true, "schedstat": true, "io": true, "stat": true, "status": true, "statm": true,
	"net": true, "smaps": true, "smaps_rollup": true, "mountstats": true, "timerslack_ns": true,
	"ksm_stat": true, "ksm_merging_pages": true, "arch_status": true, "wchan": true, "syscall": true, "stack": true, "pagemap": true, "clear_refs": true, "numa_maps": true,
}

func TestAccessMatrix(t *testing.T) {
	_, m := mount(t)
	if testing.Short() {
		t.Skip("short")
	}
	for _, tool := range []string{"setpriv", "cc"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is not installed", tool)
		}
	}
	// A place where setuid works (/tmp may be mounted nosuid).
	dir := suidDir(t)
	os.Chmod(dir, 0o755)
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "probe")
	copyExe(t, self, bin, 0o755)
	sleepPath, _ := exec.LookPath("sleep")
	suid := filepath.Join(dir, "suid-sleep")
	copyExe(t, sleepPath, suid, os.ModeSetuid|0o755)
	nd := buildC(t, nondumpC)
	targets := startAccessTargets(t, suid, nd)
	// Let them reach their steady state (exec done, dumpable cleared).
	time.Sleep(300 * time.Millisecond)
	for _, tg := range targets {
		checkAccessTarget(t, m, bin, tg.name, tg.cmd.Process.Pid)
	}
}

// suidDir makes a directory for the probe and the setuid target on a file
// system without nosuid, removed when the test ends.
func suidDir(t *testing.T) string {
	var dir string
	for _, base := range []string{os.TempDir(), "/var/tmp"} {
		var sfs unix.Statfs_t
		if unix.Statfs(base, &sfs) == nil && sfs.Flags&unix.ST_NOSUID == 0 {
			if d, err := os.MkdirTemp(base, "eproc-access-"); err == nil {
				dir = d
				t.Cleanup(func() { os.RemoveAll(d) })
				break
			}
		}
	}
	if dir == "" {
		t.Fatal("no file system without nosuid for the setuid target")
	}
	return dir
}

// accessTarget is a process of the matrix, killed when the test ends.
type accessTarget struct {
	name string
	cmd  *exec.Cmd
}

// startAccessTargets starts the matrix's targets: the owner's normal,
// setuid-root (suid) and non-dumpable (nd) processes, and root's.
func startAccessTargets(t *testing.T, suid, nd string) []accessTarget {
	asOwner := func(args ...string) *exec.Cmd {
		u := strconv.Itoa(ownerUID)
		return exec.Command("setpriv", append([]string{"--reuid=" + u, "--regid=" + u, "--clear-groups", "--inh-caps=-all"}, args...)...)
	}
	targets := []accessTarget{
		{"owner's", asOwner("sleep", "300")},
		{"owner's setuid-root", asOwner(suid, "300")},
		{"owner's non-dumpable", asOwner(nd)},
		{"root's", exec.Command("sleep", "300")},
	}
	for _, tg := range targets {
		if err := tg.cmd.Start(); err != nil {
			t.Fatal(err)
		}
		c := tg.cmd
		t.Cleanup(func() { c.Process.Kill(); c.Wait() })
	}
	return targets
}

// The matrix's callers.
var accessCallers = []struct {
	name string
	uid  int
}{{"root", 0}, {"owner", ownerUID}, {"stranger", strangerUID}}

// plan9Ops is how each of Plan 9's extra files is tried.
var plan9Ops = map[string]string{"strace": "read", "ctl": "wopen", "note": "wopen", "notepg": "wopen", "wait": "open"} // wait: a read would block

// Plan 9's other files show what a Linux file shows: the same caller
// may read them exactly when it may read that file.
var plan9Like = map[string]string{"args": "cmdline", "file": "exe", "namespace": "mountinfo", "user": "status", "vmstatus": "status",
	"fds": "maps", "segment": "maps", "noteid": "stat", "text": "exe", "map": "smaps", "rlimit": "limits", "etype": "exe"}

// unsupportedFiles are the seeds' files Linux cannot serve: EOPNOTSUPP,
// or EACCES for whom their mode refuses.
// dbregs is x86's: EOPNOTSUPP elsewhere.
var unsupportedFiles = map[string]bool{"proc": true, "profile": true, "kregs": true, "dbregs": runtime.GOARCH != "amd64"}

// debugFiles open only on a process stopped under attach (none is here):
// EBUSY for whom ptrace-attach allows, EACCES for others.
var debugFiles = map[string]bool{"regs": true, "fpregs": true, "dbregs": runtime.GOARCH == "amd64"}

// checkAccessTarget compares, for each caller, the view's answers on the
// target pid's entries with /proc's.
func checkAccessTarget(t *testing.T, m, bin, name string, pid int) {
	if name == "owner's setuid-root" {
		b, _ := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
		if !strings.Contains(string(b), "\nUid:\t4321\t0\t0\t0\n") {
			t.Fatalf("the setuid copy did not gain root (nosuid?):\n%s", b)
		}
	}
	vdir := filepath.Join(m, strconv.Itoa(pid))
	pdir := fmt.Sprintf("/proc/%d", pid)
	ents, err := os.ReadDir(vdir)
	if err != nil {
		t.Fatal(err)
	}
	names, ops, kinds := accessOps(ents, vdir, pdir)
	for _, c := range accessCallers {
		res := runProbe(t, bin, c.uid, ops)
		compareAccess(t, bin, c.name, c.uid, name, pdir, names, kinds, res)
	}
}

// accessOps lists the operations on each entry of the view's directory
// vdir, each followed by the same on /proc's pdir where there is one,
// and last the ptrace-attach check.
func accessOps(ents []os.DirEntry, vdir, pdir string) (names, ops []string, kinds map[string]string) {
	kinds = map[string]string{}
	for _, e := range ents {
		n := e.Name()
		k := "read"
		switch {
		case plan9Ops[n] != "":
			k = plan9Ops[n]
		case e.Type()&os.ModeSymlink != 0:
			k = "link"
		case e.IsDir():
			k = "dir"
		case n == "mem":
			k = "open" // reading offset 0 is EIO for everyone
		}
		kinds[n] = k
		names = append(names, n)
		ops = append(ops, k+" "+filepath.Join(vdir, n))
		switch {
		case plan9Like[n] != "":
			ops = append(ops, k+" "+filepath.Join(pdir, plan9Like[n]))
		case plan9Ops[n] == "" && !unsupportedFiles[n] && !debugFiles[n]:
			ops = append(ops, k+" "+filepath.Join(pdir, n))
		}
	}
	// Plan 9's extras follow the kernel's ptrace-attach check.
	ops = append(ops, "open "+filepath.Join(pdir, "mem"))
	return names, ops, kinds
}

// compareAccess checks one caller's results res on one target (pdir in
// /proc) against each other.
func compareAccess(t *testing.T, bin, caller string, uid int, target, pdir string, names []string, kinds map[string]string, res []string) {
	attach := strings.HasPrefix(res[len(res)-1], "ok")
	i := 0
	var refusedView, refusedProc []string
	for _, n := range names {
		view := res[i]
		i++
		if unsupportedFiles[n] {
			if view != "ENOTSUP" && view != "EACCES" { // ENOTSUP: EOPNOTSUPP's name on Linux
				t.Errorf("%s on %s %s: %s, want EOPNOTSUPP or EACCES", caller, target, n, view)
			}
			continue
		}
		if debugFiles[n] {
			if want := map[bool]string{true: "EBUSY", false: "EACCES"}[attach]; view != want {
				t.Errorf("%s on %s %s: %s, want %s (ptrace attach allowed=%v)", caller, target, n, view, want, attach)
			}
			continue
		}
		if want, ok := plan9Ops[n]; ok {
			allowed := view == "ok" || (want == "read" && view == "ENOENT")
			if allowed != attach {
				t.Errorf("%s on %s %s: %s, but ptrace attach allowed=%v", caller, target, n, view, attach)
			}
			continue
		}
		proc := res[i]
		i++
		if !strings.HasPrefix(view, "ok") {
			refusedView = append(refusedView, n)
		}
		if !strings.HasPrefix(proc, "ok") {
			refusedProc = append(refusedProc, n)
		}
		switch {
		case strings.HasPrefix(view, "ok") && !strings.HasPrefix(proc, "ok"):
			t.Errorf("%s on %s %s (%s): the view reveals what /proc refuses (%s)", caller, target, n, kinds[n], proc)
		case strings.HasPrefix(proc, "ok") && !strings.HasPrefix(view, "ok"):
			t.Errorf("%s on %s %s (%s): the view refuses (%s) what /proc grants", caller, target, n, kinds[n], view)
		case view != proc && !strings.HasPrefix(view, "ok"):
			t.Logf("%s on %s %s: errno %s, /proc %s", caller, target, n, view, proc)
		case view != proc && !volatile[n] && plan9Like[n] == "":
			// Read /proc again: it may have changed.
			again := runProbe(t, bin, uid, []string{kinds[n] + " " + filepath.Join(pdir, n)})[0]
			if again != view {
				t.Errorf("%s on %s %s: the view's content differs from /proc's", caller, target, n)
			}
		}
	}
	t.Logf("%s on %s (attach %v): refused by view %v; by /proc %v", caller, target, attach, refusedView, refusedProc)
}
