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
