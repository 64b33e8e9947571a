package strace

import (
	"fmt"
	"github.com/eproc/eproc/strace/unwind"

	"github.com/eproc/eproc/loader/wire"
)

// Decoder turns a session's ring records into events for its sinks: the
// bridge between the engine and every output. It is a loader.Handler
// (Record, Idle), so a session's reader runs it directly. It keeps what an
// event needs from earlier records (what a thread exec'd), and nothing of
// any output's. It is not safe for concurrent use.
type Decoder struct {
	sink Sink

	call   Call
	sigrec wire.Signal
	exit   wire.Exit
	fork   wire.Fork
	exec   wire.Exec
	kvm    wire.KVMExit
	drops  wire.Drops
	hdr    wire.Header
	stk    wire.Stack
	stack  Stack

	// The events, one per kind, each pointing at its record above: built
	// once, handed to the sinks without copying.
	evCall, evSignal, evExit, evFork, evExec, evKVM, evDrops, evMark, evStack Event

	// Filenames and argv of the last successful exec, by thread.
	execs map[uint32]*execInfo
	// Values calls under way were given (EV_ARGVALS), by thread, for
	// their EV_SYSCALL records.
	argvals map[uint32]*wire.ArgVals
	// attrmem: by thread, the EvAttrMem record of its bpf call under way
	// (its captures' bytes copied out of the ring).
	attrmem map[uint32]*wire.Call
	// A non-leader thread's exec, held until its execve completes, by the
	// leader's id; a leader's exit while its threads live on, by process
	// (threadexec.go).
	handoffs map[uint32]*handoff
	gone     map[uint32]*wire.Exit
	// restarts: by thread, its last call, which ended with
	// ERESTART_RESTARTBLOCK (sys_misc_restart.go).
	restarts map[uint32]uint32

	// OnError, if set, is told of each malformed record Record met.
	OnError func(error)
	// ReadMem, if set, reads a task's memory for the captures the BPF
	// read could not take (refetch.go); ReadProcessMem does. Unset, they
	// print as faults. A decoder of records from the past (the flight
	// recorder's) leaves it unset: the memory has moved on.
	ReadMem func(tid uint32, addr uint64, b []byte) int
	mem     []byte // what ReadMem read for the current call
	// Unwind, if set, turns EV_STACK records (strace -k) into stack
	// events; unset, they are skipped.
	Unwind *unwind.Unwinder

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
	// An interpreted program's (wire.Exec.OrigArgc): the argc its execve
	// was given (-1: not interpreted), its argv[0].
	oargc      int
	argv0      []byte
	argv0Trunc bool
	// env: the environment's strings, with -v (loader.SessionConfig.Whole).
	env      []byte
	envTrunc bool
}

// NewDecoder returns a decoder that hands its events to sink (Tee: to
// several).
func NewDecoder(sink Sink) *Decoder {
	buildTable()
	d := &Decoder{sink: sink, execs: map[uint32]*execInfo{}}
	d.evCall = Event{Kind: KindCall, Call: &d.call}
	d.evSignal = Event{Kind: KindSignal, Signal: &d.sigrec}
	d.evExit = Event{Kind: KindExit, Exit: &d.exit}
	d.evFork = Event{Kind: KindFork, Fork: &d.fork}
	d.evExec = Event{Kind: KindExec, Exec: &d.exec}
	d.evKVM = Event{Kind: KindKVM, KVM: &d.kvm}
	d.evDrops = Event{Kind: KindDrops, Drops: &d.drops}
	d.evMark = Event{Kind: KindMark}
	d.evStack = Event{Kind: KindStack, Stack: &d.stack}
	return d
}

// Record decodes one ring record (loader.Handler). A malformed one goes to
// OnError.
func (d *Decoder) Record(rec []byte) {
	if err := d.Feed(rec); err != nil && d.OnError != nil {
		d.OnError(err)
	}
}

// Idle tells the sink that the reader caught up (loader.Handler).
func (d *Decoder) Idle() { d.sink.Idle() }

// End tells the sink that the session ended, with its counters.
func (d *Decoder) End(c Counts) {
	d.flushHeld()
	d.sink.End(c)
}

// Mark puts text written into the stream among its events.
func (d *Decoder) Mark(text []byte) {
	d.evMark.Mark = text
	d.emit(&d.evMark)
	d.evMark.Mark = nil
}

func (d *Decoder) emit(ev *Event) { d.sink.Event(ev) }

