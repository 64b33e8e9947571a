package loader

import (
	"os/exec"
	"sync/atomic"
	"testing"
	"time"

	"github.com/eproc/eproc/loader/wire"
)

// TestDetachStopsRecords: once Detach returns, the process's calls make no
// more records, though it keeps calling on the CPU whose copy of its traced
// entry sys_exit used a moment ago (tcaches: user space's change must make
// that copy stale), and its tgid_bits bit stays set while the programs are
// attached. A sleeper keeps the session alive after the detach.
func TestDetachStopsRecords(t *testing.T) {
	e := openEngine(t)
	s, err := e.NewSession(SessionConfig{RingSize: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	var cmds []*exec.Cmd
	for _, argv := range [][]string{{"dd", "if=/dev/zero", "of=/dev/null", "bs=1"}, {"sleep", "300"}} {
		c := exec.Command(argv[0], argv[1:]...)
		if err := c.Start(); err != nil {
			t.Fatal(err)
		}
		cmds = append(cmds, c)
		defer func() { c.Process.Kill(); c.Wait() }()
		if err := s.Attach(c.Process.Pid, false); err != nil {
			t.Fatal(err)
		}
	}
	dd := uint32(cmds[0].Process.Pid)
	var calls atomic.Int64
	done := make(chan Stats)
	go func() {
		done <- s.Run(HandlerFunc(func(rec []byte) {
			if typ, _, tgid, ok := wire.Peek(rec); ok && typ == wire.EvSyscall && tgid == dd {
				calls.Add(1)
			}
		}))
	}()
	defer func() { s.Close(); <-done }()
	for end := time.Now().Add(10 * time.Second); calls.Load() < 10000; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(end) {
			t.Fatalf("%d records of dd's calls in 10 s", calls.Load())
		}
	}
	if err := s.Detach(int(dd)); err != nil {
		t.Fatal(err)
	}
	// What was under way or batched when Detach returned reaches the
	// reader within the flusher's period; nothing after that.
	time.Sleep(500 * time.Millisecond)
	before := calls.Load()
	time.Sleep(time.Second)
	if n := calls.Load() - before; n != 0 {
		t.Fatalf("%d records of dd's calls 0.5 s to 1.5 s after it was detached (%d before)", n, before)
	}
}
