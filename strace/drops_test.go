package strace

import (
	"encoding/binary"
	"testing"

	"github.com/eproc/eproc/loader/wire"
	"golang.org/x/sys/unix"
)

func dropsRecord(tid uint32, calls, other uint64) []byte {
	b := make([]byte, wire.DropsSize)
	binary.LittleEndian.PutUint16(b[0:], wire.EvDrops)
	binary.LittleEndian.PutUint16(b[2:], uint16(len(b)))
	binary.LittleEndian.PutUint32(b[4:], tid)
	binary.LittleEndian.PutUint32(b[8:], tid)
	binary.LittleEndian.PutUint64(b[wire.HdrSize:], calls)
	binary.LittleEndian.PutUint64(b[wire.HdrSize+8:], other)
	return b
}

// TestDroppedLines: a loss is told where it happened, an open line is
// closed first, and the hang-up adds a line for what no record told of, so
// the dropped lines add up to the hang-up line's count.
func TestDroppedLines(t *testing.T) {
	d, txt := newText(Options{Prefix: PrefixFile})
	read := func(ret int64) []byte {
		return benchRecord(unix.SYS_READ, 7, ret, [6]uint64{0, 0x1000, 1}, wire.Cap{Arg: 1, Data: []byte{0}})
	}
	enter := benchRecord(unix.SYS_READ, 8, 0, [6]uint64{3, 0x1000, 1})
	binary.LittleEndian.PutUint16(enter, wire.EvEnter)
	for _, rec := range [][]byte{read(1), dropsRecord(7, 5, 0), read(1), enter, dropsRecord(7, 2, 3), dropsRecord(7, 0, 1)} {
		if err := d.Feed(rec); err != nil {
			t.Fatal(err)
		}
	}
	d.End(Counts{Seen: 20, Dropped: 10, Lost: 4})
	want := "7     read(0, \"\\0\", 1)                  = 1\n" +
		"--- dropped 5 calls ---\n" +
		"7     read(0, \"\\0\", 1)                  = 1\n" +
		"8     read(3,  <unfinished ...>\n" +
		"--- dropped 2 calls and 3 other records ---\n" +
		"--- dropped 1 other records ---\n" +
		"--- dropped 3 calls ---\n" +
		"Traced ~20 syscs, Dropped 10\n"
	if got := string(txt.TakeInto(nil)); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

// TestNoDroppedLine: without losses, no dropped line, not even at the end.
func TestNoDroppedLine(t *testing.T) {
	d, txt := newText(Options{Prefix: PrefixFile})
	d.End(Counts{Seen: 3})
	if got := string(txt.TakeInto(nil)); got != "Traced ~3 syscs, Dropped 0\n" {
		t.Errorf("got %q", got)
	}
}
