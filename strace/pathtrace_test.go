package strace

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// pathText runs events through a Text with -P paths (and -y's set, when
// not 0), /proc being proc, the command pid seeded as eproc seeds one it
// spawns: with process from's working directory and descriptors.
func pathText(t *testing.T, set uint8, paths []string, proc string, pid, from uint32, evs ...*Event) []string {
	t.Helper()
	txt := NewText(Options{DecodeFds: set, Paths: paths, Align: -1}, nil)
	if txt.fds != nil {
		txt.fds.proc = proc
	}
	txt.paths.proc = proc
	txt.SeedFdsAs(int(pid), int(from), map[int]int{0: 0, 1: 1, 2: 2})
	for _, ev := range evs {
		txt.Event(ev)
	}
	return strings.Split(strings.TrimSuffix(string(txt.TakeInto(nil)), "\n"), "\n")
}

// -P matches a descriptor opened by a path relative to the working
// directory, or to a directory descriptor, when the process is gone by
// the time its calls are decoded (no /proc to ask): the working directory
// is the one eproc gave the command, followed through chdir.
func TestPathRelativeOpenProcessGone(t *testing.T) {
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "d"), 0o755); err != nil {
		t.Fatal(err)
	}
	sample := filepath.Join(root, "stat.sample")
	const pid, eproc = 0x7ffffff0, 0x7ffffff5
	proc := fakeProc(t, eproc, root, nil) // the command's /proc is gone
	atfd := uint64(0xffffffffffffff9c)
	got := pathText(t, 0, []string{"stat.sample", sample, root + "/d/x"}, proc, pid, eproc,
		fdCall(t, pid, "close", 0, []uint64{0}),
		fdCall(t, pid, "openat", 0, []uint64{atfd, 0x1000, 0x242, 0o640}, pathCap(1, "stat.sample")),
		fdCall(t, pid, "fstat", 0, []uint64{0, 0x2000}),
		fdCall(t, pid, "fstat", 0, []uint64{1, 0x2000}),
		fdCall(t, pid, "chdir", 0, []uint64{0x1000}, pathCap(0, "d")),
		fdCall(t, pid, "openat", 3, []uint64{atfd, 0x1000, 0}, pathCap(1, "x")),
		fdCall(t, pid, "openat", 4, []uint64{atfd, 0x1000, 0x10000}, pathCap(1, ".")),
		fdCall(t, pid, "openat", 5, []uint64{4, 0x1000, 0}, pathCap(1, "x")),
		fdCall(t, pid, "close", 0, []uint64{3}),
		fdCall(t, pid, "fstat", -9, []uint64{3, 0x2000}),
		fdCall(t, pid, "fstat", 0, []uint64{5, 0x2000}),
	)
	checkLines(t, got, []string{
		`openat(AT_FDCWD, "stat.sample", O_RDWR|O_CREAT|O_TRUNC, 0640) = 0`,
		`fstat(0, 0x2000) = 0`,
		`close(3) = 0`,
		`fstat(5, 0x2000) = 0`,
	})
}

// With -y and -P, -y's table follows the calls -P does not print: the
// working directory chdir gave, the descriptor an openat relative to it
// made, are known when a later call is printed.
func TestPathUnshownKeepFdTable(t *testing.T) {
	root := t.TempDir()
	if err := os.WriteFile(filepath.Join(root, "f"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	const pid, eproc = 0x7ffffff0, 0x7ffffff5
	proc := fakeProc(t, eproc, "/", nil)
	atfd := uint64(0xffffffffffffff9c)
	got := pathText(t, DecodeFdPath, []string{root + "/f"}, proc, pid, eproc,
		fdCall(t, pid, "chdir", 0, []uint64{0x1000}, pathCap(0, root)),
		fdCall(t, pid, "openat", 3, []uint64{atfd, 0x1000, 0}, pathCap(1, "f")),
		fdCall(t, pid, "fstat", 0, []uint64{3, 0x2000}),
	)
	checkLines(t, got, []string{`fstat(3<` + root + `/f>, 0x2000) = 0`})
}

// An injected result is none of the call's doing: -y prints the
// descriptor of that number the process has, not the one the call would
// have made, and -P's table is not changed by it either.
func TestInjectedFdResult(t *testing.T) {
	const pid, eproc = 0x7ffffff0, 0x7ffffff5
	proc := fakeProc(t, eproc, "/", map[int]string{7: "/dev/null"})
	txt := NewText(Options{DecodeFds: DecodeFdPath, Align: -1, Injected: func(tid, nr uint32) bool { return callName(nr) != "fstat" }}, nil)
	txt.fds.proc = proc
	txt.SeedFdsAs(pid, eproc, map[int]int{0: 0, 7: 7})
	for _, name := range []string{"memfd_secret", "landlock_create_ruleset"} {
		txt.Event(fdCall(t, pid, name, 7, []uint64{0, 0, 0}))
	}
	txt.Event(fdCall(t, pid, "fstat", 0, []uint64{7, 0x2000}))
	got := strings.Split(strings.TrimSuffix(string(txt.TakeInto(nil)), "\n"), "\n")
	checkLines(t, got, []string{
		`memfd_secret(0) = 7</dev/null> (INJECTED)`,
		`landlock_create_ruleset(NULL, 0, 0) = 7</dev/null> (INJECTED)`,
		`fstat(7</dev/null>, 0x2000) = 0`,
	})
}

// pidfd_getfd's targetfd is a descriptor of the pidfd's process, a child
// not traced: its table is its parent's at fork (the parent closed its
// own copy since), known when the child is gone at decode time; the new
// descriptor is a copy of it.
func TestPidfdGetfdUntracedChild(t *testing.T) {
	const pid, child, eproc = 0x7ffffff0, 0x7ffffff1, 0x7ffffff5
	proc := fakeProc(t, eproc, "/", map[int]string{0: "/dev/full"})
	txt := NewText(Options{DecodeFds: DecodeFdPath, Align: -1}, nil)
	txt.fds.proc = proc
	txt.SeedFdsAs(pid, eproc, map[int]int{0: 0})
	for _, ev := range []*Event{
		fdCall(t, pid, "dup", 5, []uint64{0}),
		fdCall(t, pid, "clone", child, []uint64{0x1200011}),
		fdCall(t, pid, "close", 0, []uint64{5}),
		fdCall(t, pid, "pidfd_open", 5, []uint64{child, 0}),
		fdCall(t, pid, "pidfd_getfd", 6, []uint64{5, 5, 0}),
		fdCall(t, pid, "wait4", child, []uint64{0xffffffffffffffff, 0, 0, 0}),
		fdCall(t, pid, "pidfd_getfd", -1, []uint64{5, 5, 0}),
	} {
		txt.Event(ev)
	}
	got := strings.Split(strings.TrimSuffix(string(txt.TakeInto(nil)), "\n"), "\n")
	checkLines(t, got[2:], []string{
		`close(5</dev/full>) = 0`,
		`pidfd_open(2147483633, 0) = 5<anon_inode:[pidfd]>`,
		`pidfd_getfd(5<anon_inode:[pidfd]>, 5</dev/full>, 0) = 6</dev/full>`,
		`wait4(-1, NULL, 0, NULL) = 2147483633`,
		`pidfd_getfd(5<anon_inode:[pidfd]>, 5, 0) = -1 EPERM (Operation not permitted)`,
	})
}
