package loader

import (
	"encoding/binary"
	"os"
	"os/exec"
	"testing"

	"github.com/eproc/eproc/loader/wire"
	"golang.org/x/sys/unix"
)

// TestBpfPlanNetlink: a capture's wire.CWNetlink reaches the kernel's
// plan in its when, beside CWIn or CWOK, with its max.
func TestBpfPlanNetlink(t *testing.T) {
	p := wire.Plan{Caps: [wire.NCaps]wire.CapSpec{
		{Kind: wire.CKMem, Arg: 1, SizeFrom: wire.SzArg, SizeArg: 2, Elem: 1, Max: 4096, When: wire.CWIn | wire.CWNetlink},
		{Kind: wire.CKMsghdr, Arg: 1, SizeFrom: wire.SzRet, Max: 4096, When: wire.CWOK | wire.CWNetlink},
		{Kind: wire.CKMem, Arg: 4, SizeFrom: wire.SzConst, Elem: 16, Max: 16, When: wire.CWIn},
	}}
	got := bpfPlan(p)
	for i, w := range []struct {
		kind, when uint8
		max        uint16
	}{{wire.CKMem, wire.CWIn | wire.CWNetlink, 4096}, {wire.CKMsghdr, wire.CWOK | wire.CWNetlink, 4096}, {wire.CKMem, wire.CWIn, 16}} {
		if c := got.Caps[i]; c.Kind != w.kind || c.When != w.when || c.Max != w.max {
			t.Errorf("capture %d: kind %d when %#x max %d; want kind %d when %#x max %d", i, c.Kind, c.When, c.Max, w.kind, w.when, w.max)
		}
	}
	if got.Flags&wire.PFEntry != 0 || got.EntrySize[0] != 0 {
		t.Errorf("CWNetlink taken for an entry capture: %+v", got)
	}
}

// nlCapLen is the length of every buffer TestNetlinkCapHelper sends;
// nlAckLen, of the ACK the kernel sends back for one (its header, the
// error 0, the request's header).
const (
	nlCapLen = 1000
	nlAckLen = 36
)

// TestNetlinkCapHelper is the traced program of TestNetlinkCap: a sendto
// and a sendmsg of nlCapLen bytes on a UDP socket, a unix socket and a
// NETLINK_ROUTE socket, in that order (a netlink no-op message asking for
// an ACK); then a recvfrom of the first ACK (nlAckLen bytes) into a
// buffer of 8 KiB that starts nlAckLen bytes before a page that was never
// touched.
func TestNetlinkCapHelper(t *testing.T) {
	if os.Getenv("EPROC_NLCAP_HELPER") != "1" {
		t.Skip("the traced side of TestNetlinkCap")
	}
	buf := make([]byte, nlCapLen)
	for i := range buf {
		buf[i] = 'a'
	}
	binary.LittleEndian.PutUint32(buf, nlCapLen)
	binary.LittleEndian.PutUint16(buf[4:], unix.NLMSG_NOOP)
	binary.LittleEndian.PutUint16(buf[6:], unix.NLM_F_REQUEST|unix.NLM_F_ACK)
	udp, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	sv, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_DGRAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	nl, err := unix.Socket(unix.AF_NETLINK, unix.SOCK_RAW, unix.NETLINK_ROUTE)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []struct {
		fd int
		to unix.Sockaddr
	}{
		{udp, &unix.SockaddrInet4{Port: 9, Addr: [4]byte{127, 0, 0, 1}}},
		{sv[0], nil},
		{nl, &unix.SockaddrNetlink{Family: unix.AF_NETLINK}},
	} {
		if err := unix.Sendto(s.fd, buf, 0, s.to); err != nil {
			t.Fatal(err)
		}
		if _, err := unix.SendmsgN(s.fd, buf, nil, s.to, 0); err != nil {
			t.Fatal(err)
		}
	}
	mem, err := unix.Mmap(-1, 0, 4*4096, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE|unix.MAP_ANONYMOUS)
	if err != nil {
		t.Fatal(err)
	}
	mem[0] = 1 // the first page only
	if n, _, err := unix.Recvfrom(nl, mem[4096-nlAckLen:4096-nlAckLen+8192], 0); err != nil || n != nlAckLen {
		t.Fatalf("recvfrom: %d, %v; want %d", n, err, nlAckLen)
	}
}