// Feed decodes one record. A malformed record is counted and reported, and
// changes nothing.
func (d *Decoder) Feed(rec []byte) error {
	d.Records++
	if len(rec) < wire.HdrSize {
		d.Errors++
		return ErrShort
	}
	var err error
	switch wire.Type(rec) {
	case wire.EvSyscall, wire.EvEnter:
		if err = wire.ParseCall(rec, &d.call.Call); err == nil {
			d.callRecord()
		}
	case wire.EvSignal:
		if err = wire.ParseSignal(rec, &d.sigrec); err == nil {
			d.releaseTid(d.sigrec.Tid)
			d.emit(&d.evSignal)
		}
	case wire.EvExit:
		if err = wire.ParseExit(rec, &d.exit); err == nil {
			d.exitRecord(&d.exit)
			if len(d.execs) > 0 {
				delete(d.execs, d.exit.Tid)
			}
			if d.Unwind != nil && d.exit.GroupDead {
				d.Unwind.Forget(d.exit.Tgid)
			}
			delete(d.argvals, d.exit.Tid)
			delete(d.attrmem, d.exit.Tid)
			delete(d.restarts, d.exit.Tid)
		}
	case wire.EvFork:
		if err = wire.ParseFork(rec, &d.fork); err == nil {
			if d.Unwind != nil && !d.fork.Thread {
				d.Unwind.Fork(d.fork.Tgid, d.fork.ChildTgid)
			}
			d.releaseTid(d.fork.Tid)
			d.emit(&d.evFork)
		}
	case wire.EvExec:
		if err = wire.ParseExec(rec, &d.exec); err == nil {
			d.execd(&d.exec)
			d.execRecord(&d.exec)
		}
	case wire.EvKVM:
		if err = wire.ParseKVMExit(rec, &d.kvm); err == nil {
			d.emit(&d.evKVM)
		}
	case wire.EvDrops:
		if err = wire.ParseDrops(rec, &d.drops); err == nil {
			d.emit(&d.evDrops)
		}
	case wire.EvArgVals:
		a := new(wire.ArgVals)
		if err = wire.ParseArgVals(rec, a); err == nil {
			if d.argvals == nil {
				d.argvals = map[uint32]*wire.ArgVals{}
			}
			d.argvals[a.Tid] = a
		}
	case wire.EvAttrMem:
		err = d.attrMemRecord(rec)
	case wire.EvMap, wire.EvStack:
		err = d.unwindRecord(rec)
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

// attachArgVals gives a call that returned the values it was given, as
// captures of element wire.EntryIdx, and forgets them.
func (d *Decoder) attachArgVals(c *Call) {
	a := d.argvals[c.Tid]
	if a == nil || !c.Complete() {
		return
	}
	delete(d.argvals, c.Tid)
	if a.Nr != c.Nr {
		return // another call's, whose own record was lost
	}
	for k := range a.N {
		cp := wire.Cap{Arg: a.Arg[k], Idx: wire.EntryIdx, Data: a.Data[k][:a.Size[k]]}
		if a.Fault&(1<<k) != 0 {
			cp.Flags, cp.Data = wire.CapFault, nil
		}
		c.Caps = append(c.Caps, cp)
	}
}

// attrMemRecord keeps an EvAttrMem record (its bytes copied out of the
// ring) for its thread's bpf call.
func (d *Decoder) attrMemRecord(rec []byte) error {
	a := new(wire.Call)
	if err := wire.ParseCall(rec, a); err != nil {
		return err
	}
	for i := range a.Caps {
		a.Caps[i].Data = append([]byte(nil), a.Caps[i].Data...)
	}
	if d.attrmem == nil {
		d.attrmem = map[uint32]*wire.Call{}
	}
	if a.ExitTS == 0 {
		d.attrmem[a.Tid] = a
		return nil
	}
	// Read at the call's exit: its entry's, when that is still waiting
	// for the call (else it came after the call, and is dropped).
	if e := d.attrmem[a.Tid]; e != nil && e.Args[0] == a.Args[0] && e.Args[1] == a.Args[1] {
		e.Caps = append(e.Caps, a.Caps...)
	}
	return nil
}

// attachAttrMem gives a bpf call what its attr pointed to as it entered
// (EvAttrMem), and forgets it once the call returned.
func (d *Decoder) attachAttrMem(c *Call) {
	a := d.attrmem[c.Tid]
	if a == nil {
		return
	}
	if c.Complete() {
		delete(d.attrmem, c.Tid)
	}
	if a.Nr != c.Nr || a.Args[0] != c.Args[0] || a.Args[1] != c.Args[1] {
		return // another call's, whose own record was lost
	}
	c.Caps = append(c.Caps, a.Caps...)
}

// attachExec gives a successful execve what its thread exec'd, and
// forgets it.
func (d *Decoder) attachExec(c *Call) {
	if !c.Complete() || c.Ret != 0 {
		return
	}
	if info := d.execs[c.Tid]; info != nil && lookup(c.Nr).signature().exec {
		c.exec = info
		delete(d.execs, c.Tid)
	}
}

// execd keeps what the kernel exec'd for the execve record that follows.
func (d *Decoder) execd(x *wire.Exec) {
	info := d.execs[x.Tid]
	if info == nil {
		info = &execInfo{}
		d.execs[x.Tid] = info
	}
	info.filename, info.argv, info.trunc = info.filename[:0], info.argv[:0], false
	info.env, info.envTrunc = info.env[:0], false
	info.argc, info.envc = int(x.Argc), int(x.Envc)
	info.oargc, info.argv0, info.argv0Trunc = -1, info.argv0[:0], false
	for i := range x.Caps {
		c := &x.Caps[i]
		switch c.Arg {
		case 0:
			info.filename = append(info.filename, c.Data...)
		case 1:
			info.argv = append(info.argv, c.Data...)
			info.trunc = c.Trunc()
		case 2:
			info.env = append(info.env, c.Data...)
			info.envTrunc = c.Trunc()
		case 3:
			info.oargc = int(x.OrigArgc)
			info.argv0 = append(info.argv0, c.Data...)
			info.argv0Trunc = c.Trunc()
		}
	}
	if x.OldTid != x.Tid {
		// A thread other than the leader exec'd: it took the leader's id.
		delete(d.execs, x.OldTid)
	}
}

// callRecord hands on the call just parsed: the hot path, one call deep. A
// successful execve takes what its thread exec'd (most of the time there
// is none).
func (d *Decoder) callRecord() {
	d.Syscalls++
	if d.call.Wants && d.ReadMem != nil {
		d.refetch(&d.call.Call)
	}
	d.call.exec, d.call.resumes = nil, 0
	if len(d.restarts) > 0 || d.call.Ret == -erestartRestartblock {
		d.restartRecord(&d.call)
	}
	if len(d.execs) > 0 {
		d.attachExec(&d.call)
	}
	if len(d.argvals) > 0 {
		d.attachArgVals(&d.call)
	}
	if len(d.attrmem) > 0 {
		d.attachAttrMem(&d.call)
	}
	if len(d.handoffs) > 0 && d.handoffs[d.call.Tid] != nil {
		d.handOff(&d.call)
	}
	d.sink.Event(&d.evCall)
}

// unwindRecord decodes -k's records: how a process's code moved (kept
// for its stacks), and a call's stack (unwound, handed on).
func (d *Decoder) unwindRecord(rec []byte) error {
	if wire.Type(rec) == wire.EvStack {
		err := wire.ParseStack(rec, &d.stk)
		if err == nil && d.Unwind != nil {
			d.stackRecord(&d.stk)
		}
		return err
	}
	var m wire.Map
	if err := wire.ParseMap(rec, &m); err != nil || d.Unwind == nil {
		return err
	}
	if m.Flags&wire.MapCut != 0 {
		d.Unwind.Forget(m.Tgid) // a path not whole: /proc's maps, while the process lives
		return nil
	}
	switch m.Kind {
	case wire.MapExec:
		d.Unwind.Exec(m.Tgid, m.Path, m.Addr, m.Size)
	case wire.MapMmap:
		d.Unwind.Mmap(m.Tgid, m.Addr, m.Size, m.Off, m.Path)
	case wire.MapUnmap:
		d.Unwind.Munmap(m.Tgid, m.Addr, m.Size)
	}
	return nil
}

// stackRecord unwinds an EV_STACK record's stack and hands on its frames.
func (d *Decoder) stackRecord(s *wire.Stack) {
	d.stack.Header, d.stack.Nr = s.Header, s.Nr
	d.stack.Frames = d.Unwind.Walk(d.stack.Frames[:0], s.Tgid, s.IP, s.SP, s.FP, s.Mem)
	d.sink.Event(&d.evStack)
}
