package strace

import (
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/eproc/eproc/loader/wire"
	"golang.org/x/sys/unix"
)

// fdCall is a returned call of process pid (its only thread) with
// captures.
func fdCall(t *testing.T, pid uint32, name string, ret int64, args []uint64, caps ...wire.Cap) *Event {
	t.Helper()
	nr, ok := Number(name)
	if !ok {
		t.Skipf("no %s here", name)
	}
	c := &Call{Call: wire.Call{Header: wire.Header{Type: wire.EvSyscall, Tid: pid, Tgid: pid}, Ret: ret, Nr: nr, Caps: caps}}
	copy(c.Args[:], args)
	return &Event{Kind: KindCall, Call: c}
}

func pathCap(arg int, s string) wire.Cap { return wire.Cap{Arg: uint8(arg), Data: []byte(s)} }

// fakeProc makes a /proc for process pid: its working directory, and
// descriptors linking to the given texts.
func fakeProc(t *testing.T, pid uint32, cwd string, fds map[int]string) string {
	t.Helper()
	proc := t.TempDir()
	dir := filepath.Join(proc, strconv.Itoa(int(pid)))
	if err := os.MkdirAll(filepath.Join(dir, "fd"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(cwd, filepath.Join(dir, "cwd")); err != nil {
		t.Fatal(err)
	}
	for fd, l := range fds {
		if err := os.Symlink(l, filepath.Join(dir, "fd", strconv.Itoa(fd))); err != nil {
			t.Fatal(err)
		}
	}
	return proc
}

func fdText(t *testing.T, set uint8, proc string, seed uint32, evs ...*Event) []string {
	t.Helper()
	txt := NewText(Options{DecodeFds: set, Align: -1}, nil)
	txt.fds.proc = proc
	if seed != 0 {
		txt.SeedFds(int(seed))
		// Opened after the calls: /proc has it, the calls must not.
		os.Symlink("/late", filepath.Join(proc, strconv.Itoa(int(seed)), "fd", "9"))
	}
	for _, ev := range evs {
		txt.Event(ev)
	}
	return strings.Split(strings.TrimSuffix(string(txt.TakeInto(nil)), "\n"), "\n")
}

func checkLines(t *testing.T, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestFdTable: the table follows opens (relative to the working directory
// and to a directory descriptor, through symbolic links), dup, dup2,
// fcntl F_DUPFD_CLOEXEC, close, chdir, fchdir, unlink, rename and execve
// (close-on-exec); a seeded process's descriptors come from /proc, but
// one that is known closed, or named by a failed call, is not looked up
// there (its number may be in use again by then); a fork's child has its
// parent's table.
func TestFdTable(t *testing.T) {
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "d", "e"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("d/e", filepath.Join(root, "ln")); err != nil {
		t.Fatal(err)
	}
	const pid, child = 0x7ffffff0, 0x7ffffff1
	proc := fakeProc(t, pid, root, map[int]string{0: "/dev/null"})
	atfd := uint64(0xffffffffffffff9c)
	cloexec := uint64(unix.O_CLOEXEC)
	got := fdText(t, DecodeFdPath, proc, pid,
		fdCall(t, pid, "read", 0, []uint64{0, 0x1000, 1}),
		fdCall(t, pid, "openat", 3, []uint64{atfd, 0x1000, 0}, pathCap(1, "ln/../e/./f")),
		fdCall(t, pid, "dup", 4, []uint64{3}),
		fdCall(t, pid, "fcntl", 5, []uint64{4, fDUPFDCLOEXEC, 0}),
		fdCall(t, pid, "dup2", 6, []uint64{3, 6}),
		fdCall(t, pid, "close", 0, []uint64{3}),
		fdCall(t, pid, "read", -9, []uint64{3, 0x1000, 1}),
		fdCall(t, pid, "read", -9, []uint64{9, 0x1000, 1}),
		fdCall(t, pid, "openat", 3, []uint64{atfd, 0x1000, cloexec}, pathCap(1, "d")),
		fdCall(t, pid, "openat", 7, []uint64{3, 0x1000, 0}, pathCap(1, "e")),
		fdCall(t, pid, "fchdir", 0, []uint64{7}),
		fdCall(t, pid, "rename", 0, []uint64{0x1000, 0x2000}, pathCap(0, "f"), pathCap(1, "g")),
		fdCall(t, pid, "write", 1, []uint64{4, 0x1000, 1}),
		fdCall(t, pid, "unlink", 0, []uint64{0x1000}, pathCap(0, "g")),
		fdCall(t, pid, "close", 0, []uint64{6}),
		&Event{Kind: KindFork, Fork: &wire.Fork{Header: wire.Header{Tid: pid, Tgid: pid}, ChildTid: child, ChildTgid: child}},
		fdCall(t, child, "execve", 0, []uint64{0x1000, 0, 0}),
		fdCall(t, child, "fstat", 0, []uint64{3, 0}),
		fdCall(t, child, "fstat", 0, []uint64{5, 0}),
		fdCall(t, child, "fstat", 0, []uint64{4, 0}),
		fdCall(t, pid, "fstat", 0, []uint64{3, 0}),
		fdCall(t, pid, "newfstatat", 0, []uint64{atfd, 0x1000, 0, 0}, pathCap(1, "x")),
	)
	p := root + "/d/e/f"
	checkLines(t, got, []string{
		`read(0</dev/null>, 0x1000, 1) = 0`,
		`openat(AT_FDCWD<` + root + `>, "ln/../e/./f", O_RDONLY) = 3<` + root + `/d/e/f>`,
		`dup(3<` + p + `>) = 4<` + p + `>`,
		`fcntl(4<` + p + `>, F_DUPFD_CLOEXEC, 0) = 5<` + p + `>`,
		`dup2(3<` + p + `>, 6) = 6<` + p + `>`,
		`close(3<` + p + `>) = 0`,
		`read(3, 0x1000, 1) = -1 EBADF (Bad file descriptor)`,
		`read(9, 0x1000, 1) = -1 EBADF (Bad file descriptor)`,
		`openat(AT_FDCWD<` + root + `>, "d", O_RDONLY|O_CLOEXEC) = 3<` + root + `/d>`,
		`openat(3<` + root + `/d>, "e", O_RDONLY) = 7<` + root + `/d/e>`,
		`fchdir(7<` + root + `/d/e>) = 0`,
		`rename("f", "g") = 0`,
		`write(4<` + root + `/d/e/g>, 0x1000, 1) = 1`,
		`unlink("g") = 0`,
		`close(6<` + root + `/d/e/g>(deleted)) = 0`,
		`execve(0x1000, NULL, NULL) = 0`,
		`fstat(3, NULL) = 0`, // close-on-exec
		`fstat(5, NULL) = 0`, // F_DUPFD_CLOEXEC
		`fstat(4<` + root + `/d/e/g>(deleted), NULL) = 0`,
		`fstat(3<` + root + `/d>, NULL) = 0`, // the parent's own
		`newfstatat(AT_FDCWD<` + root + `/d/e>, "x", NULL, 0) = 0`,
	})
}

// TestFdPrint: paths are quoted as strace quotes them between < and >
// (escapes, < and > in octal; -x, -xx in hex), pipes and anonymous inodes
// by the kernel's names, a file that was removed "(deleted)" after the
// brackets, devices with their numbers under -yy, sockets as socket:[N]
// under -y; a process that is gone leaves unknown descriptors bare.
func TestFdPrint(t *testing.T) {
	const pid = 0x7ffffff0
	proc := fakeProc(t, pid, "/", map[int]string{
		3: "/tmp/a<b>\n\"c\"", 4: "pipe:[123]", 5: "/tmp/gone (deleted)", 6: "/dev/null",
		7: "socket:[77]", 8: "anon_inode:[eventfd]",
	})
	var evs []*Event
	for fd := 3; fd <= 9; fd++ {
		evs = append(evs, fdCall(t, pid, "close", 0, []uint64{uint64(fd)}))
	}
	want := []string{
		`close(3</tmp/a\74b\76\n\"c\">) = 0`,
		`close(4<pipe:[123]>) = 0`,
		`close(5</tmp/gone>(deleted)) = 0`,
		`close(6</dev/null>) = 0`,
		`close(7<socket:[77]>) = 0`,
		`close(8<anon_inode:[eventfd]>) = 0`,
		`close(9) = 0`,
	}
	checkLines(t, fdText(t, DecodeFdPath, proc, 0, evs...), want)
	want[3] = `close(6</dev/null<char 1:3>>) = 0`
	checkLines(t, fdText(t, DecodeFdPath|DecodeFdDev, proc, 0, evs...), want)

	txt := NewText(Options{DecodeFds: DecodeFdPath, Hex: 2, Align: -1}, nil)
	txt.fds.proc = proc
	txt.Event(evs[1])
	if got := string(txt.TakeInto(nil)); got != "close(4<\\x70\\x69\\x70\\x65\\x3a\\x5b\\x31\\x32\\x33\\x5d>) = 0\n" {
		t.Errorf("-xx: %q", got)
	}
}

// TestFdSockets: -yy prints a listening TCP socket's address (Go's
// listeners are MPTCP's, which strace asks sock_diag about as TCP), a connected
// one's both ends, a UNIX socket pair's inodes, a fresh socket as
// PROTO:[inode] until a network call; -y prints socket:[inode].
func TestFdSockets(t *testing.T) {
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Skip(err)
	}
	defer ln.Close()
	conn, err := net.Dial("tcp4", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fdOf := func(c any) uint64 {
		var fd uintptr
		switch v := c.(type) {
		case *net.TCPListener:
			r, _ := v.SyscallConn()
			r.Control(func(f uintptr) { fd = f })
		case *net.TCPConn:
			r, _ := v.SyscallConn()
			r.Control(func(f uintptr) { fd = f })
		}
		return uint64(fd)
	}
	lfd, cfd := fdOf(ln), fdOf(conn)
	pair, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(pair[0])
	defer unix.Close(pair[1])
	fresh, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(fresh)
	ino := func(fd uint64) string {
		var st unix.Stat_t
		if err := unix.Fstat(int(fd), &st); err != nil {
			t.Fatal(err)
		}
		return strconv.FormatUint(st.Ino, 10)
	}
	pid := uint32(os.Getpid())
	port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	cport := strconv.Itoa(conn.LocalAddr().(*net.TCPAddr).Port)
	evs := []*Event{
		fdCall(t, pid, "listen", 0, []uint64{lfd, 1}),
		fdCall(t, pid, "fsync", -22, []uint64{cfd}),
		fdCall(t, pid, "fsync", -22, []uint64{uint64(pair[0])}),
		fdCall(t, pid, "socket", int64(fresh), []uint64{unix.AF_INET, unix.SOCK_DGRAM | unix.SOCK_CLOEXEC, 0}),
		fdCall(t, pid, "getsockname", -14, []uint64{uint64(fresh), 0, 0}),
	}
	got := fdText(t, DecodeFdAll, "/proc", 0, evs...)
	for i, w := range []string{
		"listen(" + strconv.Itoa(int(lfd)) + "<TCP:[127.0.0.1:" + port + "]>, 1) = 0",
		"fsync(" + strconv.Itoa(int(cfd)) + "<TCP:[127.0.0.1:" + cport + "->127.0.0.1:" + port + "]>) = -1 EINVAL (Invalid argument)",
		"fsync(" + strconv.Itoa(pair[0]) + "<UNIX-STREAM:[" + ino(uint64(pair[0])) + "->" + ino(uint64(pair[1])) + "]>) = -1 EINVAL (Invalid argument)",
		"socket(AF_INET, SOCK_DGRAM|SOCK_CLOEXEC, IPPROTO_IP) = " + strconv.Itoa(fresh) + "<UDP:[" + ino(uint64(fresh)) + "]>",
		"getsockname(" + strconv.Itoa(fresh) + "<UDP:[" + ino(uint64(fresh)) + "]>, NULL, NULL) = -1 EFAULT (Bad address)",
	} {
		if i >= len(got) || got[i] != w {
			t.Errorf("line %d:\n got: %v\nwant: %s", i, got, w)
			break
		}
	}
	got = fdText(t, DecodeFdPath, "/proc", 0, evs[0])
	checkLines(t, got, []string{"listen(" + strconv.Itoa(int(lfd)) + "<socket:[" + ino(lfd) + "]>, 1) = 0"})
}

// TestParseDecodeFds: strace's --decode-fds sets.
func TestParseDecodeFds(t *testing.T) {
	for in, want := range map[string]uint8{
		"path": DecodeFdPath, "all": DecodeFdAll, "none": 0, "path,dev": DecodeFdPath | DecodeFdDev,
		"socket,pidfd": DecodeFdSocket | DecodeFdPidfd, "!path": DecodeFdAll &^ DecodeFdPath,
	} {
		if got, err := ParseDecodeFds(in); err != nil || got != want {
			t.Errorf("%q: %v, %v; want %v", in, got, err, want)
		}
	}
	if _, err := ParseDecodeFds("paths"); err == nil {
		t.Error("paths: no error")
	}
}

// TestFdAllocs: printing a descriptor the table knows allocates nothing.
func TestFdAllocs(t *testing.T) {
	const pid = 0x7ffffff0
	txt := NewText(Options{DecodeFds: DecodeFdAll}, nil)
	txt.fds.proc = t.TempDir()
	txt.fds.process(pid).fds[3] = fdEntry{link: "/etc/host<name>"}
	txt.fds.process(pid).fds[4] = fdEntry{link: "pipe:[12]"}
	evs := []*Event{fdCall(t, pid, "fsync", 0, []uint64{3}), fdCall(t, pid, "fsync", 0, []uint64{4})}
	var buf []byte
	if n := testing.AllocsPerRun(100, func() {
		for _, ev := range evs {
			txt.Event(ev)
		}
		buf = txt.TakeInto(buf[:0])
	}); n != 0 {
		t.Errorf("%v allocations a run", n)
	}
	if got := string(buf); got != "fsync(3</etc/host\\74name\\76>)           = 0\nfsync(4<pipe:[12]>)                     = 0\n" {
		t.Errorf("got %q", got)
	}
}