// TestNetlinkCap: a CWNetlink capture takes its max (4096) only on a
// netlink socket: the 1000 bytes sent whole there, -s bytes (and
// CapTrunc) on a UDP or a unix socket. With -s larger than the max, -s
// wins on any socket. A buffer received on a netlink socket is read as
// far as the result (its 36 bytes, not the 4096 the max allows, which
// would fault on the untouched page after them).
func TestNetlinkCap(t *testing.T) {
	e := openEngine(t)
	for _, tc := range []struct {
		strsize int
		max     uint16
		want    [3]int // captured bytes, on UDP, unix, netlink
	}{
		{32, 4096, [3]int{32, 32, nlCapLen}},
		{500, 100, [3]int{500, 500, 500}},
	} {
		plans := map[uint32]wire.Plan{
			unix.SYS_EXECVE:     {Flags: wire.PFExec},
			unix.SYS_EXIT_GROUP: {Flags: wire.PFNoReturn},
			unix.SYS_SENDTO: {Caps: [wire.NCaps]wire.CapSpec{{Kind: wire.CKMem, Arg: 1, SizeFrom: wire.SzArg, SizeArg: 2, Elem: 1,
				Max: tc.max, When: wire.CWIn | wire.CWNetlink}}},
			unix.SYS_SENDMSG: {Caps: [wire.NCaps]wire.CapSpec{{Kind: wire.CKMsghdr, Arg: 1, Max: tc.max, When: wire.CWIn | wire.CWNetlink}}},
			unix.SYS_RECVFROM: {Caps: [wire.NCaps]wire.CapSpec{{Kind: wire.CKMem, Arg: 1, SizeFrom: wire.SzArg, SizeArg: 2, Elem: 1,
				Max: tc.max, When: wire.CWOK | wire.CWNetlink}}},
		}
		if err := e.SetPlans(plans); err != nil {
			t.Fatal(err)
		}
		got, recv := nlCapRun(t, e, tc.strsize)
		if len(got) != 6 {
			t.Fatalf("-s %d: %d sendto/sendmsg records (%v); want 6", tc.strsize, len(got), got)
		}
		if tc.max <= uint16(tc.strsize) {
			// -s wins: as much as -s.
		} else if recv == nil || len(recv.Data) != nlAckLen || recv.Flags&wire.CapFault != 0 {
			t.Errorf("-s %d max %d: recvfrom captured %+v; want its %d bytes, no fault", tc.strsize, tc.max, recv, nlAckLen)
		}
		for k, g := range got {
			w := tc.want[k/2]
			trunc := w < nlCapLen
			if g.n != w || g.trunc != trunc {
				t.Errorf("-s %d max %d: %s on socket %d: %d bytes captured, cut %v; want %d, cut %v",
					tc.strsize, tc.max, g.call, k/2, g.n, g.trunc, w, trunc)
			}
		}
	}
}

type nlCapGot struct {
	call  string
	n     int
	trunc bool
}

// nlCapRun traces TestNetlinkCapHelper with -s strsize: what each sendto
// and sendmsg record captured of the data sent, and the recvfrom's
// capture.
func nlCapRun(t *testing.T, e *Engine, strsize int) ([]nlCapGot, *wire.Cap) {
	s, err := e.NewSession(SessionConfig{RingSize: 1 << 20, StrSize: strsize})
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestNetlinkCapHelper$", "-test.count=1")
	cmd.Env = append(os.Environ(), "EPROC_NLCAP_HELPER=1")
	if err := s.Spawn(cmd, true); err != nil {
		t.Fatal(err)
	}
	var got []nlCapGot
	var recv *wire.Cap
	done := make(chan Stats)
	go func() {
		done <- s.Run(HandlerFunc(func(rec []byte) {
			var c wire.Call
			if binary.LittleEndian.Uint16(rec) != wire.EvSyscall || wire.ParseCall(rec, &c) != nil {
				return
			}
			switch {
			case c.Nr == unix.SYS_SENDTO && c.Args[2] == nlCapLen:
				if cp := c.Cap(1, 0); cp != nil {
					got = append(got, nlCapGot{"sendto", len(cp.Data), cp.Flags&wire.CapTrunc != 0})
				}
			case c.Nr == unix.SYS_RECVFROM && c.Args[2] == 8192:
				if cp := c.Cap(1, 0); cp != nil {
					recv = &wire.Cap{Arg: cp.Arg, Idx: cp.Idx, Flags: cp.Flags, Data: append([]byte(nil), cp.Data...)}
				}
			case c.Nr == unix.SYS_SENDMSG:
				if cp := c.Cap(1, wire.MsgIov+1); cp != nil {
					got = append(got, nlCapGot{"sendmsg", len(cp.Data), cp.Flags&wire.CapTrunc != 0})
				}
			}
		}))
	}()
	if err := cmd.Wait(); err != nil {
		t.Fatalf("helper: %v", err)
	}
	<-done
	return got, recv
}
