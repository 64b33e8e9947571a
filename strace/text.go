package strace

import (
	"github.com/eproc/eproc/loader/wire"
)

// PidPrefix is how lines name their thread, as strace's modes do.
type PidPrefix int

const (
	PrefixNone PidPrefix = iota // strace without -f
	PrefixTTY                   // strace -f to a terminal: "[pid  1234] " while more than one task is traced
	PrefixFile                  // strace -f -o FILE: "1234  " on every line
)

// TimeMode is strace's -t, -tt, -ttt.
type TimeMode int

const (
	TimeNone  TimeMode = iota
	TimeSec            // -t   HH:MM:SS
	TimeUsec           // -tt  HH:MM:SS.uuuuuu
	TimeEpoch          // -ttt seconds.uuuuuu since the epoch
)

// Options select strace's output options.
type Options struct {
	Prefix  PidPrefix
	Time    TimeMode
	Latency bool // -T
	// TimePrec, LatencyPrec and RelativePrec are --timestamps=precision:,
	// --syscall-times= and --relative-timestamps=: the digits of -t's,
	// -T's and -r's times (PrecDefault: strace's defaults).
	TimePrec, LatencyPrec, RelativePrec Precision
	// SyscallNumber is strace's -n: "[NR] " before each line's call.
	SyscallNumber bool
	// IP is strace's -i: "[IP] ", the user instruction pointer, 16 hex
	// digits, before each line's text ("[????????????????] " where it
	// is not known: exits; the session records it: loader's IP).
	IP bool
	// Injected, when set, says whether thread tid's call nr that just
	// returned had its result injected (strace's -e inject=): its line
	// says " (INJECTED)" after the result. Called once per returned call,
	// in the order of the calls.
	Injected func(tid, nr uint32) bool
	StrSize  int // -s; 0 means 32, below 0 means 0 (-s 0: see StrSizeZero)
	// Hex is strace's -x (1: strings with a byte that is not printable
	// ASCII or white space are printed all in \xNN escapes), -xx (2:
	// all strings are) and --strings-in-hex=non-ascii-chars (3,
	// HexNonASCIIChars: only those bytes are, the others as without -x).
	Hex int
	// Align is strace's -a: the column results start at (0 means
	// strace's 40; -1 means -a0, no alignment).
	Align int
	// ConstStyle is strace's -X: constants and flags by name (abbrev,
	// the default), as numbers (raw), or both (verbose).
	ConstStyle ConstStyle
	// Relative is strace's -r: each line's time since the previous
	// line's, after the -t time if any.
	Relative bool
	// Status is strace's -e status=SET (-z, -Z): the calls printed, by
	// how they ended (StatusSuccessful...; ParseStatus); 0 prints all.
	Status uint8
	// Signals is strace's -e signal=SET: the signals whose lines are
	// printed (ParseSignals); nil prints all.
	Signals *SignalSet
	// DumpRead and DumpWrite are strace's -e read=SET and -e write=SET
	// (ParseFdSet): the descriptors whose data read (written) is dumped
	// in hex after the call's line (dumpio.go); nil dumps none. The
	// session must capture it whole: loader.SessionConfig's DumpRead and
	// DumpWrite, from FdSet.Mask.
	DumpRead, DumpWrite *FdSet
	Summary             bool // -c: count, print no lines
	// Raw is strace's -e raw=SET: these calls' arguments and results
	// in hex, undecoded (raw.go).
	Raw []uint32
	// SummaryAlso is strace's -C: the lines, and -c's table after them.
	SummaryAlso bool
	// SummarySort, SummaryColumns and SummaryOverhead are -c's -S (nil:
	// by time), -U (nil: strace's default columns; ParseSumColumns) and
	// -O (ns taken off each call's time; ParseOverhead).
	SummarySort     *SumColumn
	SummaryColumns  []SumColumn
	SummaryOverhead uint64
	// DecodeFds is strace's -y, -yy, --decode-fds=SET: DecodeFdPath...
	// (ParseDecodeFds); 0 prints descriptors as numbers.
	DecodeFds uint8
	// Abbrev is strace's -e abbrev=SET (ParseQualSet): the syscalls
	// whose structures are abbreviated; nil is all, strace's default, and
	// -v (--no-abbrev) is none (empty, not nil).
	Abbrev []uint32
	// Verbose is strace's -e verbose=SET: the syscalls whose structures
	// are decoded (the others' are printed as addresses); nil is all.
	Verbose []uint32
	// DecodePids is strace's -Y, --decode-pids=SET: DecodePidComm,
	// DecodePidNs (ParseDecodePids); 0 prints pids as numbers.
	DecodePids uint8
	// Shown, when not nil, are the only syscalls printed: -y's tables
	// follow more calls than -e trace= asks for (FdCalls).
	Shown []uint32
	// Quiet is strace's -q, -qq, -qqq, -e quiet=SET: the messages left
	// out (QuietExit, QuietThreadExecve; ParseQuiet).
	Quiet uint8
	// Paths is strace's -P: when not empty, only the calls that touch
	// one of these paths are printed (pathtrace.go).
	Paths []string
	// Tasks is how many tasks are traced when the stream starts (for
	// PrefixTTY); 0 means 1.
	Tasks int
	// Batch: complete lines go to the LineWriter once this many bytes
	// wait (and whenever the reader is idle); 0 means 64 KiB.
	Batch int
	// Stack: -k: a call's stack trace (KindStack) is printed after its
	// line (stack.go).
	Stack bool
	// PidView, when not nil, is the pid namespace the text is printed
	// for, when it is not eproc's own (pids_view.go).
	PidView *PidView
}

