package strace

import (
	"testing"

	"github.com/eproc/eproc/loader/wire"
)

// Lines from strace 6.1's tests unshare, setns, pidfd_open, pidfd_getfd,
// sethostname, setdomainname, xet_robust_list and iopl.
func TestFamNamespaces(t *testing.T) {
	checkLine(t, decodeLine(t, "unshare", -22, [6]uint64{0xbadc0ded0000000f}), `unshare(0xbadc0ded0000000f /* CLONE_??? */) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "unshare", 0, [6]uint64{0}), `unshare(0) = 0`)
	checkLine(t, decodeLine(t, "unshare", -22, [6]uint64{0xdeadcaf5}),
		`unshare(CLONE_NEWTIME|CLONE_FS|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_NEWCGROUP|CLONE_NEWUTS|CLONE_NEWIPC|CLONE_NEWUSER|CLONE_NEWNET|0x80a8c075) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "setns", -9, [6]uint64{0xdefaceddeadc0de, 0xdefaced00000080}), `setns(-559038242, CLONE_NEWTIME) = -1 EBADF (Bad file descriptor)`)
	checkLine(t, decodeLine(t, "setns", -9, [6]uint64{0xdefaceddeadc0de, 0xdefaced81fdff7f}), `setns(-559038242, 0x81fdff7f /* CLONE_NEW??? */) = -1 EBADF (Bad file descriptor)`)
	checkLine(t, decodeLine(t, "pidfd_open", -22, [6]uint64{0xdefaced00000000, 0xdefacedffffffff}), `pidfd_open(0, PIDFD_NONBLOCK|0xfffff7ff) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "pidfd_open", -22, [6]uint64{0xdefaced00002dba, 0xdefacedfacef6ed}), `pidfd_open(11706, 0xfacef6ed /* PIDFD_??? */) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "pidfd_getfd", -22, [6]uint64{0xdefaced00000000, 0xdefaced00000000, 0xdefacedbadc0ded}), `pidfd_getfd(0, 0, 0xbadc0ded) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "pidfd_getfd", 6, [6]uint64{5, 5, 0}), `pidfd_getfd(5, 5, 0) = 6`)
	checkLine(t, decodeLine(t, "sethostname", -14, [6]uint64{0, 0xffffffff00000040}), `sethostname(NULL, 64) = -1 EFAULT (Bad address)`)
	checkLine(t, decodeLine(t, "sethostname", -22, [6]uint64{0x7f851c9befbf, 65}), `sethostname(0x7f851c9befbf, 65) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "setdomainname", 0, [6]uint64{0x1000, 3}, wire.Cap{Arg: 0, Data: []byte("abc")}), `setdomainname("abc", 3) = 0`)
	checkLine(t, decodeLine(t, "get_robust_list", -14, [6]uint64{0, 0, 0}), `get_robust_list(0, NULL, NULL) = -1 EFAULT (Bad address)`)
	checkLine(t, decodeLine(t, "get_robust_list", 0, [6]uint64{32229, 0x1000, 0x2000}, wire.Cap{Arg: 1, Data: u64s(0x7fb38d58ca20)}, wire.Cap{Arg: 2, Data: u64s(24)}),
		`get_robust_list(32229, [0x7fb38d58ca20], [24]) = 0`)
	checkLine(t, decodeLine(t, "iopl", -38, [6]uint64{4}), `iopl(4) = -1 ENOSYS (Function not implemented)`)
}
