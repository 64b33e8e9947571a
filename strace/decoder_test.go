package strace

import (
	"fmt"
	"strings"
	"testing"

	"github.com/eproc/eproc/loader/wire"
	"golang.org/x/sys/unix"
)

// These tests pin the decoder's exact bytes on its hottest paths, so that
// work on its speed cannot change what it prints. The expected strings
// follow strace's rules: "%-5d " before each line with -f -o FILE, the
// result at column 40 (counting the pid prefix, as strace's tabto does),
// and printstr's escapes.

func TestDecodeDDLines(t *testing.T) {
	recs := ddRecords()
	d, txt := newText(Options{Prefix: PrefixFile})
	for _, r := range append(recs, recs...) {
		if err := d.Feed(r); err != nil {
			t.Fatal(err)
		}
	}
	read := `12345 read(0, "\0", 1)` + strings.Repeat(" ", 18) + "= 1\n"
	write := `12345 write(1, "\0", 1)` + strings.Repeat(" ", 17) + "= 1\n"
	want := read + write + read + write
	if got := string(txt.TakeInto(nil)); got != want {
		t.Errorf("\n got: %q\nwant: %q", got, want)
	}
}

// The pid prefix of each line is the line's own, whatever the lines before
// it were; a line already past column 40 gets a single space before "=".
func TestDecodePrefixes(t *testing.T) {
	long := []byte("0123456789012345678901234567890123456789")
	feed := []struct {
		tid  uint32
		data []byte
	}{{12345, []byte("a")}, {7, []byte("b")}, {7, []byte("c")}, {1234567, long}, {12345, []byte("d")}}
	d, txt := newText(Options{Prefix: PrefixFile, StrSize: 64})
	for _, f := range feed {
		n := uint64(len(f.data))
		if err := d.Feed(benchRecord(unix.SYS_WRITE, f.tid, int64(n), [6]uint64{1, 0x1000, n}, wire.Cap{Arg: 1, Data: f.data})); err != nil {
			t.Fatal(err)
		}
	}
	want := `12345 write(1, "a", 1)` + strings.Repeat(" ", 18) + "= 1\n" +
		`7     write(1, "b", 1)` + strings.Repeat(" ", 18) + "= 1\n" +
		`7     write(1, "c", 1)` + strings.Repeat(" ", 18) + "= 1\n" +
		`1234567 write(1, "` + string(long) + `", 40) = 40` + "\n" +
		`12345 write(1, "d", 1)` + strings.Repeat(" ", 18) + "= 1\n"
	if got := string(txt.TakeInto(nil)); got != want {
		t.Errorf("\n got: %q\nwant: %q", got, want)
	}
}

// A call that blocks is shown unfinished when another thread's line comes
// first, and resumed when it returns; a repeated announcement is dropped.
func TestDecodeUnfinished(t *testing.T) {
	enter := benchRecord(unix.SYS_READ, 7, 0, [6]uint64{0, 0x1000, 10})
	le.PutUint16(enter, wire.EvEnter)
	recs := [][]byte{
		enter,
		benchRecord(unix.SYS_WRITE, 8, 1, [6]uint64{1, 0x2000, 1}, wire.Cap{Arg: 1, Data: []byte("x")}),
		enter,
		benchRecord(unix.SYS_READ, 7, 3, [6]uint64{0, 0x1000, 10}, wire.Cap{Arg: 1, Data: []byte("ab\n")}),
		enter,
		benchRecord(unix.SYS_READ, 7, 1, [6]uint64{0, 0x1000, 10}, wire.Cap{Arg: 1, Data: []byte("z")}),
	}
	d, txt := newText(Options{Prefix: PrefixFile})
	for _, r := range recs {
		if err := d.Feed(r); err != nil {
			t.Fatal(err)
		}
	}
	want := "7     read(0,  <unfinished ...>\n" +
		`8     write(1, "x", 1)` + strings.Repeat(" ", 18) + "= 1\n" +
		`7     <... read resumed>"ab\n", 10)` + strings.Repeat(" ", 5) + "= 3\n" +
		`7     read(0, "z", 10)` + strings.Repeat(" ", 18) + "= 1\n"
	if got := string(txt.TakeInto(nil)); got != want {
		t.Errorf("\n got: %q\nwant: %q", got, want)
	}
}

