package strace

import (
	"bytes"

	"github.com/eproc/eproc/loader/wire"
)

// The printers of bpf's commands (strace 6.1's decode_BPF_*): each prints
// its struct's fields, in order, up to the last the caller's size
// reaches, as strace does for the sizes of released kernels. The attr is
// read at the call's exit: the fields the kernel writes (next_id,
// info_len, a batch's count) show what it wrote, "in => out" where the
// value at entry was kept (the attr's first 8 bytes).

// bpfAtEntry is the attr's 32-bit word at off (0 or 4) as the call
// entered, when it was read then.
func bpfAtEntry(c *Call, off int) (uint64, bool) {
	cp := c.Cap(1, 0x7fff)
	if cp == nil || cp.Fault() || len(cp.Data) < off+4 {
		return 0, false
	}
	return uint64(le.Uint32(cp.Data[off:])), true
}

// bpfInOut prints a field the kernel writes back: "in => out" when the
// value at entry is known and differs (a call that failed: the entry's).
func bpfInOut(p *printer, c *Call, a bpfAttr, off int) {
	out := a.u32(off)
	in, ok := bpfAtEntry(c, off)
	if !ok {
		p.u(out)
		return
	}
	p.u(in)
	if out != in && c.Complete() {
		p.s(" => ")
		p.u(out)
	}
}

func bpfFd(p *printer, c *Call, v uint64) { p.fd(c, int32(uint32(v))) }

// bpfCString prints a char array as print_quoted_cstring: up to its NUL;
// when its last byte is not one, all but that byte and "...".
func bpfCString(p *printer, b []byte) {
	if len(b) == 0 {
		p.s(`""`)
		return
	}
	if i := bytes.IndexByte(b, 0); i >= 0 {
		p.quote(b[:i], false)
		return
	}
	p.quote(b[:len(b)-1], true)
}

// bpfAttrMemElem | i tags the string of kprobe_multi's symbol i
// (ATTRMEM_ELEM).
const bpfAttrMemElem = 0x1000

// bpfMem is n bytes of what the attr's pointer at offset at points to,
// as read when the call entered (EvAttrMem): nil when it was not (its
// address is printed). The task's memory is not read when the record is
// decoded instead: by then the task may have reused it (bpftool's stack)
// or exited.
func bpfMem(c *Call, at int, n int) []byte {
	if cp := c.Cap(1, wire.AttrMemIdx|at); cp != nil && (!cp.Fault() || cp.Part()) {
		return cp.Data[:min(n, len(cp.Data))]
	}
	return nil
}

// bpfStr prints the string at addr as printstr_ex(addr, n,
// QUOTE_0_TERMINATED) does: at most -s characters, up to a NUL within n
// bytes; "..." when none ended it; the address when it cannot be read.
func bpfStr(p *printer, c *Call, at int, addr, n uint64) {
	if addr == 0 {
		p.s("NULL")
		return
	}
	size := uint64(p.strsize) + 1
	if size > n {
		size = n
	}
	d := bpfMem(c, at, int(size))
	nul := bytes.IndexByte(d, 0)
	if nul < 0 && uint64(len(d)) < size || size > 0 && len(d) == 0 {
		p.ptr(addr)
		return
	}
	show := d
	if nul >= 0 {
		show = d[:nul]
	}
	if len(show) > p.strsize {
		show = show[:p.strsize]
	}
	// The string ends where strace's quoting saw a NUL: within what is
	// shown, or at the byte after it, which it reads when n allows.
	more := nul < 0 || nul > p.strsize
	p.quote(show, more && n > 0)
}

// bpfPath prints a path at addr as printpath: all of it.
func bpfPath(p *printer, c *Call, at int, addr uint64) {
	if addr == 0 {
		p.s("NULL")
		return
	}
	d := bpfMem(c, at, pathShown+1)
	nul := bytes.IndexByte(d, 0)
	if nul < 0 {
		p.ptr(addr)
		return
	}
	p.quote(d[:nul], false)
}

// bpfKernelVersion prints a kernel version as KERNEL_VERSION(a, b, c).
func bpfKernelVersion(p *printer, v uint64) {
	if p.style != ConstAbbrev {
		hexOrZero(p, v)
	}
	if p.style == ConstRaw {
		return
	}
	if p.style == ConstVerbose {
		p.s(" /* ")
	}
	p.s("KERNEL_VERSION(")
	p.u(v >> 16)
	p.s(", ")
	p.u(v >> 8 & 0xff)
	p.s(", ")
	p.u(v & 0xff)
	p.c(')')
	if p.style == ConstVerbose {
		p.s(" */")
	}
}

