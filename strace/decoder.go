package strace

import (
	"fmt"
	"strconv"
	"time"

	"github.com/eproc/eproc/loader"
	"golang.org/x/sys/unix"
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
	StrSize int  // -s; 0 means 32
	Summary bool // -c: count, print no lines
	// Tasks is how many tasks are traced when the stream starts (for
	// PrefixTTY); 0 means 1.
	Tasks int
}

// Decoder turns records into strace text. It is not safe for concurrent
// use. Text accumulates until Take.
type Decoder struct {
	opt Options
	p   printer

	call    Call
	sigrec  Signal
	exit    Exit
	fork    Fork
	exec    Exec
	kvm     KVMExit
	hdr     Header
	tasks   int
	monoOff int64 // realtime - monotonic, ns

	// The line left open by an EV_ENTER, waiting to see what comes next.
	open    bool
	openTid uint32
	openNr  uint32
	// Calls shown `<unfinished ...>`, by thread.
	unfinished map[uint32]uint32
	// Filenames and argv of the last successful exec, by thread.
	execs map[uint32]*execInfo
	// The PrefixFile prefix of the last line's thread: consecutive lines
	// mostly come from one thread, so it is formatted once for them all.
	prefix    []byte
	prefixTid uint32

	// Losses told of by dropped lines so far.
	shownCalls, shownOther uint64

	sum      *summary
	Records  uint64 // records fed
	Errors   uint64 // malformed records
	Syscalls uint64 // syscall records decoded (complete or entry-only)
}

type execInfo struct {
	filename []byte
	argv     []byte
	argc     int
	envc     int
	trunc    bool
}

// NewDecoder returns a decoder with the given options.
func NewDecoder(opt Options) *Decoder {
	if opt.StrSize <= 0 {
		opt.StrSize = 32
	}
	if opt.Tasks <= 0 {
		opt.Tasks = 1
	}
	buildTable()
	d := &Decoder{
		opt:        opt,
		tasks:      opt.Tasks,
		unfinished: map[uint32]uint32{},
		execs:      map[uint32]*execInfo{},
		prefix:     make([]byte, 0, 16), // room for any uint32 and "  "
	}
	d.p.strsize = opt.StrSize
	d.p.b = make([]byte, 0, 64<<10)
	var mono, real unix.Timespec
	unix.ClockGettime(unix.CLOCK_MONOTONIC, &mono)
	unix.ClockGettime(unix.CLOCK_REALTIME, &real)
	d.monoOff = real.Nano() - mono.Nano()
	if opt.Summary {
		d.sum = newSummary()
	}
	return d
}

// Pending reports how many bytes of complete lines are waiting.
func (d *Decoder) Pending() int { return d.p.lineStart }

// TakeInto appends the complete lines to dst and forgets them, without
// allocating once dst and the decoder's buffer have grown.
func (d *Decoder) TakeInto(dst []byte) []byte {
	n := d.p.lineStart
	dst = append(dst, d.p.b[:n]...)
	rest := copy(d.p.b, d.p.b[n:])
	d.p.b = d.p.b[:rest]
	d.p.lineStart = 0
	return dst
}

// Feed decodes one record. A malformed record is counted and reported, and
// changes nothing.
func (d *Decoder) Feed(rec []byte) error {
	d.Records++
	// Each parser checks the whole header: only the type is needed first.
	if len(rec) < loader.HdrSize {
		d.Errors++
		return ErrShort
	}
	var err error
	switch le.Uint16(rec) {
	case loader.EvSyscall, loader.EvEnter:
		if err = parseCall(rec, &d.call); err == nil {
			d.syscall(&d.call)
		}
	case loader.EvSignal:
		if err = parseSignal(rec, &d.sigrec); err == nil {
			d.signal(&d.sigrec)
		}
	case loader.EvExit:
		if err = parseExit(rec, &d.exit); err == nil {
			d.exited(&d.exit)
		}
	case loader.EvFork:
		if err = parseFork(rec, &d.fork); err == nil {
			d.tasks++
		}
	case loader.EvExec:
		if err = parseExec(rec, &d.exec); err == nil {
			d.execd(&d.exec)
		}
	case loader.EvKVM:
		if err = parseKVMExit(rec, &d.kvm); err == nil {
			d.kvmExit(&d.kvm)
		}
	case loader.EvDrops:
		var dr Drops
		if err = parseDrops(rec, &dr); err == nil {
			d.dropped(dr.Calls, dr.Other)
		}
	case loader.EvMark:
		var text []byte
		if text, err = parseMark(rec, &d.hdr); err == nil {
			d.Mark(text)
		}
	default:
		if err = parseHeader(rec, &d.hdr); err == nil {
			err = fmt.Errorf("strace: unknown record type %d", d.hdr.Type)
		}
	}
	if err != nil {
		d.Errors++
	}
	return err
}

