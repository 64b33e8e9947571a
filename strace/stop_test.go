package strace

import (
	"bytes"
	"encoding/binary"
	"strings"
	"testing"

	"github.com/eproc/eproc/loader/wire"
	"golang.org/x/sys/unix"
)

// signalRecord is an EV_SIGNAL record of thread tid: signal sig, with
// ev_signal.flags flags and no siginfo.
func signalRecord(tid uint32, sig int32, flags uint32) []byte {
	b := make([]byte, wire.SignalSize)
	binary.LittleEndian.PutUint16(b[0:], wire.EvSignal)
	binary.LittleEndian.PutUint16(b[2:], uint16(len(b)))
	binary.LittleEndian.PutUint32(b[4:], tid)
	binary.LittleEndian.PutUint32(b[8:], tid)
	binary.LittleEndian.PutUint32(b[24:], uint32(sig))
	binary.LittleEndian.PutUint32(b[28:], flags)
	return b
}

// TestStoppedLine: a group stop reads as strace's print_stopped without a
// siginfo, after the stopping signal's own line; -e signal= leaves it out
// as it leaves its signal out; it does not cut a call's open line of
// another thread any more than a signal does.
func TestStoppedLine(t *testing.T) {
	feed := func(opt Options, recs ...[]byte) string {
		t.Helper()
		txt := NewText(opt, nil)
		d := NewDecoder(txt)
		for _, r := range recs {
			if err := d.Feed(r); err != nil {
				t.Fatal(err)
			}
		}
		return string(txt.TakeInto(nil))
	}
	got := feed(Options{Prefix: PrefixFile},
		signalRecord(10, int32(unix.SIGTSTP), 0),
		signalRecord(10, int32(unix.SIGTSTP), wire.SigfStopped),
		signalRecord(10, int32(unix.SIGCONT), 0))
	want := "10    --- SIGTSTP {} ---\n" +
		"10    --- stopped by SIGTSTP ---\n" +
		"10    --- SIGCONT {} ---\n"
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	set, _ := ParseSignals("CONT")
	got = feed(Options{Prefix: PrefixFile, Signals: set},
		signalRecord(10, int32(unix.SIGSTOP), wire.SigfStopped),
		signalRecord(10, int32(unix.SIGCONT), 0))
	if want := "10    --- SIGCONT {} ---\n"; got != want {
		t.Errorf("-e signal=CONT: got:\n%s\nwant:\n%s", got, want)
	}
}

// TestJSONStop: a group stop is an object of its own, "stop", with the
// signal and no siginfo (docs/json.md).
func TestJSONStop(t *testing.T) {
	var out jsonLines
	j := NewJSON(32, &out)
	j.proc = t.TempDir()
	d := NewDecoder(j)
	for _, r := range [][]byte{
		signalRecord(10, int32(unix.SIGSTOP), 0),
		signalRecord(10, int32(unix.SIGSTOP), wire.SigfStopped),
	} {
		if err := d.Feed(r); err != nil {
			t.Fatal(err)
		}
	}
	d.End(Counts{})
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != 3 {
		t.Fatalf("%d objects, want 3 (the end's last):\n%s", len(lines), out.String())
	}
	if !strings.HasPrefix(lines[0], `{"event":"signal",`) || !strings.Contains(lines[0], `"siginfo":`) {
		t.Errorf("signal object: %s", lines[0])
	}
	if !strings.HasPrefix(lines[1], `{"event":"stop",`) || !strings.HasSuffix(lines[1], `"tid":10,"comm":"","signal":"SIGSTOP"}`) {
		t.Errorf("stop object: %s", lines[1])
	}
	if bytes.Contains(out.Bytes(), []byte("stopped by")) {
		t.Error("text in the JSON")
	}
}
