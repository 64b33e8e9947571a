package strace

import (
	"encoding/binary"
	"testing"

	"github.com/eproc/eproc/loader/wire"
	"golang.org/x/sys/unix"
)

func TestFamIoctlFs(t *testing.T) {
	ebadf := -int64(unix.EBADF)
	const a = 0x7f3bc4174fe0
	checkLine(t, decodeLine(t, "ioctl", ebadf, [6]uint64{^uint64(0), 0xc0185879, a},
		wire.Cap{Arg: 2, Data: u64s(0xdeadbeefcafef00d, 18072662651678146782, 13464652301225279710)}),
		`ioctl(-1, FITRIM, {start=0xdeadbeefcafef00d, len=18072662651678146782, minlen=13464652301225279710}) = -1 EBADF (Bad file descriptor)`)
	checkLine(t, decodeLine(t, "ioctl", ebadf, [6]uint64{^uint64(0), 0xc0185879, a}, wire.Cap{Arg: 2, Flags: wire.CapFault}),
		`ioctl(-1, FITRIM, 0x7f3bc4174fe0) = -1 EBADF (Bad file descriptor)`)
	checkLine(t, decodeLine(t, "ioctl", ebadf, [6]uint64{^uint64(0), 0xc0185879}), `ioctl(-1, FITRIM, NULL) = -1 EBADF (Bad file descriptor)`)
	checkLine(t, decodeLine(t, "ioctl", ebadf, [6]uint64{^uint64(0), 0xc0045877}), `ioctl(-1, FIFREEZE) = -1 EBADF (Bad file descriptor)`)
	fsx := make([]byte, 28)
	binary.LittleEndian.PutUint32(fsx[0:], 0x7ffe0004)
	binary.LittleEndian.PutUint32(fsx[4:], 3735928559)
	binary.LittleEndian.PutUint32(fsx[8:], 4207869677)
	binary.LittleEndian.PutUint32(fsx[12:], 0xcafef00d)
	binary.LittleEndian.PutUint32(fsx[16:], 3133063390)
	checkLine(t, decodeLine(t, "ioctl", ebadf, [6]uint64{^uint64(0), 0x401c5820, a}, wire.Cap{Arg: 2, Data: fsx}),
		`ioctl(-1, FS_IOC_FSSETXATTR, {fsx_xflags=0x7ffe0004 /* FS_XFLAG_??? */, fsx_extsize=3735928559, fsx_projid=0xcafef00d, fsx_cowextsize=3133063390}) = -1 EBADF (Bad file descriptor)`)
	checkLine(t, decodeLine(t, "ioctl", ebadf, [6]uint64{^uint64(0), 0x801c581f, a}, wire.Cap{Arg: 2, Data: fsx}),
		`ioctl(-1, FS_IOC_FSGETXATTR, 0x7f3bc4174fe0) = -1 EBADF (Bad file descriptor)`)
	checkLine(t, decodeLine(t, "ioctl", 42, [6]uint64{^uint64(0), 0x801c581f, a}, wire.Cap{Arg: 2, Data: fsx}),
		`ioctl(-1, FS_IOC_FSGETXATTR, {fsx_xflags=0x7ffe0004 /* FS_XFLAG_??? */, fsx_extsize=3735928559, fsx_nextents=4207869677, fsx_projid=0xcafef00d, fsx_cowextsize=3133063390}) = 42`)
	checkLine(t, decodeLine(t, "ioctl", ebadf, [6]uint64{^uint64(0), 0x40086602, a}, wire.Cap{Arg: 2, Data: []byte{0, 0, 0, 0xd}}),
		`ioctl(-1, FS_IOC_SETFLAGS, [0xd000000 /* FS_???_FL */]) = -1 EBADF (Bad file descriptor)`)
	checkLine(t, decodeLine(t, "ioctl", ebadf, [6]uint64{^uint64(0), 0x80046601, a}), `ioctl(-1, FS_IOC32_GETFLAGS, 0x7f3bc4174fe0) = -1 EBADF (Bad file descriptor)`)
	checkLine(t, decodeLineOpt(t, Options{ConstStyle: ConstRaw}, "ioctl", ebadf, [6]uint64{^uint64(0), 0x40046602, a}, wire.Cap{Arg: 2, Data: []byte{0, 0, 0, 0xd}}),
		`ioctl(-1, 0x40046602, [0xd000000]) = -1 EBADF (Bad file descriptor)`)
	fm := make([]byte, 32)
	copy(fm, u64s(16045690984503111693, 18072662651678146782))
	binary.LittleEndian.PutUint32(fm[16:], 7)
	binary.LittleEndian.PutUint32(fm[20:], 3134983661)
	binary.LittleEndian.PutUint32(fm[24:], 3735929054)
	checkLine(t, decodeLine(t, "ioctl", ebadf, [6]uint64{^uint64(0), 0xc020660b, a}, wire.Cap{Arg: 2, Data: fm}),
		`ioctl(-1, FS_IOC_FIEMAP, {fm_start=16045690984503111693, fm_length=18072662651678146782, fm_flags=FIEMAP_FLAG_SYNC|FIEMAP_FLAG_XATTR|FIEMAP_FLAG_CACHE, fm_extent_count=3735929054}) = -1 EBADF (Bad file descriptor)`)
	checkLine(t, decodeLine(t, "ioctl", 42, [6]uint64{^uint64(0), 0xc020660b, a}, wire.Cap{Arg: 2, Data: fm}),
		`ioctl(-1, FS_IOC_FIEMAP, {fm_start=16045690984503111693, fm_length=18072662651678146782, fm_flags=FIEMAP_FLAG_SYNC|FIEMAP_FLAG_XATTR|FIEMAP_FLAG_CACHE, fm_extent_count=3735929054} => {fm_flags=FIEMAP_FLAG_SYNC|FIEMAP_FLAG_XATTR|FIEMAP_FLAG_CACHE, fm_mapped_extents=3134983661, ...}) = 42`)
}
