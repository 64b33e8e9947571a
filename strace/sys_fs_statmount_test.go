package strace

import (
	"encoding/binary"
	"testing"

	"github.com/eproc/eproc/loader/wire"
)

// statmount: the lines strace 7.2 prints for the same calls (its
// tests/statmount.c's expectations, and what it printed tracing the live
// test's program).

const stmAll = "STATMOUNT_SB_BASIC|STATMOUNT_MNT_BASIC|STATMOUNT_PROPAGATE_FROM|STATMOUNT_MNT_ROOT|STATMOUNT_MNT_POINT|STATMOUNT_FS_TYPE" +
	"|STATMOUNT_MNT_NS_ID|STATMOUNT_MNT_OPTS|STATMOUNT_FS_SUBTYPE|STATMOUNT_SB_SOURCE|STATMOUNT_OPT_ARRAY|STATMOUNT_OPT_SEC_ARRAY" +
	"|STATMOUNT_SUPPORTED_MASK|STATMOUNT_MNT_UIDMAP|STATMOUNT_MNT_GIDMAP"

// stmBuf is a struct statmount of size bytes and mask, its fields set by
// the pairs of offset and value in fs (u32 fields by their width), and
// the string table strs after it.
func stmBuf(size uint32, mask uint64, strs string, fs ...uint64) []byte {
	b := make([]byte, statmountSize+len(strs))
	binary.LittleEndian.PutUint32(b, size)
	binary.LittleEndian.PutUint64(b[8:], mask)
	for k := 0; k < len(fs); k += 2 {
		off := int(fs[k])
		switch off {
		case 4, 16, 20, 32, 36, 56, 60, 104, 108, 120, 124, 128, 132, 136, 140, 152, 156, 160, 164:
			binary.LittleEndian.PutUint32(b[off:], uint32(fs[k+1]))
		default:
			binary.LittleEndian.PutUint64(b[off:], fs[k+1])
		}
	}
	copy(b[statmountSize:], strs)
	return b
}

