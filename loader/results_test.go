package loader

import (
	"encoding/binary"
	"os/exec"
	"testing"

	"github.com/eproc/eproc/loader/wire"
	"golang.org/x/sys/unix"
)

// TestResultsFilter: a session that wants only failed calls (strace -Z)
// or only successful ones (-z) gets records of those alone, execve's
// whatever it returned, while every call still counts as seen; the same
// shell run without the filter makes both kinds, and more ring bytes.
func TestResultsFilter(t *testing.T) {
	e := openEngine(t)
	// Each stat of a missing file fails; each of / succeeds.
	script := `for i in 1 2 3 4 5 6 7 8 9 10; do test -e /nonexistent-eproc-$i; test -e /; done`
	type tally struct {
		ok, failed, execs int
		seen, bytes       uint64
	}
	run := func(r Results) tally {
		s, err := e.NewSession(SessionConfig{RingSize: 1 << 20, Results: r})
		if err != nil {
			t.Fatal(err)
		}
		var n tally
		cmd := exec.Command("sh", "-c", script)
		if err := s.Spawn(cmd, true); err != nil {
			t.Fatal(err)
		}
		done := make(chan Stats)
		go func() {
			done <- s.Run(HandlerFunc(func(rec []byte) {
				var c wire.Call
				if binary.LittleEndian.Uint16(rec) != wire.EvSyscall || wire.ParseCall(rec, &c) != nil {
					return
				}
				switch {
				case c.Nr == unix.SYS_EXECVE:
					n.execs++
				case c.Ret < 0 && c.Ret >= -4095:
					n.failed++
				default:
					n.ok++
				}
			}))
		}()
		cmd.Wait()
		st := <-done
		n.seen, n.bytes = st.Seen, s.Reading().Bytes
		return n
	}
	all, failed, ok := run(AllResults), run(OnlyFailed), run(OnlySuccessful)
	t.Logf("all %+v; only failed %+v; only successful %+v", all, failed, ok)
	if all.ok == 0 || all.failed < 10 || all.execs != 1 {
		t.Fatalf("the shell made %d successful and %d failed calls, %d execve: want both kinds and 1", all.ok, all.failed, all.execs)
	}
	if failed.ok != 0 || failed.failed != all.failed || failed.execs != 1 {
		t.Errorf("only failed: %d successful, %d failed (want 0, %d), %d execve (want 1)", failed.ok, failed.failed, all.failed, failed.execs)
	}
	if ok.failed != 0 || ok.ok != all.ok || ok.execs != 1 {
		t.Errorf("only successful: %d failed, %d successful (want 0, %d), %d execve (want 1)", ok.failed, ok.ok, all.ok, ok.execs)
	}
	for _, x := range []tally{failed, ok} {
		if x.seen != all.seen {
			t.Errorf("a filtered session saw %d calls, the unfiltered one %d: filtered calls are seen", x.seen, all.seen)
		}
		if x.bytes >= all.bytes {
			t.Errorf("a filtered session read %d ring bytes, the unfiltered one %d", x.bytes, all.bytes)
		}
	}
}