// A LineWriter takes a Text sink's complete lines.
type LineWriter interface {
	// WriteLines takes complete lines. It may block while its reader is
	// behind: the session's reader waits, and its ring fills.
	WriteLines(b []byte)
	// Flush: nothing more for now (the session's reader is idle); push
	// out what is buffered.
	Flush()
	// Final takes the last lines, the hang-up line among them; nothing
	// follows.
	Final(b []byte)
}

// Text is the sink that writes strace's text: the lines strace prints for
// each event (strace -f's unfinished and resumed calls included), -c's
// table, and Plan 9's hang-up line at the end. With a nil LineWriter it
// keeps the text until TakeInto.
type Text struct {
	opt     Options
	p       printer
	out     LineWriter
	tasks   int
	monoOff int64 // realtime - monotonic, ns

	// The line left open by an entry, waiting to see what comes next.
	open    bool
	openTid uint32
	openNr  uint32
	// openArgs is where the open line's arguments begin in it (the line
	// is the buffer's last, from lineStart, never handed out while open), and
	// openFault whether one of them was memory the entry could not read.
	openArgs  int
	openFault bool
	// Calls shown `<unfinished ...>`, by thread, and a filter of the
	// threads (text_unfinished.go).
	unfinished map[uint32]uint32
	unfinBits  uint64
	// handedTid's unfinished call is an execve handed over by another
	// thread (text_exit.go's handOver), while handed.
	handed    bool
	handedTid uint32
	// The pid prefixes of the threads that printed last (prefix.go).
	prefixes prefixes

	// -r: the time of the last line (monotonic ns), once there was one.
	relPrev    uint64
	relStarted bool

	// Under a status filter, the entries of calls under way, by thread
	// (nil without), and buffers for them.
	held     map[uint32]heldCall
	heldFree [][]byte

	// Losses told of by dropped lines so far.
	shownCalls, shownOther uint64

	sum *summary
	raw map[uint32]*sig // -e raw=

	// -y: the descriptors of the processes (fds.go), and whether the call
	// being printed has been applied to them.
	fds     *fdTable
	fdsDone bool
	// injected: the call just printed had its result injected (the
	// tables leave it out).
	injected bool
	hidden   map[uint32]bool   // syscalls delivered but not printed (Options.Shown)
	lastNr   map[uint32]uint32 // -n: each thread's last call, for its signal and exit lines
	// -n: a thread that exited, forgotten at the next event.
	nrGone    bool
	nrGoneTid uint32
	paths     *pathFilter       // -P
	pids      *pidTable         // -Y, --decode-pids (pids.go)
	stackDue  map[uint32]uint32 // -k: each thread's call printed last, whose stack may follow (stack.go)
	// tables: one of hidden, fds, paths, lastNr, pids is set (Event
	// looks at them only then).
	tables bool
	// fileOnly: a line's leader is strace -f -o FILE's pid prefix, and
	// nothing more (no -Y, -t, -r, -n): leader looks at no option then.
	fileOnly bool
}

