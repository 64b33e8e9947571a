package strace

import (
	"encoding/binary"
	"testing"

	"github.com/eproc/eproc/loader/wire"
	"golang.org/x/sys/unix"
)

// inoCap is a CKFdIno capture of argument arg: one wire.FdInoSize entry
// per file, each an inode number, mode and socket protocol.
func inoCap(arg int, files ...fdIno) wire.Cap {
	var b []byte
	for _, f := range files {
		e := make([]byte, wire.FdInoSize)
		binary.LittleEndian.PutUint64(e, f.ino)
		binary.LittleEndian.PutUint32(e[8:], f.mode)
		copy(e[16:31], f.name)
		b = append(b, e...)
	}
	return wire.Cap{Arg: uint8(arg), Idx: wire.FdInoIdx, Data: b}
}

type fdIno struct {
	ino  uint64
	mode uint32
	name string
}

// nlAddr is a struct sockaddr_nl of port pid.
func nlAddr(arg int, pid uint32) wire.Cap {
	b := make([]byte, 12)
	binary.LittleEndian.PutUint16(b, unix.AF_NETLINK)
	binary.LittleEndian.PutUint32(b[4:], pid)
	return wire.Cap{Arg: uint8(arg), Data: b}
}

// TestFdInoNetlink: strace's net-yy-netlink for a process that is gone
// when its records are decoded (no /proc/PID/fd): the socket's inode and
// protocol come from socket()'s record, its port from bind's address,
// printed from the call after bind on (bind's own descriptor is printed
// as strace prints it at entry, unbound). The -y, -yy and
// --decode-fds=socket lines are strace's for the test's program.
func TestFdInoNetlink(t *testing.T) {
	const pid, ino = 0x7ffffff0, 3849849
	proc := t.TempDir() // the process is gone
	sock := func() *Event {
		return fdCall(t, pid, "socket", 3, []uint64{unix.AF_NETLINK, unix.SOCK_RAW, unix.NETLINK_SOCK_DIAG},
			inoCap(0, fdIno{ino, unix.S_IFSOCK | 0o777, "NETLINK"}))
	}
	calls := func() []*Event {
		return []*Event{sock(),
			fdCall(t, pid, "bind", 0, []uint64{3, 0x1000, 12}, nlAddr(1, 12287)),
			fdCall(t, pid, "close", 0, []uint64{3}),
		}
	}
	got := fdText(t, DecodeFdPath, proc, 0, calls()...)
	checkLines(t, got, []string{
		`socket(AF_NETLINK, SOCK_RAW, NETLINK_SOCK_DIAG) = 3<socket:[3849849]>`,
		`bind(3<socket:[3849849]>, {sa_family=AF_NETLINK, nl_pid=12287, nl_groups=00000000}, 12) = 0`,
		`close(3<socket:[3849849]>) = 0`,
	})
	for _, set := range []uint8{DecodeFdAll, DecodeFdSocket} {
		got = fdText(t, set, proc, 0, calls()...)
		checkLines(t, got, []string{
			`socket(AF_NETLINK, SOCK_RAW, NETLINK_SOCK_DIAG) = 3<NETLINK:[3849849]>`,
			`bind(3<NETLINK:[3849849]>, {sa_family=AF_NETLINK, nl_pid=12287, nl_groups=00000000}, 12) = 0`,
			`close(3<NETLINK:[SOCK_DIAG:12287]>) = 0`,
		})
	}
	// Bound by the kernel (nl_pid 0: bind tells not the port), told by
	// getsockname: its own line has it.
	got = fdText(t, DecodeFdAll, proc, 0, sock(),
		fdCall(t, pid, "bind", 0, []uint64{3, 0x1000, 12}, nlAddr(1, 0)),
		fdCall(t, pid, "close", 0, []uint64{3}),
	)
	checkLines(t, got[2:], []string{`close(3<NETLINK:[3849849]>) = 0`})
	gsn := fdCall(t, pid, "getsockname", 0, []uint64{3, 0x1000, 0x2000}, nlAddr(1, 4242))
	got = fdText(t, DecodeFdAll, proc, 0, sock(),
		fdCall(t, pid, "bind", 0, []uint64{3, 0x1000, 12}, nlAddr(1, 0)), gsn,
		fdCall(t, pid, "close", 0, []uint64{3}),
	)
	if want := `getsockname(3<NETLINK:[SOCK_DIAG:4242]>, {sa_family=AF_NETLINK, nl_pid=4242`; len(got) != 4 || got[2][:len(want)] != want {
		t.Errorf("getsockname: got %q, want %s...", got, want)
	}
	checkLines(t, got[3:], []string{`close(3<NETLINK:[SOCK_DIAG:4242]>) = 0`})
}