func bpfMapCreate(p *printer, c *Call, a bpfAttr) {
	p.s("map_type=")
	p.xlat(a.u32(0), bpfMapTypes, "/BPF_MAP_TYPE_???")
	p.s(", key_size=")
	p.u(a.u32(4))
	p.s(", value_size=")
	p.u(a.u32(8))
	p.s(", max_entries=")
	p.u(a.u32(12))
	if !a.has(16) {
		return
	}
	flags := a.u32(16)
	p.s(", map_flags=")
	flagsOrUnknown(p, flags, bpfMapFlags, "", "BPF_F_???")
	if !a.has(20) {
		return
	}
	p.s(", inner_map_fd=")
	bpfFd(p, c, a.u32(20))
	if !a.has(24) {
		return
	}
	if flags&4 != 0 { // BPF_F_NUMA_NODE: -1 is NUMA_NO_NODE, always named
		p.s(", numa_node=")
		v := a.u32(24)
		p.u(v)
		if v == 0xffffffff && p.style != ConstRaw {
			p.comment("NUMA_NO_NODE")
		}
	}
	if !a.has(28) {
		return
	}
	p.s(", map_name=")
	bpfCString(p, a.b[28:min(44, a.n)])
	if !a.has(44) {
		return
	}
	p.s(", map_ifindex=")
	ifindex(p, uint32(a.u32(44)))
	if !a.has(48) {
		return
	}
	p.s(", btf_fd=")
	bpfFd(p, c, a.u32(48))
	p.s(", btf_key_type_id=")
	p.u(a.u32(52))
	p.s(", btf_value_type_id=")
	p.u(a.u32(56))
	if !a.has(60) {
		return
	}
	p.s(", btf_vmlinux_value_type_id=")
	p.u(a.u32(60))
	if !a.has(64) {
		return
	}
	p.s(", map_extra=")
	p.u(a.u64(64))
}

// bpfMapElem prints map_fd, then the pointers named.
func bpfMapElem(p *printer, c *Call, a bpfAttr, names ...string) {
	p.s("map_fd=")
	bpfFd(p, c, a.u32(0))
	for k, n := range names {
		p.s(", ")
		p.s(n)
		p.c('=')
		p.ptr(a.u64(8 + 8*k))
	}
}

func bpfMapLookupElem(p *printer, c *Call, a bpfAttr) {
	bpfMapElem(p, c, a, "key", "value")
	if !a.has(24) {
		return
	}
	p.s(", flags=")
	flagsOrUnknown(p, a.u64(24), bpfLookupElemFlags, "BPF_ANY", "BPF_???")
}

func bpfMapUpdateElem(p *printer, c *Call, a bpfAttr) {
	bpfMapElem(p, c, a, "key", "value")
	p.s(", flags=")
	p.xlat(a.u64(24), bpfUpdateElemFlags, "/BPF_???")
}

func bpfMapDeleteElem(p *printer, c *Call, a bpfAttr) { bpfMapElem(p, c, a, "key") }
func bpfMapGetNextKey(p *printer, c *Call, a bpfAttr) { bpfMapElem(p, c, a, "key", "next_key") }
func bpfMapFreeze(p *printer, c *Call, a bpfAttr)     { bpfMapElem(p, c, a) }

func bpfProgLoad(p *printer, c *Call, a bpfAttr) {
	p.s("prog_type=")
	p.xlat(a.u32(0), bpfProgTypes, "/BPF_PROG_TYPE_???")
	p.s(", insn_cnt=")
	p.u(a.u32(4))
	p.s(", insns=")
	bpfInsns(p, c, a.u64(8), a.u32(4))
	p.s(", license=")
	bpfStr(p, c, 16, a.u64(16), ^uint64(0))
	if !a.has(24) {
		return
	}
	p.s(", log_level=")
	p.u(a.u32(24))
	p.s(", log_size=")
	p.u(a.u32(28))
	p.s(", log_buf=")
	bpfStr(p, c, 32, a.u64(32), a.u32(28))
	if !a.has(40) {
		return
	}
	p.s(", kern_version=")
	bpfKernelVersion(p, a.u32(40))
	if !a.has(44) {
		return
	}
	p.s(", prog_flags=")
	flagsOrUnknown(p, a.u32(44), bpfProgFlags, "", "BPF_F_???")
	if !a.has(48) {
		return
	}
	p.s(", prog_name=")
	bpfCString(p, a.b[48:min(64, a.n)])
	if !a.has(64) {
		return
	}
	p.s(", prog_ifindex=")
	ifindex(p, uint32(a.u32(64)))
	if !a.has(68) {
		return
	}
	p.s(", expected_attach_type=")
	p.xlat(a.u32(68), bpfAttachTypes, "/BPF_???")
	if !a.has(72) {
		return
	}
	p.s(", prog_btf_fd=")
	bpfFd(p, c, a.u32(72))
	p.s(", func_info_rec_size=")
	p.u(a.u32(76))
	p.s(", func_info=")
	p.ptr(a.u64(80))
	p.s(", func_info_cnt=")
	p.u(a.u32(88))
	p.s(", line_info_rec_size=")
	p.u(a.u32(92))
	p.s(", line_info=")
	p.ptr(a.u64(96))
	p.s(", line_info_cnt=")
	p.u(a.u32(104))
	if !a.has(108) {
		return
	}
	p.s(", attach_btf_id=")
	p.u(a.u32(108))
	if !a.has(112) {
		return
	}
	p.s(", attach_prog_fd=")
	bpfFd(p, c, a.u32(112))
	if !a.has(120) {
		return
	}
	p.s(", fd_array=")
	p.ptr(a.u64(120))
}

