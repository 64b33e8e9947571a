package strace

import (
	"testing"

	"github.com/eproc/eproc/loader/wire"
)

// Expected lines: strace 6.1's for the same calls.
func TestMiscPaths(t *testing.T) {
	str := func(arg uint8, s string) wire.Cap { return wire.Cap{Arg: arg, Data: []byte(s)} }
	checkLine(t, decodeLine(t, "pivot_root", -2, [6]uint64{0x1000, 0x2000}, str(0, "/nonexistent-new"), str(1, "/nonexistent-old")),
		`pivot_root("/nonexistent-new", "/nonexistent-old") = -1 ENOENT (No such file or directory)`)
	checkLine(t, decodeLine(t, "pivot_root", -14, [6]uint64{0, 0x2000}, str(1, "/x")), `pivot_root(NULL, "/x") = -1 EFAULT (Bad address)`)
	checkLine(t, decodeLine(t, "pivot_root", -14, [6]uint64{1, 0}, wire.Cap{Arg: 0, Flags: wire.CapFault}), `pivot_root(0x1, NULL) = -1 EFAULT (Bad address)`)
	checkLine(t, decodeLine(t, "uselib", -38, [6]uint64{0x1000, 0xffffffffffffff80}, str(0, "/nonexistent-lib")),
		`uselib("/nonexistent-lib") = -1 ENOSYS (Function not implemented)`)
	checkLine(t, decodeLine(t, "uselib", -38, [6]uint64{0}), `uselib(NULL) = -1 ENOSYS (Function not implemented)`)
	checkLine(t, decodeLine(t, "sysfs", 2, [6]uint64{1, 0x561c8a27203a, 0xffffffffffffff80}), `sysfs(0x1, 0x561c8a27203a, 0xffffffffffffff80) = 2`)
	checkLine(t, decodeLine(t, "sysfs", 0, [6]uint64{2, 0, 0x7ffdf2d6f260}), `sysfs(0x2, 0, 0x7ffdf2d6f260) = 0`)
}
