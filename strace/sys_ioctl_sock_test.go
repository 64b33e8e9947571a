package strace

import (
	"encoding/binary"
	"testing"

	"github.com/eproc/eproc/loader/wire"
	"golang.org/x/sys/unix"
)

func TestFamIoctlSock(t *testing.T) {
	ebadf := -int64(unix.EBADF)
	const a = 0x7f4ed31f7000
	ifr := func(name string, u []byte) []byte {
		b := make([]byte, 40)
		copy(b, name)
		copy(b[16:], u)
		return b
	}
	checkLine(t, decodeLine(t, "ioctl", 0, [6]uint64{3, 0x8903, a}, wire.Cap{Arg: 2, Data: []byte{0, 0, 0, 0}}), `ioctl(3, FIOGETOWN, [0]) = 0`)
	checkLine(t, decodeLine(t, "ioctl", ebadf, [6]uint64{^uint64(0), 0x8901}), `ioctl(-1, FIOSETOWN, NULL) = -1 EBADF (Bad file descriptor)`)
	checkLine(t, decodeLine(t, "ioctl", ebadf, [6]uint64{^uint64(0), 0x89a0, a}, wire.Cap{Arg: 2, Data: []byte("0123456789012345")}),
		`ioctl(-1, SIOCBRADDBR, "0123456789012345"...) = -1 EBADF (Bad file descriptor)`)
	checkLine(t, decodeLine(t, "ioctl", ebadf, [6]uint64{^uint64(0), 0x89a0, a}, wire.Cap{Arg: 2, Data: []byte("012345678901234\x00")}),
		`ioctl(-1, SIOCBRADDBR, "012345678901234") = -1 EBADF (Bad file descriptor)`)
	sin := []byte{2, 0, 0x1b, 0xad, 127, 0, 0, 1}
	checkLine(t, decodeLine(t, "ioctl", ebadf, [6]uint64{^uint64(0), 0x8916, a}, wire.Cap{Arg: 2, Data: ifr("0123456789012345", sin)}),
		`ioctl(-1, SIOCSIFADDR, {ifr_name="012345678901234"..., ifr_addr={sa_family=AF_INET, sin_port=htons(7085), sin_addr=inet_addr("127.0.0.1")}}) = -1 EBADF (Bad file descriptor)`)
	checkLine(t, decodeLine(t, "ioctl", ebadf, [6]uint64{^uint64(0), 0x8924, a}, wire.Cap{Arg: 2, Data: ifr("eth0", []byte{1, 0, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98})}),
		`ioctl(-1, SIOCSIFHWADDR, {ifr_name="eth0", ifr_hwaddr={sa_family=ARPHRD_ETHER, sa_data=92:93:94:95:96:97}}) = -1 EBADF (Bad file descriptor)`)
	m := make([]byte, 24)
	copy(m, u64s(0x9796959493929190, 0x9f9e9d9c9b9a9998))
	binary.LittleEndian.PutUint16(m[16:], 0xa1a0)
	m[18], m[19], m[20] = 0xa2, 0xa3, 0xa4
	checkLine(t, decodeLine(t, "ioctl", ebadf, [6]uint64{^uint64(0), 0x8971, a}, wire.Cap{Arg: 2, Data: ifr("lo", m)}),
		`ioctl(-1, SIOCSIFMAP, {ifr_name="lo", ifr_map={mem_start=0x9796959493929190, mem_end=0x9f9e9d9c9b9a9998, base_addr=0xa1a0, irq=0xa2, dma=0xa3, port=0xa4}}) = -1 EBADF (Bad file descriptor)`)
	checkLine(t, decodeLine(t, "ioctl", ebadf, [6]uint64{^uint64(0), 0x8910, a}, wire.Cap{Arg: 2, Data: ifr("lo", []byte{1})}),
		`ioctl(-1, SIOCGIFNAME, {ifr_ifindex=1}) = -1 EBADF (Bad file descriptor)`)
	checkLine(t, decodeLine(t, "ioctl", 0, [6]uint64{3, 0x8910, a}, wire.Cap{Arg: 2, Data: ifr("lo", []byte{1})}),
		`ioctl(3, SIOCGIFNAME, {ifr_ifindex=1, ifr_name="lo"}) = 0`)
	checkLine(t, decodeLine(t, "ioctl", 0, [6]uint64{3, 0x8933, a}, wire.Cap{Arg: 2, Data: ifr("lo", []byte{1})}),
		`ioctl(3, SIOCGIFINDEX, {ifr_name="lo", ifr_ifindex=1}) = 0`)
	checkLine(t, decodeLine(t, "ioctl", 0, [6]uint64{3, 0x8912, a}, wire.Cap{Arg: 2, Data: []byte{80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}}),
		`ioctl(3, SIOCGIFCONF, {ifc_len=80 /* 2 * sizeof(struct ifreq) */, ifc_buf=NULL}) = 0`)
	checkLine(t, decodeLine(t, "ioctl", ebadf, [6]uint64{^uint64(0), 0x8946, a}), `ioctl(-1, SIOCETHTOOL, 0x7f4ed31f7000) = -1 EBADF (Bad file descriptor)`)
}
