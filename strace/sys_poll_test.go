package strace

import (
	"encoding/binary"
	"testing"

	"github.com/eproc/eproc/loader/wire"
)

// Decoder tests of the poll, select and epoll calls (see family_test.go).

func TestFamDescPoll(t *testing.T) {
	pfd := []byte{7, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 4, 0, 4, 0}
	checkLine(t, decodeLine(t, "poll", 1, [6]uint64{0x1000, 2, 0}, wire.Cap{Arg: 0, Data: pfd}),
		`poll([{fd=7, events=POLLIN}, {fd=1, events=POLLOUT}], 2, 0) = 1 ([{fd=1, revents=POLLOUT}])`)
	checkLine(t, decodeLine(t, "poll", 0, [6]uint64{0x1000, 1, 10}, wire.Cap{Arg: 0, Data: pfd[:8]}),
		`poll([{fd=7, events=POLLIN}], 1, 10) = 0 (Timeout)`)
	neg := []byte{0xff, 0xff, 0xff, 0xff, 1, 0, 0, 0}
	checkLine(t, decodeLine(t, "poll", 0, [6]uint64{0x1000, 1, 0}, wire.Cap{Arg: 0, Data: neg}), `poll([{fd=-1}], 1, 0) = 0 (Timeout)`)
	set := []byte{0x81}
	checkLine(t, decodeLine(t, "pselect6", 2, [6]uint64{8, 0x1000, 0, 0, 0, 0}, wire.Cap{Arg: 1, Data: set}),
		`pselect6(8, [0 7], NULL, NULL, NULL, NULL) = 2 (in [0 7])`)
	ev := make([]byte, epollEventSize)
	binary.LittleEndian.PutUint32(ev, 0x80000001)
	binary.LittleEndian.PutUint64(ev[epollEventSize-8:], 0x100000005)
	checkLine(t, decodeLine(t, "epoll_ctl", 0, [6]uint64{12, 1, 1, 0x1000}, wire.Cap{Arg: 3, Data: ev}),
		`epoll_ctl(12, EPOLL_CTL_ADD, 1, {events=EPOLLIN|EPOLLET, data={u32=5, u64=4294967301}}) = 0`)
	checkLine(t, decodeLine(t, "epoll_pwait", 0, [6]uint64{12, 0x1000, 4, 0, 0, 8}), `epoll_pwait(12, [], 4, 0, NULL, 8) = 0`)
	checkLine(t, decodeLine(t, "epoll_pwait", 1, [6]uint64{12, 0x1000, 4, 0, 0, 8}, wire.Cap{Arg: 1, Data: ev}),
		`epoll_pwait(12, [{events=EPOLLIN|EPOLLET, data={u32=5, u64=4294967301}}], 4, 0, NULL, 8) = 1`)
	checkLine(t, decodeLine(t, "ppoll", 1, [6]uint64{0x1000, 1, 0, 0x2000, 8}, wire.Cap{Arg: 0, Data: []byte{7, 0, 0, 0, 1, 0, 1, 0}}, wire.Cap{Arg: 3, Data: []byte{0, 0, 1, 0, 0, 0, 0, 0}}),
		`ppoll([{fd=7, events=POLLIN}], 1, NULL, [CHLD], 8) = 1 ([{fd=7, revents=POLLIN}])`)
}