// closeOpen ends a line left open by an EV_ENTER with " <unfinished ...>".
func (d *Decoder) closeOpen() {
	if !d.open {
		return
	}
	d.open = false
	d.p.s(" <unfinished ...>")
	d.p.newline()
	d.unfinished[d.openTid] = d.openNr
}

// leader starts a line: pid prefix and timestamp.
func (d *Decoder) leader(tid uint32, ts uint64) {
	p := &d.p
	switch d.opt.Prefix {
	case PrefixFile:
		if tid != d.prefixTid || len(d.prefix) == 0 {
			d.prefix = filePrefix(d.prefix[:0], tid)
			d.prefixTid = tid
		}
		p.bytes(d.prefix)
	case PrefixTTY:
		if d.tasks > 1 {
			p.s("[pid ")
			s := strconv.Itoa(int(tid))
			for i := len(s); i < 5; i++ {
				p.c(' ')
			}
			p.s(s)
			p.s("] ")
		}
	}
	if d.opt.Time == TimeNone {
		return
	}
	ns := int64(ts) + d.monoOff
	sec, usec := ns/1e9, (ns%1e9)/1e3
	if d.opt.Time == TimeEpoch {
		p.d(sec)
		p.c('.')
		pad0(p, usec, 6)
		p.c(' ')
		return
	}
	t := time.Unix(sec, 0)
	h, m, s := t.Clock()
	pad0(p, int64(h), 2)
	p.c(':')
	pad0(p, int64(m), 2)
	p.c(':')
	pad0(p, int64(s), 2)
	if d.opt.Time == TimeUsec {
		p.c('.')
		pad0(p, usec, 6)
	}
	p.c(' ')
}

// filePrefix appends strace -f -o FILE's "%-5d " for tid.
func filePrefix(b []byte, tid uint32) []byte {
	b = strconv.AppendUint(b, uint64(tid), 10)
	if n := len(b); n < 5 {
		b = append(b, blanks[:5-n]...)
	}
	return append(b, ' ')
}

func pad0(p *printer, v int64, w int) {
	s := len(p.b)
	p.d(v)
	for n := len(p.b) - s; n < w; n++ {
		p.b = append(p.b, 0)
		copy(p.b[s+1:], p.b[s:])
		p.b[s] = '0'
	}
}

func (d *Decoder) syscall(c *Call) {
	d.Syscalls++
	e := lookup(c.Nr)
	s := e.signature()
	if d.sum != nil {
		if c.Complete() {
			d.sum.add(c, e)
		}
		return
	}
	if !c.Complete() {
		// A call may be announced more than once (it slept twice): keep the
		// first. An announcement of another call means a record was lost.
		if d.open && d.openTid == c.Tid && d.openNr == c.Nr {
			return
		}
		if nr, ok := d.unfinished[c.Tid]; ok && nr == c.Nr {
			return
		}
		d.forgetUnfinished(c.Tid)
	}
	if d.open && !(c.Complete() && c.Tid == d.openTid && c.Nr == d.openNr) {
		d.closeOpen()
	}
	p := &d.p
	n := s.count(c)
	if n > 6 {
		n = 6
	}
	split := s.split(n)
	c.exec = nil
	if s.exec && c.Complete() && c.Ret == 0 {
		c.exec = d.execs[c.Tid]
	}

	if !c.Complete() {
		// Entry only: a call that blocked, or one that never returns.
		d.leader(c.Tid, c.TS)
		name(p, e, c.Nr)
		p.c('(')
		if s.noreturn {
			p.args(s, c, 0, n)
			p.c(')')
			p.pad()
			p.s("= ?")
			p.newline()
			return
		}
		p.args(s, c, 0, split)
		if split > 0 && split < n {
			p.s(", ")
		}
		d.open = true
		d.openTid = c.Tid
		d.openNr = c.Nr
		return
	}

	if d.open && c.Tid == d.openTid {
		// The open line's call returned before anything else happened.
		d.open = false
		if split > 0 && split < n {
			p.args(s, c, split, n)
		} else if split == 0 {
			p.args(s, c, 0, n)
		}
	} else if nr, ok := d.unfinished[c.Tid]; ok && nr == c.Nr {
		d.forgetUnfinished(c.Tid)
		d.leader(c.Tid, c.TS)
		p.s("<... ")
		name(p, e, c.Nr)
		p.s(" resumed>")
		if split < n {
			p.args(s, c, split, n)
		}
	} else {
		d.forgetUnfinished(c.Tid) // a resumption we lost
		d.leader(c.Tid, c.TS)
		name(p, e, c.Nr)
		p.c('(')
		p.args(s, c, 0, n)
	}
	p.c(')')
	d.result(s, c)
	if d.opt.Latency {
		p.s(" <")
		lat := int64(c.ExitTS - c.TS)
		p.d(lat / 1e9)
		p.c('.')
		pad0(p, (lat%1e9)/1e3, 6)
		p.c('>')
	}
	p.newline()
}

