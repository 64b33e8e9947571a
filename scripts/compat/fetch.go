package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// configureFlags: no stack tracing, SELinux or multiple personalities (the
// tests of those need libraries and gcc-multilib; eproc has none of them),
// and no -Werror (newer kernel headers than strace 6.1 knew break a few
// programs' builds; those tests then fail for strace too).
var configureFlags = []string{"--enable-mpers=no", "--disable-gcc-Werror", "--without-libdw",
	"--without-libunwind", "--without-libiberty", "--without-libselinux"}

// buildDeps: what fetching and building strace's tests needs (dpkg-dev:
// apt-get source unpacks with dpkg-source; gawk: the tests' awk scripts).
var buildDeps = []string{"dpkg-dev", "xz-utils", "gcc", "libc6-dev", "make", "gawk", "diffutils"}

const srcList = "/etc/apt/sources.list.d/eproc-src.sources"

// prepare makes sure dir holds strace's source package, the version of the
// installed strace (the oracle), configured, with its test programs built,
// and returns its tests directory. Each step is done once: a stamp file
// records the build.
func prepare(dir string) (string, error) {
	ver, err := output("dpkg-query", "-W", "-f=${Version}", "strace")
	if err != nil || ver == "" {
		return "", fmt.Errorf("strace is not installed (apt-get install strace): %v", err)
	}
	upstream := ver
	if i := strings.IndexByte(upstream, ':'); i >= 0 {
		upstream = upstream[i+1:]
	}
	if i := strings.LastIndexByte(upstream, '-'); i >= 0 {
		upstream = upstream[:i]
	}
	src := filepath.Join(dir, "strace-"+upstream)
	tests := filepath.Join(src, "tests")
	stamp := filepath.Join(tests, ".eproc-compat-built")
	want := ver + " " + strings.Join(configureFlags, " ") + "\n"
	if b, err := os.ReadFile(stamp); err == nil && string(b) == want {
		return tests, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	if err := installDeps(); err != nil {
		return "", err
	}
	if _, err := os.Stat(filepath.Join(src, "configure")); err != nil {
		if err := fetchSource(dir, src, ver); err != nil {
			return "", err
		}
	}
	if err := build(dir, src); err != nil {
		return "", err
	}
	return tests, os.WriteFile(stamp, []byte(want), 0o644)
}

func installDeps() error {
	var miss []string
	for _, p := range buildDeps {
		if st, _ := output("dpkg-query", "-W", "-f=${Status}", p); !strings.Contains(st, "ok installed") {
			miss = append(miss, p)
		}
	}
	if len(miss) == 0 {
		return nil
	}
	logf("installing %s", strings.Join(miss, " "))
	if err := quiet("apt-get", "update", "-qq"); err != nil {
		return err
	}
	return quiet("apt-get", append([]string{"install", "-y", "-qq", "--no-install-recommends"}, miss...)...)
}

// fetchSource runs apt-get source for strace's version ver in dir, adding a
// deb-src entry for the system's own Debian mirror and release first if
// apt knows no source package of that version.
func fetchSource(dir, src, ver string) error {
	if !hasSource(ver) {
		if err := addDebSrc(); err != nil {
			return err
		}
		if err := quiet("apt-get", "update", "-qq"); err != nil {
			return err
		}
		if !hasSource(ver) {
			return fmt.Errorf("apt has no source package strace %s, even with %s", ver, srcList)
		}
	}
	os.RemoveAll(src)
	logf("apt-get source strace=%s in %s", ver, dir)
	cmd := exec.Command("apt-get", "source", "-qq", "--only-source", "strace="+ver)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("apt-get source strace=%s: %v\n%s", ver, err, out)
	}
	return nil
}

func hasSource(ver string) bool {
	out, _ := output("apt-cache", "showsrc", "--only-source", "strace")
	for _, l := range strings.Split(out, "\n") {
		if l == "Version: "+ver {
			return true
		}
	}
	return false
}

// addDebSrc writes srcList: the URI of the system's first Debian "deb"
// entry (deb822 .sources or one-line sources.list), the release's codename.
func addDebSrc() error {
	uri, keyring := debURI()
	codename := ""
	if b, err := os.ReadFile("/etc/os-release"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(l, "VERSION_CODENAME="); ok {
				codename = strings.Trim(v, `"`)
			}
		}
	}
	if codename == "" {
		return fmt.Errorf("no VERSION_CODENAME in /etc/os-release: add a deb-src entry for strace by hand")
	}
	s := fmt.Sprintf("# Added by eproc's make compat (scripts/compat): strace's source package.\n"+
		"Types: deb-src\nURIs: %s\nSuites: %s\nComponents: main\n", uri, codename)
	if keyring != "" {
		s += "Signed-By: " + keyring + "\n"
	}
	logf("adding %s (deb-src %s %s main)", srcList, uri, codename)
	return os.WriteFile(srcList, []byte(s), 0o644)
}

// debURI finds the mirror the system's Debian packages come from.
func debURI() (uri, keyring string) {
	files, _ := filepath.Glob("/etc/apt/sources.list.d/*.sources")
	for _, f := range files {
		b, _ := os.ReadFile(f)
		for _, stanza := range strings.Split(string(b), "\n\n") {
			fields := map[string]string{}
			for _, l := range strings.Split(stanza, "\n") {
				if k, v, ok := strings.Cut(l, ":"); ok && !strings.HasPrefix(l, "#") {
					fields[k] = strings.TrimSpace(v)
				}
			}
			if strings.Contains(fields["Types"], "deb") && strings.Contains(fields["URIs"], "debian") &&
				!strings.Contains(fields["URIs"], "security") {
				return strings.Fields(fields["URIs"])[0], fields["Signed-By"]
			}
		}
	}
	if f, err := os.Open("/etc/apt/sources.list"); err == nil {
		defer f.Close()
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			w := strings.Fields(sc.Text())
			if len(w) >= 3 && w[0] == "deb" && strings.Contains(w[1], "debian") && !strings.Contains(w[1], "security") {
				return w[1], ""
			}
		}
	}
	return "http://deb.debian.org/debian", ""
}

// build configures strace and builds its test programs (not strace, and
// without running them: make check with an empty TESTS). make -k: a program
// that does not build here leaves its test failing, for strace too.
func build(dir, src string) error {
	logPath := filepath.Join(dir, "build.log")
	logf("configuring and building strace's test programs in %s (log: %s)", src, logPath)
	lf, err := os.Create(logPath)
	if err != nil {
		return err
	}
	defer lf.Close()
	conf := exec.Command("./configure", configureFlags...)
	conf.Dir, conf.Stdout, conf.Stderr = src, lf, lf
	if err := conf.Run(); err != nil {
		return fmt.Errorf("configure failed: see %s", logPath)
	}
	mk := exec.Command("make", "-k", "-C", "tests", fmt.Sprintf("-j%d", *jobs), "check", "TESTS=")
	mk.Dir, mk.Stdout, mk.Stderr = src, lf, lf
	if err := mk.Run(); err != nil {
		logf("some test programs did not build (%v): see %s", err, logPath)
	}
	return nil
}

func output(name string, args ...string) (string, error) {
	out, err := exec.Command(name, args...).Output()
	return strings.TrimSpace(string(out)), err
}

func quiet(name string, args ...string) error {
	cmd := exec.Command(name, args...)
	cmd.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
	var buf bytes.Buffer
	cmd.Stdout, cmd.Stderr = &buf, &buf
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s %s: %v\n%s", name, strings.Join(args, " "), err, buf.Bytes())
	}
	return nil
}
