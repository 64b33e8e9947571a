package strace

// Small process syscalls strace decodes: the scheduling policy of
// sched_get_priority_max/min, getcpu's cpu and node, times' struct tms.

var schedPolicies = []flag{
	{0, "SCHED_OTHER"}, {1, "SCHED_FIFO"}, {2, "SCHED_RR"}, {3, "SCHED_BATCH"},
	{4, "SCHED_ISO"}, {5, "SCHED_IDLE"}, {6, "SCHED_DEADLINE"},
}

// kSchedPolicy is an int scheduling policy: SCHED_FIFO, or 0x7 /* SCHED_??? */.
var kSchedPolicy = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) {
	p.xlat(c.Args[i]&0xffffffff, schedPolicies, "/SCHED_???")
}})

// kTms is the struct tms times fills: four clock_t, printed whole.
var kTms = newKind(kindInfo{out: true, cap: capOut(32), fmt: func(p *printer, c *Call, i int) {
	cp := c.Cap(i, 0)
	if c.Ret < 0 || !c.Complete() || cp == nil || cp.Fault() || len(cp.Data) < 32 || !p.verbose() {
		p.ptr(c.Args[i])
		return
	}
	for k, name := range [...]string{"{tms_utime=", ", tms_stime=", ", tms_cutime=", ", tms_cstime="} {
		p.s(name)
		clockT(p, le.Uint64(cp.Data[8*k:]))
	}
	p.c('}')
}})

// clockT prints a clock_t as strace's print_clock_t does: the ticks, then
// (but under -X raw, or for 0) the seconds they are, at Linux's USER_HZ
// of 100: 33 /* 0.33 s */.
func clockT(p *printer, v uint64) {
	p.u(v)
	if v == 0 || p.style == ConstRaw {
		return
	}
	p.s(" /* ")
	p.u(v / 100)
	p.c('.')
	p.c('0' + byte(v%100/10))
	p.c('0' + byte(v%10))
	p.s(" s */")
}

func init() {
	registerSigs(map[string]sig{
		"sched_get_priority_max": {args: []kind{kSchedPolicy}},
		"sched_get_priority_min": {args: []kind{kSchedPolicy}},
		// cpu and node are unsigned ints the call fills: [N], as kIDOut prints.
		"getcpu": {args: []kind{kIDOut, kIDOut, kPtr}},
		"times":  {args: []kind{kTms}},
	})
}
