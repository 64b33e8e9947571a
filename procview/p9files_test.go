package procview

import (
	"bytes"
	"debug/elf"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"go.uber.org/zap"
	"golang.org/x/sys/unix"
)

// Plan 9's fd, segment, noteid, text, proc and profile, and FreeBSD's map,
// rlimit and etype, read with cat through the mounted view for real
// processes, and checked against what /proc says of the same process.

// startSleeper runs script in sh (which ends by exec'ing sleep), in dir,
// and waits until sleep runs.
func startSleeper(t *testing.T, dir, script string, env ...string) int {
	t.Helper()
	cmd := exec.Command("sh", "-c", script)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	pid := cmd.Process.Pid
	// Asleep in sleep, not still loading it: tests look at its state.
	waitFor(t, "sleep to run", func() bool {
		b, _ := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid))
		return string(b) == "sleep\n" && procState(pid) == "S"
	})
	return pid
}

// catFile reads a file of the view with cat.
func catFile(t *testing.T, path string) string {
	t.Helper()
	out, err := exec.Command("cat", path).CombinedOutput()
	if err != nil {
		t.Fatalf("cat %s: %v: %s", path, err, out)
	}
	return string(out)
}

func TestFdFile(t *testing.T) {
	_, m := mount(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "data")
	os.WriteFile(file, nil, 0o644)
	// fd 3: the file, read-write, at offset 5; fd 4: the directory.
	pid := startSleeper(t, dir, `exec 3<>"$F"; printf hello >&3; exec 4<"$D"; exec sleep 100`, "F="+file, "D="+dir)
	out := catFile(t, filepath.Join(m, strconv.Itoa(pid), "fds"))
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if lines[0] != dir {
		t.Errorf("fd's first line %q, want the cwd %q", lines[0], dir)
	}
	ents, _ := os.ReadDir(fmt.Sprintf("/proc/%d/fd", pid))
	if len(lines) != 1+len(ents) {
		t.Errorf("fd has %d lines for %d fds:\n%s", len(lines), len(ents), out)
	}
	var fst, dst syscall.Stat_t
	syscall.Stat(file, &fst)
	syscall.Stat(dir, &dst)
	want := map[string]string{
		"3": fmt.Sprintf("  3 rw M %4d (%016x 0 00) %5d        5 %s", fst.Dev, fst.Ino, fst.Blksize, file),
		"4": fmt.Sprintf("  4 r  M %4d (%016x 0 80) %5d        0 %s", dst.Dev, dst.Ino, dst.Blksize, dir),
	}
	for _, l := range lines[1:] {
		fd := strings.Fields(l)[0]
		if w, ok := want[fd]; ok {
			if l != w {
				t.Errorf("fd %s:\n got %q\nwant %q", fd, l, w)
			}
			delete(want, fd)
		}
	}
	if len(want) != 0 {
		t.Errorf("fd lacks %v:\n%s", want, out)
	}
}

func TestSegmentFile(t *testing.T) {
	_, m := mount(t)
	pid := startSleeper(t, "/", `exec sleep 100`)
	seg := catFile(t, filepath.Join(m, strconv.Itoa(pid), "segment"))
	maps, _ := os.ReadFile(fmt.Sprintf("/proc/%d/maps", pid))
	exe, _ := os.Readlink(fmt.Sprintf("/proc/%d/exe", pid))
	segs := strings.Split(strings.TrimSuffix(seg, "\n"), "\n")
	mls := strings.Split(strings.TrimSuffix(string(maps), "\n"), "\n")
	if len(segs) != len(mls) {
		t.Fatalf("segment has %d lines, maps %d:\n%s", len(segs), len(mls), seg)
	}
	sawText, sawStack := false, false
	for i, l := range mls {
		v, ok := parseVMA(l)
		if !ok {
			t.Fatalf("maps line %q", l)
		}
		rng := fmt.Sprintf(" %08x %08x    1", v.start, v.end)
		if !strings.HasSuffix(segs[i], rng) {
			t.Errorf("segment line %q, maps %q", segs[i], l)
		}
		switch {
		case v.name == exe && v.perms == "r-xp":
			sawText = true
			if !strings.HasPrefix(segs[i], "Text   R  ") {
				t.Errorf("the program's code: %q", segs[i])
			}
		case v.name == "[stack]":
			sawStack = true
			if !strings.HasPrefix(segs[i], "Stack     ") {
				t.Errorf("the stack: %q", segs[i])
			}
		case v.name == exe && v.perms == "rw-p":
			if !strings.HasPrefix(segs[i], "Data      ") {
				t.Errorf("the program's data: %q", segs[i])
			}
		}
	}
	if !sawText || !sawStack {
		t.Errorf("no text or no stack in maps:\n%s", maps)
	}
}

