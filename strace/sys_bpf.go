package strace

import "github.com/eproc/eproc/loader/wire"

// bpf(2), as strace 6.1's bpf.c prints it: the command, then its member
// of union bpf_attr (sys_bpf_cmds.go), then the size. The attr is
// captured whole, min(size, a page) bytes: strace reads that much for
// every command, and prints what lies past the command's struct when it
// is not zero (extra_data, "..."). Its first 8 bytes are also read as the
// call enters, for the fields the kernel writes back that strace shows as
// "in => out" (OBJ_GET_INFO_BY_FD's info_len, *_GET_NEXT_ID's next_id).
//
// What the attr's own pointers point to (PROG_LOAD's insns, license and
// log, pin paths, tracepoint names, BTF, link arrays) is read as the call
// enters, as strace reads it, by entry_capture (bpf/eproc.c), which sends
// it in an EV_ATTRMEM record before the call's: captures of argument 1,
// element wire.AttrMemIdx | the pointer's offset in the attr.
// OBJ_GET_INFO_BY_FD's info struct is also read at the call's exit
// (bpf_info_exit, | bpfAttrMemExit). What other calls write through the
// attr (PROG_QUERY's prog_ids, TASK_FD_QUERY's buf) is printed as its
// address.

// bpfPage is the most of the attr strace reads (get_pagesize()).
const bpfPage = 4096

// bpfCmd is a command's row: its name, the size of its struct (what
// strace's bpf_attr.h knows of it), its printer, and, when its result is
// a descriptor (RVAL_FD), what that descriptor's link says: -y names it
// so when the task is gone before the decoder could read its /proc
// (""; what the pinned object is; "?": a result strace prints as a
// descriptor, which is none, OBJ_PIN's 0).
type bpfCmd struct {
	name  string
	size  int
	print func(p *printer, c *Call, a bpfAttr)
	fd    string
}

// bpfFdCmd is the command's row when its result is a descriptor.
func bpfFdCmd(c *Call) *bpfCmd {
	if cmd := uint32(c.Args[0]); int(cmd) < len(bpfCmds) && bpfCmds[cmd].fd != "" || cmd == bpfObjGetCmd {
		return &bpfCmds[cmd]
	}
	return nil
}

// bpfObjGetCmd is BPF_OBJ_GET: a descriptor of whatever was pinned.
const bpfObjGetCmd = 7

// bpfLinkCreateCmd is BPF_LINK_CREATE, whose struct's end depends on
// its attach type.
const bpfLinkCreateCmd = 28

