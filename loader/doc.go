// Package loader loads eproc's BPF programs, attaches them while anything is
// traced, and owns what they share with user space: the BPF objects and
// maps (which processes are traced, the sessions' configurations, their
// counters), the sessions and their slots, the ring buffers and the loop
// that reads them. It hands a session's raw records, in ring order, to
// whoever runs the session (a Handler).
//
// It never formats or decodes records for output: turning them into events
// and text is package strace's job. The record layout (record types,
// flags, limits, fixed sizes and parsers, mirrored from bpf/eproc.h) is
// package loader/wire's, used here only to configure the programs and to
// hand records on; abi.go holds the rest of the programs' map ABI.
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
//   - ring.go: reading one ring buffer through its mapped pages, and
//     taking a CPU's batch of records apart.
//   - batch.go: putting out the CPUs' batches the programs would keep (a
//     thread that computes after its calls; a session's last read).
//   - cgroup.go: tracing a cgroup v2 directory's processes (the kernel
//     decides who joins).
//   - kvm.go: counting KVM exits.
//   - stop.go: stopping a process at its next syscall or at exec (Plan
//     9's startsyscall and hang), and the programs' attachment for it.
//   - abi.go: session and tracee flags, map limits, plans as the map holds
//     them.
package loader
