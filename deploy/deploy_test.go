// Package deploy holds no code: its tests check the files that run eproc as
// a service (eproc.service, k8s/daemonset.yaml) and `make install`.
package deploy

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// inCI is true under CI=true, where a missing tool fails a test instead of
// skipping it (scripts/test-deps.sh installs them).
var inCI = os.Getenv("CI") == "true"

// tool returns the path of a command the test needs, skipping without it
// (failing under CI=true).
func tool(t *testing.T, name, pkg string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if inCI {
			t.Fatalf("%s is not installed (Debian package %s; scripts/test-deps.sh installs it)", name, pkg)
		}
		t.Skipf("%s is not installed (Debian package %s)", name, pkg)
	}
	return p
}

// goCommand is the go command that runs this test, for make's GO.
func goCommand(t *testing.T) string {
	t.Helper()
	if p := filepath.Join(runtime.GOROOT(), "bin", "go"); fileExists(p) {
		return p
	}
	if p, err := exec.LookPath("go"); err == nil {
		return p
	}
	t.Fatal("no go command in GOROOT or on PATH")
	return ""
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// install runs make install (and other make targets) from the repository
// root with the given variables; it returns make's output.
func makeTarget(t *testing.T, target string, vars ...string) string {
	t.Helper()
	args := append([]string{"-C", "..", "--no-print-directory", target, "GO=" + goCommand(t)}, vars...)
	cmd := exec.Command(tool(t, "make", "make"), args...)
	cmd.Env = append(os.Environ(), "GOFLAGS=-buildvcs=false")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("make %s: %v\n%s", strings.Join(args[3:], " "), err, out)
	}
	return string(out)
}

// installed is the list of files make install puts under PREFIX and
// SYSCONFDIR, with their modes.
var installed = []struct {
	path string
	mode os.FileMode
}{
	{"usr/bin/eproc", 0o755},
	{"usr/lib/systemd/system/eproc.service", 0o644},
	{"usr/share/man/man1/eproc.1", 0o644},
	{"usr/share/doc/eproc/README.md", 0o644},
	{"usr/share/doc/eproc/fleet.md", 0o644},
	{"usr/share/doc/eproc/daemonset.yaml", 0o644},
	{"usr/share/doc/eproc/eproc.default", 0o644},
	{"etc/default/eproc", 0o644},
}

// TestMakeInstall runs make install DESTDIR=tmp PREFIX=/usr and checks every
// file lands with its mode, the unit and man page name the paths they were
// installed to, the binary runs, an edited options file is kept by a second
// install, and make uninstall removes all but the options file.
func TestMakeInstall(t *testing.T) {
	if testing.Short() {
		t.Skip("builds eproc")
	}
	dest := t.TempDir()
	vars := []string{"DESTDIR=" + dest, "PREFIX=/usr", "BIN=" + filepath.Join(t.TempDir(), "eproc")}
	makeTarget(t, "install", vars...)
	for _, f := range installed {
		st, err := os.Stat(filepath.Join(dest, f.path))
		if err != nil {
			t.Errorf("not installed: %v", err)
			continue
		}
		if st.Mode().Perm() != f.mode || !st.Mode().IsRegular() {
			t.Errorf("%s: mode %v, want a file with %v", f.path, st.Mode(), f.mode)
		}
	}
	unit := readFile(t, filepath.Join(dest, "usr/lib/systemd/system/eproc.service"))
	for _, want := range []string{
		"\nExecStart=/usr/bin/eproc mount -q $EPROC_OPTS /run/eproc\n",
		"\nEnvironmentFile=-/etc/default/eproc\n",
		"file:/usr/share/doc/eproc/fleet.md",
	} {
		if !strings.Contains(unit, want) {
			t.Errorf("installed unit lacks %q", want)
		}
	}
	if strings.Contains(unit, "/usr/local") {
		t.Errorf("installed unit (PREFIX=/usr) still names /usr/local")
	}
	if man := readFile(t, filepath.Join(dest, "usr/share/man/man1/eproc.1")); !strings.Contains(man, "/usr/share/doc/eproc/fleet.md") {
		t.Errorf("installed man page does not name the installed fleet.md")
	}
	out, err := exec.Command(filepath.Join(dest, "usr/bin/eproc"), "help").Output()
	if err != nil || !strings.HasPrefix(string(out), "usage: eproc COMMAND") {
		t.Errorf("installed eproc help: %v, %q", err, out)
	}

	conf := filepath.Join(dest, "etc/default/eproc")
	if err := os.WriteFile(conf, []byte("EPROC_OPTS=-b 16777216\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	makeTarget(t, "install", vars...)
	if got := readFile(t, conf); got != "EPROC_OPTS=-b 16777216\n" {
		t.Errorf("a second make install overwrote the options file: %q", got)
	}

	makeTarget(t, "uninstall", vars...)
	var left []string
	filepath.Walk(dest, func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			rel, _ := filepath.Rel(dest, p)
			left = append(left, rel)
		}
		return nil
	})
	if !slices.Equal(left, []string{"etc/default/eproc"}) {
		t.Errorf("after make uninstall, left: %q; want only etc/default/eproc", left)
	}
	if fileExists(filepath.Join(dest, "usr/share/doc/eproc")) {
		t.Errorf("make uninstall left the doc directory")
	}
}

func readFile(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestUnitVerifies installs eproc under a temporary PREFIX (so the unit's
// ExecStart names a binary that exists, and man:eproc(1) a page man finds)
// and runs systemd-analyze verify on the installed unit: it must say
// nothing (unknown keys, bad values, missing commands are all printed).
func TestUnitVerifies(t *testing.T) {
	if testing.Short() {
		t.Skip("builds eproc")
	}
	analyze := tool(t, "systemd-analyze", "systemd")
	tool(t, "man", "man-db")
	root := t.TempDir()
	makeTarget(t, "install", "PREFIX="+root+"/usr", "SYSCONFDIR="+root+"/etc", "BIN="+filepath.Join(t.TempDir(), "eproc"))
	unit := filepath.Join(root, "usr/lib/systemd/system/eproc.service")
	cmd := exec.Command(analyze, "verify", unit)
	cmd.Env = append(os.Environ(), "MANPATH="+root+"/usr/share/man", "SYSTEMD_LOG_COLOR=0")
	out, err := cmd.CombinedOutput()
	if err != nil || len(bytes.TrimSpace(out)) > 0 {
		t.Errorf("systemd-analyze verify %s: %v\n%s", unit, err, out)
	}

	// The check can fail: a misspelt key is reported.
	bad := filepath.Join(t.TempDir(), "eproc.service")
	text := strings.Replace(readFile(t, unit), "RestartSec=", "RestartSecs=", 1)
	if err := os.WriteFile(bad, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd = exec.Command(analyze, "verify", bad)
	cmd.Env = append(os.Environ(), "MANPATH="+root+"/usr/share/man")
	if out, _ := cmd.CombinedOutput(); !strings.Contains(string(out), "RestartSecs") {
		t.Errorf("systemd-analyze verify did not report a misspelt key: %s", out)
	}
}

// TestManPage formats docs/eproc.1 with groff's warnings on: none.
func TestManPage(t *testing.T) {
	groff := tool(t, "groff", "groff-base")
	cmd := exec.Command(groff, "-man", "-Tutf8", "-ww", "-z", "../docs/eproc.1")
	cmd.Env = append(os.Environ(), "LC_ALL=C.UTF-8")
	if out, err := cmd.CombinedOutput(); err != nil || len(out) > 0 {
		t.Errorf("groff -ww docs/eproc.1: %v\n%s", err, out)
	}
}