func bpfObjPin(p *printer, c *Call, a bpfAttr) {
	p.s("pathname=")
	bpfPath(p, c, 0, a.u64(0))
	p.s(", bpf_fd=")
	bpfFd(p, c, a.u32(8))
	if !a.has(12) {
		return
	}
	p.s(", file_flags=")
	flagsOrUnknown(p, a.u32(12), bpfFileModeFlags, "", "BPF_F_???")
}

func bpfProgAttach(p *printer, c *Call, a bpfAttr) {
	p.s("target_fd=")
	bpfFd(p, c, a.u32(0))
	p.s(", attach_bpf_fd=")
	bpfFd(p, c, a.u32(4))
	p.s(", attach_type=")
	p.xlat(a.u32(8), bpfAttachTypes, "/BPF_???")
	p.s(", attach_flags=")
	flagsOrUnknown(p, a.u32(12), bpfAttachFlags, "", "BPF_F_???")
	if !a.has(16) {
		return
	}
	p.s(", replace_bpf_fd=")
	bpfFd(p, c, a.u32(16))
}

func bpfProgDetach(p *printer, c *Call, a bpfAttr) {
	p.s("target_fd=")
	bpfFd(p, c, a.u32(0))
	p.s(", attach_type=")
	p.xlat(a.u32(8), bpfAttachTypes, "/BPF_???")
}

func bpfProgTestRun(p *printer, c *Call, a bpfAttr) {
	p.s("test={prog_fd=")
	bpfFd(p, c, a.u32(0))
	for _, f := range []struct {
		name string
		off  int
		addr bool
	}{{"retval", 4, false}, {"data_size_in", 8, false}, {"data_size_out", 12, false}, {"data_in", 16, true},
		{"data_out", 24, true}, {"repeat", 32, false}, {"duration", 36, false}} {
		bpfField(p, a, f.name, f.off, f.addr)
	}
	if a.has(40) {
		bpfField(p, a, "ctx_size_in", 40, false)
		bpfField(p, a, "ctx_size_out", 44, false)
		bpfField(p, a, "ctx_in", 48, true)
		bpfField(p, a, "ctx_out", 56, true)
	}
	if a.has(64) {
		p.s(", flags=")
		flagsOrUnknown(p, a.u32(64), bpfTestRunFlags, "", "BPF_F_???")
		bpfField(p, a, "cpu", 68, false)
	}
	if a.has(72) {
		bpfField(p, a, "batch_size", 72, false)
	}
	p.c('}')
}

// bpfField prints ", name=" and a 32-bit unsigned field, or a 64-bit address.
func bpfField(p *printer, a bpfAttr, name string, off int, addr bool) {
	p.s(", ")
	p.s(name)
	p.c('=')
	if addr {
		p.ptr(a.u64(off))
		return
	}
	p.u(a.u32(off))
}

func bpfGetNextID(p *printer, c *Call, a bpfAttr) {
	p.s("start_id=")
	p.u(a.u32(0))
	p.s(", next_id=")
	bpfInOut(p, c, a, 4)
	if !a.has(8) {
		return
	}
	p.s(", open_flags=")
	flagsOrUnknown(p, a.u32(8), bpfFileModeFlags, "", "BPF_F_???")
}

func bpfGetFdByID(id string) func(p *printer, c *Call, a bpfAttr) {
	return func(p *printer, c *Call, a bpfAttr) {
		p.s(id)
		p.c('=')
		p.u(a.u32(0))
		p.s(", next_id=")
		p.u(a.u32(4))
		if !a.has(8) {
			return
		}
		p.s(", open_flags=")
		flagsOrUnknown(p, a.u32(8), bpfFileModeFlags, "", "BPF_F_???")
	}
}

