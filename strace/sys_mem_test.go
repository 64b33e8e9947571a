package strace

import (
	"testing"

	"github.com/eproc/eproc/loader/wire"
)

// Decoder tests of the memory calls (see family_test.go).

func TestFamMemory(t *testing.T) {
	checkLine(t, decodeLine(t, "mmap", 0x7fae2b896000, [6]uint64{0x7fae2b896000, 438272, 5, 0x812, 3, 0x2000}),
		`mmap(0x7fae2b896000, 438272, PROT_READ|PROT_EXEC, MAP_PRIVATE|MAP_FIXED|MAP_DENYWRITE, 3, 0x2000) = 0x7fae2b896000`)
	checkLine(t, decodeLine(t, "mmap", 0x7f27c9cba000, [6]uint64{0, 8392704, 0, 0x20022, 0xffffffff, 0}),
		`mmap(NULL, 8392704, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_STACK, -1, 0) = 0x7f27c9cba000`)
	checkLine(t, decodeLine(t, "mmap", -12, [6]uint64{0, 2097152, 1, 0x40023, 0xffffffff, 0}),
		`mmap(NULL, 2097152, PROT_READ, MAP_SHARED_VALIDATE|MAP_ANONYMOUS|MAP_HUGETLB, -1, 0) = -1 ENOMEM (Cannot allocate memory)`)
	checkLine(t, decodeLine(t, "brk", 0x55dc344a3000, [6]uint64{0}), `brk(NULL) = 0x55dc344a3000`)
	checkLine(t, decodeLine(t, "madvise", 0, [6]uint64{0x7f27c9cba000, 8368128, 4}), `madvise(0x7f27c9cba000, 8368128, MADV_DONTNEED) = 0`)
	checkLine(t, decodeLine(t, "mprotect", 0, [6]uint64{0x7f62a7d8f000, 4096, 0}), `mprotect(0x7f62a7d8f000, 4096, PROT_NONE) = 0`)
}

