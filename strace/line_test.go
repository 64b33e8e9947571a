package strace

import (
	"strings"
	"testing"

	"github.com/eproc/eproc/loader/wire"
	"golang.org/x/sys/unix"
)

// lineSink keeps each event's line from a LineFormatter.
type lineSink struct {
	f     *LineFormatter
	lines []string
}

func (s *lineSink) Event(ev *Event) { s.lines = append(s.lines, string(s.f.AppendLine(nil, ev))) }
func (s *lineSink) Idle()           {}
func (s *lineSink) End(Counts)      {}

// atResult pads a line to strace's result column (40).
func atResult(call string) string { return call + strings.Repeat(" ", 40-len(call)) }

// A LineFormatter prints each event on its own, whatever came before: a
// blocked call's entry ends unfinished, its return is its whole line,
// never resumed; an exit inside an unfinished call is only the exit. The
// stream's own text, beside it on a Tee, is as without it.
func TestLineFormatter(t *testing.T) {
	enter := benchRecord(unix.SYS_READ, 7, 0, [6]uint64{0, 0x1000, 10})
	le.PutUint16(enter, wire.EvEnter)
	recs := [][]byte{
		enter,
		benchRecord(unix.SYS_WRITE, 8, 1, [6]uint64{1, 0x2000, 1}, wire.Cap{Arg: 1, Data: []byte("x")}),
		benchRecord(unix.SYS_READ, 7, 3, [6]uint64{0, 0x1000, 10}, wire.Cap{Arg: 1, Data: []byte("ab\n")}),
		benchRecord(unix.SYS_CLOSE, 8, -int64(unix.EBADF), [6]uint64{99}),
		enter,
	}
	txt := NewText(Options{Prefix: PrefixFile}, nil)
	lines := &lineSink{f: NewLineFormatter(Options{})}
	d := NewDecoder(Tee{txt, lines})
	for _, r := range recs {
		if err := d.Feed(r); err != nil {
			t.Fatal(err)
		}
	}
	d.Mark([]byte("one\ntwo"))
	d.End(Counts{Seen: 5})
	want := []string{
		"read(0,  <unfinished ...>",
		atResult(`write(1, "x", 1)`) + "= 1",
		atResult(`read(0, "ab\n", 10)`) + "= 3",
		atResult("close(99)") + "= -1 EBADF (Bad file descriptor)",
		"read(0,  <unfinished ...>",
		"one\ntwo",
	}
	if strings.Join(lines.lines, "|") != strings.Join(want, "|") {
		t.Errorf("lines:\n got: %q\nwant: %q", lines.lines, want)
	}
	wantText := "7     read(0,  <unfinished ...>\n" +
		`8     write(1, "x", 1)` + strings.Repeat(" ", 18) + "= 1\n" +
		`7     <... read resumed>"ab\n", 10)` + strings.Repeat(" ", 5) + "= 3\n" +
		"8     close(99)" + strings.Repeat(" ", 25) + "= -1 EBADF (Bad file descriptor)\n" +
		"7     read(0, " + " <unfinished ...>\n" +
		"one\ntwo\n" +
		"Traced ~5 syscs, Dropped 0\n"
	if got := string(txt.TakeInto(nil)); got != wantText {
		t.Errorf("text:\n got: %q\nwant: %q", got, wantText)
	}
}

func TestErrnoName(t *testing.T) {
	for ret, want := range map[int64]string{0: "", 3: "", -2: "ENOENT", -512: "ERESTARTSYS", -4095: "E???", -4096: ""} {
		if got := ErrnoName(ret); got != want {
			t.Errorf("ErrnoName(%d) = %q, want %q", ret, got, want)
		}
	}
}