// pselect6's sixth argument, struct { const sigset_t *ss; size_t ss_len; }:
// the set behind its pointer (wire.CKDeref) when its size is a sigset_t's,
// else the pointer.
func TestFamPselectSigmask(t *testing.T) {
	ts := wire.Cap{Arg: 4, Data: u64s(0, 0)}
	checkLine(t, decodeLine(t, "pselect6", 0, [6]uint64{0, 0, 0, 0, 0x1000, 0x2000}, ts, wire.Cap{Arg: 5, Data: u64s(0, 8)}),
		`pselect6(0, NULL, NULL, NULL, {tv_sec=0, tv_nsec=0}, {sigmask=NULL, sigsetsize=8}) = 0 (Timeout)`)
	set := wire.Cap{Arg: 5, Idx: wire.DerefIdx, Data: []byte{1, 0, 1, 0, 0, 0, 0, 0}}
	checkLine(t, decodeLine(t, "pselect6", -22, [6]uint64{0xffffffff, 0, 0x3000, 0, 0, 0x2000}, wire.Cap{Arg: 5, Data: u64s(0x4000, 8)}, set),
		`pselect6(-1, NULL, 0x3000, NULL, NULL, {sigmask=[HUP CHLD], sigsetsize=8}) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "pselect6", -14, [6]uint64{0, 0, 0, 0, 0x1000, 0x2000}, ts, wire.Cap{Arg: 5, Data: u64s(1, 8)}),
		`pselect6(0, NULL, NULL, NULL, {tv_sec=0, tv_nsec=0}, {sigmask=0x1, sigsetsize=8}) = -1 EFAULT (Bad address)`)
	checkLine(t, decodeLine(t, "pselect6", -14, [6]uint64{0, 0, 0, 0, 0x1000, 1}, ts),
		`pselect6(0, NULL, NULL, NULL, {tv_sec=0, tv_nsec=0}, 0x1) = -1 EFAULT (Bad address)`)
	checkLine(t, decodeLine(t, "pselect6", -22, [6]uint64{0, 0, 0, 0, 0x1000, 0x2000}, ts, wire.Cap{Arg: 5, Data: u64s(0x7ffc7cb4f9d0, 16)}),
		`pselect6(0, NULL, NULL, NULL, {tv_sec=0, tv_nsec=0}, {sigmask=0x7ffc7cb4f9d0, sigsetsize=16}) = -1 EINVAL (Invalid argument)`)
}

// epoll_ctl reads an event of epollEventSize bytes, and epoll_pwait{,2}
// print their timeout and mask at exit: addresses when the call failed or
// the mask's size is not a sigset_t's (strace's epoll_pwait_common).
func TestFamEpollPwaitExit(t *testing.T) {
	if k := kinds[kEpollEvent].cap; int(k.max) != epollEventSize {
		t.Errorf("epoll_ctl's event capture is %d bytes, want %d", k.max, epollEventSize)
	}
	ts := wire.Cap{Arg: 3, Data: u64s(1, 2)}
	mask := wire.Cap{Arg: 4, Data: []byte{0, 0, 1, 0, 0, 0, 0, 0}}
	checkLine(t, decodeLine(t, "epoll_pwait2", -22, [6]uint64{3, 0x1000, 0xffffffff, 0x2000, 0x3000, 8}, ts, mask),
		`epoll_pwait2(3, 0x1000, -1, 0x2000, 0x3000, 8) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "epoll_pwait2", 0, [6]uint64{3, 0x1000, 1, 0x2000, 0x3000, 8}, ts, mask),
		`epoll_pwait2(3, [], 1, {tv_sec=1, tv_nsec=2}, [CHLD], 8) = 0`)
	checkLine(t, decodeLine(t, "epoll_pwait", 0, [6]uint64{3, 0x1000, 1, 0, 0x3000, 256}, mask),
		`epoll_pwait(3, [], 1, 0, 0x3000, 256) = 0`)
	checkLine(t, decodeLine(t, "epoll_pwait", -22, [6]uint64{3, 0x1000, 1, 0xfffffffe, 0x3000, 8}, mask),
		`epoll_pwait(3, 0x1000, 1, -2, 0x3000, 8) = -1 EINVAL (Invalid argument)`)
}

// EPOLL_CTL_DEL's event is not read: strace prints its address.
func TestFamEpollCtlDel(t *testing.T) {
	ev := make([]byte, epollEventSize)
	ev[0] = 1
	checkLine(t, decodeLine(t, "epoll_ctl", -9, [6]uint64{0xfffffffd, 2, 0xfffffffc, 0x1000}, wire.Cap{Arg: 3, Data: ev}),
		`epoll_ctl(-3, EPOLL_CTL_DEL, -4, 0x1000) = -1 EBADF (Bad file descriptor)`)
}

// ppoll's timeout prints as the call was given it (its two words read at
// entry, wire.EntryIdx), not as the kernel left it; unreadable at entry,
// its address; not seen at entry, as captured. The left time is the
// capture's.
func TestFamPpollTimeoutAtEntry(t *testing.T) {
	pfd := wire.Cap{Arg: 0, Data: []byte{7, 0, 0, 0, 4, 0, 4, 0}}
	left := wire.Cap{Arg: 2, Data: u64s(41, 5)}
	sec := wire.Cap{Arg: 2, Idx: wire.EntryIdx, Data: u64s(42)}
	nsec := wire.Cap{Arg: 2, Idx: wire.EntryIdx, Data: u64s(999999999)}
	checkLine(t, decodeLine(t, "ppoll", 1, [6]uint64{0x1000, 1, 0x2000, 0, 8}, pfd, left, sec, nsec),
		`ppoll([{fd=7, events=POLLOUT}], 1, {tv_sec=42, tv_nsec=999999999}, NULL, 8) = 1 ([{fd=7, revents=POLLOUT}], left {tv_sec=41, tv_nsec=5})`)
	checkLine(t, decodeLine(t, "ppoll", 1, [6]uint64{0x1000, 1, 0x2000, 0, 8}, pfd, left),
		`ppoll([{fd=7, events=POLLOUT}], 1, {tv_sec=41, tv_nsec=5}, NULL, 8) = 1 ([{fd=7, revents=POLLOUT}], left {tv_sec=41, tv_nsec=5})`)
	bad := wire.Cap{Arg: 2, Idx: wire.EntryIdx, Flags: wire.CapFault}
	checkLine(t, decodeLine(t, "ppoll", -14, [6]uint64{0x1000, 1, 0x2000, 0, 8}, pfd, bad, bad),
		`ppoll([{fd=7, events=POLLOUT}], 1, 0x2000, NULL, 8) = -1 EFAULT (Bad address)`)
	// Both words are read at entry, and the array's count is an int's.
	caps, n := capSpecs(lookup(mustNumber(t, "ppoll")).signature().args, nil, nil)
	entries := 0
	for _, cs := range caps[:n] {
		if cs.When == wire.CWEntry && cs.Arg == 2 {
			entries++
		}
		if cs.Arg == 0 && cs.SizeFrom != wire.SzArg32 {
			t.Errorf("ppoll's array is sized by %d, want SzArg32 (the count's upper bits are ignored)", cs.SizeFrom)
		}
	}
	if entries != 2 {
		t.Errorf("ppoll's timeout: %d words read at entry, want 2", entries)
	}
}

