package strace

// perf_event ioctls ('$', linux/perf_event.h), as strace 6.1's
// perf_ioctl.c decodes them, and struct perf_event_attr as perf.c prints
// it without -v (the fields before wakeup_events). Tables from
// xlat/perf_*.in. PERF_EVENT_IOC_QUERY_BPF's ids follow the struct
// (not captured): its line at exit prints only what the struct holds.

var (
	perfTypeIDs          = []flag{{0, "PERF_TYPE_HARDWARE"}, {0x1, "PERF_TYPE_SOFTWARE"}, {0x2, "PERF_TYPE_TRACEPOINT"}, {0x3, "PERF_TYPE_HW_CACHE"}, {0x4, "PERF_TYPE_RAW"}, {0x5, "PERF_TYPE_BREAKPOINT"}}
	perfAttrSizes        = []flag{{0x40, "PERF_ATTR_SIZE_VER0"}, {0x48, "PERF_ATTR_SIZE_VER1"}, {0x50, "PERF_ATTR_SIZE_VER2"}, {0x60, "PERF_ATTR_SIZE_VER3"}, {0x68, "PERF_ATTR_SIZE_VER4"}, {0x70, "PERF_ATTR_SIZE_VER5"}, {0x78, "PERF_ATTR_SIZE_VER6"}, {0x80, "PERF_ATTR_SIZE_VER7"}}
	perfSampleFormat     = []flag{{0x1, "PERF_SAMPLE_IP"}, {0x2, "PERF_SAMPLE_TID"}, {0x4, "PERF_SAMPLE_TIME"}, {0x8, "PERF_SAMPLE_ADDR"}, {0x10, "PERF_SAMPLE_READ"}, {0x20, "PERF_SAMPLE_CALLCHAIN"}, {0x40, "PERF_SAMPLE_ID"}, {0x80, "PERF_SAMPLE_CPU"}, {0x100, "PERF_SAMPLE_PERIOD"}, {0x200, "PERF_SAMPLE_STREAM_ID"}, {0x400, "PERF_SAMPLE_RAW"}, {0x800, "PERF_SAMPLE_BRANCH_STACK"}, {0x1000, "PERF_SAMPLE_REGS_USER"}, {0x2000, "PERF_SAMPLE_STACK_USER"}, {0x4000, "PERF_SAMPLE_WEIGHT"}, {0x8000, "PERF_SAMPLE_DATA_SRC"}, {0x10000, "PERF_SAMPLE_IDENTIFIER"}, {0x20000, "PERF_SAMPLE_TRANSACTION"}, {0x40000, "PERF_SAMPLE_REGS_INTR"}, {0x80000, "PERF_SAMPLE_PHYS_ADDR"}, {0x100000, "PERF_SAMPLE_AUX"}, {0x200000, "PERF_SAMPLE_CGROUP"}, {0x400000, "PERF_SAMPLE_DATA_PAGE_SIZE"}, {0x800000, "PERF_SAMPLE_CODE_PAGE_SIZE"}, {0x1000000, "PERF_SAMPLE_WEIGHT_STRUCT"}}
	perfReadFormat       = []flag{{0x1, "PERF_FORMAT_TOTAL_TIME_ENABLED"}, {0x2, "PERF_FORMAT_TOTAL_TIME_RUNNING"}, {0x4, "PERF_FORMAT_ID"}, {0x8, "PERF_FORMAT_GROUP"}, {0x10, "PERF_FORMAT_LOST"}}
	perfHwIDs            = []flag{{0, "PERF_COUNT_HW_CPU_CYCLES"}, {0x1, "PERF_COUNT_HW_INSTRUCTIONS"}, {0x2, "PERF_COUNT_HW_CACHE_REFERENCES"}, {0x3, "PERF_COUNT_HW_CACHE_MISSES"}, {0x4, "PERF_COUNT_HW_BRANCH_INSTRUCTIONS"}, {0x5, "PERF_COUNT_HW_BRANCH_MISSES"}, {0x6, "PERF_COUNT_HW_BUS_CYCLES"}, {0x7, "PERF_COUNT_HW_STALLED_CYCLES_FRONTEND"}, {0x8, "PERF_COUNT_HW_STALLED_CYCLES_BACKEND"}, {0x9, "PERF_COUNT_HW_REF_CPU_CYCLES"}}
	perfSwIDs            = []flag{{0, "PERF_COUNT_SW_CPU_CLOCK"}, {0x1, "PERF_COUNT_SW_TASK_CLOCK"}, {0x2, "PERF_COUNT_SW_PAGE_FAULTS"}, {0x3, "PERF_COUNT_SW_CONTEXT_SWITCHES"}, {0x4, "PERF_COUNT_SW_CPU_MIGRATIONS"}, {0x5, "PERF_COUNT_SW_PAGE_FAULTS_MIN"}, {0x6, "PERF_COUNT_SW_PAGE_FAULTS_MAJ"}, {0x7, "PERF_COUNT_SW_ALIGNMENT_FAULTS"}, {0x8, "PERF_COUNT_SW_EMULATION_FAULTS"}, {0x9, "PERF_COUNT_SW_DUMMY"}, {0xa, "PERF_COUNT_SW_BPF_OUTPUT"}, {0xb, "PERF_COUNT_SW_CGROUP_SWITCHES"}}
	perfHwCacheIDs       = []flag{{0, "PERF_COUNT_HW_CACHE_L1D"}, {0x1, "PERF_COUNT_HW_CACHE_L1I"}, {0x2, "PERF_COUNT_HW_CACHE_LL"}, {0x3, "PERF_COUNT_HW_CACHE_DTLB"}, {0x4, "PERF_COUNT_HW_CACHE_ITLB"}, {0x5, "PERF_COUNT_HW_CACHE_BPU"}, {0x6, "PERF_COUNT_HW_CACHE_NODE"}}
	perfHwCacheOpIDs     = []flag{{0, "PERF_COUNT_HW_CACHE_OP_READ"}, {0x1, "PERF_COUNT_HW_CACHE_OP_WRITE"}, {0x2, "PERF_COUNT_HW_CACHE_OP_PREFETCH"}}
	perfHwCacheResultIDs = []flag{{0, "PERF_COUNT_HW_CACHE_RESULT_ACCESS"}, {0x1, "PERF_COUNT_HW_CACHE_RESULT_MISS"}}
)

