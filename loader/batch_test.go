package loader

import (
	"encoding/binary"
	"os/exec"
	"sync/atomic"
	"testing"
	"time"

	"github.com/eproc/eproc/loader/wire"
	"golang.org/x/sys/unix"
)

// TestBatchOfASpinningThread: a process that makes a call and then runs on
// in user space, never leaving its CPU of its own accord, still has that
// call's record handed over while it runs (the flusher puts out a batch
// that nothing else would), not only when it ends.
func TestBatchOfASpinningThread(t *testing.T) {
	e := openEngine(t)
	s, err := e.NewSession(SessionConfig{RingSize: 1 << 16})
	if err != nil {
		t.Fatal(err)
	}
	// The redirection opens /dev/null; then the loop makes no calls.
	cmd := exec.Command("sh", "-c", `: > /dev/null; while :; do :; done`)
	if err := s.Spawn(cmd, true); err != nil {
		t.Fatal(err)
	}
	var opened atomic.Bool
	done := make(chan Stats)
	go func() {
		done <- s.Run(HandlerFunc(func(rec []byte) {
			var c wire.Call
			if binary.LittleEndian.Uint16(rec) == wire.EvSyscall && wire.ParseCall(rec, &c) == nil && c.Nr == unix.SYS_OPENAT {
				opened.Store(true)
			}
		}))
	}()
	end := time.Now().Add(10 * time.Second)
	for !opened.Load() && time.Now().Before(end) {
		time.Sleep(5 * time.Millisecond)
	}
	alive := cmd.Process.Signal(unix.Signal(0)) == nil
	cmd.Process.Kill()
	cmd.Wait()
	st := <-done
	if !opened.Load() {
		t.Fatalf("the openat record was not handed over while the process ran (stats %+v)", st)
	}
	if !alive {
		t.Fatal("the process was gone before its record came")
	}
}

// TestSplitBatch: a ring record holds records back to back, each padded
// to 8 bytes; a length that does not fit hands the rest as it is.
func TestSplitBatch(t *testing.T) {
	rec := func(n int) []byte {
		b := make([]byte, n)
		binary.LittleEndian.PutUint16(b[2:], uint16(n))
		b[4] = byte(n)
		return b
	}
	var in []byte
	for _, n := range []int{40, 28, 96} {
		r := rec(n)
		in = append(in, r...)
		in = append(in, make([]byte, (8-n%8)%8)...)
	}
	var got []int
	if n := splitBatch(in, func(b []byte) { got = append(got, len(b)) }); n != 3 || len(got) != 3 || got[0] != 40 || got[1] != 28 || got[2] != 96 {
		t.Fatalf("split %v (%d)", got, len(got))
	}
	bad := append(rec(40), rec(24)...)
	binary.LittleEndian.PutUint16(bad[42:], 200) // longer than what is left
	got = nil
	if n := splitBatch(bad, func(b []byte) { got = append(got, len(b)) }); n != 2 || got[1] != 24 {
		t.Fatalf("split of a bad length: %v", got)
	}
}
