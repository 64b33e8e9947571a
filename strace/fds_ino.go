package strace

import (
	"strconv"

	"github.com/eproc/eproc/loader/wire"
	"golang.org/x/sys/unix"
)

// The descriptors only the kernel names (socket:[N], pipe:[N]), from the
// records: the calls that make them capture what they are (wire.CKFdIno:
// the inode's number and type, a socket's protocol), read from the task's
// file table as the call returns. A process that ends within a
// millisecond of its socket() has no /proc/PID/fd left to read when its
// records are decoded, and a process that goes on may have closed the
// number and reused it by then.

// fdInoCall is where a call's new descriptors are: its result (ret), or
// the two ints at argument arg.
type fdInoCall struct {
	arg uint8
	ret bool
}

var fdInoCalls = map[string]fdInoCall{
	"socket": {0, true}, "accept": {0, true}, "accept4": {0, true}, "pidfd_getfd": {0, true},
	"socketpair": {3, false}, "pipe": {0, false}, "pipe2": {0, false},
}

// fdInoSpec adds call name's capture of its new descriptors to caps, n of
// which are used; it returns the count used after.
func fdInoSpec(name string, caps *[wire.NCaps]wire.CapSpec, n int) int {
	fc, ok := fdInoCalls[name]
	if !ok || n == wire.NCaps {
		return n
	}
	caps[n] = wire.CapSpec{Kind: wire.CKFdIno, Arg: fc.arg, When: wire.CWOK}
	if fc.ret {
		caps[n].SizeFrom = wire.SzRet
	}
	return n + 1
}

// recordedFd is new descriptor k (0, or 1 of a pair) of call c as its
// record has it: the /proc link text of a socket (of a pipe, for pipe and
// pipe2: a FIFO another call gives is a path), with its protocol; ok
// false when the record has it not, or it is another file.
func recordedFd(c *Call, k int) (fdEntry, bool) {
	se := lookup(c.Nr)
	if se == nil {
		return fdEntry{}, false
	}
	fc, ok := fdInoCalls[se.Name]
	if !ok {
		return fdEntry{}, false
	}
	cp := c.Cap(int(fc.arg), wire.FdInoIdx)
	if cp == nil || cp.Fault() || len(cp.Data) < (k+1)*wire.FdInoSize {
		return fdEntry{}, false
	}
	b := cp.Data[k*wire.FdInoSize : (k+1)*wire.FdInoSize]
	ino := le.Uint64(b)
	if ino == 0 {
		return fdEntry{}, false
	}
	n := strconv.FormatUint(ino, 10)
	switch le.Uint32(b[8:]) & unix.S_IFMT {
	case unix.S_IFSOCK:
		name := b[16:]
		if i := indexByte(name, 0); i >= 0 {
			name = name[:i]
		}
		return fdEntry{link: "socket:[" + n + "]", proto: string(name)}, true
	case unix.S_IFIFO:
		if se.Name == "pipe" || se.Name == "pipe2" {
			return fdEntry{link: "pipe:[" + n + "]"}, true
		}
	}
	return fdEntry{}, false
}

// newFdEntry is new descriptor k of call c: its record's (recordedFd),
// else /proc's now.
func (t *fdTable) newFdEntry(c *Call, k int, fd int32) (fdEntry, bool) {
	if e, ok := recordedFd(c, k); ok {
		return e, true
	}
	return t.readlink(c.Tgid, fd)
}

// -yy's details that the records give, for sockets whose process may be
// gone when they are printed (sock_diag has them no more): a netlink
// socket bound to a port (bind's address, getsockname's answer), the two
// ends of a socketpair.

// sockNetlink keeps the protocol of a netlink socket socket() made.
func (t *fdTable) sockNetlink(c *Call, ino uint64) {
	if t.set&DecodeFdSocket == 0 || ino == 0 || lookup(c.Nr).Name != "socket" || c.Args[0] != unix.AF_NETLINK {
		return
	}
	if len(t.sockNl) >= 4096 {
		clear(t.sockNl) // a socket no longer known is asked of sock_diag
	}
	t.sockNl[ino] = uint8(c.Args[2])
}

// sockBound learns the port a netlink socket was bound to: after bind
// returned (bind's own descriptor is printed unbound, as strace prints it
// at entry), or before getsockname's line (the socket was bound when the
// call was made). A port of 0 (an autobind's, which bind does not tell)
// is left to sock_diag.
func (t *fdTable) sockBound(c *Call) {
	if t.set&DecodeFdSocket == 0 || len(t.sockNl) == 0 || c.Ret != 0 || !c.Complete() {
		return
	}
	ino := socketInode(t.lookup(c.Tgid, int32(c.Args[0]), true).link)
	proto, ok := t.sockNl[ino]
	if !ok {
		return
	}
	if _, found := t.socks[ino]; found {
		return
	}
	cp := c.Cap(1, 0)
	if cp == nil || cp.Fault() || len(cp.Data) < 8 || le.Uint16(cp.Data) != unix.AF_NETLINK {
		return
	}
	if port := le.Uint32(cp.Data[4:]); port != 0 {
		t.socks[ino] = netlinkDetails("NETLINK", proto, port)
		delete(t.sockFresh, ino)
	}
}

// netlinkDetails: "NETLINK:[ROUTE:portid]", "NETLINK:[proto]" for a
// protocol strace has no name for.
func netlinkDetails(name string, proto uint8, port uint32) string {
	if pn, ok := netlinkProtoNames[proto]; ok {
		return name + ":[" + pn + ":" + strconv.FormatUint(uint64(port), 10) + "]"
	}
	return name + ":[" + strconv.Itoa(int(proto)) + "]"
}

// sockPair gives the two ends of a AF_UNIX socketpair their details, each
// the other's peer: "UNIX-STREAM:[ino->peer]".
func (t *fdTable) sockPair(a, b fdEntry) {
	if t.set&DecodeFdSocket == 0 || a.proto != b.proto || (a.proto != "UNIX" && a.proto != "UNIX-STREAM") {
		return
	}
	ia, ib := socketInode(a.link), socketInode(b.link)
	if ia == 0 || ib == 0 {
		return
	}
	t.socks[ia] = a.proto + ":[" + strconv.FormatUint(ia, 10) + "->" + strconv.FormatUint(ib, 10) + "]"
	t.socks[ib] = b.proto + ":[" + strconv.FormatUint(ib, 10) + "->" + strconv.FormatUint(ia, 10) + "]"
}
