package strace

import (
	"strings"
	"testing"

	"github.com/eproc/eproc/loader/wire"
)

// restart_syscall names the call it resumes: the thread's call that ended
// with ERESTART_RESTARTBLOCK just before. Lines as strace 6.1 printed
// them for a child sleeping in clock_nanosleep, stopped (SIGSTOP) and
// continued, under -f -e trace=clock_nanosleep,restart_syscall,kill, and
// under -e trace=restart_syscall ("system call": nothing traced before).
func TestRestartSyscall(t *testing.T) {
	nr := func(name string) uint32 {
		n, ok := Number(name)
		if !ok {
			t.Skipf("no %s", name)
		}
		return n
	}
	sleep, restart, kill := nr("clock_nanosleep"), nr("restart_syscall"), nr("kill")
	enter := func(r []byte) []byte { le.PutUint16(r, wire.EvEnter); return r }
	const erb = -erestartRestartblock
	recs := [][]byte{
		benchRecord(restart, 7, 0, [6]uint64{}), // nothing before it: "system call"
		benchRecord(sleep, 7, erb, [6]uint64{0, 0, 0x1000}),
		enter(benchRecord(sleep, 7, 0, [6]uint64{0, 0, 0x1000})), // stopped: not a call of its own
		benchRecord(kill, 8, 0, [6]uint64{7, 19}),
		benchRecord(restart, 7, 0, [6]uint64{0, 0, 0x1000}),
		// Blocked in it (printed at entry), interrupted again, restarted.
		benchRecord(sleep, 9, erb, [6]uint64{}),
		enter(benchRecord(restart, 9, 0, [6]uint64{})),
		benchRecord(kill, 8, 0, [6]uint64{9, 18}),
		benchRecord(restart, 9, erb, [6]uint64{}),
		benchRecord(restart, 9, 0, [6]uint64{}),
		// A handler ran (the call's ERESTART_RESTARTBLOCK became EINTR),
		// the thread went on: forgotten.
		benchRecord(sleep, 10, erb, [6]uint64{}),
		benchRecord(kill, 10, 0, [6]uint64{10, 0}),
	}
	d, txt := newText(Options{Prefix: PrefixFile})
	for _, r := range recs {
		if err := d.Feed(r); err != nil {
			t.Fatal(err)
		}
	}
	var got []string
	for _, l := range strings.Split(string(txt.TakeInto(nil)), "\n") {
		if strings.Contains(l, "restart_syscall") {
			got = append(got, strings.Join(strings.Fields(l), " "))
		}
	}
	want := []string{
		"7 restart_syscall(<... resuming interrupted system call ...>) = 0",
		"7 restart_syscall(<... resuming interrupted clock_nanosleep ...>) = 0",
		"9 restart_syscall(<... resuming interrupted clock_nanosleep ...> <unfinished ...>",
		"9 <... restart_syscall resumed>) = ? ERESTART_RESTARTBLOCK (Interrupted by signal)",
		"9 restart_syscall(<... resuming interrupted restart_syscall ...>) = 0",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("\n got: %q\nwant: %q", got, want)
	}
	if len(d.restarts) != 0 {
		t.Errorf("restarts left: %v", d.restarts)
	}
}
