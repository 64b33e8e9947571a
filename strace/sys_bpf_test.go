package strace

import (
	"strings"
	"testing"

	"github.com/eproc/eproc/loader/wire"
)

// bpfLine decodes a bpf call whose attr (argument 1, at 0x1000) is attr,
// after an EV_ATTRMEM record of mem (by the pointer's offset in the attr,
// or bpfAttrMemElem | i) when mem is not nil, and with entry (when not
// nil) as the attr's first bytes when the call entered.
func bpfLine(t *testing.T, opt Options, ret int64, cmd uint64, attr []byte, size uint64, entry []byte, mem map[int][]byte) string {
	t.Helper()
	nr, ok := Number("bpf")
	if !ok {
		t.Skip("no bpf")
	}
	d, txt := newText(opt)
	args := [6]uint64{cmd, 0x1000, size}
	if mem != nil {
		var caps []wire.Cap
		for at, m := range mem {
			caps = append(caps, wire.Cap{Arg: 1, Idx: uint16(wire.AttrMemIdx | at), Data: m})
		}
		rec := benchRecord(nr, 100, 0, args, caps...)
		le.PutUint16(rec, wire.EvAttrMem)
		if err := d.Feed(rec); err != nil {
			t.Fatal(err)
		}
	}
	caps := []wire.Cap{{Arg: 1, Data: attr}}
	if entry != nil {
		caps = append(caps, wire.Cap{Arg: 1, Idx: wire.EntryIdx, Data: entry})
	}
	if err := d.Feed(benchRecord(nr, 100, ret, args, caps...)); err != nil {
		t.Fatal(err)
	}
	out := strings.TrimSuffix(string(txt.TakeInto(nil)), "\n")
	if i := strings.Index(out, ") "); i >= 0 {
		j := i + 2
		for j < len(out) && out[j] == ' ' {
			j++
		}
		out = out[:i+2] + out[j:]
	}
	return out
}

// attrOf lays out a struct: each value at its offset, as 4 or 8 bytes.
type bf struct {
	off  int
	v    uint64
	wide bool
}

func attrOf(size int, fs ...bf) []byte {
	b := make([]byte, size)
	for _, f := range fs {
		if f.wide {
			le.PutUint64(b[f.off:], f.v)
		} else {
			le.PutUint32(b[f.off:], uint32(f.v))
		}
	}
	return b
}

