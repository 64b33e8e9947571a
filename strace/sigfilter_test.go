package strace

import (
	"testing"

	"github.com/eproc/eproc/loader/wire"
	"golang.org/x/sys/unix"
)

func TestParseSignals(t *testing.T) {
	for _, c := range []struct {
		in      string
		has     []int
		hasNot  []int
		nilWant bool
	}{
		{in: "USR1", has: []int{10}, hasNot: []int{12, 17}},
		{in: "sigusr2,17", has: []int{12, 17}, hasNot: []int{10}},
		{in: "!SIGCHLD", has: []int{10, 34, 255}, hasNot: []int{17}},
		{in: "RTMIN,rt_1,SIGRT_32,255,0", has: []int{34, 35, 66, 255, 0}, hasNot: []int{33}},
		{in: "none", hasNot: []int{1, 17}},
		{in: ",usr1", has: []int{10}},
		{in: "all", nilWant: true},
		{in: "!none", nilWant: true},
	} {
		set, err := ParseSignals(c.in)
		if err != nil || (set == nil) != c.nilWant {
			t.Errorf("ParseSignals(%q) = %v, %v", c.in, set, err)
			continue
		}
		for _, s := range c.has {
			if !set.Has(s) {
				t.Errorf("ParseSignals(%q) lacks %d", c.in, s)
			}
		}
		for _, s := range c.hasNot {
			if set.Has(s) {
				t.Errorf("ParseSignals(%q) has %d", c.in, s)
			}
		}
	}
	for _, bad := range []string{"", "bogus", "256", "-1", "SIGRTMAX", "RT_33"} {
		if _, err := ParseSignals(bad); err == nil {
			t.Errorf("ParseSignals(%q): no error", bad)
		}
	}
}

// TestSignalFilter: a signal out of the set prints nothing, and does not
// cut a call's open line.
func TestSignalFilter(t *testing.T) {
	sysPause := needPause(t)
	set, _ := ParseSignals("USR1")
	sig := func(n int32) *Event {
		return &Event{Kind: KindSignal, Signal: &wire.Signal{Header: wire.Header{Tid: 10}, Sig: n}}
	}
	got := textOf(t, Options{Prefix: PrefixFile, Signals: set},
		callEvent(wire.EvEnter, sysPause, 10, 1, 0, 0),
		sig(int32(unix.SIGCHLD)),
		callEvent(wire.EvSyscall, sysPause, 10, 1, 0, -4),
		sig(int32(unix.SIGUSR1)))
	want := "10    pause()                           = -1 EINTR (Interrupted system call)\n" +
		"10    --- SIGUSR1 {} ---\n" // no siginfo captured
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}
