package strace

import (
	"fmt"

	"github.com/eproc/eproc/loader/wire"
)

// Decoder turns a session's ring records into events for its sinks: the
// bridge between the engine and every output. It is a loader.Handler
// (Record, Idle), so a session's reader runs it directly. It keeps what an
// event needs from earlier records (what a thread exec'd), and nothing of
// any output's. It is not safe for concurrent use.
type Decoder struct {
	sinks []Sink

	call   Call
	sigrec wire.Signal
	exit   wire.Exit
	fork   wire.Fork
	exec   wire.Exec
	kvm    wire.KVMExit
	drops  wire.Drops
	hdr    wire.Header
	ev     Event

	// Filenames and argv of the last successful exec, by thread.
	execs map[uint32]*execInfo

	// OnError, if set, is told of each malformed record Record met.
	OnError func(error)

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

// NewDecoder returns a decoder that hands its events to sinks.
func NewDecoder(sinks ...Sink) *Decoder {
	buildTable()
	return &Decoder{sinks: sinks, execs: map[uint32]*execInfo{}}
}

// Record decodes one ring record (loader.Handler). A malformed one goes to
// OnError.
func (d *Decoder) Record(rec []byte) {
	if err := d.Feed(rec); err != nil && d.OnError != nil {
		d.OnError(err)
	}
}

// Idle tells the sinks that the reader caught up (loader.Handler).
func (d *Decoder) Idle() {
	for _, s := range d.sinks {
		s.Idle()
	}
}

// End tells the sinks that the session ended, with its counters.
func (d *Decoder) End(c Counts) {
	for _, s := range d.sinks {
		s.End(c)
	}
}

// Mark puts text written into the stream among its events.
func (d *Decoder) Mark(text []byte) {
	d.emit(Event{Kind: KindMark, Mark: text})
}

func (d *Decoder) emit(ev Event) {
	d.ev = ev
	for _, s := range d.sinks {
		s.Event(&d.ev)
	}
}

// Feed decodes one record. A malformed record is counted and reported, and
// changes nothing.
func (d *Decoder) Feed(rec []byte) error {
	d.Records++
	typ, _, _, ok := wire.Peek(rec)
	if !ok {
		d.Errors++
		return ErrShort
	}
	var err error
	switch typ {
	case wire.EvSyscall, wire.EvEnter:
		if err = wire.ParseCall(rec, &d.call.Call); err == nil {
			d.syscall(&d.call)
		}
	case wire.EvSignal:
		if err = wire.ParseSignal(rec, &d.sigrec); err == nil {
			d.emit(Event{Kind: KindSignal, Signal: &d.sigrec})
		}
	case wire.EvExit:
		if err = wire.ParseExit(rec, &d.exit); err == nil {
			d.emit(Event{Kind: KindExit, Exit: &d.exit})
			delete(d.execs, d.exit.Tid)
		}
	case wire.EvFork:
		if err = wire.ParseFork(rec, &d.fork); err == nil {
			d.emit(Event{Kind: KindFork, Fork: &d.fork})
		}
	case wire.EvExec:
		if err = wire.ParseExec(rec, &d.exec); err == nil {
			d.execd(&d.exec)
			d.emit(Event{Kind: KindExec, Exec: &d.exec})
		}
	case wire.EvKVM:
		if err = wire.ParseKVMExit(rec, &d.kvm); err == nil {
			d.emit(Event{Kind: KindKVM, KVM: &d.kvm})
		}
	case wire.EvDrops:
		if err = wire.ParseDrops(rec, &d.drops); err == nil {
			d.emit(Event{Kind: KindDrops, Drops: &d.drops})
		}
	case wire.EvMark:
		var text []byte
		if text, err = wire.ParseMark(rec, &d.hdr); err == nil {
			d.Mark(text)
		}
	default:
		if err = wire.ParseHeader(rec, &d.hdr); err == nil {
			err = fmt.Errorf("strace: unknown record type %d", d.hdr.Type)
		}
	}
	if err != nil {
		d.Errors++
	}
	return err
}

// syscall hands on a call, with what its thread exec'd when it is a
// successful execve.
func (d *Decoder) syscall(c *Call) {
	d.Syscalls++
	c.exec = nil
	if c.Complete() && c.Ret == 0 {
		if s := lookup(c.Nr).signature(); s.exec {
			c.exec = d.execs[c.Tid]
		}
	}
	d.emit(Event{Kind: KindCall, Call: c})
}

// execd keeps what the kernel exec'd for the execve record that follows.
func (d *Decoder) execd(x *wire.Exec) {
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
		// A thread other than the leader exec'd: it took the leader's id.
		delete(d.execs, x.OldTid)
	}
}
