package procview

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
)

// testCgroup makes a cgroup under the cgroup2 mount (mounted at
// /sys/fs/cgroup/unified when there is none), removed at the end.
func testCgroup(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("/proc/mounts")
	if err != nil {
		t.Fatal(err)
	}
	root := ""
	for _, l := range strings.Split(string(b), "\n") {
		if f := strings.Fields(l); len(f) > 2 && f[2] == "cgroup2" {
			root = f[1]
			break
		}
	}
	if root == "" {
		root = "/sys/fs/cgroup/unified"
		os.MkdirAll(root, 0o755)
		if err := syscall.Mount("none", root, "cgroup2", 0, ""); err != nil {
			t.Fatalf("mount cgroup2: %v", err)
		}
	}
	cg := filepath.Join(root, fmt.Sprintf("eproc-view-test-%d", os.Getpid()))
	if err := os.Mkdir(cg, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Remove(cg) })
	return cg
}

// TestStraceCgroup: stracecgroup DIR written to a process's ctl traces the
// processes of the cgroup, in a session read through that process's strace
// file and ended by straceoff written there; a directory that is not a
// cgroup v2 one is EINVAL.
func TestStraceCgroup(t *testing.T) {
	_, dir := mount(t)
	cg := testCgroup(t)
	holder := exec.Command("sleep", "1000")
	if err := holder.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { holder.Process.Kill(); holder.Wait() }()
	pdir := filepath.Join(dir, fmt.Sprint(holder.Process.Pid))
	err := writeFile(pdir+"/ctl", "stracecgroup "+t.TempDir())
	if !errors.Is(err, syscall.EINVAL) {
		t.Fatalf("stracecgroup on a directory that is not a cgroup: %v, want EINVAL", err)
	}
	if err := writeFile(pdir+"/ctl", "stracecgroup "+cg); err != nil {
		t.Fatalf("stracecgroup %s: %v", cg, err)
	}
	marker := filepath.Join(t.TempDir(), "marker-view")
	member := exec.Command("sh", "-c", `echo $$ > "$1" && exec cat "$2"`, "sh", filepath.Join(cg, "cgroup.procs"), marker)
	if err := member.Run(); err == nil {
		t.Fatal("cat of a missing file succeeded")
	}
	if err := writeFile(pdir+"/ctl", "straceoff"); err != nil {
		t.Fatalf("straceoff: %v", err)
	}
	b, err := os.ReadFile(pdir + "/strace")
	if err != nil {
		t.Fatal(err)
	}
	line := regexp.MustCompile(fmt.Sprintf(`(?m)^%d +openat\(AT_FDCWD, "%s", O_RDONLY\) = -1 ENOENT`,
		member.Process.Pid, regexp.QuoteMeta(marker)))
	if !line.Match(b) || !hangup.Match(b) {
		t.Errorf("no openat of %s by %d, or no hang-up line, in:\n%s", marker, member.Process.Pid, tail(string(b)))
	}
}