func bpfIDOnly(id string) func(p *printer, c *Call, a bpfAttr) {
	return func(p *printer, c *Call, a bpfAttr) {
		p.s(id)
		p.c('=')
		p.u(a.u32(0))
	}
}

func bpfProgQuery(p *printer, c *Call, a bpfAttr) {
	p.s("query={target_fd=")
	bpfFd(p, c, a.u32(0))
	p.s(", attach_type=")
	p.xlat(a.u32(4), bpfAttachTypes, "/BPF_???")
	p.s(", query_flags=")
	flagsOrUnknown(p, a.u32(8), bpfQueryFlags, "", "BPF_F_QUERY_???")
	p.s(", attach_flags=")
	flagsOrUnknown(p, a.u32(12), bpfAttachFlags, "", "BPF_F_???")
	p.s(", prog_ids=")
	cnt := a.u32(24)
	if failed := c.Ret < 0 && c.Ret >= -4095 || !c.Complete(); failed && a.u64(16) != 0 && cnt != 0 {
		// Read at exit, by umoven_or_printaddr: not after an error.
		p.ptr(a.u64(16))
	} else {
		// Read at exit by bpf_info_exit (bpf/eproc.c), at most 64.
		bpfArray(p, c, bpfAttrMemExit|16, a.u64(16), 4, cnt, func(p *printer, b []byte) { p.u(uint64(le.Uint32(b))) })
	}
	p.s(", prog_cnt=")
	p.u(cnt)
	p.c('}')
}

func bpfRawTracepointOpen(p *printer, c *Call, a bpfAttr) {
	p.s("raw_tracepoint={name=")
	bpfStr(p, c, 0, a.u64(0), 128)
	p.s(", prog_fd=")
	bpfFd(p, c, a.u32(8))
	p.c('}')
}

func bpfBtfLoad(p *printer, c *Call, a bpfAttr) {
	p.s("btf=")
	bpfBytes(p, c, 0, a.u64(0), a.u32(16))
	p.s(", btf_log_buf=")
	p.ptr(a.u64(8))
	bpfField(p, a, "btf_size", 16, false)
	bpfField(p, a, "btf_log_size", 20, false)
	bpfField(p, a, "btf_log_level", 24, false)
}

// bpfBytes prints n bytes at addr as printstrn: at most -s of them.
func bpfBytes(p *printer, c *Call, at int, addr, n uint64) {
	if addr == 0 {
		p.s("NULL")
		return
	}
	size := min(n, uint64(p.strsize)+1) // strace reads one more
	d := bpfMem(c, at, int(size))
	if uint64(len(d)) < size {
		p.ptr(addr)
		return
	}
	p.quote(d[:min(size, uint64(p.strsize))], n > uint64(p.strsize))
}

func bpfTaskFdQuery(p *printer, c *Call, a bpfAttr) {
	p.s("task_fd_query={pid=")
	p.pid(int32(a.u32(0)), ptTgid)
	p.s(", fd=")
	bpfFd(p, c, a.u32(4))
	bpfField(p, a, "flags", 8, false)
	bpfField(p, a, "buf_len", 12, false)
	p.s(", buf=")
	bpfStr(p, c, -1, a.u64(16), a.u32(12))
	bpfField(p, a, "prog_id", 24, false)
	p.s(", fd_type=")
	p.xlat(a.u32(28), bpfTaskFdTypes, "/BPF_FD_TYPE_???")
	p.s(", probe_offset=")
	hexOrZero(p, a.u64(32))
	p.s(", probe_addr=")
	hexOrZero(p, a.u64(40))
	p.c('}')
}

// bpfMapBatch prints a batch command: in_batch and out_batch with lookups,
// values but with deletes.
func bpfMapBatch(lookup, values bool) func(p *printer, c *Call, a bpfAttr) {
	return func(p *printer, c *Call, a bpfAttr) {
		p.s("batch={")
		if lookup {
			p.s("in_batch=")
			p.ptr(a.u64(0))
			p.s(", out_batch=")
			p.ptr(a.u64(8))
			p.s(", ")
		}
		p.s("keys=")
		p.ptr(a.u64(16))
		if values {
			bpfField(p, a, "values", 24, true)
		}
		bpfField(p, a, "count", 32, false)
		p.s(", map_fd=")
		bpfFd(p, c, a.u32(36))
		p.s(", elem_flags=")
		flagsOrUnknown(p, a.u64(40), bpfLookupElemFlags, "BPF_ANY", "BPF_???")
		p.s(", flags=")
		hexOrZero(p, a.u64(48))
		p.c('}')
	}
}