// A call announced while it blocked before the kernel read its path (the
// entry's capture faulted: its page not yet in) is printed with the path
// its return read, when nothing came between; a fault both saw stays an
// address.
func TestDecodeEntryFaultReadAgain(t *testing.T) {
	enter := benchRecord(unix.SYS_OPENAT, 7, 0, [6]uint64{uint64(0xffffffffffffff9c), 0x7f00, 0}, wire.Cap{Arg: 1, Flags: wire.CapFault})
	le.PutUint16(enter, wire.EvEnter)
	path := wire.Cap{Arg: 1, Data: []byte("/usr/lib/locale/locale-archive")}
	d, txt := newText(Options{Prefix: PrefixFile})
	for _, r := range [][]byte{
		enter, benchRecord(unix.SYS_OPENAT, 7, -2, [6]uint64{uint64(0xffffffffffffff9c), 0x7f00, 0}, path),
		enter, benchRecord(unix.SYS_OPENAT, 7, -2, [6]uint64{uint64(0xffffffffffffff9c), 0x7f00, 0}, wire.Cap{Arg: 1, Flags: wire.CapFault}),
	} {
		if err := d.Feed(r); err != nil {
			t.Fatal(err)
		}
	}
	want := `7     openat(AT_FDCWD, "/usr/lib/locale/locale-archive", O_RDONLY) = -1 ENOENT (No such file or directory)` + "\n" +
		`7     openat(AT_FDCWD, 0x7f00, O_RDONLY) = -1 ENOENT (No such file or directory)` + "\n"
	if got := string(txt.TakeInto(nil)); got != want {
		t.Errorf("\n got: %q\nwant: %q", got, want)
	}
}

// quote follows strace's printstr: printable ASCII as is, the C escapes,
// and octal as short as possible unless the next byte is an octal digit
// (then three digits, so the digit cannot be read as part of the escape).
func TestQuote(t *testing.T) {
	for _, tc := range []struct {
		in   string
		more bool
		want string
	}{
		{"", false, `""`},
		{"", true, `""...`},
		{"hello, world", false, `"hello, world"`},
		{"a\"b\\c\t\n\v\f\rd", false, `"a\"b\\c\t\n\v\f\rd"`},
		{"\x00\x00", false, `"\0\0"`},
		{"\x001", false, `"\0001"`},
		{"\x008", false, `"\08"`},
		{"\x01\x08\x099\x08", false, `"\1\10\t9\10"`},
		{"\x087\x1b[0m\x1b0", false, `"\0107\33[0m\0330"`},
		{"\x7f8\xff7\x80~ ", true, `"\1778\3777\200~ "...`},
		{"ok\x05", false, `"ok\5"`},
		{"\x00\x01\x02\x03\x04\x05\x06\x07", false, `"\0\1\2\3\4\5\6\7"`},
		{"x\x1f\x20\x7e\x7f", false, `"x\37 ~\177"`},
	} {
		var p printer
		p.quote([]byte(tc.in), tc.more)
		if got := string(p.b); got != tc.want {
			t.Errorf("quote(%q, %v) = %s, want %s", tc.in, tc.more, got, tc.want)
		}
	}
}