var perfPreciseIP = []string{"arbitrary skid", "constant skid", "requested to have 0 skid", "must have 0 skid"}

// perfAttrBits are perf_event_attr's one-bit flags by bit (precise_ip,
// bits 15-16, apart).
var perfAttrBits = []struct {
	bit  uint
	name string
}{{0, "disabled"}, {1, "inherit"}, {2, "pinned"}, {3, "exclusive"}, {4, "exclude_user"}, {5, "exclude_kernel"},
	{6, "exclude_hv"}, {7, "exclude_idle"}, {8, "mmap"}, {9, "comm"}, {10, "freq"}, {11, "inherit_stat"},
	{12, "enable_on_exec"}, {13, "task"}, {14, "watermark"}, {17, "mmap_data"}, {18, "sample_id_all"},
	{19, "exclude_host"}, {20, "exclude_guest"}, {21, "exclude_callchain_kernel"}, {22, "exclude_callchain_user"},
	{23, "mmap2"}, {24, "comm_exec"}, {25, "use_clockid"}, {26, "context_switch"}, {27, "write_backward"},
	{28, "namespaces"}, {29, "ksymbol"}, {30, "bpf_event"}, {31, "aux_output"}, {32, "cgroup"}, {33, "text_poke"},
	{34, "build_id"}, {35, "inherit_thread"}, {36, "remove_on_exec"}, {37, "sigtrap"}}

const (
	perfAttrSizeVer0 = 64
	perfAttrAbbrev   = 48 // offsetof(struct perf_event_attr, wakeup_events): what strace reads without -v
)

// perfConfig prints perf_event_attr's config by its type.
func perfConfig(p *printer, typ uint32, cfg uint64) {
	high := func() {
		if cfg>>32 != 0 {
			hexOrZero(p, cfg>>32)
			p.s("<<32|")
		}
	}
	switch typ {
	case 0: // PERF_TYPE_HARDWARE
		p.s(", config=")
		high()
		p.xlat(cfg&0xffffffff, perfHwIDs, "/PERF_COUNT_HW_???")
	case 1: // PERF_TYPE_SOFTWARE
		p.s(", config=")
		p.xlat(cfg, perfSwIDs, "/PERF_COUNT_SW_???")
	case 2: // PERF_TYPE_TRACEPOINT
		p.s(", config=")
		p.u(cfg)
	case 3: // PERF_TYPE_HW_CACHE
		p.s(", config=")
		high()
		if ev := cfg & 0xffffffff >> 24; ev != 0 {
			hexOrZero(p, ev)
			p.s("<<24|")
		}
		p.xlat(cfg>>16&0xff, perfHwCacheResultIDs, "/PERF_COUNT_HW_CACHE_RESULT_???")
		p.s("<<16|")
		p.xlat(cfg>>8&0xff, perfHwCacheOpIDs, "/PERF_COUNT_HW_CACHE_OP_???")
		p.s("<<8|")
		p.xlat(cfg&0xff, perfHwCacheIDs, "/PERF_COUNT_HW_CACHE_???")
	default:
		p.s(", config=")
		hexOrZero(p, cfg)
	}
}

