package strace

import (
	"testing"

	"github.com/eproc/eproc/loader/wire"
	"golang.org/x/sys/unix"
)

// TestInstructionPointer: -i's "[IP] " comes after the pid prefix, the
// time and -n's number, 16 hex digits: a whole line's is its entry's, an
// unfinished line's the announcement's, a resumed line's the exit's (an
// execve's is the new program's), a signal's where it found the thread;
// an exit line, and a line of a record without one, has question marks.
func TestInstructionPointer(t *testing.T) {
	ip := func(ev *Event, entry, exit uint64) *Event {
		ev.Call.Flags |= wire.EvfIP
		ev.Call.EntryIP, ev.Call.ExitIP = entry, exit
		return ev
	}
	evs := []*Event{
		ip(callEvent(wire.EvSyscall, unix.SYS_CLOSE, 10, 1, 2, 0, 3), 0x7f0000001234, 0x7f0000001234),
		ip(callEvent(wire.EvEnter, unix.SYS_READ, 10, 3, 0, 0, 0, 0x1000, 4), 0x7f00000a0b0c, 0x7f00000a0b0c),
		ip(callEvent(wire.EvSyscall, unix.SYS_CLOSE, 11, 4, 5, 0, 4), 0x401000, 0x401000),
		ip(callEvent(wire.EvSyscall, unix.SYS_READ, 10, 3, 6, 0, 0, 0x1000, 4), 0x7f00000a0b0c, 0x7f00000a0b0d),
		{Kind: KindSignal, Signal: &wire.Signal{Header: wire.Header{Tid: 11, Tgid: 11}, Sig: int32(unix.SIGCHLD), IP: 0xffffdeadbeef}},
		callEvent(wire.EvSyscall, unix.SYS_CLOSE, 11, 7, 8, 0, 5),
		{Kind: KindExit, Exit: &wire.Exit{Header: wire.Header{Tid: 11, Tgid: 11}, GroupDead: true}},
	}
	got := textOf(t, Options{Prefix: PrefixFile, IP: true, SyscallNumber: true}, evs...)
	want := `10    [   3] [00007f0000001234] close(3) = 0
10    [   0] [00007f00000a0b0c] read(0,  <unfinished ...>
11    [   3] [0000000000401000] close(4) = 0
10    [   0] [00007f00000a0b0d] <... read resumed>0x1000, 4) = 0
11    [   3] [0000ffffdeadbeef] --- SIGCHLD {} ---
11    [   3] [????????????????] close(5) = 0
11    [   3] [????????????????] +++ exited with 0 +++
`
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}