// Lines as strace 6.1's tests bpf, bpf-v and bpf-obj_get_info_by_fd print them.
func TestFamBpf(t *testing.T) {
	opt := Options{StrSize: 32}
	checkLine(t, bpfLine(t, opt, -14, 0, nil, 256, nil, nil), `bpf(BPF_MAP_CREATE, 0x1000, 256) = -1 EFAULT (Bad address)`)
	checkLine(t, bpfLine(t, opt, -22, 0, nil, 0, nil, nil), `bpf(BPF_MAP_CREATE, 0x1000, 0) = -1 EINVAL (Invalid argument)`)
	checkLine(t, bpfLine(t, opt, -22, 0, attrOf(4, bf{0, 2, false}), 4, nil, nil),
		`bpf(BPF_MAP_CREATE, {map_type=BPF_MAP_TYPE_ARRAY, key_size=0, value_size=0, max_entries=0}, 4) = -1 EINVAL (Invalid argument)`)

	mc := attrOf(36, bf{0, 31, false}, bf{4, 4, false}, bf{8, 8, false}, bf{12, 256, false},
		bf{16, 63, false}, bf{20, 0xffffffff, false}, bf{24, 3141592653, false})
	copy(mc[28:], "01234567")
	checkLine(t, bpfLine(t, opt, -22, 0, mc, 36, nil, nil),
		`bpf(BPF_MAP_CREATE, {map_type=BPF_MAP_TYPE_USER_RINGBUF, key_size=4, value_size=8, max_entries=256, map_flags=BPF_F_NO_PREALLOC|BPF_F_NO_COMMON_LRU|BPF_F_NUMA_NODE|BPF_F_RDONLY|BPF_F_WRONLY|BPF_F_STACK_BUILD_ID, inner_map_fd=-1, numa_node=3141592653, map_name="0123456"...}, 36) = -1 EINVAL (Invalid argument)`)

	// Bytes past the struct that are not zero: "..." unless -v.
	pin := attrOf(256, bf{0, 0x2000, true}, bf{8, 0xffffffff, false}, bf{12, 0x18, false})
	pin[200] = 1
	mem := map[int][]byte{0: []byte("/sys/fs/bpf/foo/bar\x00")}
	checkLine(t, bpfLine(t, opt, -7, 6, pin, 256, nil, mem),
		`bpf(BPF_OBJ_PIN, {pathname="/sys/fs/bpf/foo/bar", bpf_fd=-1, file_flags=BPF_F_RDONLY|BPF_F_WRONLY, ...}, 256) = -1 E2BIG (Argument list too long)`)
	v := bpfLine(t, Options{StrSize: 32, Abbrev: []uint32{}}, -7, 6, pin, 256, nil, mem)
	if !strings.Contains(v, `, extra_data="\x00`) || !strings.Contains(v, `" /* bytes 16..255 */}, 256)`) {
		t.Errorf("-v: %s", v)
	}
	// Not read at entry: its address.
	checkLine(t, bpfLine(t, opt, -22, 6, pin[:16], 16, nil, nil),
		`bpf(BPF_OBJ_PIN, {pathname=0x2000, bpf_fd=-1, file_flags=BPF_F_RDONLY|BPF_F_WRONLY}, 16) = -1 EINVAL (Invalid argument)`)

	// PROG_LOAD: the license and log are read through the attr.
	pl := attrOf(72, bf{0, 0, false}, bf{4, 1, false}, bf{8, 0x3000, true}, bf{16, 0x2000, true},
		bf{24, 2718281828, false}, bf{28, 4, false}, bf{32, 0x4000, true}, bf{40, 0xcafef00d, false},
		bf{44, 0x3f, false}, bf{68, 9, false})
	copy(pl[48:], "0123456789abcdef")
	insn := []byte{0x95, 0xba, 0xad, 0xde, 0xed, 0x0d, 0xdc, 0xba}
	mem = map[int][]byte{16: []byte("GPL\x00"), 8: insn, 32: []byte("log ")}
	checkLine(t, bpfLine(t, opt, -22, 5, pl, 72, nil, mem),
		`bpf(BPF_PROG_LOAD, {prog_type=BPF_PROG_TYPE_UNSPEC, insn_cnt=1, insns=0x3000, license="GPL", log_level=2718281828, log_size=4, log_buf="log "..., kern_version=KERNEL_VERSION(51966, 240, 13), prog_flags=BPF_F_STRICT_ALIGNMENT|BPF_F_ANY_ALIGNMENT|BPF_F_TEST_RND_HI32|BPF_F_TEST_STATE_FREQ|BPF_F_SLEEPABLE|0x20, prog_name="0123456789abcde"..., prog_ifindex=0, expected_attach_type=BPF_CGROUP_INET6_BIND}, 72) = -1 EINVAL (Invalid argument)`)
	v = bpfLine(t, Options{StrSize: 32, Abbrev: []uint32{}}, -22, 5, pl[:24], 24, nil, mem)
	checkLine(t, v, `bpf(BPF_PROG_LOAD, {prog_type=BPF_PROG_TYPE_UNSPEC, insn_cnt=1, insns=[{code=BPF_JMP|BPF_K|BPF_EXIT, dst_reg=BPF_REG_10, src_reg=0xb /* BPF_REG_??? */, off=-8531, imm=0xbadc0ded}], license="GPL"}, 24) = -1 EINVAL (Invalid argument)`)

}

// Fields the kernel writes back, arrays, and memory of another call.
func TestFamBpfOut(t *testing.T) {
	opt := Options{StrSize: 32}
	// OBJ_GET_INFO_BY_FD: info_len in => out, from the value at entry.
	gi := attrOf(16, bf{0, 5, false}, bf{4, 104, false}, bf{8, 0x7f716f725f68, true})
	checkLine(t, bpfLine(t, opt, 0, 15, gi, 16, attrOf(8, bf{0, 5, false}, bf{4, 152, false}), nil),
		`bpf(BPF_OBJ_GET_INFO_BY_FD, {info={bpf_fd=5, info_len=152 => 104, info=0x7f716f725f68}}, 16) = 0`)
	checkLine(t, bpfLine(t, opt, -77, 15, gi[:4], 4, nil, nil),
		`bpf(BPF_OBJ_GET_INFO_BY_FD, {info={bpf_fd=5, info_len=0, info=NULL}}, 4) = -1 EBADFD (File descriptor in bad state)`)

	// GET_NEXT_ID: next_id in => out.
	checkLine(t, bpfLine(t, opt, 0, 11, attrOf(12, bf{0, 7, false}, bf{4, 9, false}), 12, attrOf(8, bf{0, 7, false}), nil),
		`bpf(BPF_PROG_GET_NEXT_ID, {start_id=7, next_id=0 => 9, open_flags=0}, 12) = 0`)

	// A batch: elem_flags 0 is BPF_ANY.
	checkLine(t, bpfLine(t, opt, -9, 24, attrOf(40, bf{36, 0xffffffff, false}), 40, nil, nil),
		`bpf(BPF_MAP_LOOKUP_BATCH, {batch={in_batch=NULL, out_batch=NULL, keys=NULL, values=NULL, count=0, map_fd=-1, elem_flags=BPF_ANY, flags=0}}, 40) = -1 EBADF (Bad file descriptor)`)

	// A kprobe_multi link: the symbols' strings, the addresses.
	lc := attrOf(48, bf{8, 42, false}, bf{16, 0xfacebeef, false}, bf{20, 2, false}, bf{24, 0x2000, true},
		bf{32, 0x3000, true}, bf{40, 0, true})
	syms := attrOf(16, bf{0, 0x4000, true})
	mem := map[int][]byte{24: syms, 32: attrOf(16, bf{8, 0xbadc0ded, true}), bpfAttrMemElem: []byte("foo\x00")}
	checkLine(t, bpfLine(t, opt, 42, 28, lc, 48, nil, mem),
		`bpf(BPF_LINK_CREATE, {link_create={prog_fd=0, target_fd=0, attach_type=BPF_TRACE_KPROBE_MULTI, flags=0, kprobe_multi={flags=BPF_F_KPROBE_MULTI_RETURN|0xfacebeee, cnt=2, syms=["foo", NULL], addrs=[0, 0xbadc0ded], cookies=NULL}}}, 48) = 42`)

	// The memory of another call (another command, a record lost) is
	// not this call's.
	pin := attrOf(16, bf{0, 0x2000, true}, bf{8, 0xffffffff, false}, bf{12, 0x18, false})
	nr, _ := Number("bpf")
	d, txt := newText(opt)
	rec := benchRecord(nr, 100, 0, [6]uint64{7, 0x1000, 16}, wire.Cap{Arg: 1, Idx: wire.AttrMemIdx, Data: []byte("/a\x00")})
	le.PutUint16(rec, wire.EvAttrMem)
	if err := d.Feed(rec); err != nil {
		t.Fatal(err)
	}
	if err := d.Feed(benchRecord(nr, 100, -22, [6]uint64{6, 0x1000, 16}, wire.Cap{Arg: 1, Data: pin})); err != nil {
		t.Fatal(err)
	}
	if got := string(txt.TakeInto(nil)); !strings.Contains(got, "pathname=0x2000,") {
		t.Errorf("another command's memory taken: %s", got)
	}

	// An unknown command: the attr's address.
	checkLine(t, bpfLine(t, opt, -22, 0xfacefeed, nil, 16, nil, nil), `bpf(0xfacefeed /* BPF_??? */, 0x1000, 16) = -1 EINVAL (Invalid argument)`)
}

