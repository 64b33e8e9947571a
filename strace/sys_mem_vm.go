package strace

import "github.com/eproc/eproc/loader/wire"

// process_vm_readv and process_vm_writev, as strace 6.1's process_vm.c
// prints them: the pid, the local iovecs with their data (read: as much
// as the call returned, printed at its exit), the remote ones as
// addresses, the counts and flags as unsigned longs.

// vmIov is the local iovec array: its address when count elements would
// overrun the address space (print_array's rule), else fmtIov's.
func vmIov(read bool) func(p *printer, c *Call, i int) {
	return func(p *printer, c *Call, i int) {
		addr, n := c.Args[i], c.Args[i+1]
		if addr != 0 && n != 0 && (n > ^uint64(0)/16 || addr+n*16 <= addr) {
			p.ptr(addr)
			return
		}
		fmtIov(p, c, i, read)
	}
}

var (
	kVmIovIn  = newKind(kindInfo{cap: capRule{kind: wire.CKIov, sizeRel: 1, when: wire.CWIn}, fmt: vmIov(false)})
	kVmIovOut = newKind(kindInfo{out: true, cap: capRule{kind: wire.CKIov, sizeFrom: wire.SzRet, sizeRel: 1, when: wire.CWIn}, fmt: vmIov(true)})
)

func init() {
	registerSigs(map[string]sig{
		"process_vm_readv":  {args: []kind{kPidTgid, kVmIovOut, kUlong, kIovAddrs, kUlong, kUlong}},
		"process_vm_writev": {args: []kind{kPidTgid, kVmIovIn, kUlong, kIovAddrs, kUlong, kUlong}},
	})
}
