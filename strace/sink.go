package strace

import (
	"github.com/eproc/eproc/loader/wire"
	"github.com/eproc/eproc/strace/unwind"
	"golang.org/x/sys/unix"
)

// A Sink is one output of a session's decoded events: strace's text today
// (Text); JSON and OTLP are others. The Decoder hands its sink (Tee: its
// sinks) the events, in the ring's order, from one goroutine: a sink never
// parses a record, and no output has a decoder of its own.
type Sink interface {
	// Event takes one event. It and what it points to are valid only
	// during the call.
	Event(ev *Event)
	// Idle: the reader has caught up with the ring for now; output that
	// waits for more should go out.
	Idle()
	// End: the session is over, with these counters; nothing follows.
	End(c Counts)
}

// Kind is what an Event tells of.
type Kind uint8

const (
	KindCall   Kind = iota + 1 // a syscall: returned (Call.Complete) or only entered (blocked, or never returns)
	KindSignal                 // a signal delivered to a thread
	KindExit                   // a thread or process ended, or left the session
	KindFork                   // a thread or process joined the session
	KindExec                   // a process replaced its image (its execve's record follows)
	KindKVM                    // a vCPU thread's guest left the CPU
	KindDrops                  // records lost to a full ring, here in the stream
	KindMark                   // text written into the stream by its user
	KindStack                  // -k: the user stack of a thread's call that returned, after that call
)

// Event is one decoded record. Exactly the field of its Kind is set.
type Event struct {
	Kind   Kind
	Call   *Call
	Signal *wire.Signal
	Exit   *wire.Exit
	Fork   *wire.Fork
	Exec   *wire.Exec
	KVM    *wire.KVMExit
	Drops  *wire.Drops
	Mark   []byte
	Stack  *Stack
}

// Stack is the stack trace of call Nr of thread Tid, which returned: its
// event comes after the call's (strace -k).
type Stack struct {
	wire.Header
	Nr     uint32
	Frames []unwind.Frame
}

// Counts are a session's counters at its end, for the hang-up line.
type Counts struct {
	Seen    uint64 // syscalls the session's processes entered
	Dropped uint64 // syscall records lost to a full ring
	Lost    uint64 // other records lost to a full ring (signals, exits, forks)
}

// MonoOffset is CLOCK_REALTIME - CLOCK_MONOTONIC now, in ns: what turns a
// record's time (monotonic) into the wall clock's.
func MonoOffset() int64 {
	var mono, real unix.Timespec
	unix.ClockGettime(unix.CLOCK_MONOTONIC, &mono)
	unix.ClockGettime(unix.CLOCK_REALTIME, &real)
	return real.Nano() - mono.Nano()
}

// Tee is a sink that hands every event to each of its sinks, in order.
type Tee []Sink

func (t Tee) Event(ev *Event) {
	for _, s := range t {
		s.Event(ev)
	}
}

func (t Tee) Idle() {
	for _, s := range t {
		s.Idle()
	}
}

func (t Tee) End(c Counts) {
	for _, s := range t {
		s.End(c)
	}
}