// NewText returns a text sink with strace's options opt, writing to out
// (nil: kept for TakeInto).
func NewText(opt Options, out LineWriter) *Text {
	opt.StrSize = strSize(opt.StrSize)
	if opt.Tasks <= 0 {
		opt.Tasks = 1
	}
	if opt.Batch <= 0 {
		opt.Batch = 64 << 10
	}
	buildTable()
	t := &Text{
		opt:        opt,
		out:        out,
		tasks:      opt.Tasks,
		unfinished: map[uint32]uint32{},
	}
	t.p.strsize = opt.StrSize
	t.p.hex = opt.Hex
	t.p.align = opt.Align
	t.p.style = opt.ConstStyle
	t.p.qual = newQualSets(opt.Abbrev, opt.Verbose)
	t.p.b = make([]byte, 0, 64<<10)
	t.monoOff = MonoOffset()
	if opt.Summary || opt.SummaryAlso {
		t.sum = summaryFrom(opt)
	}
	t.raw = rawSigs(opt.Raw)
	if opt.Status != 0 {
		t.held = map[uint32]heldCall{}
	}
	if opt.Stack && !opt.Summary {
		t.stackDue = map[uint32]uint32{}
	}
	if !opt.Summary {
		t.p.nl = newNlFamilies()
		if opt.Shown != nil {
			t.hide(NetlinkCalls(opt.Shown), opt.Shown)
		}
	}
	if opt.DecodeFds != 0 && !opt.Summary {
		buildFdOps()
		t.fds = newFdTable(opt.DecodeFds)
		t.p.fds = t.fds
		if opt.Shown != nil {
			t.hidden = map[uint32]bool{}
			for _, nr := range FdCalls() {
				t.hidden[nr] = true
			}
			for _, nr := range opt.Shown {
				delete(t.hidden, nr)
			}
		}
	}
	if len(opt.Paths) > 0 {
		t.paths = pathFilterOn(opt.Paths, t.fds)
		if opt.Shown != nil {
			t.hide(PathCalls(), opt.Shown)
		}
	}
	if opt.SyscallNumber {
		t.lastNr = map[uint32]uint32{}
	}
	if (opt.DecodePids != 0 || opt.PidView != nil) && !opt.Summary {
		t.pids = newPidTable(opt.DecodePids, procFS{})
		t.pids.view = opt.PidView
		t.p.pids = t.pids
		if opt.Shown != nil && opt.DecodePids&DecodePidComm != 0 {
			t.hide(PidCalls(), opt.Shown)
		}
	}
	t.tables = t.hidden != nil || t.fds != nil || t.paths != nil || t.lastNr != nil || t.pids != nil
	t.fileOnly = opt.Prefix == PrefixFile && t.pids == nil && opt.Time == TimeNone && !opt.Relative && !opt.SyscallNumber && !opt.IP
	return t
}

// Event prints one event.
func (t *Text) Event(ev *Event) {
	t.injected = false
	if t.tables && !t.tablesBefore(ev) {
		return
	}
	switch ev.Kind {
	case KindCall:
		if c := ev.Call; t.sum != nil && t.summed(c) {
			// -c: counted, not printed.
		} else if t.opt.Status != 0 {
			t.filtered(c, lookup(c.Nr))
		} else if c.Complete() {
			t.completed(c, lookup(c.Nr))
		} else {
			t.entered(c, lookup(c.Nr))
		}
	case KindSignal:
		t.signal(ev.Signal)
	case KindExit:
		t.exited(ev.Exit)
	case KindFork:
		t.tasks++
	case KindExec:
		t.execd(ev.Exec)
	case KindKVM:
		t.kvmExit(ev.KVM)
	case KindDrops:
		t.dropped(ev.Drops.Calls, ev.Drops.Other)
	case KindMark:
		t.mark(ev.Mark)
	case KindStack:
		t.stacked(ev.Stack)
	}
	if t.tables {
		t.tablesAfter(ev)
	}
	if t.p.nl != nil {
		t.p.nl.event(ev)
	}
	if t.out != nil && t.p.lineStart >= t.opt.Batch {
		t.write()
	}
}

// tablesBefore hands an event to the tables that follow the processes
// (-y's, -P's, -n's, -Y's) before it is printed, and says whether it is:
// not if it is a call left out (Options.Shown, -P).
func (t *Text) tablesBefore(ev *Event) bool {
	if ev.Kind == KindCall && t.hidden[ev.Call.Nr] {
		t.followed(ev) // not printed
		return false
	}
	if t.fds != nil {
		t.fdsEvent(ev)
	}
	if t.paths != nil {
		if ev.Kind == KindCall && !t.pathShown(ev.Call) {
			t.pathUnshown(ev) // not printed: what it changed
			return false
		}
		t.pathEvent(ev)
	}
	if t.lastNr != nil {
		t.noteNr(ev)
	}
	if t.pids != nil {
		t.pidsEvent(ev)
	}
	return true
}

// tablesAfter hands the tables an event once it is printed.
func (t *Text) tablesAfter(ev *Event) {
	if t.fds != nil {
		t.fdsAfter(ev)
	}
	if t.paths != nil && ev.Kind == KindCall {
		t.paths.follow(ev.Call, t.injected)
	}
	if t.pids != nil {
		t.pidsAfter(ev)
	}
}

