package strace

import (
	"testing"

	"github.com/eproc/eproc/loader/wire"
	"golang.org/x/sys/unix"
)

// Decoder tests of the loop ioctls (lines from strace 6.1's ioctl_loop).

func TestIoctlLoop(t *testing.T) {
	ebadf := -int64(unix.EBADF)
	info := make([]byte, loopInfoSize)
	copy(info, i32(0x83828180))
	copy(info[32:], i32(0xa3a2a1a0))
	copy(info[36:], i32(0xa7a6a5a4))
	copy(info[40:], i32(1))
	copy(info[44:], i32(0xdeface00))
	checkLine(t, decodeLine(t, "ioctl", ebadf, [6]uint64{^uint64(0), 0x4c02, 0x1000}, wire.Cap{Arg: 2, Data: info}),
		`ioctl(-1, LOOP_SET_STATUS, {lo_number=-2088599168, lo_offset=0xa3a2a1a0, lo_encrypt_type=0xa7a6a5a4 /* LO_CRYPT_??? */, lo_encrypt_key_size=1, lo_flags=0xdeface00 /* LO_FLAGS_??? */, lo_name="", lo_encrypt_key="\0", ...}) = -1 EBADF (Bad file descriptor)`)
	i64 := make([]byte, loopInfo64Size)
	copy(i64[24:], []byte{0x98, 0x99, 0x9a, 0x9b, 0x9c, 0x9d, 0x9e, 0x9f})
	copy(i64[40:], i32(2880088488))
	copy(i64[52:], i32(1))
	for j := 56; j < 120; j++ {
		i64[j] = 'C'
	}
	checkLine(t, decodeLine(t, "ioctl", ebadf, [6]uint64{^uint64(0), 0x4c04, 0x1000}, wire.Cap{Arg: 2, Data: i64}),
		`ioctl(-1, LOOP_SET_STATUS64, {lo_offset=0x9f9e9d9c9b9a9998, lo_number=2880088488, lo_flags=LO_FLAGS_READ_ONLY, lo_file_name="CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC"..., ...}) = -1 EBADF (Bad file descriptor)`)
	checkLine(t, decodeLine(t, "ioctl", ebadf, [6]uint64{^uint64(0), 0x4c05, 0x1000}, wire.Cap{Arg: 2, Data: i64}),
		`ioctl(-1, LOOP_GET_STATUS64, 0x1000) = -1 EBADF (Bad file descriptor)`)
	checkLine(t, decodeLine(t, "ioctl", ebadf, [6]uint64{^uint64(0), 0x4c00, 0xdeadbeefbadc0ded}), `ioctl(-1, LOOP_SET_FD, -1159983635) = -1 EBADF (Bad file descriptor)`)
	checkLine(t, decodeLine(t, "ioctl", ebadf, [6]uint64{^uint64(0), 0x4c08, 0xdeadbeefbadc0ded}), `ioctl(-1, LOOP_SET_DIRECT_IO, 16045690984232390125) = -1 EBADF (Bad file descriptor)`)
	checkLine(t, decodeLine(t, "ioctl", ebadf, [6]uint64{^uint64(0), 0x4c82}), `ioctl(-1, LOOP_CTL_GET_FREE) = -1 EBADF (Bad file descriptor)`)
}