// select's sets: as given when read at entry (wire.EntryIdx), the ready
// ones from the capture at exit, as many as the result counts; a set is
// read as whole words (a capture whose page ends sooner is an address);
// nfds not positive: the addresses. The timeout as given (two words at
// entry), the time left as captured.
func TestFamSelect(t *testing.T) {
	in := func(arg uint8, b byte) wire.Cap {
		return wire.Cap{Arg: arg, Idx: wire.EntryIdx, Data: []byte{b, 0, 0, 0, 0, 0, 0, 0}}
	}
	out := func(arg uint8, b byte) wire.Cap { return wire.Cap{Arg: arg, Data: []byte{b, 0, 0, 0, 0, 0, 0, 0}} }
	tv := []wire.Cap{{Arg: 4, Data: u64s(1, 5)}, {Arg: 4, Idx: wire.EntryIdx, Data: u64s(1)}, {Arg: 4, Idx: wire.EntryIdx, Data: u64s(6)}}
	args := [6]uint64{5, 0x1000, 0x2000, 0x3000, 0x4000}
	caps := append([]wire.Cap{in(1, 0x18), in(2, 0x1e), in(3, 0), out(1, 0), out(2, 0x16), out(3, 0)}, tv...)
	checkLine(t, decodeLine(t, "select", 3, args, caps...),
		`select(5, [3 4], [1 2 3 4], [], {tv_sec=1, tv_usec=6}) = 3 (out [1 2 4], left {tv_sec=1, tv_usec=5})`)
	// Counted out at the result's count; a set after text began gets its
	// "]" even when empty (strace's).
	caps = []wire.Cap{in(1, 0x18), in(2, 0x18), in(3, 0x18), out(1, 0x18), out(2, 0), out(3, 0x10)}
	checkLine(t, decodeLine(t, "select", 3, [6]uint64{5, 0x1000, 0x2000, 0x3000}, caps...),
		`select(5, [3 4], [3 4], [3 4], NULL) = 3 (in [3 4]], except [4])`)
	checkLine(t, decodeLine(t, "select", 1, [6]uint64{5, 0x1000, 0x1000, 0x1000}, caps[:3]...),
		`select(5, [3 4], [3 4], [3 4], NULL) = 1 ()`)
	checkLine(t, decodeLine(t, "select", -22, [6]uint64{0xffffffff, 0, 0x1000, 0, 0}, out(2, 0x18)),
		`select(-1, NULL, 0x1000, NULL, NULL) = -1 EINVAL (Invalid argument)`)
	// The page ends 4 bytes on: strace's 8-byte read fails.
	short := wire.Cap{Arg: 1, Flags: wire.CapFault | wire.CapPart, Data: []byte{0x18, 0, 0, 0}}
	checkLine(t, decodeLine(t, "select", 0, [6]uint64{10, 0x1000, 0, 0, 0}, short),
		`select(10, 0x1000, NULL, NULL, NULL) = 0 (Timeout)`)
	short.Data = append(short.Data, 0, 0, 0, 0)
	checkLine(t, decodeLine(t, "select", 0, [6]uint64{10, 0x1000, 0, 0, 0}, short),
		`select(10, [3 4], NULL, NULL, NULL) = 0 (Timeout)`)
}

// -P matches select by the sets as given, not as the kernel left them.
func TestPathSelectAtEntry(t *testing.T) {
	nr, ok := Number("select")
	if !ok {
		t.Skip("no select")
	}
	f := newPathFilter([]string{"/dev/full"})
	f.proc = t.TempDir()
	f.set(1, 9, true)
	c := &Call{Call: wire.Call{Header: wire.Header{Type: wire.EvSyscall, Tid: 1, Tgid: 1}, Ret: 0, Nr: nr,
		Args: [6]uint64{10, 0x1000},
		Caps: []wire.Cap{{Arg: 1, Data: make([]byte, 8)}, {Arg: 1, Idx: wire.EntryIdx, Data: []byte{0, 2, 0, 0, 0, 0, 0, 0}}}}}
	if !f.match(c, lookup(nr)) {
		t.Error("select(10, [9], ...) not matched by -P on descriptor 9")
	}
}
