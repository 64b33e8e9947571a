package strace

import (
	"encoding/binary"
	"runtime"
	"testing"

	"github.com/eproc/eproc/loader/wire"
	"golang.org/x/sys/unix"
)

func TestFamIoctlSeccomp(t *testing.T) {
	if runtime.GOARCH != "amd64" {
		t.Skip("x86_64 syscall numbers")
	}
	ebadf := -int64(unix.EBADF)
	const a = 0x7f25b0335fb0
	le32 := binary.LittleEndian.PutUint32
	n := make([]byte, 80)
	le32(n[8:], 9067)
	le32(n[16:], 186)
	le32(n[20:], 0xc000003e)
	copy(n[32:], u64s(0xdeadfacebadc0ded, 1, 2, 3, 4, 0))
	checkLine(t, decodeLine(t, "ioctl", ebadf, [6]uint64{^uint64(0), 0xc0502100, a}, wire.Cap{Arg: 2, Data: n}),
		`ioctl(-1, SECCOMP_IOCTL_NOTIF_RECV, {id=0, pid=9067, flags=0, data={nr=__NR_gettid, arch=AUDIT_ARCH_X86_64, instruction_pointer=NULL, args=[0xdeadfacebadc0ded, 0x1, 0x2, 0x3, 0x4, 0]}} => 0x7f25b0335fb0) = -1 EBADF (Bad file descriptor)`)
	checkLine(t, decodeLineOpt(t, Options{StrSize: 32, ConstStyle: ConstVerbose}, "ioctl", 42, [6]uint64{^uint64(0), 0xc0502100, a}, wire.Cap{Arg: 2, Data: make([]byte, 80)}),
		`ioctl(-1, 0xc0502100 /* SECCOMP_IOCTL_NOTIF_RECV */, {id=0, pid=0, flags=0, data={nr=0, arch=0 /* AUDIT_ARCH_??? */, instruction_pointer=NULL, args=[0, 0, 0, 0, 0, 0]}}) = 42`)
	r := make([]byte, 24)
	copy(r, u64s(0xdeadc0debadc0ded, 0xdadfacedbadc0ded))
	le32(r[16:], uint32(0x100000000-63))
	le32(r[20:], 1)
	checkLine(t, decodeLine(t, "ioctl", ebadf, [6]uint64{^uint64(0), 0xc0182101, a}, wire.Cap{Arg: 2, Data: r}),
		`ioctl(-1, SECCOMP_IOCTL_NOTIF_SEND, {id=0xdeadc0debadc0ded, val=-2675229516592574995, error=-ENOSR, flags=SECCOMP_USER_NOTIF_FLAG_CONTINUE}) = -1 EBADF (Bad file descriptor)`)
	checkLine(t, decodeLineOpt(t, Options{StrSize: 32, ConstStyle: ConstVerbose}, "ioctl", ebadf, [6]uint64{^uint64(0), 0xc0182101, a}, wire.Cap{Arg: 2, Data: r}),
		`ioctl(-1, 0xc0182101 /* SECCOMP_IOCTL_NOTIF_SEND */, {id=0xdeadc0debadc0ded, val=-2675229516592574995, error=-63 /* -ENOSR */, flags=0x1 /* SECCOMP_USER_NOTIF_FLAG_CONTINUE */}) = -1 EBADF (Bad file descriptor)`)
	checkLine(t, decodeLine(t, "ioctl", ebadf, [6]uint64{^uint64(0), 0x80082102, a}, wire.Cap{Arg: 2, Data: u64s(0xdecaffedfacefeed)}),
		`ioctl(-1, SECCOMP_IOCTL_NOTIF_ID_VALID_WRONG_DIR, [0xdecaffedfacefeed]) = -1 EBADF (Bad file descriptor)`)
	ad := make([]byte, 24)
	copy(ad, u64s(0xdeadc0debadfaced))
	le32(ad[8:], 0xbadc0dec)
	le32(ad[12:], 0xdeadbeee)
	le32(ad[16:], 0xbeefeeed)
	le32(ad[20:], 0x81000)
	checkLine(t, decodeLine(t, "ioctl", ebadf, [6]uint64{^uint64(0), 0x40182103, a}, wire.Cap{Arg: 2, Data: ad}),
		`ioctl(-1, SECCOMP_IOCTL_NOTIF_ADDFD, {id=0xdeadc0debadfaced, flags=0xbadc0dec /* SECCOMP_ADDFD_FLAG_??? */, srcfd=-559038738, newfd=-1091571987, newfd_flags=O_DSYNC|O_CLOEXEC}) = -1 EBADF (Bad file descriptor)`)
}
