package strace

import (
	"testing"

	"github.com/eproc/eproc/loader/wire"
	"golang.org/x/sys/unix"
)

func exitEvent(tid uint32, code int32) *Event {
	return &Event{Kind: KindExit, Exit: &wire.Exit{Header: wire.Header{Tid: tid, Tgid: tid}, Code: code}}
}

func TestParseStatus(t *testing.T) {
	for _, c := range []struct {
		in   string
		want uint8
	}{
		{"successful", StatusSuccessful | StatusFiltered},
		{"Failed,unfinished", StatusFailed | StatusUnfinished | StatusFiltered},
		{"!successful", StatusFailed | StatusUnfinished | StatusUnavailable | StatusDetached | StatusFiltered},
		{"all", 0},
		{"!none", 0},
		{"none", StatusFiltered},
		{"!all", StatusFiltered},
		{"successful,failed,unfinished,unavailable,detached", 0},
	} {
		got, err := ParseStatus(c.in)
		if err != nil || got != c.want {
			t.Errorf("ParseStatus(%q) = %#x, %v; want %#x", c.in, got, err, c.want)
		}
	}
	for _, bad := range []string{"", "bogus", "successful,"} {
		if _, err := ParseStatus(bad); err == nil {
			t.Errorf("ParseStatus(%q): no error", bad)
		}
	}
}

// TestStatusFilter: under a status filter a call is printed whole when it
// ends, if its status is in the set: a call that blocked at its return
// (not unfinished and resumed), exit_group as unfinished, a call its
// thread died in as "<unfinished ...>) = ?" (the "<unfinished ...>" only
// when arguments were left for its return, as strace's), a call under way
// at the end as "<detached ...>". Signals and exits are always printed.
func TestStatusFilter(t *testing.T) {
	sysPause := needPause(t)
	evs := []*Event{
		callEvent(wire.EvSyscall, unix.SYS_CLOSE, 10, 1, 0, -9, 7),
		callEvent(wire.EvEnter, unix.SYS_WAIT4, 10, 2, 0, 0, uint64(1<<64-1), 0, 0, 0),
		callEvent(wire.EvSyscall, unix.SYS_CLOSE, 11, 3, 0, 0, 3),
		callEvent(wire.EvEnter, unix.SYS_CLOCK_NANOSLEEP, 11, 4, 0, 0, 0, 0, 0, 0),
		callEvent(wire.EvEnter, sysPause, 12, 4, 0, 0),
		callEvent(wire.EvEnter, unix.SYS_EXIT_GROUP, 13, 4, 0, 0, 0),
		exitEvent(13, 0),
		callEvent(wire.EvEnter, unix.SYS_CLOCK_NANOSLEEP, 14, 4, 0, 0, 0, 0, 0, 0),
		exitEvent(11, 9),
		exitEvent(12, 9),
		callEvent(wire.EvSyscall, unix.SYS_WAIT4, 10, 5, 0, 11, uint64(1<<64-1), 0, 0, 0),
	}
	end := func(txt *Text) string {
		txt.End(Counts{})
		return string(txt.TakeInto(nil))
	}
	const (
		close9   = "10    close(7)                          = -1 EBADF (Bad file descriptor)\n"
		close3   = "11    close(3)                          = 0\n"
		killed11 = "11    clock_nanosleep(CLOCK_REALTIME, 0, NULL,  <unfinished ...>) = ?\n11    +++ killed by SIGKILL +++\n"
		killed12 = "12    pause()                           = ?\n12    +++ killed by SIGKILL +++\n"
		wait10   = "10    wait4(-1, NULL, 0, NULL)          = 11\n"
		detached = "14    clock_nanosleep(CLOCK_REALTIME, 0, NULL,  <detached ...>\n"
		hangup   = "Traced ~0 syscs, Dropped 0\n"
	)
	for _, c := range []struct {
		set  string
		want string
	}{
		{"successful", close3 + "13    +++ exited with 0 +++\n11    +++ killed by SIGKILL +++\n12    +++ killed by SIGKILL +++\n" + wait10 + hangup},
		{"failed", close9 + "13    +++ exited with 0 +++\n11    +++ killed by SIGKILL +++\n12    +++ killed by SIGKILL +++\n" + hangup},
		{"unfinished,detached", "13    exit_group(0)                     = ?\n13    +++ exited with 0 +++\n" + killed11 + killed12 + detached + hangup},
		{"none", "13    +++ exited with 0 +++\n11    +++ killed by SIGKILL +++\n12    +++ killed by SIGKILL +++\n" + hangup},
	} {
		set, err := ParseStatus(c.set)
		if err != nil {
			t.Fatal(err)
		}
		txt := NewText(Options{Prefix: PrefixFile, Status: set}, nil)
		for _, ev := range evs {
			txt.Event(ev)
		}
		if got := end(txt); got != c.want {
			t.Errorf("status=%s:\n%s\nwant:\n%s", c.set, got, c.want)
		}
	}
}

// TestDiedInCall: without a filter, a call its thread died in ends with
// strace's "<... name resumed> <unfinished ...>) = ?" when arguments were
// left for its return, "<... name resumed>) = ?" when not.
func TestDiedInCall(t *testing.T) {
	sysPause := needPause(t)
	got := textOf(t, Options{Prefix: PrefixFile},
		callEvent(wire.EvEnter, unix.SYS_CLOCK_NANOSLEEP, 11, 4, 0, 0, 0, 0, 0, 0),
		callEvent(wire.EvEnter, sysPause, 12, 4, 0, 0),
		exitEvent(11, 9), exitEvent(12, 9))
	want := "11    clock_nanosleep(CLOCK_REALTIME, 0, NULL,  <unfinished ...>\n" +
		"12    pause( <unfinished ...>\n" +
		"11    <... clock_nanosleep resumed> <unfinished ...>) = ?\n11    +++ killed by SIGKILL +++\n" +
		"12    <... pause resumed>)              = ?\n12    +++ killed by SIGKILL +++\n"
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}
