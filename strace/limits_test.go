package strace

import (
	"strconv"
	"testing"

	"github.com/eproc/eproc/loader/wire"
)

// Decoder tests of -s (32 here) as strace applies it: strings are cut at
// -s bytes, with "..." only when there was more (the capture reads one
// byte more than shown, so a string of exactly -s bytes arrives whole);
// arrays show at most -s elements. The lines are what strace 6.1 printed.

const (
	s31 = "0123456789012345678901234567890"
	s32 = "01234567890123456789012345678901"
	s33 = "012345678901234567890123456789012"
)

func TestLimitStrings(t *testing.T) {
	str := func(arg uint8, s string, trunc bool) wire.Cap {
		c := wire.Cap{Arg: arg, Data: []byte(s)}
		if trunc {
			c.Flags = wire.CapTrunc
		}
		return c
	}
	checkLine(t, decodeLine(t, "memfd_create", 4, [6]uint64{0x1000, 0}, str(0, s32, false)),
		`memfd_create("`+s32+`", 0) = 4`)
	checkLine(t, decodeLine(t, "memfd_create", 5, [6]uint64{0x1000, 0}, str(0, s33, true)),
		`memfd_create("`+s32+`"..., 0) = 5`)
	checkLine(t, decodeLine(t, "removexattr", -2, [6]uint64{0x1000, 0x2000}, str(0, "/nonexistent", false), str(1, "user.3456789012345678901234567890", true)),
		`removexattr("/nonexistent", "user.345678901234567890123456789"...) = -1 ENOENT (No such file or directory)`)
	argv := []wire.Cap{str(1, "x", false), str(1, s31, false), str(1, s32, false), str(1, s33, true)}
	for i := range argv {
		argv[i].Idx = uint16(i)
	}
	caps := append([]wire.Cap{str(0, "/nonexistent", false), {Arg: 2, Data: []byte{0, 0, 0, 0}}}, argv...)
	checkLine(t, decodeLine(t, "execve", -2, [6]uint64{0x1000, 0x2000, 0x7ffc51212538}, caps...),
		`execve("/nonexistent", ["x", "`+s31+`", "`+s32+`", "`+s32+`"...], 0x7ffc51212538 /* 0 vars */) = -1 ENOENT (No such file or directory)`)
}

func TestLimitArrays(t *testing.T) {
	pfds := func(n int, fd int32, events, revents uint16) []byte {
		b := make([]byte, 8*n)
		for k := 0; k < n; k++ {
			le.PutUint32(b[8*k:], uint32(fd))
			le.PutUint16(b[8*k+4:], events)
			le.PutUint16(b[8*k+6:], revents)
		}
		return b
	}
	rep := func(n int, s string) string {
		out := ""
		for k := 0; k < n; k++ {
			out += s + ", "
		}
		return out
	}
	in, out := "{fd=3, events=POLLIN}", "{fd=3, revents=POLLIN}"
	checkLine(t, decodeLine(t, "poll", 32, [6]uint64{0x1000, 32, 0}, wire.Cap{Arg: 0, Data: pfds(32, 3, 1, 1)}),
		`poll([`+rep(31, in)+in+`], 32, 0) = 32 ([`+rep(31, out)+out+`])`)
	checkLine(t, decodeLine(t, "poll", 40, [6]uint64{0x1000, 40, 0}, wire.Cap{Arg: 0, Data: pfds(40, 3, 1, 1)}),
		`poll([`+rep(32, in)+`...], 40, 0) = 40 ([`+rep(32, out)+`...])`)
	// 70 descriptors, 64 captured, 40 ready.
	big := append(pfds(40, 3, 1, 1), pfds(24, -1, 1, 0)...)
	checkLine(t, decodeLine(t, "poll", 40, [6]uint64{0x1000, 70, 0}, wire.Cap{Arg: 0, Data: big, Flags: wire.CapTrunc}),
		`poll([`+rep(32, in)+`...], 70, 0) = 40 ([`+rep(32, out)+`...])`)
	// strace's revents buffer (1024 bytes) holds 18 of these.
	const ev = "POLLIN|POLLOUT|POLLRDNORM|POLLWRNORM"
	in, out = "{fd=3, events="+ev+"}", "{fd=3, revents="+ev+"}"
	checkLine(t, decodeLine(t, "poll", 40, [6]uint64{0x1000, 40, 0}, wire.Cap{Arg: 0, Data: pfds(40, 3, 0x145, 0x145)}),
		`poll([`+rep(32, in)+`...], 40, 0) = 40 ([`+rep(18, out)+`...])`)

	groups := make([]byte, 4*40)
	want := "["
	for k := 0; k < 40; k++ {
		le.PutUint32(groups[4*k:], uint32(100+k))
		if k < 32 {
			want += strconv.Itoa(100+k) + ", "
		}
	}
	want += "...]"
	checkLine(t, decodeLine(t, "setgroups", 0, [6]uint64{40, 0x1000}, wire.Cap{Arg: 1, Data: groups}), `setgroups(40, `+want+`) = 0`)
	checkLine(t, decodeLine(t, "getgroups", 40, [6]uint64{64, 0x1000}, wire.Cap{Arg: 1, Data: groups}), `getgroups(64, `+want+`) = 40`)
	// Fewer captured than the call had: "..." after them.
	checkLine(t, decodeLine(t, "setgroups", 0, [6]uint64{3, 0x1000}, wire.Cap{Arg: 1, Data: groups[:8]}), `setgroups(3, [100, 101, ...]) = 0`)
}