func TestNoteidFile(t *testing.T) {
	_, m, logs := mountObserved(t)
	pid := startSleeper(t, "/", `exec sleep 100`) // its own process group
	out := catFile(t, filepath.Join(m, strconv.Itoa(pid), "noteid"))
	pg, _ := syscall.Getpgid(pid)
	if out != fmt.Sprintf("%d\n", pg) || pg != pid {
		t.Errorf("noteid %q, process group %d", out, pg)
	}
	self := catFile(t, filepath.Join(m, strconv.Itoa(os.Getpid()), "noteid"))
	if self != fmt.Sprintf("%d\n", syscall.Getpgrp()) {
		t.Errorf("the test's noteid %q, process group %d", self, syscall.Getpgrp())
	}
	err := writeFile(filepath.Join(m, strconv.Itoa(pid), "noteid"), strconv.Itoa(syscall.Getpgrp()))
	if !errors.Is(err, syscall.EOPNOTSUPP) {
		t.Errorf("writing noteid: %v, want EOPNOTSUPP", err)
	}
	if logs.FilterField(fieldWhy(whyNoteid)).Len() != 1 {
		t.Errorf("writing noteid: no log line saying why")
	}
}

func TestTextFile(t *testing.T) {
	_, m := mount(t)
	pid := startSleeper(t, "/", `exec sleep 100`)
	text := filepath.Join(m, strconv.Itoa(pid), "text")
	got := catFile(t, text)
	exe, _ := os.Readlink(fmt.Sprintf("/proc/%d/exe", pid))
	want, err := os.ReadFile(exe)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("text: %d bytes, %s has %d", len(got), exe, len(want))
	}
	if st, err := os.Stat(text); err != nil || st.Size() != int64(len(want)) {
		t.Errorf("text's size: %v %v, want %d", st, err, len(want))
	}
	// A read in the middle, as a debugger reads.
	f, err := os.Open(text)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	buf := make([]byte, 100)
	if n, err := f.ReadAt(buf, 1000); err != nil || !bytes.Equal(buf[:n], want[1000:1100]) {
		t.Errorf("text at 1000: %v", err)
	}
}

// fieldWhy matches a log line's why field.
func fieldWhy(why string) zap.Field { return zap.String("why", why) }

func TestProcProfileUnsupported(t *testing.T) {
	_, m, logs := mountObserved(t)
	pid := startSleeper(t, "/", `exec sleep 100`)
	ents, err := os.ReadDir(filepath.Join(m, strconv.Itoa(pid)))
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]bool{}
	for _, e := range ents {
		listed[e.Name()] = true
	}
	for name, why := range map[string]string{"proc": whyProc, "profile": whyProfile, "kregs": whyKregs} {
		if !listed[name] {
			t.Errorf("%s is not listed", name)
		}
		_, err := os.ReadFile(filepath.Join(m, strconv.Itoa(pid), name))
		if !errors.Is(err, syscall.EOPNOTSUPP) {
			t.Errorf("%s: %v, want EOPNOTSUPP", name, err)
		}
		if logs.FilterField(fieldWhy(why)).Len() != 1 {
			t.Errorf("%s: no log line saying why", name)
		}
	}
}

// TestRootTrace: Plan 9's root trace is listed, and opens to EOPNOTSUPP
// with one log line saying why.
func TestRootTrace(t *testing.T) {
	_, m, logs := mountObserved(t)
	ents, err := os.ReadDir(m)
	if err != nil {
		t.Fatal(err)
	}
	listed := false
	for _, e := range ents {
		listed = listed || e.Name() == "trace" && e.Type().IsRegular()
	}
	if !listed {
		t.Errorf("the root does not list trace as a file")
	}
	if st, err := os.Stat(filepath.Join(m, "trace")); err != nil || st.Mode() != 0o444 {
		t.Errorf("stat trace: %v %v", st, err)
	}
	if _, err := os.ReadFile(filepath.Join(m, "trace")); !errors.Is(err, syscall.EOPNOTSUPP) {
		t.Errorf("trace: %v, want EOPNOTSUPP", err)
	}
	if logs.FilterField(fieldWhy(whyTrace)).Len() != 1 {
		t.Errorf("trace: no log line saying why")
	}
}

