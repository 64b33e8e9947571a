package strace

import (
	"testing"

	"github.com/eproc/eproc/loader/wire"
)

// Decoder tests of the network calls (see family_test.go).

func TestFamNetwork(t *testing.T) {
	in := []byte{2, 0, 0xb4, 0xbd, 127, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0}
	checkLine(t, decodeLine(t, "connect", 0, [6]uint64{4, 0x1000, 16}, wire.Cap{Arg: 1, Data: in}),
		`connect(4, {sa_family=AF_INET, sin_port=htons(46269), sin_addr=inet_addr("127.0.0.1")}, 16) = 0`)
	un := append([]byte{1, 0}, []byte("/var/run/nscd/socket\x00")...)
	checkLine(t, decodeLine(t, "connect", -2, [6]uint64{3, 0x1000, 110}, wire.Cap{Arg: 1, Data: un}),
		`connect(3, {sa_family=AF_UNIX, sun_path="/var/run/nscd/socket"}, 110) = -1 ENOENT (No such file or directory)`)
	checkLine(t, decodeLine(t, "socket", 3, [6]uint64{1, 0x80801, 0}), `socket(AF_UNIX, SOCK_STREAM|SOCK_CLOEXEC|SOCK_NONBLOCK, 0) = 3`)
	checkLine(t, decodeLine(t, "socket", 3, [6]uint64{2, 0x80001, 0}), `socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_IP) = 3`)
	v6 := make([]byte, 28)
	v6[0], v6[3], v6[23] = 10, 9, 1
	checkLine(t, decodeLine(t, "sendto", 4, [6]uint64{6, 0x1000, 4, 0, 0x2000, 28}, wire.Cap{Arg: 1, Data: []byte("ping")}, wire.Cap{Arg: 4, Data: v6}),
		`sendto(6, "ping", 4, 0, {sa_family=AF_INET6, sin6_port=htons(9), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, "::1", &sin6_addr), sin6_scope_id=0}, 28) = 4`)
	checkLine(t, decodeLine(t, "setsockopt", 0, [6]uint64{3, 1, 2, 0x1000, 4}, wire.Cap{Arg: 3, Data: []byte{1, 0, 0, 0}}),
		`setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0`)
	checkLine(t, decodeLine(t, "getsockname", 0, [6]uint64{8, 0x1000, 0x2000}, wire.Cap{Arg: 1, Data: []byte{1, 0}}, wire.Cap{Arg: 2, Data: []byte{2, 0, 0, 0}}),
		`getsockname(8, {sa_family=AF_UNIX}, [2]) = 0`)
	checkLine(t, decodeLine(t, "socketpair", 0, [6]uint64{1, 0x80001, 0, 0x1000}, wire.Cap{Arg: 3, Data: []byte{8, 0, 0, 0, 9, 0, 0, 0}}),
		`socketpair(AF_UNIX, SOCK_STREAM|SOCK_CLOEXEC, 0, [8, 9]) = 0`)
	checkLine(t, decodeLine(t, "shutdown", 0, [6]uint64{4, 1}), `shutdown(4, SHUT_WR) = 0`)
}

// recvfrom prints as much of its buffer as the lesser of its result and
// its length: with MSG_TRUNC the result may be longer (recvfrom-MSG_TRUNC).
func TestFamRecvfromTrunc(t *testing.T) {
	checkLine(t, decodeLine(t, "recvfrom", 2, [6]uint64{3, 0x1000, 1, 0x20}, wire.Cap{Arg: 1, Data: []byte("A")}),
		`recvfrom(3, "A", 1, MSG_TRUNC, NULL, NULL) = 2`)
	checkLine(t, decodeLine(t, "recvfrom", 1, [6]uint64{3, 0x1000, 4, 0}, wire.Cap{Arg: 1, Data: []byte("Bxyz")}),
		`recvfrom(3, "B", 4, 0, NULL, NULL) = 1`)
}

// strace takes its legacy class names without %: -e trace=close,network
// (the net--decode-fds-*-netlink tests).
func TestLegacyClassNames(t *testing.T) {
	a, err := ParseFilter("close,network")
	if err != nil {
		t.Fatal(err)
	}
	b, err := ParseFilter("close,%network")
	if err != nil {
		t.Fatal(err)
	}
	if len(a) != len(b) || len(a) < 10 {
		t.Fatalf("close,network: %d calls, close,%%network: %d", len(a), len(b))
	}
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("close,network and close,%%network differ at %d", i)
		}
	}
	if _, err := ParseFilter("net"); err == nil {
		t.Error("net without % is not one of strace's legacy names")
	}
}

