package strace

import "testing"

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