// bpfCmds are the commands, by number (xlat/bpf_commands.in); those
// without a printer print the attr's address.
var bpfCmds = []bpfCmd{
	{"BPF_MAP_CREATE", 72, bpfMapCreate, "anon_inode:bpf-map"},
	{"BPF_MAP_LOOKUP_ELEM", 32, bpfMapLookupElem, ""},
	{"BPF_MAP_UPDATE_ELEM", 32, bpfMapUpdateElem, ""},
	{"BPF_MAP_DELETE_ELEM", 16, bpfMapDeleteElem, ""},
	{"BPF_MAP_GET_NEXT_KEY", 24, bpfMapGetNextKey, ""},
	{"BPF_PROG_LOAD", 128, bpfProgLoad, "anon_inode:bpf-prog"},
	{"BPF_OBJ_PIN", 16, bpfObjPin, "?"},
	{"BPF_OBJ_GET", 16, bpfObjPin, ""},
	{"BPF_PROG_ATTACH", 20, bpfProgAttach, ""},
	{"BPF_PROG_DETACH", 12, bpfProgDetach, ""},
	{"BPF_PROG_TEST_RUN", 76, bpfProgTestRun, ""},
	{"BPF_PROG_GET_NEXT_ID", 12, bpfGetNextID, ""},
	{"BPF_MAP_GET_NEXT_ID", 12, bpfGetNextID, ""},
	{"BPF_PROG_GET_FD_BY_ID", 12, bpfGetFdByID("prog_id"), "anon_inode:bpf-prog"},
	{"BPF_MAP_GET_FD_BY_ID", 12, bpfGetFdByID("map_id"), "anon_inode:bpf-map"},
	{"BPF_OBJ_GET_INFO_BY_FD", 16, bpfObjGetInfoByFd, ""},
	{"BPF_PROG_QUERY", 28, bpfProgQuery, ""},
	{"BPF_RAW_TRACEPOINT_OPEN", 12, bpfRawTracepointOpen, "anon_inode:bpf-link"},
	{"BPF_BTF_LOAD", 28, bpfBtfLoad, "anon_inode:btf"},
	{"BPF_BTF_GET_FD_BY_ID", 4, bpfIDOnly("btf_id"), "anon_inode:btf"},
	{"BPF_TASK_FD_QUERY", 48, bpfTaskFdQuery, ""},
	{"BPF_MAP_LOOKUP_AND_DELETE_ELEM", 32, bpfMapLookupElem, ""},
	{"BPF_MAP_FREEZE", 4, bpfMapFreeze, ""},
	{"BPF_BTF_GET_NEXT_ID", 12, bpfGetNextID, ""},
	{"BPF_MAP_LOOKUP_BATCH", 56, bpfMapBatch(true, true), ""},
	{"BPF_MAP_LOOKUP_AND_DELETE_BATCH", 56, bpfMapBatch(true, true), ""},
	{"BPF_MAP_UPDATE_BATCH", 56, bpfMapBatch(false, true), ""},
	{"BPF_MAP_DELETE_BATCH", 56, bpfMapBatch(false, false), ""},
	{"BPF_LINK_CREATE", 48, bpfLinkCreate, "anon_inode:bpf-link"},
	{"BPF_LINK_UPDATE", 16, bpfLinkUpdate, ""},
	{"BPF_LINK_GET_FD_BY_ID", 4, bpfIDOnly("link_id"), "anon_inode:bpf-link"},
	{"BPF_LINK_GET_NEXT_ID", 12, bpfGetNextID, ""},
	{"BPF_ENABLE_STATS", 0, nil, ""},
	{"BPF_ITER_CREATE", 0, nil, ""},
	{"BPF_LINK_DETACH", 0, nil, ""},
	{"BPF_PROG_BIND_MAP", 0, nil, ""},
}

var bpfCmdNames = func() []flag {
	tab := make([]flag, len(bpfCmds))
	for i, c := range bpfCmds {
		tab[i] = flag{uint64(i), c.name}
	}
	return tab
}()