func TestMapFile(t *testing.T) {
	_, m := mount(t)
	pid := startSleeper(t, "/", `exec sleep 100`)
	out := catFile(t, filepath.Join(m, strconv.Itoa(pid), "map"))
	smaps, _ := os.ReadFile(fmt.Sprintf("/proc/%d/smaps", pid))
	exe, _ := os.Readlink(fmt.Sprintf("/proc/%d/exe", pid))
	var st syscall.Stat_t
	syscall.Stat(exe, &st)
	ents := smapsEntries(smaps)
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != len(ents) {
		t.Fatalf("map has %d lines, smaps %d mappings:\n%s", len(lines), len(ents), out)
	}
	page := uint64(os.Getpagesize() / 1024)
	for i, e := range ents {
		f := strings.Fields(lines[i])
		if len(f) != 15 {
			t.Fatalf("map line %q", lines[i])
		}
		if f[0] != fmt.Sprintf("%#x", e.start) || f[1] != fmt.Sprintf("%#x", e.end) || f[5] != e.perms[:3] {
			t.Errorf("map line %q for %+v", lines[i], e.vma)
		}
		switch {
		case e.name == exe && e.perms == "r-xp":
			want := fmt.Sprintf("%#x %#x %d %d %#x r-x 1 0 0x0 COW NC vnode %s NCH -1", e.start, e.end, e.rss/page, e.private/page, st.Ino, exe)
			if lines[i] != want {
				t.Errorf("the program's code:\n got %q\nwant %q", lines[i], want)
			}
		case e.name == "[stack]":
			want := fmt.Sprintf("%#x %#x %d %d 0 rw- 1 0 0x0 COW NNC default [stack] CH 0", e.start, e.end, e.rss/page, e.private/page)
			if lines[i] != want {
				t.Errorf("the stack:\n got %q\nwant %q", lines[i], want)
			}
		}
	}
}

func TestRlimitFile(t *testing.T) {
	_, m := mount(t)
	pid := startSleeper(t, "/", `ulimit -S -n 123 && ulimit -H -n 456 && ulimit -S -c 0 && exec sleep 100`)
	out := catFile(t, filepath.Join(m, strconv.Itoa(pid), "rlimit"))
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != len(rlimitNames) {
		t.Fatalf("rlimit:\n%s", out)
	}
	val := func(v uint64) string {
		if v == unix.RLIM_INFINITY {
			return "-1"
		}
		return strconv.FormatUint(v, 10)
	}
	for i, l := range lines {
		var lim unix.Rlimit
		if err := unix.Prlimit(pid, i, nil, &lim); err != nil {
			t.Fatal(err)
		}
		if want := rlimitNames[i] + " " + val(lim.Cur) + " " + val(lim.Max); l != want {
			t.Errorf("rlimit line %q, prlimit says %q", l, want)
		}
	}
	if lines[7] != "nofile 123 456" || !strings.HasPrefix(lines[4], "core 0 ") {
		t.Errorf("rlimit:\n%s", out)
	}
}

func TestEtypeFile(t *testing.T) {
	_, m := mount(t)
	pid := startSleeper(t, "/", `exec sleep 100`)
	out := catFile(t, filepath.Join(m, strconv.Itoa(pid), "etype"))
	arch := map[string]string{"amd64": "x86-64", "arm64": "aarch64", "386": "i386"}[runtime.GOARCH]
	ef, err := elf.Open("/proc/self/exe") // this test, built for the same machine
	if err != nil {
		t.Fatal(err)
	}
	ef.Close()
	if arch == "" {
		arch = elfMachines[ef.Machine]
	}
	if want := "Linux ELF64 " + arch + "\n"; out != want {
		t.Errorf("etype %q, want %q", out, want)
	}
}
