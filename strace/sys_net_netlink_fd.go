package strace

import (
	"maps"
	"os"
	"slices"
	"strconv"

	"golang.org/x/sys/unix"
)

// Which netlink protocol a socket speaks: strace decodes a buffer sent to
// a netlink socket as netlink messages, by the socket's protocol
// (get_fd_nl_family, from its sock_diag details: NETLINK:[ROUTE:...]).
// eproc decodes records after the fact, when the process may have closed
// the socket or be gone, so it follows the sockets the process makes:
// socket(AF_NETLINK, ..., PROTO) returns a descriptor of PROTO (with -e
// trace=, socket is delivered too: NetlinkCalls); a child inherits its
// parent's. A descriptor it did not see made (inherited, dup'd, or made
// before tracing began) is asked of the kernel when the record is
// decoded: /proc/PID/fd/N names the socket's inode, and a sock_diag dump
// of the netlink sockets gives the protocols by inode (kept: a socket's
// protocol never changes).

// nlFamilies are the netlink protocols of sockets, found.
type nlFamilies struct {
	proc  string                   // "/proc"
	made  map[uint32]map[int32]int // tgid -> fd -> protocol of the sockets made, -1: not netlink
	ino   map[uint64]int           // socket inode -> protocol, -1: not netlink
	dumps int                      // sock_diag dumps made (tests)
	// socketNr is socket's number: event looks at every call that
	// returned, and compares a number, not the name its table gives.
	socketNr uint32
}

func newNlFamilies() *nlFamilies {
	t := &nlFamilies{proc: "/proc", made: map[uint32]map[int32]int{}, ino: map[uint64]int{}, socketNr: ^uint32(0)}
	if nr, ok := Number("socket"); ok {
		t.socketNr = nr
	}
	return t
}

// nlSocketCalls are the calls whose buffers are decoded as netlink.
var nlSocketCalls = []string{"sendto", "recvfrom", "sendmsg", "recvmsg", "sendmmsg", "recvmmsg"}

// NetlinkCalls are the calls followed to know the sockets' protocols when
// -e trace= asks for shown: none unless one of them decodes netlink.
func NetlinkCalls(shown []uint32) []uint32 {
	for _, name := range nlSocketCalls {
		if nr, ok := Number(name); ok && slices.Contains(shown, nr) {
			if sock, ok := Number("socket"); ok {
				return []uint32{sock}
			}
		}
	}
	return nil
}

// event follows the sockets made, a fork's inherited ones, and forgets a
// process that ended. It is called for every event: most are calls other
// than socket, passed over here, inlined.
func (t *nlFamilies) event(ev *Event) {
	if ev.Kind != KindCall || ev.Call.Nr == t.socketNr {
		t.follow(ev)
	}
}

func (t *nlFamilies) follow(ev *Event) {
	switch ev.Kind {
	case KindCall:
		c := ev.Call
		if !c.Complete() || c.Ret < 0 {
			return
		}
		fam := -1
		if c.Args[0]&0xffffffff == unix.AF_NETLINK {
			fam = int(c.Args[2] & 0xffffffff)
		}
		m := t.made[c.Tgid]
		if m == nil {
			m = map[int32]int{}
			t.made[c.Tgid] = m
		}
		m[int32(c.Ret)] = fam
	case KindFork:
		if f := ev.Fork; !f.Thread && f.ChildTgid != f.Tgid && t.made[f.Tgid] != nil {
			t.made[f.ChildTgid] = maps.Clone(t.made[f.Tgid])
		}
	case KindExit:
		if e := ev.Exit; e.GroupDead && !e.Superseded {
			delete(t.made, e.Tgid)
		}
	}
}

// family is the netlink protocol of tgid's descriptor fd, -1 when it is
// not a netlink socket or cannot be known.
func (t *nlFamilies) family(tgid uint32, fd int32) int {
	if fd < 0 {
		return -1
	}
	if f, ok := t.made[tgid][fd]; ok {
		return f
	}
	link, err := os.Readlink(t.proc + "/" + strconv.FormatUint(uint64(tgid), 10) + "/fd/" + strconv.Itoa(int(fd)))
	if err != nil {
		return -1
	}
	ino := socketInode(link)
	if ino == 0 {
		return -1
	}
	if f, ok := t.ino[ino]; ok {
		return f
	}
	t.dump()
	if _, ok := t.ino[ino]; !ok {
		t.ino[ino] = -1
	}
	return t.ino[ino]
}

// dump learns the protocol of every netlink socket sock_diag lists.
func (t *nlFamilies) dump() {
	t.dumps++
	fd, err := unix.Socket(unix.AF_NETLINK, unix.SOCK_RAW|unix.SOCK_CLOEXEC, unix.NETLINK_SOCK_DIAG)
	if err != nil {
		return
	}
	defer unix.Close(fd)
	// struct netlink_diag_req: family, protocol (NDIAG_PROTO_ALL), pad,
	// ino, show, cookie[2].
	req := make([]byte, 24)
	req[0], req[1] = unix.AF_NETLINK, 255
	diagQuery(fd, unix.NLM_F_DUMP, req, func(b []byte) (string, bool) {
		// struct netlink_diag_msg: family, type, protocol, state, portid,
		// dst_portid, dst_group, ino, cookie[2].
		if len(b) >= 24 && b[0] == unix.AF_NETLINK {
			t.ino[uint64(le.Uint32(b[16:]))] = int(b[2])
		}
		return "", false
	})
}