// The memory calls the strace 6.1 tests mmap, mlockall, mlock2,
// remap_file_pages, pkey_*, memfd_secret, userfaultfd, process_mrelease,
// set_mempolicy_home_node and migrate_pages check.
func TestFamMemoryMore(t *testing.T) {
	checkLine(t, decodeLine(t, "mmap", -9, [6]uint64{0, 0, 0, 0, 0, 0}), `mmap(NULL, 0, PROT_NONE, MAP_FILE, 0, 0) = -1 EBADF (Bad file descriptor)`)
	checkLine(t, decodeLineOpt(t, Options{StrSize: 32, ConstStyle: ConstVerbose}, "mmap", -9, [6]uint64{0, 0, 0, 0, 0, 0}),
		`mmap(NULL, 0, 0 /* PROT_NONE */, 0 /* MAP_FILE */, 0, 0) = -1 EBADF (Bad file descriptor)`)
	checkLine(t, decodeLine(t, "mremap", 0xfacefeed000, [6]uint64{0xfacefeed000, 24576, 12288, 0, 0}),
		`mremap(0xfacefeed000, 24576, 12288, 0) = 0xfacefeed000`)
	checkLine(t, decodeLine(t, "mremap", 0xfacefef0000, [6]uint64{0xfacefeed000, 12288, 8192, 3, 0xfacefef0000}),
		`mremap(0xfacefeed000, 12288, 8192, MREMAP_MAYMOVE|MREMAP_FIXED, 0xfacefef0000) = 0xfacefef0000`)
	checkLine(t, decodeLine(t, "mlockall", 0, [6]uint64{1}), `mlockall(MCL_CURRENT) = 0`)
	checkLine(t, decodeLine(t, "mlock2", -22, [6]uint64{0xfacefeeddeadbeef, 0xcafef00dbadc0ded, ^uint64(0)}),
		`mlock2(0xfacefeeddeadbeef, 14627392581506174445, MLOCK_ONFAULT|0xfffffffe) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "remap_file_pages", -22, [6]uint64{0xfacefeeddeadbeef, 0xdefaced1bad2f00d, 7, 0xcaf3babebad4deed, 0x22}),
		`remap_file_pages(0xfacefeeddeadbeef, 16067382020775538701, PROT_READ|PROT_WRITE|PROT_EXEC, 14624237743343197933, MAP_PRIVATE|MAP_ANONYMOUS) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "remap_file_pages", -22, [6]uint64{0xfacefeeddeadf00d, 0xdefaced1bad2beef, 0xdefaced00000000, 0xcaf3babebad4deed, 0x5404401f}),
		`remap_file_pages(0xfacefeeddeadf00d, 16067382020775526127, 0xdefaced00000000 /* PROT_??? */, 14624237743343197933, 0xf /* MAP_??? */|MAP_FIXED|MAP_NORESERVE|MAP_HUGETLB|21<<MAP_HUGE_SHIFT) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "pkey_alloc", -22, [6]uint64{0, 0xbadc0ded00000002}),
		`pkey_alloc(0, PKEY_DISABLE_WRITE|0xbadc0ded00000000) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "pkey_alloc", -22, [6]uint64{0, 0xbadc0de8}),
		`pkey_alloc(0, 0xbadc0de8 /* PKEY_??? */) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "pkey_free", -22, [6]uint64{0xbb40e64d}), `pkey_free(-1153374643) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "memfd_secret", -22, [6]uint64{0xbeefcafede9fface}), `memfd_secret(O_CLOEXEC|0xde97face) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "userfaultfd", 8, [6]uint64{0xdefaced00000801}), `userfaultfd(UFFD_USER_MODE_ONLY|O_NONBLOCK) = 8`)
	checkLine(t, decodeLine(t, "process_mrelease", -22, [6]uint64{0xbadc0ded00000000, 0xbadc0dedfacefeed}),
		`process_mrelease(0, 0xfacefeed) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "set_mempolicy_home_node", 0, [6]uint64{0, 0, 0, 0}), `set_mempolicy_home_node(NULL, 0, 0, 0) = 0`)
	checkLine(t, decodeLine(t, "migrate_pages", -22, [6]uint64{0xfacefeed00004149, 0, 0, 0}),
		`migrate_pages(16713, 0, NULL, NULL) = -1 EINVAL (Invalid argument)`)
}

