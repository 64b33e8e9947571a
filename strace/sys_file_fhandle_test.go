package strace

import (
	"encoding/binary"
	"strings"
	"testing"

	"github.com/eproc/eproc/loader/wire"
)

// Decoder tests of name_to_handle_at and open_by_handle_at: each expected
// line is what strace 6.1 printed for the same call (its file_handle test,
// run by hand: the compat harness's copy skips itself on this kernel).

// fhBytes is a struct file_handle: handle_bytes, handle_type, then data.
func fhBytes(hb uint32, typ int32, data []byte) []byte {
	b := make([]byte, 8, 8+len(data))
	binary.LittleEndian.PutUint32(b, hb)
	binary.LittleEndian.PutUint32(b[4:], uint32(typ))
	return append(b, data...)
}

func fhFill(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(0x80 + i)
	}
	return b
}

func fhHex(b []byte) string {
	var sb strings.Builder
	for _, c := range b {
		sb.WriteString(`\x`)
		sb.WriteByte("0123456789abcdef"[c>>4])
		sb.WriteByte("0123456789abcdef"[c&15])
	}
	return sb.String()
}

func TestFamNameToHandleAt(t *testing.T) {
	dot := wire.Cap{Arg: 1, Data: []byte(".")}
	h8 := []byte{0x51, 0x80, 0x98, 0x00, 0xdd, 0x91, 0xce, 0x6b}
	atEntry := func(hb uint32) wire.Cap {
		return wire.Cap{Arg: 2, Idx: wire.EntryIdx, Data: fhBytes(hb, 0, nil)}
	}
	args := [6]uint64{atCwd, 0x1000, 0x2000, 0x3000, 0x400}
	// EOVERFLOW: the size the kernel wants; mount_id not written.
	checkLine(t, decodeLine(t, "name_to_handle_at", -75, args, dot, atEntry(0), wire.Cap{Arg: 2, Data: fhBytes(8, 0, nil)}),
		`name_to_handle_at(AT_FDCWD, ".", {handle_bytes=0 => 8}, 0x3000, AT_SYMLINK_FOLLOW) = -1 EOVERFLOW (Value too large for defined data type)`)
	// Another error: handle_bytes as given only.
	checkLine(t, decodeLine(t, "name_to_handle_at", -22, [6]uint64{atCwd, 0x1000, 0x2000, 0x3000, 0x10400}, dot, atEntry(0), wire.Cap{Arg: 2, Data: fhBytes(0, 0, nil)}),
		`name_to_handle_at(AT_FDCWD, ".", {handle_bytes=0}, 0x3000, AT_SYMLINK_FOLLOW|0x10000) = -1 EINVAL (Invalid argument)`)
	// Success: the handle, and the mount id.
	ok := []wire.Cap{dot, atEntry(128), {Arg: 2, Data: fhBytes(8, 1, h8)}, {Arg: 3, Data: []byte{27, 0, 0, 0}}}
	checkLine(t, decodeLine(t, "name_to_handle_at", 0, [6]uint64{3, 0x1000, 0x2000, 0x3000, 0x400}, ok...),
		`name_to_handle_at(3, ".", {handle_bytes=128 => 8, handle_type=1, f_handle="`+fhHex(h8)+`"}, [27], AT_SYMLINK_FOLLOW) = 0`)
	// Its entry not seen (under way as tracing began): the struct at its exit.
	checkLine(t, decodeLine(t, "name_to_handle_at", 0, [6]uint64{3, 0x1000, 0x2000, 0x3000, 0x400}, ok[0], ok[2], ok[3]),
		`name_to_handle_at(3, ".", {handle_bytes=8, handle_type=1, f_handle="`+fhHex(h8)+`"}, [27], AT_SYMLINK_FOLLOW) = 0`)
	// -e verbose=none: the addresses.
	checkLine(t, decodeLineOpt(t, Options{StrSize: 32, Verbose: []uint32{}}, "name_to_handle_at", 0, [6]uint64{3, 0x1000, 0x2000, 0x3000, 0x400}, ok...),
		`name_to_handle_at(3, ".", 0x2000, 0x3000, AT_SYMLINK_FOLLOW) = 0`)
	// A handle that cannot be read at entry: its address, and mount_id's
	// (not written: strace printed all at entry).
	bad := wire.Cap{Arg: 2, Idx: wire.EntryIdx, Flags: wire.CapFault}
	checkLine(t, decodeLine(t, "name_to_handle_at", -22, [6]uint64{0xdeadca57badda7a1, 0, 0x2000, 0x3000, 0xdeadc0deda7a1457}, bad),
		`name_to_handle_at(-1159878751, NULL, 0x2000, 0x3000, AT_SYMLINK_FOLLOW|AT_EMPTY_PATH|0xda7a0057) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "name_to_handle_at", -14, [6]uint64{atCwd, 0x1000, 0x8, 0, 0}, dot, bad),
		`name_to_handle_at(AT_FDCWD, ".", 0x8, NULL, 0) = -1 EFAULT (Bad address)`)
	checkLine(t, decodeLine(t, "name_to_handle_at", -22, [6]uint64{0x12345678ffffff9c, 0, 0x2000, 0, 0xdefaced1ffffebff}, atEntry(256),
		wire.Cap{Arg: 2, Flags: wire.CapFault | wire.CapPart, Data: fhBytes(256, 0, nil)}),
		`name_to_handle_at(AT_FDCWD, NULL, {handle_bytes=256}, NULL, 0xffffebff /* AT_??? */) = -1 EINVAL (Invalid argument)`)
	// More than MAX_HANDLE_SZ: 128 bytes, then "...".
	big := fhFill(128)
	checkLine(t, decodeLine(t, "name_to_handle_at", 0, [6]uint64{atCwd, 0x1000, 0x2000, 0x3000, 0}, dot, atEntry(256),
		wire.Cap{Arg: 2, Data: fhBytes(256, 2, big)}, wire.Cap{Arg: 3, Data: []byte{0xff, 0xff, 0xff, 0xff}}),
		`name_to_handle_at(AT_FDCWD, ".", {handle_bytes=256, handle_type=2, f_handle="`+fhHex(big)+`"...}, [-1], 0) = 0`)
}

func TestFamOpenByHandleAt(t *testing.T) {
	const fill = 0xdeadca5700000000
	args := func(fd, flags uint64) [6]uint64 { return [6]uint64{fd, 0x2000, flags} }
	h8 := []byte{0x51, 0x80, 0x98, 0x00, 0xdd, 0x91, 0xce, 0x6b}
	checkLine(t, decodeLine(t, "open_by_handle_at", -9, args(0xffffffff, 0x10000), wire.Cap{Arg: 1, Data: fhBytes(8, 1, h8)}),
		`open_by_handle_at(-1, {handle_bytes=8, handle_type=1, f_handle="`+fhHex(h8)+`"}, O_RDONLY|O_DIRECTORY) = -1 EBADF (Bad file descriptor)`)
	checkLine(t, decodeLine(t, "open_by_handle_at", -14, [6]uint64{fill | 0x1234567, 0, 0xdeadbeef80000001}),
		`open_by_handle_at(19088743, NULL, O_WRONLY|0x80000000) = -1 EFAULT (Bad address)`)
	// Fewer than 8 bytes readable: the address.
	checkLine(t, decodeLine(t, "open_by_handle_at", -14, args(fill|0xffffff9c, 0), wire.Cap{Arg: 1, Flags: wire.CapFault | wire.CapPart, Data: []byte{0, 1, 0, 0}}),
		`open_by_handle_at(-100, 0x2000, O_RDONLY) = -1 EFAULT (Bad address)`)
	checkLine(t, decodeLine(t, "open_by_handle_at", -14, args(3, 0), wire.Cap{Arg: 1, Flags: wire.CapFault}),
		`open_by_handle_at(3, 0x2000, O_RDONLY) = -1 EFAULT (Bad address)`)
	// The header only: f_handle ???.
	checkLine(t, decodeLine(t, "open_by_handle_at", -22, args(3, 0), wire.Cap{Arg: 1, Flags: wire.CapFault | wire.CapPart, Data: fhBytes(256, -1, nil)}),
		`open_by_handle_at(3, {handle_bytes=256, handle_type=-1, f_handle=???}, O_RDONLY) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "open_by_handle_at", -22, args(3, 0), wire.Cap{Arg: 1, Flags: wire.CapFault | wire.CapPart, Data: fhBytes(0, -1, nil)}),
		`open_by_handle_at(3, {handle_bytes=0, handle_type=-1, f_handle=""}, O_RDONLY) = -1 EINVAL (Invalid argument)`)
	big := fhFill(128)
	checkLine(t, decodeLine(t, "open_by_handle_at", -22, args(3, 0), wire.Cap{Arg: 1, Data: fhBytes(256, -1, big)}),
		`open_by_handle_at(3, {handle_bytes=256, handle_type=-1, f_handle="`+fhHex(big)+`"...}, O_RDONLY) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "open_by_handle_at", -22, args(3, 0), wire.Cap{Arg: 1, Data: fhBytes(128, -1, big)}),
		`open_by_handle_at(3, {handle_bytes=128, handle_type=-1, f_handle="`+fhHex(big)+`"}, O_RDONLY) = -1 EINVAL (Invalid argument)`)
}