// TestFdInoPairs: pipe2's and socketpair's descriptors from their
// records when /proc has them not, the two ends of an AF_UNIX
// socketpair each the other's peer with -yy (what sock_diag says of
// them); the record, not /proc, names a descriptor /proc has under the
// same number by then (closed and reused), and an accept's.
func TestFdInoPairs(t *testing.T) {
	const pid = 0x7ffffff0
	proc := t.TempDir()
	pair := func() []*Event {
		return []*Event{
			fdCall(t, pid, "pipe2", 0, []uint64{0x1000, 0}, wire.Cap{Arg: 0, Data: []byte{3, 0, 0, 0, 4, 0, 0, 0}},
				inoCap(0, fdIno{100, unix.S_IFIFO | 0o600, ""}, fdIno{100, unix.S_IFIFO | 0o600, ""})),
			fdCall(t, pid, "socketpair", 0, []uint64{unix.AF_UNIX, unix.SOCK_STREAM, 0, 0x1000},
				wire.Cap{Arg: 3, Data: []byte{5, 0, 0, 0, 6, 0, 0, 0}},
				inoCap(3, fdIno{200, unix.S_IFSOCK | 0o777, "UNIX-STREAM"}, fdIno{201, unix.S_IFSOCK | 0o777, "UNIX-STREAM"})),
			fdCall(t, pid, "accept4", 7, []uint64{5, 0, 0, unix.SOCK_CLOEXEC},
				inoCap(0, fdIno{300, unix.S_IFSOCK | 0o777, "TCP"})),
			fdCall(t, pid, "close", 0, []uint64{7}),
		}
	}
	checkLines(t, fdText(t, DecodeFdPath, proc, 0, pair()...), []string{
		`pipe2([3<pipe:[100]>, 4<pipe:[100]>], 0) = 0`,
		`socketpair(AF_UNIX, SOCK_STREAM, 0, [5<socket:[200]>, 6<socket:[201]>]) = 0`,
		`accept4(5<socket:[200]>, NULL, NULL, SOCK_CLOEXEC) = 7<socket:[300]>`,
		`close(7<socket:[300]>) = 0`,
	})
	checkLines(t, fdText(t, DecodeFdAll, proc, 0, pair()...), []string{
		`pipe2([3<pipe:[100]>, 4<pipe:[100]>], 0) = 0`,
		`socketpair(AF_UNIX, SOCK_STREAM, 0, [5<UNIX-STREAM:[200->201]>, 6<UNIX-STREAM:[201->200]>]) = 0`,
		`accept4(5<UNIX-STREAM:[200->201]>, NULL, NULL, SOCK_CLOEXEC) = 7<TCP:[300]>`,
		`close(7<TCP:[300]>) = 0`,
	})
	reused := fakeProc(t, pid, "/", map[int]string{7: "/etc/hostname"})
	checkLines(t, fdText(t, DecodeFdPath, reused, 0, pair()[2]), []string{
		`accept4(5, NULL, NULL, SOCK_CLOEXEC) = 7<socket:[300]>`,
	})
}

// TestFdInoPlans: the calls that make sockets and pipes capture them.
func TestFdInoPlans(t *testing.T) {
	plans := Plans()
	for name, want := range map[string]wire.CapSpec{
		"socket":     {Kind: wire.CKFdIno, SizeFrom: wire.SzRet, When: wire.CWOK},
		"accept4":    {Kind: wire.CKFdIno, SizeFrom: wire.SzRet, When: wire.CWOK},
		"pipe2":      {Kind: wire.CKFdIno, When: wire.CWOK},
		"socketpair": {Kind: wire.CKFdIno, Arg: 3, When: wire.CWOK},
	} {
		nr, ok := Number(name)
		if !ok {
			continue
		}
		found := false
		for _, cs := range plans[nr].Caps {
			found = found || cs == want
		}
		if !found {
			t.Errorf("%s: no %+v in %+v", name, want, plans[nr].Caps)
		}
	}
}