// The tables of the attr's fields (xlat/bpf_*.in).
var (
	bpfMapTypes = indexed("BPF_MAP_TYPE_", "UNSPEC", "HASH", "ARRAY", "PROG_ARRAY", "PERF_EVENT_ARRAY",
		"PERCPU_HASH", "PERCPU_ARRAY", "STACK_TRACE", "CGROUP_ARRAY", "LRU_HASH", "LRU_PERCPU_HASH", "LPM_TRIE",
		"ARRAY_OF_MAPS", "HASH_OF_MAPS", "DEVMAP", "SOCKMAP", "CPUMAP", "XSKMAP", "SOCKHASH", "CGROUP_STORAGE",
		"REUSEPORT_SOCKARRAY", "PERCPU_CGROUP_STORAGE", "QUEUE", "STACK", "SK_STORAGE", "DEVMAP_HASH",
		"STRUCT_OPS", "RINGBUF", "INODE_STORAGE", "TASK_STORAGE", "BLOOM_FILTER", "USER_RINGBUF")
	bpfProgTypes = indexed("BPF_PROG_TYPE_", "UNSPEC", "SOCKET_FILTER", "KPROBE", "SCHED_CLS", "SCHED_ACT",
		"TRACEPOINT", "XDP", "PERF_EVENT", "CGROUP_SKB", "CGROUP_SOCK", "LWT_IN", "LWT_OUT", "LWT_XMIT",
		"SOCK_OPS", "SK_SKB", "CGROUP_DEVICE", "SK_MSG", "RAW_TRACEPOINT", "CGROUP_SOCK_ADDR", "LWT_SEG6LOCAL",
		"LIRC_MODE2", "SK_REUSEPORT", "FLOW_DISSECTOR", "CGROUP_SYSCTL", "RAW_TRACEPOINT_WRITABLE",
		"CGROUP_SOCKOPT", "TRACING", "STRUCT_OPS", "EXT", "LSM", "SK_LOOKUP", "SYSCALL")
	bpfAttachTypes = indexed("BPF_", "CGROUP_INET_INGRESS", "CGROUP_INET_EGRESS", "CGROUP_INET_SOCK_CREATE",
		"CGROUP_SOCK_OPS", "SK_SKB_STREAM_PARSER", "SK_SKB_STREAM_VERDICT", "CGROUP_DEVICE", "SK_MSG_VERDICT",
		"CGROUP_INET4_BIND", "CGROUP_INET6_BIND", "CGROUP_INET4_CONNECT", "CGROUP_INET6_CONNECT",
		"CGROUP_INET4_POST_BIND", "CGROUP_INET6_POST_BIND", "CGROUP_UDP4_SENDMSG", "CGROUP_UDP6_SENDMSG",
		"LIRC_MODE2", "FLOW_DISSECTOR", "CGROUP_SYSCTL", "CGROUP_UDP4_RECVMSG", "CGROUP_UDP6_RECVMSG",
		"CGROUP_GETSOCKOPT", "CGROUP_SETSOCKOPT", "TRACE_RAW_TP", "TRACE_FENTRY", "TRACE_FEXIT",
		"MODIFY_RETURN", "LSM_MAC", "TRACE_ITER", "CGROUP_INET4_GETPEERNAME", "CGROUP_INET6_GETPEERNAME",
		"CGROUP_INET4_GETSOCKNAME", "CGROUP_INET6_GETSOCKNAME", "XDP_DEVMAP", "CGROUP_INET_SOCK_RELEASE",
		"XDP_CPUMAP", "SK_LOOKUP", "XDP", "SK_SKB_VERDICT", "SK_REUSEPORT_SELECT",
		"SK_REUSEPORT_SELECT_OR_MIGRATE", "PERF_EVENT", "TRACE_KPROBE_MULTI", "LSM_CGROUP")
	bpfTaskFdTypes = indexed("BPF_FD_TYPE_", "RAW_TRACEPOINT", "TRACEPOINT", "KPROBE", "KRETPROBE", "UPROBE",
		"URETPROBE")
	bpfRegs = indexed("BPF_REG_", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10")

	bpfMapFlags = []flag{{1, "BPF_F_NO_PREALLOC"}, {2, "BPF_F_NO_COMMON_LRU"}, {4, "BPF_F_NUMA_NODE"},
		{8, "BPF_F_RDONLY"}, {0x10, "BPF_F_WRONLY"}, {0x20, "BPF_F_STACK_BUILD_ID"}, {0x40, "BPF_F_ZERO_SEED"},
		{0x80, "BPF_F_RDONLY_PROG"}, {0x100, "BPF_F_WRONLY_PROG"}, {0x200, "BPF_F_CLONE"},
		{0x400, "BPF_F_MMAPABLE"}, {0x800, "BPF_F_PRESERVE_ELEMS"}, {0x1000, "BPF_F_INNER_MAP"}}
	bpfProgFlags = []flag{{1, "BPF_F_STRICT_ALIGNMENT"}, {2, "BPF_F_ANY_ALIGNMENT"}, {4, "BPF_F_TEST_RND_HI32"},
		{8, "BPF_F_TEST_STATE_FREQ"}, {0x10, "BPF_F_SLEEPABLE"}}
	bpfFileModeFlags   = []flag{{8, "BPF_F_RDONLY"}, {0x10, "BPF_F_WRONLY"}}
	bpfLookupElemFlags = []flag{{0, "BPF_ANY"}, {4, "BPF_F_LOCK"}}
	bpfUpdateElemFlags = []flag{{0, "BPF_ANY"}, {1, "BPF_NOEXIST"}, {2, "BPF_EXIST"}, {4, "BPF_F_LOCK"}}
	bpfAttachFlags     = []flag{{1, "BPF_F_ALLOW_OVERRIDE"}, {2, "BPF_F_ALLOW_MULTI"}, {4, "BPF_F_REPLACE"}}
	bpfQueryFlags      = []flag{{1, "BPF_F_QUERY_EFFECTIVE"}}
	bpfTestRunFlags    = []flag{{1, "BPF_F_TEST_RUN_ON_CPU"}, {2, "BPF_F_TEST_XDP_LIVE_FRAMES"}}
	bpfKprobeMultiFl   = []flag{{1, "BPF_F_KPROBE_MULTI_RETURN"}}
	bpfNumaNode        = []flag{{0xffffffff, "NUMA_NO_NODE"}}
)

// indexed is a table of consecutive values from 0, named prefix+name.
func indexed(prefix string, names ...string) []flag {
	tab := make([]flag, len(names))
	for i, n := range names {
		tab[i] = flag{uint64(i), prefix + n}
	}
	return tab
}

// bpfAttr is the part of the attr a command's printer reads: its struct,
// zero-filled past what the caller gave (strace's memcpy of min(size,
// struct) into a zeroed struct), and n, the bytes given of it.
type bpfAttr struct {
	b []byte
	n int
}

func (a bpfAttr) u32(off int) uint64 { return uint64(le.Uint32(a.b[off:])) }
func (a bpfAttr) u64(off int) uint64 { return le.Uint64(a.b[off:]) }

// has says whether the caller's struct reaches the field at off (strace's
// "if (len <= offsetof(...)) break").
func (a bpfAttr) has(off int) bool { return a.n > off }

// kBpfCmd is the command.
var kBpfCmd = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) {
	p.xlat(uint64(uint32(c.Args[i])), bpfCmdNames, "/BPF_???")
}})

