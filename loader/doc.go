// Package loader loads eproc's BPF programs, attaches them while anything is
// traced, and owns what they share with user space: the BPF objects and
// maps (which processes are traced, the sessions' configurations, their
// counters), the sessions and their slots, the ring buffers and the loop
// that reads them. It hands a session's raw records, in ring order, to
// whoever runs the session (a Handler).
//
// It never formats or decodes records for output: turning them into text
// is package strace's job. The record layout (record types, flags, limits
// and fixed sizes, mirrored from bpf/eproc.h) is defined once, in the wire
// code (wire.go), and used here only to configure the programs and to hand
// records on.
//
// One concern a file:
//
//   - loader.go: the Engine: loading the objects, attaching and detaching
//     the programs, the traced-process queries.
//   - slots.go: session slots, and the rings kept in them between sessions.
//   - session.go: a session: its set-up, counters and release.
//   - members.go: a session's processes: Attach, SetInherit, Detach, Spawn,
//     Alive, Close.
//   - drain.go: Run's read loop, Sync, and the exits held for a full ring.
//   - grow.go: growing a busy session's ring and shrinking a quiet one's.
//   - ring.go: reading one ring buffer through its mapped pages.
//   - kvm.go: counting KVM exits.
//   - wire.go: the record format.
package loader
