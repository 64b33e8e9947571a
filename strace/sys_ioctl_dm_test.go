package strace

import (
	"encoding/binary"
	"testing"

	"github.com/eproc/eproc/loader/wire"
	"golang.org/x/sys/unix"
)

func TestFamIoctlDm(t *testing.T) {
	ebadf := -int64(unix.EBADF)
	const a = 0x5632d83410c0
	le32 := binary.LittleEndian.PutUint32
	dm := func(size, start, count, flags uint32) []byte {
		b := make([]byte, 312)
		le32(b, 4)
		le32(b[4:], 1)
		le32(b[8:], 2)
		le32(b[12:], size)
		le32(b[16:], start)
		le32(b[20:], count)
		le32(b[28:], flags)
		binary.LittleEndian.PutUint64(b[40:], 0x1234)
		copy(b[48:], "nnn")
		copy(b[176:], "uuu")
		return b
	}
	checkLine(t, decodeLine(t, "ioctl", ebadf, [6]uint64{^uint64(0), 0xc138fd00, a}, wire.Cap{Arg: 2, Data: dm(305, 0, 0, 0)}),
		`ioctl(-1, DM_VERSION, [{version=[4, 1, 2], data_size=305, dev=makedev(0x12, 0x34), name="nnn", uuid="uuu", flags=0}]) = -1 EBADF (Bad file descriptor)`)
	checkLine(t, decodeLine(t, "ioctl", ebadf, [6]uint64{^uint64(0), 0xc138fd00, a}, wire.Cap{Arg: 2, Data: dm(14, 0, 0, 0)}),
		`ioctl(-1, DM_VERSION, [{version=[4, 1, 2], data_size=14 /* data_size too small */}]) = -1 EBADF (Bad file descriptor)`)
	checkLine(t, decodeLine(t, "ioctl", ebadf, [6]uint64{^uint64(0), 0xc138fd09, a}, wire.Cap{Arg: 2, Data: dm(608, 312, 1, 0)}),
		`ioctl(-1, DM_TABLE_LOAD, [{version=[4, 1, 2], data_size=608, data_start=312, dev=makedev(0x12, 0x34), name="nnn", uuid="uuu", target_count=1, flags=0}, ...]) = -1 EBADF (Bad file descriptor)`)
	checkLine(t, decodeLine(t, "ioctl", ebadf, [6]uint64{^uint64(0), 0xc138fd06, a}, wire.Cap{Arg: 2, Data: dm(312, 0, 0, 2)}),
		`ioctl(-1, DM_DEV_SUSPEND, [{version=[4, 1, 2], data_size=312, dev=makedev(0x12, 0x34), name="nnn", uuid="uuu", flags=DM_SUSPEND_FLAG}]) = -1 EBADF (Bad file descriptor)`)
	checkLine(t, decodeLine(t, "ioctl", ebadf, [6]uint64{^uint64(0), 0xc138fd00, a}, wire.Cap{Arg: 2, Flags: wire.CapFault}),
		`ioctl(-1, DM_VERSION, 0x5632d83410c0) = -1 EBADF (Bad file descriptor)`)
}