// Idle writes the complete lines out.
func (t *Text) Idle() {
	if t.out != nil {
		t.write()
		t.out.Flush()
	}
}

// write hands the complete lines to the LineWriter.
func (t *Text) write() {
	if n := t.p.lineStart; n > 0 {
		t.out.WriteLines(t.p.b[:n])
		t.forget(n)
	}
}

// forget drops the first n bytes of text, keeping the buffer.
func (t *Text) forget(n int) {
	rest := copy(t.p.b, t.p.b[n:])
	t.p.b = t.p.b[:rest]
	t.p.lineStart = 0
}

// Pending reports how many bytes of complete lines are waiting.
func (t *Text) Pending() int { return t.p.lineStart }

// TakeInto appends the complete lines to dst and forgets them, without
// allocating once dst and the buffer have grown.
func (t *Text) TakeInto(dst []byte) []byte {
	n := t.p.lineStart
	dst = append(dst, t.p.b[:n]...)
	t.forget(n)
	return dst
}

// closeOpen ends a line left open by an EV_ENTER with " <unfinished ...>".
func (t *Text) closeOpen() {
	if !t.open {
		return
	}
	t.open = false
	t.p.s(" <unfinished ...>")
	t.p.newline()
	t.setUnfinished(t.openTid, t.openNr)
}

// summed counts a call for -c's (-C's) table, and says whether that is
// all (-c: no line).
func (t *Text) summed(c *Call) bool {
	if c.Complete() {
		t.sum.add(c)
	}
	return t.opt.Summary
}

// entered prints the entry of a call that blocked, or of one that never
// returns: the line is left open, ending with the arguments known at
// entry, until what comes next shows whether the call returns first
// (completed finishes the line) or not (closeOpen ends it unfinished).
func (t *Text) entered(c *Call, e *Sysent) {
	s := t.signatureOf(e, c.Nr)
	// A call may be announced more than once (it slept twice): keep the
	// first. An announcement of another call means a record was lost.
	if t.open && t.openTid == c.Tid && t.openNr == c.Nr {
		return
	}
	if nr, ok := t.unfinished[c.Tid]; ok && nr == c.Nr {
		return
	}
	t.forgetUnfinished(c.Tid)
	if t.open {
		t.closeOpen()
	}
	p := &t.p
	n := min(s.count(c), 6)
	split := s.split(c, n)

	t.callLeader(c, e)
	if s.noreturn {
		p.args(s, c, 0, n)
		p.c(')')
		p.toResult()
		p.c('?')
		p.newline()
		return
	}
	t.openArgs = len(p.b) - p.lineStart
	p.args(s, c, 0, split)
	if split > 0 && split < n && !s.sepAtExit {
		p.s(", ")
	}
	t.open = true
	t.openTid = c.Tid
	t.openNr = c.Nr
	t.openFault = capFault(c)
}

// capFault says whether a capture of c is memory that could not be read.
func capFault(c *Call) bool {
	for i := range c.Caps {
		if c.Caps[i].Fault() {
			return true
		}
	}
	return false
}

// completed prints a call that returned: the rest of its open line, a
// `<... resumed>` line after its unfinished entry, or the whole call.
func (t *Text) completed(c *Call, e *Sysent) {
	s := t.signatureOf(e, c.Nr)
	if t.open && !(c.Tid == t.openTid && c.Nr == t.openNr) {
		t.closeOpen()
	}
	p := &t.p
	n := min(s.count(c), 6)
	p.injected = t.opt.Injected != nil && t.opt.Injected(c.Tid, c.Nr)
	if t.open {
		// The open line's call (the line is still open only if it is
		// c's) returned before anything else happened.
		t.finishOpen(c, s, n)
	} else if !t.maybeUnfinished(c.Tid) || !t.resumed(c, e, s, n) {
		// Most calls: the whole call on a line of its own.
		t.callLeader(c, e)
		p.args(s, c, 0, n)
	}
	if t.fds == nil && !p.injected && !t.opt.Latency && s.ret == nil && !isErrno(c.Ret) {
		// Most calls: what the steps below print, in one go.
		p.endDecimal(c.Ret)
	} else {
		p.c(')')
		if t.fds != nil {
			// An injected result is none of the call's doing: its
			// descriptor is whatever the number already refers to.
			t.fdsDone = t.fdsDone || p.injected
			t.fdsApply(c)
		}
		t.result(s, c)
		if p.injected {
			p.s(" (INJECTED)")
		}
		if t.opt.Latency {
			p.s(" <")
			lat := int64(c.ExitTS - c.TS)
			p.d(lat / 1e9)
			fraction(p, lat%1e9, t.opt.LatencyPrec.digits(6))
			p.c('>')
		}
		p.newline()
	}
	t.injected, p.injected = p.injected, false
	if (t.opt.DumpRead != nil || t.opt.DumpWrite != nil) && e != nil {
		t.dumpio(c, e)
	}
	if t.stackDue != nil {
		t.stackDue[c.Tid] = c.Nr
	}
}

