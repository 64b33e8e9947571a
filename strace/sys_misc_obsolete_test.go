package strace

import "testing"

// Lines strace 6.1 printed for the unimplemented syscalls (x86-64: each
// fails with ENOSYS), called by a C program through syscall(2); and
// strace 7.2's for rseq_slice_yield.
func TestFamObsolete(t *testing.T) {
	const nosys = " = -1 ENOSYS (Function not implemented)"
	junk := uint64(0x7ffac53df6d0)
	for _, tc := range []struct {
		name string
		args [6]uint64
		want string
	}{
		{"create_module", [6]uint64{0x1000, 0x20, junk, 0, junk, 1}, `create_module(0x1000, 0x20)`},
		{"get_kernel_syms", [6]uint64{0x2000, junk, 0xffffffffffffff80, junk, 1, 1}, `get_kernel_syms(0x2000)`},
		{"query_module", [6]uint64{0x3000, 1, 0, 5, 0x4000, 1}, `query_module(0x3000, 0x1, 0, 0x5, 0x4000)`},
		{"nfsservctl", [6]uint64{1, 0x5000, 0, 0x4000, 1, 1}, `nfsservctl(0x1, 0x5000, 0)`},
		{"getpmsg", [6]uint64{3, 0, 0x6000, 0xffffffffffffffff, 0x7000, 1}, `getpmsg(0x3, 0, 0x6000, 0xffffffffffffffff, 0x7000)`},
		{"putpmsg", [6]uint64{3, 0, 0x6000, 7, 2, 1}, `putpmsg(0x3, 0, 0x6000, 0x7, 0x2)`},
		{"afs_syscall", [6]uint64{1, 2, 3, 4, 5, 1}, `afs_syscall(0x1, 0x2, 0x3, 0x4, 0x5)`},
		{"tuxcall", [6]uint64{0xffffffff, 0, 3, 5, 1, 1}, `tuxcall(0xffffffff, 0, 0x3)`},
		{"security", [6]uint64{1, 2, 3, 1, 1, 1}, `security(0x1, 0x2, 0x3)`},
		{"epoll_ctl_old", [6]uint64{1, 2, 3, 0x8000, 1, 1}, `epoll_ctl_old(0x1, 0x2, 0x3, 0x8000)`},
		{"epoll_wait_old", [6]uint64{1, 0x9000, 3, 0xffffffffffffffff, 1, 1}, `epoll_wait_old(0x1, 0x9000, 0x3, 0xffffffffffffffff)`},
		{"vserver", [6]uint64{1, 2, 3, 4, 5, 1}, `vserver(0x1, 0x2, 0x3, 0x4, 0x5)`},
		{"ioperm", [6]uint64{0xdeafbeefffffffff, 1, 0xffffffffffffffff}, `ioperm(0xdeafbeefffffffff, 0x1, -1)`},
		{"ioperm", [6]uint64{0x80, 0, 0, junk}, `ioperm(0x80, 0, 0)`},
		{"rseq_slice_yield", [6]uint64{1, 2, 3, junk, junk, junk}, `rseq_slice_yield()`},
	} {
		checkLine(t, decodeLine(t, tc.name, -38, tc.args), tc.want+nosys)
	}
	for _, name := range []string{"getpmsg", "putpmsg"} {
		if nr, ok := Number(name); ok && Lookup(nr).signature().class != ClassNetwork {
			t.Errorf("%s: not in %%network (strace 6.1's TN)", name)
		}
	}
}
