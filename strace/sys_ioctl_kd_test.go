package strace

import (
	"testing"

	"github.com/eproc/eproc/loader/wire"
	"golang.org/x/sys/unix"
)

// Decoder tests of the console ioctls (lines from strace 6.1's ioctl_kd
// and ioctl_kd-success tests).

func TestIoctlKd(t *testing.T) {
	ebadf := -int64(unix.EBADF)
	verbose := Options{StrSize: 32, ConstStyle: ConstVerbose}
	fontData := make([]byte, 33) // a font of 32 bytes (width 1, one char), and the byte past -s
	for k := range fontData {
		fontData[k] = byte(0xe0 + k)
	}
	for _, tc := range []struct {
		ret  int64
		args [6]uint64
		caps []wire.Cap
		want string
	}{
		{ebadf, [6]uint64{^uint64(0), 0x4b2f, 440}, nil, `ioctl(-1, KIOCSOUND, 440 /* 2711 Hz */) = -1 EBADF (Bad file descriptor)`},
		{ebadf, [6]uint64{^uint64(0), 0x4b2f, 13464652297489353366}, nil, `ioctl(-1, KIOCSOUND, 13464652297489353366 /* off */) = -1 EBADF (Bad file descriptor)`},
		{ebadf, [6]uint64{^uint64(0), 0x4b30, 1<<16 | 1}, nil, `ioctl(-1, KDMKTONE, 1<<16|1 /* 1193182 Hz, 1 ms */) = -1 EBADF (Bad file descriptor)`},
		{42, [6]uint64{^uint64(0), 0x4b45, ^uint64(0)}, nil, `ioctl(-1, KDSKBMODE, -1 /* K_??? */) = 42`},
		{ebadf, [6]uint64{^uint64(0), 0x4b3a, 0xbadc0dedcacafefe}, nil, `ioctl(-1, KDSETMODE, 0xcacafefe /* KD_??? */) = -1 EBADF (Bad file descriptor)`},
		{ebadf, [6]uint64{^uint64(0), 0x4b4e, 33}, nil, `ioctl(-1, KDSIGACCEPT, SIGRT_1) = -1 EBADF (Bad file descriptor)`},
		{ebadf, [6]uint64{^uint64(0), 0x4b36}, nil, `ioctl(-1, KDENABIO) = -1 EBADF (Bad file descriptor)`},
		// KDGKBENT: the value the driver put, named; one it could not
		// have put (its page unreadable) is ???.
		{42, [6]uint64{^uint64(0), 0x4b46, 0x1000}, []wire.Cap{{Arg: 2, Data: []byte{3, 138, 0x20, 0}}},
			`ioctl(-1, KDGKBENT, {kb_table=K_ALTSHIFTTAB, kb_index=138, kb_value=0x20 /* K(KT_LATIN, ' ') */}) = 42`},
		{42, [6]uint64{^uint64(0), 0x4b46, 0x1000}, []wire.Cap{{Arg: 2, Data: []byte{0, 178, 0x14, 2}}},
			`ioctl(-1, KDGKBENT, {kb_table=K_NORMTAB, kb_index=178, kb_value=0x214 /* K(KT_SPEC, 0x14) */}) = 42`},
		{42, [6]uint64{^uint64(0), 0x4b46, 0x1ffe}, []wire.Cap{{Arg: 2, Flags: wire.CapFault | wire.CapPart, Data: []byte{0xa8, 168}}},
			`ioctl(-1, KDGKBENT, {kb_table=1<<KG_ALT|1<<KG_SHIFTR|1<<KG_CTRLR, kb_index=168, kb_value=???}) = 42`},
		{ebadf, [6]uint64{^uint64(0), 0x4b46, 0x1000}, []wire.Cap{{Arg: 2, Data: []byte{1, 69, 0x10, 0}}},
			`ioctl(-1, KDGKBENT, {kb_table=K_SHIFTTAB, kb_index=69}) = -1 EBADF (Bad file descriptor)`},
		// A string of 32 bytes and its NUL: -s 32 cuts it.
		{42, [6]uint64{^uint64(0), 0x4b48, 0x1000}, []wire.Cap{{Arg: 2, Data: append(append([]byte{0}, []byte("0123456789abcdef0123456789abcdef")...), 0)}},
			`ioctl(-1, KDGKBSENT, {kb_func=KVAL(K_F1), kb_string="0123456789abcdef0123456789abcdef"...}) = 42`},
		{42, [6]uint64{^uint64(0), 0x4b48, 0x1000}, []wire.Cap{{Arg: 2, Data: append([]byte{1}, "ab\x00"...)}},
			`ioctl(-1, KDGKBSENT, {kb_func=KVAL(K_F2), kb_string="ab"}) = 42`},
		// PIO_CMAP: strace reads -s bytes and one more.
		{ebadf, [6]uint64{^uint64(0), 0x4b71, 0x1fe0}, []wire.Cap{{Arg: 2, Flags: wire.CapFault | wire.CapPart, Data: fill(32, 0xe0)}},
			`ioctl(-1, PIO_CMAP, 0x1fe0) = -1 EBADF (Bad file descriptor)`},
		{ebadf, [6]uint64{^uint64(0), 0x4b71, 0x1000}, []wire.Cap{{Arg: 2, Data: fill(48, 0xe0)}},
			`ioctl(-1, PIO_CMAP, "\xe0\xe1\xe2\xe3\xe4\xe5\xe6\xe7\xe8\xe9\xea\xeb\xec\xed\xee\xef\xf0\xf1\xf2\xf3\xf4\xf5\xf6\xf7\xf8\xf9\xfa\xfb\xfc\xfd\xfe\xff"...) = -1 EBADF (Bad file descriptor)`},
		{ebadf, [6]uint64{^uint64(0), 0x4b4b, 0x1000}, []wire.Cap{{Arg: 2, Data: append(i32(2), 'a', '\n', 'b', 0, 1, 2)}},
			`ioctl(-1, KDSKBDIACR, {kb_cnt=2, kbdiacr=[{diacr='a', base='\n', result='b'}, {diacr='\x00', base='\x01', result='\x02'}]}) = -1 EBADF (Bad file descriptor)`},
		// GIO_UNIMAP failed: the entries' address.
		{ebadf, [6]uint64{^uint64(0), 0x4b66, 0x1000}, []wire.Cap{{Arg: 2, Data: append(append([]byte{1, 0}, make([]byte, 6)...), u64le(0x7f783db7f000)...)}},
			`ioctl(-1, GIO_UNIMAP, {entry_ct=1 => 1, entries=0x7f783db7f000}) = -1 EBADF (Bad file descriptor)`},
		// PIO_UNIMAP: the entries (wire.CKDeref), up to the one on a page
		// that could not be read.
		{ebadf, [6]uint64{^uint64(0), 0x4b67, 0x1000}, []wire.Cap{{Arg: 2, Data: append(append([]byte{3, 0}, make([]byte, 6)...), u64le(0x7f783db7eff8)...)},
			{Arg: 2, Idx: wire.DerefIdx + 8, Flags: wire.CapFault | wire.CapPart, Data: []byte{0xc4, 0x80, 0xc5, 0x80, 0, 0, 0, 0}}},
			`ioctl(-1, PIO_UNIMAP, {entry_ct=3, entries=[{unicode=0x80c4, fontpos=0x80c5}, {unicode=0, fontpos=0}, ... /* 0x7f783db7f000 */]}) = -1 EBADF (Bad file descriptor)`},
		// KDFONTOP SET: the font data in hex, cut at -s.
		{ebadf, [6]uint64{^uint64(0), 0x4b72, 0x1000}, []wire.Cap{{Arg: 2, Data: append(append(append(i32(0), i32(0)...), append(i32(1), append(i32(0), append(i32(1), 0, 0, 0, 0)...)...)...), u64le(0x7f0000001000)...)},
			{Arg: 2, Idx: wire.DerefIdx + 24, Data: fontData}},
			`ioctl(-1, KDFONTOP, {op=KD_FONT_OP_SET, flags=0, width=1, height=0, charcount=1, data="\xe0\xe1\xe2\xe3\xe4\xe5\xe6\xe7\xe8\xe9\xea\xeb\xec\xed\xee\xef\xf0\xf1\xf2\xf3\xf4\xf5\xf6\xf7\xf8\xf9\xfa\xfb\xfc\xfd\xfe\xff"}) = -1 EBADF (Bad file descriptor)`},
	} {
		checkLine(t, decodeLine(t, "ioctl", tc.ret, tc.args, tc.caps...), tc.want)
	}
	checkLine(t, decodeLineOpt(t, verbose, "ioctl", ebadf, [6]uint64{^uint64(0), 0x4b4e, 32}),
		`ioctl(-1, 0x4b4e /* KDSIGACCEPT */, 32 /* SIGRTMIN */) = -1 EBADF (Bad file descriptor)`)
}