// TestEbpfCode: opcodes of each class, as print_bpf_filter_code(code, true).
func TestEbpfCode(t *testing.T) {
	for code, want := range map[uint64]string{
		0xb7: "BPF_ALU64|BPF_K|BPF_MOV", 0x63: "BPF_STX|BPF_W|BPF_MEM", 0x18: "BPF_LD|BPF_DW|BPF_IMM",
		0x85: "BPF_JMP|BPF_K|BPF_CALL", 0x95: "BPF_JMP|BPF_K|BPF_EXIT", 0x06: "BPF_JMP32",
		0x16: "BPF_JMP32|0x10 /* BPF_??? */",
	} {
		var p printer
		ebpfCode(&p, code)
		if string(p.b) != want {
			t.Errorf("%#x: %s, want %s", code, p.b, want)
		}
	}
}

// TestBpfInfoAtExit: OBJ_GET_INFO_BY_FD's info read at exit joins the
// entry's record of the same call; one with no entry waiting (it came
// after its call) is dropped.
func TestBpfInfoAtExit(t *testing.T) {
	nr, ok := Number("bpf")
	if !ok {
		t.Skip("no bpf")
	}
	args := [6]uint64{15, 0x1000, 16}
	rec := func(exit bool, idx int, data []byte) []byte {
		r := benchRecord(nr, 100, 0, args, wire.Cap{Arg: 1, Idx: uint16(wire.AttrMemIdx | idx), Data: data})
		le.PutUint16(r, wire.EvAttrMem)
		if exit {
			le.PutUint64(r[24:], 1)
		}
		return r
	}
	d, _ := newText(Options{StrSize: 32})
	for _, r := range [][]byte{rec(true, bpfAttrMemExit|8, []byte{9}), rec(false, 8, []byte{1}), rec(true, bpfAttrMemExit|8, []byte{2})} {
		if err := d.Feed(r); err != nil {
			t.Fatal(err)
		}
	}
	a := d.attrmem[100]
	if a == nil || len(a.Caps) != 2 || a.Caps[0].Data[0] != 1 || a.Caps[1].Data[0] != 2 {
		t.Fatalf("entry and exit not joined: %+v", a)
	}

	// A map's info as print_bpf_map_info prints it.
	info := attrOf(88, bf{0, 2, false}, bf{4, 1754473, false}, bf{8, 4, false}, bf{12, 8, false}, bf{16, 1, false})
	copy(info[24:], "test_map")
	p := printer{strsize: 32}
	bpfMapInfo(&p, nil, bpfInfo(info, bpfProgInfoSize), bpfInfo(nil, bpfProgInfoSize), info)
	checkLine(t, string(p.b), `{type=BPF_MAP_TYPE_ARRAY, id=1754473, key_size=4, value_size=8, max_entries=1, map_flags=0, name="test_map", ifindex=0, btf_vmlinux_value_type_id=0, netns_dev=makedev(0, 0), netns_ino=0, btf_id=0, btf_key_type_id=0, btf_value_type_id=0}`)
}