func bpfLinkCreate(p *printer, c *Call, a bpfAttr) {
	p.s("link_create={prog_fd=")
	bpfFd(p, c, a.u32(0))
	p.s(", target_fd=")
	bpfFd(p, c, a.u32(4))
	p.s(", attach_type=")
	at := a.u32(8)
	p.xlat(at, bpfAttachTypes, "/BPF_???")
	p.s(", flags=")
	hexOrZero(p, a.u32(12))
	if a.has(16) {
		switch at {
		case 0:
			if v := a.u32(16); v != 0 {
				bpfField(p, a, "target_btf_id", 16, false)
			}
		case 28: // BPF_TRACE_ITER
			p.s(", iter_info=")
			bpfArray(p, c, 16, a.u64(16), 4, a.u32(24), func(p *printer, b []byte) {
				p.s("{map={map_fd=")
				bpfFd(p, c, uint64(le.Uint32(b)))
				p.s("}}")
			})
			bpfField(p, a, "iter_info_len", 24, false)
		case 41: // BPF_PERF_EVENT
			p.s(", perf_event={bpf_cookie=")
			hexOrZero(p, a.u64(16))
			p.c('}')
		case 42: // BPF_TRACE_KPROBE_MULTI
			cnt := a.u32(20)
			p.s(", kprobe_multi={flags=")
			flagsOrUnknown(p, a.u32(16), bpfKprobeMultiFl, "", "BPF_F_???")
			bpfField(p, a, "cnt", 20, false)
			p.s(", syms=")
			k := 0
			bpfArray(p, c, 24, a.u64(24), 8, cnt, func(p *printer, b []byte) {
				bpfStr(p, c, bpfAttrMemElem|k, le.Uint64(b), ^uint64(0))
				k++
			})
			p.s(", addrs=")
			bpfArray(p, c, 32, a.u64(32), 8, cnt, func(p *printer, b []byte) { hexOrZero(p, le.Uint64(b)) })
			p.s(", cookies=")
			bpfArray(p, c, 40, a.u64(40), 8, cnt, func(p *printer, b []byte) { hexOrZero(p, le.Uint64(b)) })
			p.c('}')
		}
	}
	p.c('}')
}

// bpfLinkCreateSize is how much of the link_create struct strace knows
// for the attach type (the union's member it guessed), past which it
// prints extra data.
func bpfLinkCreateSize(at uint64) int {
	switch at {
	case 0:
		return 20
	case 28:
		return 28
	case 41:
		return 24
	case 42:
		return 48
	}
	return 16
}

func bpfLinkUpdate(p *printer, c *Call, a bpfAttr) {
	p.s("link_update={link_fd=")
	bpfFd(p, c, a.u32(0))
	p.s(", new_prog_fd=")
	bpfFd(p, c, a.u32(4))
	p.s(", flags=")
	fl := a.u32(8)
	flagsOrUnknown(p, fl, bpfAttachFlags, "", "BPF_F_???")
	if fl&4 != 0 { // BPF_F_REPLACE
		p.s(", old_prog_fd=")
		bpfFd(p, c, a.u32(12))
	}
	p.c('}')
}

// bpfArray prints count elements of size bytes at addr as print_array
// does (see printArray), read from the task's memory.
func bpfArray(p *printer, c *Call, at int, addr uint64, size, count uint64, elem func(p *printer, b []byte)) {
	switch {
	case addr == 0:
		p.s("NULL")
		return
	case count == 0:
		p.s("[]")
		return
	case count > ^uint64(0)/size || addr+count*size <= addr:
		p.ptr(addr)
		return
	}
	want := count
	if p.abbrev() && want > uint64(p.strsize) {
		want = uint64(p.strsize) + 1
	}
	want = min(want, 1<<16)
	d := bpfMem(c, at, int(want*size))
	if uint64(len(d)) < size {
		p.ptr(addr)
		return
	}
	p.c('[')
	for k := uint64(0); k < count; k++ {
		if k > 0 {
			p.s(", ")
		}
		if k == uint64(p.strsize) && p.abbrev() {
			p.s("...")
			break
		}
		if (k+1)*size > uint64(len(d)) {
			if k < want {
				p.s("... /* ")
				p.x(addr + k*size)
				p.s(" */")
			} else {
				p.s("...")
			}
			break
		}
		elem(p, d[k*size:(k+1)*size])
	}
	p.c(']')
}