// The NUMA calls, as strace 6.1's tests mbind, get_mempolicy,
// set_mempolicy and move_pages print them.
func TestFamMemoryNuma(t *testing.T) {
	bad := [6]uint64{0xfffffff1fffffff2, 0xfffffff4fffffff4, 0, 0xfffffff5fffffff6, 0xfffffff7fffffff8, 0xffffffffffffffff}
	mbind := func(mode uint64, style ConstStyle) string {
		args := bad
		args[2] = mode
		return decodeLineOpt(t, Options{StrSize: 32, ConstStyle: style}, "mbind", -22, args)
	}
	checkLine(t, mbind(2, ConstAbbrev),
		`mbind(0xfffffff1fffffff2, 18446744026464911348, MPOL_BIND, 0xfffffff5fffffff6, 18446744039349813240, MPOL_MF_STRICT|MPOL_MF_MOVE|MPOL_MF_MOVE_ALL|0xfffffff8) = -1 EINVAL (Invalid argument)`)
	checkLine(t, mbind(0xe003, ConstAbbrev),
		`mbind(0xfffffff1fffffff2, 18446744026464911348, MPOL_INTERLEAVE|MPOL_F_STATIC_NODES|MPOL_F_RELATIVE_NODES|MPOL_F_NUMA_BALANCING, 0xfffffff5fffffff6, 18446744039349813240, MPOL_MF_STRICT|MPOL_MF_MOVE|MPOL_MF_MOVE_ALL|0xfffffff8) = -1 EINVAL (Invalid argument)`)
	checkLine(t, mbind(0x8001, ConstVerbose),
		`mbind(0xfffffff1fffffff2, 18446744026464911348, 0x8001 /* MPOL_PREFERRED|MPOL_F_STATIC_NODES */, 0xfffffff5fffffff6, 18446744039349813240, 0xffffffff /* MPOL_MF_STRICT|MPOL_MF_MOVE|MPOL_MF_MOVE_ALL|0xfffffff8 */) = -1 EINVAL (Invalid argument)`)
	checkLine(t, mbind(0xffffffffffff1fff, ConstAbbrev),
		`mbind(0xfffffff1fffffff2, 18446744026464911348, 0xffffffffffff1fff /* MPOL_??? */, 0xfffffff5fffffff6, 18446744039349813240, MPOL_MF_STRICT|MPOL_MF_MOVE|MPOL_MF_MOVE_ALL|0xfffffff8) = -1 EINVAL (Invalid argument)`)
	checkLine(t, mbind(0xffffffffffffffff, ConstAbbrev),
		`mbind(0xfffffff1fffffff2, 18446744026464911348, MPOL_F_STATIC_NODES|MPOL_F_RELATIVE_NODES|MPOL_F_NUMA_BALANCING|0xffffffffffff1fff, 0xfffffff5fffffff6, 18446744039349813240, MPOL_MF_STRICT|MPOL_MF_MOVE|MPOL_MF_MOVE_ALL|0xfffffff8) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "mbind", 0, [6]uint64{0x7f68e7386000, 4096, 0, 0, 0, 0}), `mbind(0x7f68e7386000, 4096, MPOL_DEFAULT, NULL, 0, 0) = 0`)
	checkLine(t, decodeLine(t, "get_mempolicy", 0, [6]uint64{0x1000, 0, 0, 0x7fa6e741eff8, 2}, wire.Cap{Arg: 0, Data: []byte{0, 0, 0, 0}}),
		`get_mempolicy([MPOL_DEFAULT], NULL, 0, 0x7fa6e741eff8, MPOL_F_ADDR) = 0`)
	checkLine(t, decodeLine(t, "get_mempolicy", -22, [6]uint64{0xdefaced1baddeed2, 0xfacedad3bebefed4, 0xcafef00dbadc0ded, 0xfacefeeddeadbeef, 0xffffffff}),
		`get_mempolicy(0xdefaced1baddeed2, 0xfacedad3bebefed4, 14627392581506174445, 0xfacefeeddeadbeef, MPOL_F_NODE|MPOL_F_ADDR|MPOL_F_MEMS_ALLOWED|0xfffffff8) = -1 EINVAL (Invalid argument)`)
}

// Node masks (print_nodemask): words up to -s, up to an unreadable page,
// none, too few bits for one; move_pages' arrays.
func TestFamMemoryNodemask(t *testing.T) {
	words := func(vals ...uint64) []byte {
		var b []byte
		for _, v := range vals {
			b = le.AppendUint64(b, v)
		}
		return b
	}
	opt := Options{StrSize: 3}
	checkLine(t, decodeLineOpt(t, opt, "set_mempolicy", 0, [6]uint64{0, 0x1000, 32768}, wire.Cap{Arg: 1, Data: words(0, 0, 0, 0, 0)}),
		`set_mempolicy(MPOL_DEFAULT, [0000000000000000, 0000000000000000, 0000000000000000, ...], 32768) = 0`)
	checkLine(t, decodeLineOpt(t, opt, "set_mempolicy", 0, [6]uint64{0, 0x1000, 128}, wire.Cap{Arg: 1, Data: words(1, 0xdeadbeef)}),
		`set_mempolicy(MPOL_DEFAULT, [0x00000000000001, 0x000000deadbeef], 128) = 0`)
	checkLine(t, decodeLineOpt(t, opt, "set_mempolicy", -22, [6]uint64{0, 0x7fe0e3b38ff8, 130}, wire.Cap{Arg: 1, Flags: wire.CapFault | wire.CapPart, Data: words(0)}),
		`set_mempolicy(MPOL_DEFAULT, [0000000000000000, ... /* 0x7fe0e3b39000 */], 130) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLineOpt(t, opt, "set_mempolicy", -22, [6]uint64{0, 0x1000, 0}), `set_mempolicy(MPOL_DEFAULT, [], 0) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLineOpt(t, opt, "set_mempolicy", -22, [6]uint64{0, 0x1000, 1}), `set_mempolicy(MPOL_DEFAULT, 0x1000, 1) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLineOpt(t, opt, "get_mempolicy", -22, [6]uint64{0, 0x7f99cb1c0ff8, 32770}), `get_mempolicy(NULL, 0x7f99cb1c0ff8, 32770, NULL, 0) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLineOpt(t, opt, "move_pages", 0, [6]uint64{7194, 2, 0x1000, 0, 0x3000, 0xfacefeed00000002},
		wire.Cap{Arg: 2, Data: words(0x7fc0664c9000, 0x7fc0664c8000)}, wire.Cap{Arg: 4, Data: []byte{0xf2, 0xff, 0xff, 0xff, 0, 0, 0, 0}}),
		`move_pages(7194, 2, [0x7fc0664c9000, 0x7fc0664c8000], NULL, [-EFAULT, 0], MPOL_MF_MOVE) = 0`)
	checkLine(t, decodeLineOpt(t, Options{StrSize: 3, ConstStyle: ConstVerbose}, "move_pages", -19, [6]uint64{7194, 2, 0x1000, 0x7fc0662d3ffc, 0x3000, 4},
		wire.Cap{Arg: 2, Data: words(0x7fc0664c9000, 0x7fc0664c8000)}, wire.Cap{Arg: 3, Flags: wire.CapFault | wire.CapPart, Data: []byte{0xe1, 0xbe, 0xad, 0xde}}),
		`move_pages(7194, 2, [0x7fc0664c9000, 0x7fc0664c8000], [-559038751, ... /* 0x7fc0662d4000 */], 0x3000, 0x4 /* MPOL_MF_MOVE_ALL */) = -1 ENODEV (No such device)`)
}

// Lines from strace 6.1's test process_madvise: iovecs up to an
// unreadable page, an overlong count, none.
func TestFamProcessMadvise(t *testing.T) {
	iov := func(vals ...uint64) []byte {
		var b []byte
		for _, v := range vals {
			b = le.AppendUint64(b, v)
		}
		return b
	}
	checkLine(t, decodeLine(t, "process_madvise", -22, [6]uint64{0xdefaced00000000, 0x1000, 2, 0xdefaced00000000, 0xdefacedffffffff},
		wire.Cap{Arg: 1, Data: iov(0x8786858483828180, 10344361028892658056, 0x9796959493929190, 11501803794301884824)}),
		`process_madvise(0, [{iov_base=0x8786858483828180, iov_len=10344361028892658056}, {iov_base=0x9796959493929190, iov_len=11501803794301884824}], 2, MADV_NORMAL, 0xffffffff) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "process_madvise", -22, [6]uint64{0xdefacedffffffff, 0, 0xdeadbeefdeadbeef, 0xdefaced00000014, 0xdefaced00000000}),
		`process_madvise(-1, NULL, 16045690984833335023, MADV_COLD, 0) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "process_madvise", -22, [6]uint64{0xdefaced00000000, 0x1000, 0, 0xdefaced00000015, 0xdefacedcafef00d}),
		`process_madvise(0, [], 0, MADV_PAGEOUT, 0xcafef00d) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "process_madvise", -22, [6]uint64{0xdefacedffffffff, 0x7f4c2ff94ff0, 2, 0xdefaceddeadc0de, 0xdefaced00000000},
		wire.Cap{Arg: 1, Flags: wire.CapFault | wire.CapPart, Data: iov(0x9796959493929190, 11501803794301884824)}),
		`process_madvise(-1, [{iov_base=0x9796959493929190, iov_len=11501803794301884824}, ... /* 0x7f4c2ff95000 */], 2, 0xdeadc0de /* MADV_??? */, 0) = -1 EINVAL (Invalid argument)`)
}