// perfEventAttr prints the first 48 bytes of a struct perf_event_attr as
// strace does without -v.
func perfEventAttr(p *printer, b []byte) {
	typ := le.Uint32(b)
	p.s("{type=")
	p.xlat(uint64(typ), perfTypeIDs, "/PERF_TYPE_???")
	p.s(", size=")
	p.xlat(uint64(le.Uint32(b[4:])), perfAttrSizes, "/PERF_ATTR_SIZE_???")
	perfConfig(p, typ, le.Uint64(b[8:]))
	bits := le.Uint64(b[40:])
	if bits&(1<<10) != 0 {
		p.s(", sample_freq=")
	} else {
		p.s(", sample_period=")
	}
	p.u(le.Uint64(b[16:]))
	p.s(", sample_type=")
	p.flagsDflt(le.Uint64(b[24:]), perfSampleFormat, "", "PERF_SAMPLE_???")
	p.s(", read_format=")
	p.flagsDflt(le.Uint64(b[32:]), perfReadFormat, "", "PERF_FORMAT_???")
	for _, f := range perfAttrBits {
		if f.bit == 17 { // precise_ip comes before mmap_data
			pip := bits >> 15 & 3
			p.s(", precise_ip=")
			p.u(pip)
			p.comment(perfPreciseIP[pip])
		}
		if v := bits >> f.bit & 1; v != 0 || !ioctlAbbrev(p) {
			p.s(", ")
			p.s(f.name)
			p.c('=')
			p.u(v)
		}
	}
	if r := bits >> 38; r != 0 {
		p.s(", __reserved_1=")
		hexOrZero(p, r)
		p.s(" /* Bits 63..38 */")
	}
	p.s(", ...}")
}

func fmtPerfModifyAttrs(p *printer, c *Call, i int) {
	if c.Args[i] == 0 {
		p.s("NULL")
		return
	}
	b := capturedIn(c, i, perfAttrAbbrev)
	size := uint32(0)
	if b != nil {
		size = le.Uint32(b[4:])
	}
	if size == 0 {
		size = perfAttrSizeVer0
	}
	if b == nil || size < perfAttrSizeVer0 {
		p.x(c.Args[i])
		return
	}
	perfEventAttr(p, b)
}

func fmtPerfFlags(p *printer, c *Call, i int) {
	p.flagsDflt(uint64(uint32(c.Args[i])), []flag{{1, "PERF_IOC_FLAG_GROUP"}}, "", "PERF_IOC_FLAG_???")
}

func fmtPerfInt(p *printer, c *Call, i int) { p.d(int64(int32(c.Args[i]))) }

// fmtPerfU64 prints a u64 the caller passes: [N].
func fmtPerfU64(p *printer, c *Call, i int) {
	if b := ioctlInBytes(p, c, i, 8); b != nil {
		p.c('[')
		p.u(le.Uint64(b))
		p.c(']')
	}
}

func fmtPerfID(p *printer, c *Call, i int) {
	if c.Args[i] != 0 && !ioctlSucceeded(c) {
		p.x(c.Args[i])
		return
	}
	fmtPerfU64(p, c, i)
}

// fmtPerfQueryBPF prints struct perf_event_query_bpf's ids_len; the
// prog_cnt and ids a call that succeeded filled follow it, not captured.
func fmtPerfQueryBPF(p *printer, c *Call, i int) {
	if b := ioctlInBytes(p, c, i, 4); b != nil {
		p.s("{ids_len=")
		p.u(uint64(le.Uint32(b)))
		p.s(", ...}")
	}
}

func init() {
	registerIoctlsAtExit(map[uint32]ioctlDef{
		0x2400:     {name: "PERF_EVENT_IOC_ENABLE", arg: fmtPerfFlags},
		0x2401:     {name: "PERF_EVENT_IOC_DISABLE", arg: fmtPerfFlags},
		0x2402:     {name: "PERF_EVENT_IOC_REFRESH", arg: fmtPerfInt},
		0x2403:     {name: "PERF_EVENT_IOC_RESET", arg: fmtPerfFlags},
		0x40082404: {name: "PERF_EVENT_IOC_PERIOD", size: 8, arg: fmtPerfU64},
		0x2405:     {name: "PERF_EVENT_IOC_SET_OUTPUT", arg: ioctlArgFd},
		0x40082406: {name: "PERF_EVENT_IOC_SET_FILTER", str: true, arg: fmtStrLimited},
		0x80082407: {name: "PERF_EVENT_IOC_ID", size: 8, arg: fmtPerfID},
		0x40042408: {name: "PERF_EVENT_IOC_SET_BPF", arg: ioctlArgFd},
		0x40042409: {name: "PERF_EVENT_IOC_PAUSE_OUTPUT", arg: ioctlArgU},
		0xc008240a: {name: "PERF_EVENT_IOC_QUERY_BPF", size: 4, arg: fmtPerfQueryBPF},
		0x4008240b: {name: "PERF_EVENT_IOC_MODIFY_ATTRIBUTES", size: perfAttrAbbrev, arg: fmtPerfModifyAttrs},
	})
}