// TestTeeSameEvents: sinks behind a Tee get the same events as a sink
// alone: two text sinks print what one prints, hang-up line included.
func TestTeeSameEvents(t *testing.T) {
	recs := [][]byte{
		benchRecord(unix.SYS_WRITE, 8, 1, [6]uint64{1, 0x2000, 1}, wire.Cap{Arg: 1, Data: []byte("x")}),
		benchRecord(unix.SYS_READ, 7, 3, [6]uint64{0, 0x1000, 10}, wire.Cap{Arg: 1, Data: []byte("ab\n")}),
		benchRecord(unix.SYS_CLOSE, 7, -9, [6]uint64{42}),
	}
	run := func(d *Decoder) {
		for _, r := range recs {
			if err := d.Feed(r); err != nil {
				t.Fatal(err)
			}
		}
		d.End(Counts{Seen: 4, Dropped: 1})
	}
	alone, txt := newText(Options{Prefix: PrefixFile})
	run(alone)
	want := string(txt.TakeInto(nil))
	a, b := NewText(Options{Prefix: PrefixFile}, nil), NewText(Options{Prefix: PrefixFile}, nil)
	run(NewDecoder(Tee{a, b}))
	if got := string(a.TakeInto(nil)); got != want {
		t.Errorf("first sink of the tee:\n%s\nwant:\n%s", got, want)
	}
	if got := string(b.TakeInto(nil)); got != want {
		t.Errorf("second sink of the tee:\n%s\nwant:\n%s", got, want)
	}
	if !strings.Contains(want, "close(42) ") || !strings.HasSuffix(want, "Traced ~4 syscs, Dropped 1\n") {
		t.Errorf("the lone sink printed:\n%s", want)
	}
}

// clone3's " => {...}" is printed at its return: a call announced as it
// blocked (an injected one waits for the seccomp listener) is printed
// again, whole, from its return when nothing came between, as strace
// prints clone3-success's lines.
func TestDecodeEntryExitPart(t *testing.T) {
	nr, ok := Number("clone3")
	if !ok {
		t.Skip("no clone3")
	}
	cargs := wire.Cap{Arg: 0, Data: u64s(0x100000, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)} // CLONE_PARENT_SETTID, parent_tid NULL
	enter := benchRecord(nr, 7, 0, [6]uint64{0x1000, 88}, cargs)
	le.PutUint16(enter, wire.EvEnter)
	d, txt := newText(Options{Prefix: PrefixFile})
	for _, r := range [][]byte{enter, benchRecord(nr, 7, 42, [6]uint64{0x1000, 88}, cargs)} {
		if err := d.Feed(r); err != nil {
			t.Fatal(err)
		}
	}
	want := "7     clone3({flags=CLONE_PARENT_SETTID, parent_tid=NULL, exit_signal=0, stack=NULL, stack_size=0} => {parent_tid=NULL}, 88) = 42\n"
	if got := string(txt.TakeInto(nil)); got != want {
		t.Errorf("\n got: %q\nwant: %q", got, want)
	}
}

// Many threads blocked at once (more than the unfinished filter has bits,
// and more than it is made again for), resumed in another order, each
// between calls of other threads: every return is its thread's resumed
// line, every other call a line of its own.
func TestDecodeUnfinishedMany(t *testing.T) {
	const n = 80
	d, txt := newText(Options{Prefix: PrefixFile})
	var want strings.Builder
	feed := func(r []byte) {
		if err := d.Feed(r); err != nil {
			t.Fatal(err)
		}
	}
	line := func(call, ret string) { // at strace's result column, 40
		fmt.Fprintf(&want, "%s%s= %s\n", call, strings.Repeat(" ", max(1, 40-len(call))), ret)
	}
	for tid := uint32(1000); tid < 1000+n; tid++ {
		enter := benchRecord(unix.SYS_READ, tid, 0, [6]uint64{0, 0x1000, 10})
		le.PutUint16(enter, wire.EvEnter)
		feed(enter)
		fmt.Fprintf(&want, "%d  read(0,  <unfinished ...>\n", tid)
	}
	for k := range uint32(n) {
		tid := 1000 + (k*37)%n // every thread once, out of order
		feed(benchRecord(unix.SYS_READ, tid, 1, [6]uint64{0, 0x1000, 10}, wire.Cap{Arg: 1, Data: []byte("z")}))
		line(fmt.Sprintf("%d  <... read resumed>\"z\", 10)", tid), "1")
		feed(benchRecord(unix.SYS_GETPID, 2000+k, 5, [6]uint64{}))
		line(fmt.Sprintf("%d  getpid()", 2000+k), "5")
	}
	if got := string(txt.TakeInto(nil)); got != want.String() {
		t.Errorf("\n got: %q\nwant: %q", got, want.String())
	}
}
