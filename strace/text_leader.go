package strace

// leader starts a line: pid prefix, timestamp, syscall number and
// instruction pointer (ip; 0: not known).
func (t *Text) leader(tid uint32, ts, ip uint64) {
	p := &t.p
	if t.fileOnly {
		p.prefix(t.prefixes.get(PrefixFile, tid))
		return
	}
	shown := t.shown(tid)
	switch {
	case t.pids != nil && t.pids.set&DecodePidComm != 0:
		t.commPrefix(tid, shown)
	case t.opt.Prefix == PrefixFile || t.opt.Prefix == PrefixTTY && t.tasks > 1:
		p.prefix(t.prefixes.get(t.opt.Prefix, shown))
	}
	if t.opt.Time != TimeNone {
		t.wallclock(ts)
	}
	if t.opt.Relative {
		t.relative(ts)
	}
	if t.opt.SyscallNumber {
		t.numberOf(tid)
	}
	if t.opt.IP {
		t.instructionPointer(ip)
	}
}

// instructionPointer prints -i's "[IP] ", as strace's
// print_instruction_pointer: 16 hex digits, or question marks.
func (t *Text) instructionPointer(ip uint64) {
	p := &t.p
	if ip == 0 {
		p.s("[????????????????] ")
		return
	}
	var b [16]byte
	for i := 15; i >= 0; i-- {
		b[i] = "0123456789abcdef"[ip&0xf]
		ip >>= 4
	}
	p.s("[")
	p.bytes(b[:])
	p.s("] ")
}

// callLeader starts c's line: the leader, then the call's name and "(";
// with the file prefix alone (fileOnly), both copied straight away.
func (t *Text) callLeader(c *Call, e *Sysent) {
	p := &t.p
	if t.fileOnly && e != nil && e.callFixed.n > 0 {
		p.prefix(t.prefixes.get(PrefixFile, c.Tid))
		p.putFixed(&e.callFixed)
		return
	}
	t.leader(c.Tid, c.TS, c.EntryIP)
	callStart(p, e, c.Nr)
}