func TestFamStatmountReq(t *testing.T) {
	req := func(flags uint8, size uint32, vs ...uint64) wire.Cap {
		return wire.Cap{Arg: 0, Flags: flags, Data: append(u64s(uint64(size)), u64s(vs...)...)[:4+4+8*len(vs)]}
	}
	fault := wire.Cap{Arg: 0, Flags: wire.CapFault}
	part := uint8(wire.CapFault | wire.CapPart)
	const bad = 0xbadc0dedbadc0ded
	checkLine(t, decodeLine(t, "statmount", -14, [6]uint64{0, 0, 0, 0}),
		`statmount(NULL, NULL, 0, 0) = -1 EFAULT (Bad address)`)
	checkLine(t, decodeLine(t, "statmount", -14, [6]uint64{0, 0, 0, 1}),
		`statmount(NULL, NULL, 0, STATMOUNT_BY_FD) = -1 EFAULT (Bad address)`)
	checkLine(t, decodeLine(t, "statmount", -14, [6]uint64{0x1000, 0, bad, 0xdefaced0ffffffff}, fault),
		`statmount(0x1000, NULL, 13464652300624334317, STATMOUNT_BY_FD|0xfffffffe) = -1 EFAULT (Bad address)`)
	checkLine(t, decodeLine(t, "statmount", -22, [6]uint64{0x1000, 0, 0, 0}, wire.Cap{Arg: 0, Data: []byte{23, 0, 0, 0}}),
		`statmount({size=23}, NULL, 0, 0) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "statmount", -14, [6]uint64{0x1000, 0, 0, 0}, wire.Cap{Arg: 0, Flags: part, Data: []byte{24, 0, 0, 0}}),
		`statmount({size=24, ???}, NULL, 0, 0) = -1 EFAULT (Bad address)`)
	checkLine(t, decodeLine(t, "statmount", -14, [6]uint64{0x1000, 0, 0, 0}, req(part, 24, 0x8f8e8d8c8b8a8988, 0xffffffffffff8000, 0)),
		`statmount({size=24, mnt_ns_fd=0, mnt_id=0x8f8e8d8c8b8a8988, param=0xffffffffffff8000 /* STATMOUNT_??? */}, NULL, 0, 0) = -1 EFAULT (Bad address)`)
	checkLine(t, decodeLine(t, "statmount", -14, [6]uint64{0x1000, 0, 0, 0}, req(part, 32, 0x8f8e8d8c8b8a8988, 0x7fff, 0x9796959493929190)),
		`statmount({size=32, mnt_ns_fd=0, mnt_id=0x8f8e8d8c8b8a8988, param=`+stmAll+`, mnt_ns_id=0x9796959493929190}, NULL, 0, 0) = -1 EFAULT (Bad address)`)
	checkLine(t, decodeLine(t, "statmount", -14, [6]uint64{0x1000, 0, 0, 0}, req(part, 32, 0x8f8e8d8c8b8a8988, ^uint64(0), 0x9796959493929190)),
		`statmount({size=32, mnt_ns_fd=0, mnt_id=0x8f8e8d8c8b8a8988, param=`+stmAll+`|0xffffffffffff8000, mnt_ns_id=0x9796959493929190}, NULL, 0, 0) = -1 EFAULT (Bad address)`)
	// Size 33, its 33rd byte past the page: ???.
	checkLine(t, decodeLine(t, "statmount", -14, [6]uint64{0x1000, 0, 0, 0}, req(part, 33, 0x8f8e8d8c8b8a8988, 0, 0x9796959493929190)),
		`statmount({size=33, mnt_ns_fd=0, mnt_id=0x8f8e8d8c8b8a8988, param=0, mnt_ns_id=0x9796959493929190, ???}, NULL, 0, 0) = -1 EFAULT (Bad address)`)
	checkLine(t, decodeLine(t, "statmount", -14, [6]uint64{0x1000, 0, 0, 0}, req(part, 40, 0x8f8e8d8c8b8a8988, 0, 0x9796959493929190, 0x8786858483828180)),
		`statmount({size=40, mnt_ns_fd=0, mnt_id=0x8f8e8d8c8b8a8988, param=0, mnt_ns_id=0x9796959493929190, /* bytes 32..39 */ "\x80\x81\x82\x83\x84\x85\x86\x87"}, NULL, 0, 0) = -1 EFAULT (Bad address)`)
	// -X raw, -X verbose, -e verbose=none.
	r := req(0, 24, 0x800003f5, 0x3f)
	checkLine(t, decodeLineOpt(t, Options{StrSize: 32, ConstStyle: ConstRaw}, "statmount", -22, [6]uint64{0x1000, 0x2000, 4096, 2}, r),
		`statmount({size=24, mnt_ns_fd=0, mnt_id=0x800003f5, param=0x3f}, 0x2000, 4096, 0x2) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLineOpt(t, Options{StrSize: 32, ConstStyle: ConstVerbose}, "statmount", -22, [6]uint64{0x1000, 0x2000, 4096, 2}, r),
		`statmount({size=24, mnt_ns_fd=0, mnt_id=0x800003f5, param=0x3f /* STATMOUNT_SB_BASIC|STATMOUNT_MNT_BASIC|STATMOUNT_PROPAGATE_FROM|STATMOUNT_MNT_ROOT|STATMOUNT_MNT_POINT|STATMOUNT_FS_TYPE */}, 0x2000, 4096, 0x2 /* STATMOUNT_??? */) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLineOpt(t, Options{StrSize: 32, Verbose: []uint32{}}, "statmount", -22, [6]uint64{0x1000, 0x2000, 4096, 2}, r),
		`statmount(0x1000, 0x2000, 4096, 0x2 /* STATMOUNT_??? */) = -1 EINVAL (Invalid argument)`)
}

func TestFamStatmountBuf(t *testing.T) {
	call := func(opt Options, ret int64, size uint64, buf wire.Cap) string {
		buf.Arg = 1
		return decodeLineOpt(t, opt, "statmount", ret, [6]uint64{0, 0x2000, size, 0}, buf)
	}
	opt := Options{StrSize: 32}
	stm := func(size uint32, mask uint64, fs ...uint64) string {
		return call(opt, 0, uint64(size), wire.Cap{Data: stmBuf(size, mask, "", fs...)})
	}
	checkLine(t, stm(512, 0), `statmount(NULL, {size=512, mask=0}, 512, 0) = 0`)
	checkLine(t, stm(512, 1, 16, 2475856272, 20, 2543228308, 24, 0x9fa0, 32, 0xfdffff6e),
		`statmount(NULL, {size=512, mask=STATMOUNT_SB_BASIC, sb_dev_major=2475856272, sb_dev_minor=2543228308, sb_magic=PROC_SUPER_MAGIC, sb_flags=0xfdffff6e /* MS_??? */}, 512, 0) = 0`)
	checkLine(t, call(opt, 0, 512, wire.Cap{Data: stmBuf(0xfacefeed, 1, "", 16, 2475856272, 20, 2543228308, 24, 0xfacefeeddeadbeef, 32, 0x2000091)}),
		`statmount(NULL, {size=4207869677, mask=STATMOUNT_SB_BASIC, sb_dev_major=2475856272, sb_dev_minor=2543228308, sb_magic=0xfacefeeddeadbeef, sb_flags=MS_RDONLY|MS_SYNCHRONOUS|MS_DIRSYNC|MS_LAZYTIME}, 512, 0) = 0`)
	mntBasic := []uint64{40, 0xafaeadacabaaa9a8, 48, 0xb7b6b5b4b3b2b1b0, 56, 0xbbbab9b8, 60, 0xbfbebdbc, 80, 0xd7d6d5d4d3d2d1d0, 88, 0xdfdedddcdbdad9d8}
	checkLine(t, stm(512, 2, append(mntBasic, 64, 0x3000ff, 72, 0xffffffffffe1ffff)...),
		`statmount(NULL, {size=512, mask=STATMOUNT_MNT_BASIC, mnt_id=0xafaeadacabaaa9a8, mnt_parent_id=0xb7b6b5b4b3b2b1b0, mnt_id_old=0xbbbab9b8, mnt_parent_id_old=0xbfbebdbc`+
			`, mnt_attr=MOUNT_ATTR_RDONLY|MOUNT_ATTR_NOSUID|MOUNT_ATTR_NODEV|MOUNT_ATTR_NOEXEC|MOUNT_ATTR__ATIME|MOUNT_ATTR_NODIRATIME|MOUNT_ATTR_IDMAP|MOUNT_ATTR_NOSYMFOLLOW`+
			`, mnt_propagation=0xffffffffffe1ffff /* MS_??? */, mnt_peer_group=0xd7d6d5d4d3d2d1d0, mnt_master=0xdfdedddcdbdad9d8}, 512, 0) = 0`)
	checkLine(t, stm(512, 2, append(mntBasic, 64, 0xffffffffffcfff00, 72, 0x1e0000)...),
		`statmount(NULL, {size=512, mask=STATMOUNT_MNT_BASIC, mnt_id=0xafaeadacabaaa9a8, mnt_parent_id=0xb7b6b5b4b3b2b1b0, mnt_id_old=0xbbbab9b8, mnt_parent_id_old=0xbfbebdbc`+
			`, mnt_attr=0xffffffffffcfff00 /* MOUNT_ATTR_??? */, mnt_propagation=MS_UNBINDABLE|MS_PRIVATE|MS_SLAVE|MS_SHARED, mnt_peer_group=0xd7d6d5d4d3d2d1d0, mnt_master=0xdfdedddcdbdad9d8}, 512, 0) = 0`)
	// Offsets past the string table (there is none): in hex.
	for _, tc := range []struct {
		mask uint64
		fs   []uint64
		want string
	}{
		{0x4, []uint64{96, 0xe7e6e5e4e3e2e1e0}, `mask=STATMOUNT_PROPAGATE_FROM, propagate_from=0xe7e6e5e4e3e2e1e0`},
		{0x8, []uint64{104, 0xebeae9e8}, `mask=STATMOUNT_MNT_ROOT, mnt_root=0xebeae9e8`},
		{0x10, []uint64{108, 0xefeeedec}, `mask=STATMOUNT_MNT_POINT, mnt_point=0xefeeedec`},
		{0x20, []uint64{36, 0xa7a6a5a4}, `mask=STATMOUNT_FS_TYPE, fs_type=0xa7a6a5a4`},
		{0x40, []uint64{112, 0xf7f6f5f4f3f2f1f0}, `mask=STATMOUNT_MNT_NS_ID, mnt_ns_id=0xf7f6f5f4f3f2f1f0`},
		{0x80, []uint64{4, 0x87868584}, `mnt_opts=0x87868584, mask=STATMOUNT_MNT_OPTS`},
		{0x100, []uint64{120, 0xfbfaf9f8}, `mask=STATMOUNT_FS_SUBTYPE, fs_subtype=0xfbfaf9f8`},
		{0x200, []uint64{124, 0xfffefdfc}, `mask=STATMOUNT_SB_SOURCE, sb_source=0xfffefdfc`},
		{0x400, []uint64{128, 2206368128, 132, 0x87868584}, `mask=STATMOUNT_OPT_ARRAY, opt_num=2206368128, opt_array=0x87868584`},
		{0x800, []uint64{136, 2341112200, 140, 0x8f8e8d8c}, `mask=STATMOUNT_OPT_SEC_ARRAY, opt_sec_num=2341112200, opt_sec_array=0x8f8e8d8c`},
		{0x1000, []uint64{144, 0x7fff}, `mask=STATMOUNT_SUPPORTED_MASK, supported_mask=` + stmAll},
		{0x1000, []uint64{144, ^uint64(0)}, `mask=STATMOUNT_SUPPORTED_MASK, supported_mask=` + stmAll + `|0xffffffffffff8000`},
		{0x2000, []uint64{152, 2610600344, 156, 0x9f9e9d9c}, `mask=STATMOUNT_MNT_UIDMAP, mnt_uidmap_num=2610600344, mnt_uidmap=0x9f9e9d9c`},
		{0x4000, []uint64{160, 2745344416, 164, 0xa7a6a5a4}, `mask=STATMOUNT_MNT_GIDMAP, mnt_gidmap_num=2745344416, mnt_gidmap=0xa7a6a5a4`},
		{0xffffffffffff8000, nil, `mask=0xffffffffffff8000 /* STATMOUNT_??? */`},
	} {
		checkLine(t, stm(512, tc.mask, tc.fs...), `statmount(NULL, {size=512, `+tc.want+`}, 512, 0) = 0`)
	}
}

func stmCall(t *testing.T, opt Options, ret int64, size uint64, buf wire.Cap) string {
	t.Helper()
	buf.Arg = 1
	return decodeLineOpt(t, opt, "statmount", ret, [6]uint64{0, 0x2000, size, 0}, buf)
}

func TestFamStatmountStrings(t *testing.T) {
	call := func(opt Options, ret int64, size uint64, buf wire.Cap) string { return stmCall(t, opt, ret, size, buf) }
	opt := Options{StrSize: 32}
	// The strings: the table is the bytes past the struct, up to its size
	// (522 here, the buffer 523 bytes); "..." when no NUL ends a string.
	const strs = "dummy\x00bar\x00"
	for _, tc := range []struct {
		mask uint64
		off  uint64
		want string
	}{
		{0x8, 104, `mask=STATMOUNT_MNT_ROOT, mnt_root="bar"`},
		{0x10, 108, `mask=STATMOUNT_MNT_POINT, mnt_point="bar"`},
		{0x20, 36, `mask=STATMOUNT_FS_TYPE, fs_type="bar"`},
		{0x80, 4, `mnt_opts="bar", mask=STATMOUNT_MNT_OPTS`},
		{0x100, 120, `mask=STATMOUNT_FS_SUBTYPE, fs_subtype="bar"`},
		{0x200, 124, `mask=STATMOUNT_SB_SOURCE, sb_source="bar"`},
	} {
		b := stmBuf(522, tc.mask, strs, tc.off, 6)
		checkLine(t, call(opt, 0, 523, wire.Cap{Data: append(b, 0)}), `statmount(NULL, {size=522, `+tc.want+`}, 523, 0) = 0`)
		b[len(b)-1] = '!'
		want := tc.want[:len(tc.want)-len(`"bar"`)] + `"bar"...`
		if tc.mask == 0x80 {
			want = `mnt_opts="bar"..., mask=STATMOUNT_MNT_OPTS`
		}
		checkLine(t, call(opt, 0, 523, wire.Cap{Data: append(b, 0)}), `statmount(NULL, {size=522, `+want+`}, 523, 0) = 0`)
	}
	// The arrays, -s elements at most.
	const letters = "A\x00B\x00C\x00D\x00E\x00F\x00G\x00H\x00I\x00J\x00K\x00L\x00M\x00N\x00O\x00P\x00" +
		"Q\x00R\x00S\x00T\x00U\x00V\x00W\x00X\x00Y\x00Z\x00a\x00b\x00c\x00d\x00e\x00"
	table := letters + "first\x00second\x00"
	size := uint32(statmountSize + len(table))
	for _, tc := range []struct {
		mask      uint64
		fs        []uint64
		want, cut string
	}{
		{0x400, []uint64{128, 2, 132, 62}, `opt_num=2, opt_array=["first", "second"]`, `opt_num=2, opt_array=["first", "second"...]`},
		{0x400, []uint64{128, 3, 132, 62}, `opt_num=3, opt_array=["first", "second", ???]`, `opt_num=3, opt_array=["first", "second"..., ???]`},
		{0x800, []uint64{136, 2, 140, 62}, `opt_sec_num=2, opt_sec_array=["first", "second"]`, `opt_sec_num=2, opt_sec_array=["first", "second"...]`},
		{0x800, []uint64{136, 0, 140, 62}, `opt_sec_num=0, opt_sec_array=[]`, `opt_sec_num=0, opt_sec_array=[]`},
		{0x2000, []uint64{152, 2, 156, 62}, `mnt_uidmap_num=2, mnt_uidmap=["first", "second"]`, `mnt_uidmap_num=2, mnt_uidmap=["first", "second"...]`},
		{0x2000, []uint64{152, 33, 156, 0},
			`mnt_uidmap_num=33, mnt_uidmap=["A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M", "N", "O", "P", "Q", "R", "S", "T", "U", "V", "W", "X", "Y", "Z", "a", "b", "c", "d", "e", "first", ...]`, ""},
		{0x4000, []uint64{160, 2, 164, 62}, `mnt_gidmap_num=2, mnt_gidmap=["first", "second"]`, `mnt_gidmap_num=2, mnt_gidmap=["first", "second"...]`},
	} {
		name := lookupName(tc.mask, statmountMask)
		b := stmBuf(size, tc.mask, table, tc.fs...)
		checkLine(t, call(opt, 0, uint64(size)+1, wire.Cap{Data: append(b, 0)}),
			`statmount(NULL, {size=`+itoa(size)+`, mask=`+name+`, `+tc.want+`}, `+itoa(size+1)+`, 0) = 0`)
		if tc.cut == "" {
			continue
		}
		b[len(b)-1] = '!'
		checkLine(t, call(opt, 0, uint64(size)+1, wire.Cap{Data: append(b, 0)}),
			`statmount(NULL, {size=`+itoa(size)+`, mask=`+name+`, `+tc.cut+`}, `+itoa(size+1)+`, 0) = 0`)
	}
	// -v: every element.
	b := stmBuf(size, 0x2000, table, 152, 33, 156, 0)
	checkLine(t, call(Options{StrSize: 32, Abbrev: []uint32{}}, 0, uint64(size), wire.Cap{Data: b}),
		`statmount(NULL, {size=`+itoa(size)+`, mask=STATMOUNT_MNT_UIDMAP, mnt_uidmap_num=33, mnt_uidmap=["A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M", "N", "O", "P", "Q", "R", "S", "T", "U", "V", "W", "X", "Y", "Z", "a", "b", "c", "d", "e", "first", "second"]}, `+itoa(size)+`, 0) = 0`)

}

func TestFamStatmountAddr(t *testing.T) {
	call := func(opt Options, ret int64, size uint64, buf wire.Cap) string { return stmCall(t, opt, ret, size, buf) }
	opt := Options{StrSize: 32}
	// Too small a buffer, a failed call, one not read, -e verbose=none:
	// the address.
	checkLine(t, call(opt, 0, 3, wire.Cap{Data: []byte{3, 0, 0}}), `statmount(NULL, 0x2000, 3, 0) = 0`)
	checkLine(t, call(opt, 0, 4, wire.Cap{Data: []byte{4, 0, 0, 0}}), `statmount(NULL, {size=4, mask=0}, 4, 0) = 0`)
	checkLine(t, call(opt, -75, 16, wire.Cap{}), `statmount(NULL, 0x2000, 16, 0) = -1 EOVERFLOW (Value too large for defined data type)`)
	checkLine(t, call(opt, 0, 512, wire.Cap{Flags: wire.CapFault}), `statmount(NULL, 0x2000, 512, 0) = 0`)
	checkLine(t, call(opt, 0, 512, wire.Cap{Flags: wire.CapFault | wire.CapPart, Data: make([]byte, 100)}), `statmount(NULL, 0x2000, 512, 0) = 0`)
	checkLine(t, call(Options{StrSize: 32, Verbose: []uint32{}}, 0, 512, wire.Cap{Data: stmBuf(512, 0, "")}), `statmount(NULL, 0x2000, 512, 0) = 0`)
	checkLine(t, decodeLine(t, "statmount", -14, [6]uint64{0, 0, 4096, 0}), `statmount(NULL, NULL, 4096, 0) = -1 EFAULT (Bad address)`)
	// The string table not readable (the struct is): its offsets in hex.
	b := stmBuf(530, 0x28, "", 36, 0, 104, 6)
	checkLine(t, call(opt, 0, 4096, wire.Cap{Flags: wire.CapFault | wire.CapPart, Data: b}),
		`statmount(NULL, {size=530, mask=STATMOUNT_MNT_ROOT|STATMOUNT_FS_TYPE, fs_type=0, mnt_root=0x6}, 4096, 0) = 0`)
	// A size past the buffer's: no string table.
	b = stmBuf(530, 0x20, "tmpfs\x00\x00\x00", 36, 0)
	checkLine(t, call(opt, 0, 520, wire.Cap{Data: b[:520]}), `statmount(NULL, {size=530, mask=STATMOUNT_FS_TYPE, fs_type=0}, 520, 0) = 0`)

	// What strace 7.2 printed for the live test's calls, under -X raw
	// and -X verbose.
	live := stmBuf(559, 0x16c0, "size=64k,mode=700\x00eproc-stm\x00size=64k\x00mode=700\x00\x00", 4, 0, 112, 0x48d, 124, 18, 128, 2, 132, 28, 144, 0x7fff)
	checkLine(t, call(opt, 0, 4096, wire.Cap{Data: live}),
		`statmount(NULL, {size=559, mnt_opts="size=64k,mode=700", mask=STATMOUNT_MNT_NS_ID|STATMOUNT_MNT_OPTS|STATMOUNT_SB_SOURCE|STATMOUNT_OPT_ARRAY|STATMOUNT_SUPPORTED_MASK, mnt_ns_id=0x48d, sb_source="eproc-stm", opt_num=2, opt_array=["size=64k", "mode=700"], supported_mask=`+stmAll+`}, 4096, 0) = 0`)
	checkLine(t, call(Options{StrSize: 32, ConstStyle: ConstRaw}, 0, 4096, wire.Cap{Data: live}),
		`statmount(NULL, {size=559, mnt_opts="size=64k,mode=700", mask=0x16c0, mnt_ns_id=0x48d, sb_source="eproc-stm", opt_num=2, opt_array=["size=64k", "mode=700"], supported_mask=0x7fff}, 4096, 0) = 0`)
	live = stmBuf(526, 0x3f, "tmpfs\x00/\x00/tmp\x00\x00", 16, 0, 20, 39, 24, 0x1021994, 36, 0, 40, 0x80000423, 48, 0x8000040e, 56, 0x41, 60, 0x2c, 64, 6, 72, 0x40000, 104, 6, 108, 8)
	checkLine(t, call(Options{StrSize: 32, ConstStyle: ConstVerbose}, 0, 4096, wire.Cap{Data: live}),
		`statmount(NULL, {size=526, mask=0x3f /* STATMOUNT_SB_BASIC|STATMOUNT_MNT_BASIC|STATMOUNT_PROPAGATE_FROM|STATMOUNT_MNT_ROOT|STATMOUNT_MNT_POINT|STATMOUNT_FS_TYPE */, sb_dev_major=0, sb_dev_minor=39, sb_magic=0x1021994 /* TMPFS_MAGIC */, sb_flags=0, fs_type="tmpfs", mnt_id=0x80000423, mnt_parent_id=0x8000040e, mnt_id_old=0x41, mnt_parent_id_old=0x2c, mnt_attr=0x6 /* MOUNT_ATTR_NOSUID|MOUNT_ATTR_NODEV */, mnt_propagation=0x40000 /* MS_PRIVATE */, mnt_peer_group=0, mnt_master=0, propagate_from=0, mnt_root="/", mnt_point="/tmp"}, 4096, 0) = 0`)
	// -x: a string with a byte outside ASCII in hex.
	b = stmBuf(520, 0x20, "a\xffb\x00", 36, 0)
	checkLine(t, call(Options{StrSize: 32, Hex: 1}, 0, 4096, wire.Cap{Data: b}),
		`statmount(NULL, {size=520, mask=STATMOUNT_FS_TYPE, fs_type="\x61\xff\x62"}, 4096, 0) = 0`)
}

func itoa(v uint32) string {
	var p printer
	p.u(uint64(v))
	return string(p.b)
}

// TestFamStatmountAllocs: the decoder does not allocate.
func TestFamStatmountAllocs(t *testing.T) {
	nr, ok := Number("statmount")
	if !ok {
		t.Skip("no statmount")
	}
	req := wire.Cap{Arg: 0, Data: u64s(32, 0x80000017, 0x7fff, 0)}
	buf := wire.Cap{Arg: 1, Data: stmBuf(559, 0x7fff, "size=64k,mode=700\x00eproc-stm\x00size=64k\x00mode=700\x00\x00", 4, 0, 124, 18, 128, 2, 132, 28, 144, 0x7fff)}
	checkNoAllocs(t, [][]byte{benchRecord(nr, 100, 0, [6]uint64{0x1000, 0x2000, 4096, 0}, req, buf)})
}