// forgetUnfinished drops tid's unfinished call. Most streams have none, and
// a delete from an empty map still hashes the key: skip it then.
func (d *Decoder) forgetUnfinished(tid uint32) {
	if len(d.unfinished) > 0 {
		delete(d.unfinished, tid)
	}
}

func name(p *printer, e *Sysent, nr uint32) {
	if e == nil {
		p.s("syscall_")
		p.x(uint64(nr))
		return
	}
	p.s(e.Name)
}

// result prints " = ..." at strace's column.
func (d *Decoder) result(s *sig, c *Call) {
	p := &d.p
	if p.col() < 40 {
		p.pad()
	} else {
		p.c(' ')
	}
	p.s("= ")
	if c.Ret < 0 && c.Ret >= -4095 {
		errno(p, -c.Ret)
		return
	}
	if s.ret != nil {
		s.ret(p, c)
		return
	}
	p.d(c.Ret)
}

func (d *Decoder) signal(s *Signal) {
	if d.sum != nil {
		return
	}
	d.closeOpen()
	d.leader(s.Tid, s.TS)
	p := &d.p
	p.s("--- ")
	signame(p, int(s.Sig))
	p.c(' ')
	siginfo(p, int(s.Sig), s.Info[:])
	p.s(" ---")
	p.newline()
}

func (d *Decoder) exited(e *Exit) {
	if d.sum != nil {
		return
	}
	d.closeOpen()
	p := &d.p
	if nr, ok := d.unfinished[e.Tid]; ok {
		// Died inside a call it never finished.
		delete(d.unfinished, e.Tid)
		d.leader(e.Tid, e.TS)
		p.s("<... ")
		name(p, lookup(nr), nr)
		p.s(" resumed>)")
		p.pad()
		p.s("= ?")
		p.newline()
	}
	d.leader(e.Tid, e.TS)
	code := e.Code
	if e.Detached {
		p.s("+++ detached: execve of a program that gains privileges +++")
	} else if e.Superseded {
		p.s("+++ superseded by execve in pid ")
		p.d(int64(code))
		p.s(" +++")
	} else if code&0x7f == 0 {
		p.s("+++ exited with ")
		p.d(int64(code>>8) & 0xff)
		p.s(" +++")
	} else {
		p.s("+++ killed by ")
		signame(p, int(code&0x7f))
		if code&0x80 != 0 {
			p.s(" (core dumped)")
		}
		p.s(" +++")
	}
	p.newline()
	delete(d.execs, e.Tid)
	if d.tasks > 0 {
		d.tasks--
	}
}

func (d *Decoder) execd(x *Exec) {
	info := d.execs[x.Tid]
	if info == nil {
		info = &execInfo{}
		d.execs[x.Tid] = info
	}
	info.filename, info.argv, info.trunc = info.filename[:0], info.argv[:0], false
	info.argc, info.envc = int(x.Argc), int(x.Envc)
	for i := range x.Caps {
		c := &x.Caps[i]
		switch c.Arg {
		case 0:
			info.filename = append(info.filename, c.Data...)
		case 1:
			info.argv = append(info.argv, c.Data...)
			info.trunc = c.Trunc()
		}
	}
	if x.OldTid != x.Tid {
		// A thread other than the leader exec'd: it took the leader's id,
		// and its execve, shown unfinished under its old id, resumes under
		// the new one.
		delete(d.execs, x.OldTid)
		if nr, ok := d.unfinished[x.OldTid]; ok {
			delete(d.unfinished, x.OldTid)
			d.unfinished[x.Tid] = nr
		}
		if d.open && d.openTid == x.OldTid {
			d.closeOpen()
			d.unfinished[x.Tid] = d.unfinished[x.OldTid]
			delete(d.unfinished, x.OldTid)
		}
	}
}

// Mark inserts text written into the stream as lines of their own.
func (d *Decoder) Mark(text []byte) {
	d.closeOpen()
	for len(text) > 0 {
		i := 0
		for i < len(text) && text[i] != '\n' {
			i++
		}
		d.p.bytes(text[:i])
		d.p.newline()
		if i < len(text) {
			i++
		}
		text = text[i:]
	}
}

// Hangup ends the stream with Plan 9's hang-up line.
func (d *Decoder) Hangup(st loader.Stats) {
	d.droppedRest(st.Dropped, st.Lost)
	d.closeOpen()
	if d.sum != nil {
		d.sum.print(&d.p)
	}
	d.p.s("Traced ~")
	d.p.u(st.Seen)
	d.p.s(" syscs, Dropped ")
	d.p.u(st.Dropped)
	d.p.newline()
}

// HangupLine is the hang-up line for the given counters, without newline.
func HangupLine(st loader.Stats) string {
	return fmt.Sprintf("Traced ~%d syscs, Dropped %d", st.Seen, st.Dropped)
}