// kBpfAttr is the attr: the command's struct, with what follows it when
// that is not zero.
var kBpfAttr = newKind(kindInfo{cap: capRule{kind: wire.CKMem, sizeFrom: wire.SzArg32, sizeRel: 1, elem: 1,
	max: bpfPage, when: wire.CWIn, entry: 8}, fmt: fmtBpfAttr})

func fmtBpfAttr(p *printer, c *Call, i int) {
	cmd, size := uint32(c.Args[0]), uint32(c.Args[2])
	if size == 0 || size > bpfPage || int(cmd) >= len(bpfCmds) || bpfCmds[cmd].print == nil {
		p.ptr(c.Args[i])
		return
	}
	cp := c.Cap(i, 0)
	if cp == nil || cp.Fault() || len(cp.Data) < int(size) {
		p.ptr(c.Args[i])
		return
	}
	row := &bpfCmds[cmd]
	a := bpfAttr{b: make([]byte, row.size), n: min(int(size), row.size)}
	copy(a.b, cp.Data[:a.n])
	p.c('{')
	row.print(p, c, a)
	known := row.size
	if cmd == bpfLinkCreateCmd && a.has(16) {
		known = bpfLinkCreateSize(a.u32(8))
	}
	bpfExtra(p, cp.Data[:size], known)
	p.c('}')
}

// bpfExtra prints the bytes of the attr past its command's struct when any
// is not zero: "..." abbreviated, else as extra_data in hex, with where
// they are (decode_attr_extra_data).
func bpfExtra(p *printer, d []byte, at int) {
	if len(d) <= at {
		return
	}
	rest := d[at:]
	for _, b := range rest {
		if b == 0 {
			continue
		}
		p.s(", ")
		if p.abbrev() {
			p.s("...")
			return
		}
		p.s("extra_data=")
		p.quoteHex(rest, false)
		p.s(" /* bytes ")
		p.u(uint64(at))
		p.s("..")
		p.u(uint64(len(d) - 1))
		p.s(" */")
		return
	}
}

// bpfRet prints the result: a descriptor for the commands that make one.
func bpfRet(p *printer, c *Call) {
	if bpfFdCmd(c) != nil {
		p.fd(c, int32(c.Ret))
		return
	}
	p.d(c.Ret)
}

// updateBpf enters the descriptor a command made: what the command makes
// (the link /proc would show then; read now, the number may name another
// object already), or for OBJ_GET what /proc says. bpf's descriptors are
// close-on-exec.
func (t *fdTable) updateBpf(c *Call, _ fdOp, pr *fdProc) {
	row := bpfFdCmd(c)
	if row == nil || row.fd == "?" {
		return
	}
	ret := int32(c.Ret)
	e := fdEntry{link: row.fd}
	if row.fd == "" {
		e, _ = t.readlink(c.Tgid, ret)
	}
	e.cloexec = true
	pr.fds[ret] = e
}

func init() {
	registerSigs(map[string]sig{
		"bpf": {args: []kind{kBpfCmd, kBpfAttr, kUint}, ret: bpfRet, class: ClassDesc},
	})
}