// finishOpen prints the rest of the open line, c's entry, as c returned
// before anything else happened.
func (t *Text) finishOpen(c *Call, s *sig, n int) {
	p := &t.p
	t.open = false
	if t.openFault && !capFault(c) || s.exitPart {
		// Its return read what its entry could not (a page the call
		// itself faulted in: a call announced while it blocked before
		// the kernel read its arguments, as under a seccomp listener),
		// or its arguments print more once it returned (exitPart):
		// the arguments again, from the return.
		p.b = p.b[:p.lineStart+t.openArgs]
		p.args(s, c, 0, n)
		return
	}
	if split := s.split(c, n); split > 0 && split < n {
		p.exitArgs(s, c, split, n)
	} else if split == 0 {
		p.args(s, c, 0, n)
	}
}

// callStart prints the call's name and "(", in one append.
func callStart(p *printer, e *Sysent, nr uint32) {
	switch {
	case e == nil:
		unnamedStart(p, nr)
	case e.callFixed.n > 0:
		p.putFixed(&e.callFixed)
	default:
		p.s(e.call)
	}
}

func unnamedStart(p *printer, nr uint32) {
	syscallName(p, nil, nr)
	p.c('(')
}

func syscallName(p *printer, e *Sysent, nr uint32) {
	if e == nil {
		p.s("syscall_")
		p.x(uint64(nr))
		return
	}
	p.s(e.Name)
}

// isErrno says whether a call's result is an error: -1 and errno
// -ret, as strace prints it.
func isErrno(ret int64) bool { return ret < 0 && ret >= -4095 }

// result prints " = ..." at strace's column.
func (t *Text) result(s *sig, c *Call) {
	p := &t.p
	p.toResult()
	if s.raw {
		rawResult(p, c)
		return
	}
	if isErrno(c.Ret) {
		errno(p, -c.Ret)
		return
	}
	if s.ret != nil {
		s.ret(p, c)
		return
	}
	if t.fds != nil && fdRets[c.Nr] {
		p.fd(c, int32(c.Ret))
		return
	}
	p.d(c.Ret)
}

func (t *Text) signal(s *wire.Signal) {
	if t.opt.Summary || t.opt.Signals != nil && !t.opt.Signals.Has(int(s.Sig)) {
		return
	}
	t.closeOpen()
	t.leader(s.Tid, s.TS, s.IP)
	p := &t.p
	if s.Stopped {
		// A group stop (strace's print_stopped without a siginfo). -k:
		// no stack for it here (none is recorded).
		p.s("--- stopped by ")
		signalName(p, int(s.Sig))
		p.s(" ---")
		p.newline()
		return
	}
	p.s("--- ")
	signalName(p, int(s.Sig))
	p.c(' ')
	siginfo(p, nil, s.Info[:])
	p.s(" ---")
	p.newline()
	if t.stackDue != nil {
		t.stackDue[s.Tid] = wire.StackSignal | uint32(s.Sig)&0xff
	}
}

// mark inserts text written into the stream as lines of their own.
func (t *Text) mark(text []byte) {
	t.closeOpen()
	for len(text) > 0 {
		i := 0
		for i < len(text) && text[i] != '\n' {
			i++
		}
		t.p.bytes(text[:i])
		t.p.newline()
		if i < len(text) {
			i++
		}
		text = text[i:]
	}
}

// End ends the text with Plan 9's hang-up line. First come the losses no
// dropped line told of yet, so that the stream's dropped lines add up to
// the line's Dropped. With -c (-C) the text ends with -c's table, as
// strace's does: no hang-up line (the losses are the caller's to report;
// see DropsLine).
func (t *Text) End(c Counts) {
	t.droppedRest(c.Dropped, c.Lost)
	t.closeOpen()
	if len(t.held) > 0 {
		t.heldEnd()
	}
	if t.sum != nil {
		t.sum.print(&t.p)
	} else {
		t.p.b = AppendHangup(t.p.b, c.Seen, c.Dropped)
		t.p.newline()
	}
	if t.out != nil {
		n := t.p.lineStart
		t.out.Final(t.p.b[:n])
		t.forget(n)
	}
}