// sendmmsg and recvmmsg: their vectors as addresses when nothing of them
// was captured, the rest as strace prints it (recvmmsg-timeout's failed
// calls).
func TestFamMmsg(t *testing.T) {
	ts := wire.Cap{Arg: 4, Data: u64s(0, 12345678)}
	checkLine(t, decodeLine(t, "recvmmsg", -9, [6]uint64{0xffffffff, 0x1000, 1, 0, 0x2000}, ts),
		`recvmmsg(-1, 0x1000, 1, 0, {tv_sec=0, tv_nsec=12345678}) = -1 EBADF (Bad file descriptor)`)
	checkLine(t, decodeLine(t, "recvmmsg", 1, [6]uint64{3, 0x1000, 1, 0, 0x2000}, ts),
		`recvmmsg(3, 0x1000, 1, 0, {tv_sec=0, tv_nsec=12345678}) = 1 (left {tv_sec=0, tv_nsec=12345678})`)
	// No messages: print_array's empty array.
	checkLine(t, decodeLine(t, "recvmmsg", 0, [6]uint64{3, 0x1000, 1, 0x40, 0}),
		`recvmmsg(3, [], 1, MSG_DONTWAIT, NULL) = 0 (Timeout)`)
	checkLine(t, decodeLine(t, "sendmmsg", -9, [6]uint64{0xffffffff, 0x1000, 2, 0x40}),
		`sendmmsg(-1, 0x1000, 2, MSG_DONTWAIT) = -1 EBADF (Bad file descriptor)`)
}

// TestSocklenInOut: strace's value-result socklen: [in => out] when the
// kernel changed it, [in] when the call failed or left it, the value at
// exit when the entry was not seen; the address decoded at the lesser
// length.
func TestSocklenInOut(t *testing.T) {
	u32 := func(v uint32) []byte { b := make([]byte, 4); le.PutUint32(b, v); return b }
	sin := []byte{2, 0, 0x1f, 0x90, 127, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0}
	args := [6]uint64{3, 0x1000, 0x2000}
	addr := wire.Cap{Arg: 1, Data: sin}
	for _, tc := range []struct {
		ret  int64
		caps []wire.Cap
		want string
	}{
		{0, []wire.Cap{addr, {Arg: 2, Data: u32(16)}, {Arg: 2, Idx: wire.EntryIdx, Data: u32(128)}},
			`getsockname(3, {sa_family=AF_INET, sin_port=htons(8080), sin_addr=inet_addr("127.0.0.1")}, [128 => 16]) = 0`},
		{0, []wire.Cap{addr, {Arg: 2, Data: u32(16)}, {Arg: 2, Idx: wire.EntryIdx, Data: u32(16)}},
			`getsockname(3, {sa_family=AF_INET, sin_port=htons(8080), sin_addr=inet_addr("127.0.0.1")}, [16]) = 0`},
		{0, []wire.Cap{addr, {Arg: 2, Data: u32(16)}, {Arg: 2, Idx: wire.EntryIdx, Data: u32(2)}},
			`getsockname(3, {sa_family=AF_INET}, [2 => 16]) = 0`},
		{-9, []wire.Cap{{Arg: 2, Data: u32(128)}, {Arg: 2, Idx: wire.EntryIdx, Data: u32(128)}},
			`getsockname(3, 0x1000, [128]) = -1 EBADF (Bad file descriptor)`},
		{0, []wire.Cap{addr, {Arg: 2, Data: u32(16)}},
			`getsockname(3, {sa_family=AF_INET, sin_port=htons(8080), sin_addr=inet_addr("127.0.0.1")}, [16]) = 0`},
		// A 16-byte buffer ending a page, 24 bytes returned: the capture
		// (24) kept the 16 before the page, all strace reads (the lesser
		// length); with fewer than that, the address.
		{0, []wire.Cap{{Arg: 1, Flags: wire.CapFault | wire.CapPart, Data: sin}, {Arg: 2, Data: u32(24)}, {Arg: 2, Idx: wire.EntryIdx, Data: u32(16)}},
			`getsockname(3, {sa_family=AF_INET, sin_port=htons(8080), sin_addr=inet_addr("127.0.0.1")}, [16 => 24]) = 0`},
		{0, []wire.Cap{{Arg: 1, Flags: wire.CapFault | wire.CapPart, Data: sin[:8]}, {Arg: 2, Data: u32(24)}, {Arg: 2, Idx: wire.EntryIdx, Data: u32(16)}},
			`getsockname(3, 0x1000, [16 => 24]) = 0`},
	} {
		checkLine(t, decodeLine(t, "getsockname", tc.ret, args, tc.caps...), tc.want)
	}
}
