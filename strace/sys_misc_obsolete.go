package strace

// Syscalls the kernel no longer implements (or never did) on x86-64, and
// ioperm: strace 6.1 prints them with printargs, as many raw arguments as
// its syscall table says (tracefs has no entry for most of them, so the
// generic signature would print six), getpmsg and putpmsg in %network;
// ioperm with its own decoder (from and num in hex, turn_on an int). And
// rseq_slice_yield, which strace 7.2 prints without arguments (the kernel
// this was written on predates it, so tracefs does not say).

// rawArgs is a signature of n raw arguments, as strace's printargs prints.
func rawArgs(n int, class Class) sig {
	args := make([]kind, n)
	for i := range args {
		args[i] = kRaw
	}
	return sig{args: args, class: class}
}

func init() {
	registerSigs(map[string]sig{
		"create_module":    rawArgs(2, 0),
		"get_kernel_syms":  rawArgs(1, 0),
		"query_module":     rawArgs(5, 0),
		"nfsservctl":       rawArgs(3, 0),
		"getpmsg":          rawArgs(5, ClassNetwork),
		"putpmsg":          rawArgs(5, ClassNetwork),
		"afs_syscall":      rawArgs(5, 0),
		"tuxcall":          rawArgs(3, 0),
		"security":         rawArgs(3, 0),
		"epoll_ctl_old":    rawArgs(4, 0),
		"epoll_wait_old":   rawArgs(4, 0),
		"vserver":          rawArgs(5, 0),
		"ioperm":           {args: []kind{kRaw, kRaw, kInt}},
		"rseq_slice_yield": {},
	})
}
