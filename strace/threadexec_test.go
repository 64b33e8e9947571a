package strace

import (
	"encoding/binary"
	"fmt"
	"strings"
	"testing"

	"github.com/eproc/eproc/loader/wire"
	"golang.org/x/sys/unix"
)

// Thread 11 of process 10 execs (tests/threads-execve.c's story): the
// records as the kernel side sends them.

// inProc makes record b thread tid's of process tgid.
func inProc(b []byte, tid, tgid uint32) []byte {
	binary.LittleEndian.PutUint32(b[4:], tid)
	binary.LittleEndian.PutUint32(b[8:], tgid)
	return b
}

func execRecordOf(tid, oldTid uint32, filename string, argv ...string) []byte {
	caps := []wire.Cap{{Arg: 0, Data: []byte(filename)}, {Arg: 1, Data: []byte(strings.Join(argv, "\x00") + "\x00")}}
	return execRecord(tid, oldTid, int32(len(argv)), -1, caps)
}

// execRecord is an EV_EXEC record of thread tid (oldTid: the thread that
// exec'd) with argc, an interpreted program's original argc (oargc; -1:
// none) and caps, its captures, flags and all; 5 environment strings.
func execRecord(tid, oldTid uint32, argc, oargc int32, caps []wire.Cap) []byte {
	n := wire.ExecSize
	for _, c := range caps {
		n += wire.CapSize + (len(c.Data)+7)&^7
	}
	b := make([]byte, n)
	le := binary.LittleEndian
	le.PutUint16(b[0:], wire.EvExec)
	le.PutUint16(b[2:], uint16(n))
	le.PutUint32(b[24:], uint32(argc))
	le.PutUint32(b[28:], 5)
	le.PutUint32(b[32:], oldTid)
	le.PutUint16(b[36:], uint16(len(caps)))
	le.PutUint32(b[40:], uint32(oargc))
	off := wire.ExecSize
	for _, c := range caps {
		b[off], b[off+1] = c.Arg, c.Flags
		le.PutUint32(b[off+4:], uint32(len(c.Data)))
		copy(b[off+wire.CapSize:], c.Data)
		off += wire.CapSize + (len(c.Data)+7)&^7
	}
	return inProc(b, tid, tid)
}

// threadExecRecords: the leader (10) does what before says, thread 11
// sleeps, the leader ends as end says (if not nil), then thread 11 execs
// ./x and takes the leader's id.
func threadExecRecords(before [][]byte, end []byte) [][]byte {
	recs := append([][]byte{}, before...)
	recs = append(recs, inProc(benchRecord(unix.SYS_NANOSLEEP, 11, 0, [6]uint64{0, 0}), 11, 10))
	if end != nil {
		recs = append(recs, end)
	}
	return append(recs,
		execRecordOf(10, 11, "./x", "./x", "1"),
		benchRecord(unix.SYS_EXECVE, 10, 0, [6]uint64{0x1000, 0x2000, 0x7ffc0000}),
		exitRecord(10, 0, wire.ExitGroup),
	)
}

func decodeText(t *testing.T, opt Options, recs [][]byte) string {
	t.Helper()
	txt := NewText(opt, nil)
	d := NewDecoder(txt)
	for _, r := range recs {
		if err := d.Feed(r); err != nil {
			t.Fatal(err)
		}
	}
	d.End(Counts{})
	return strings.TrimSuffix(string(txt.TakeInto(nil)), "Traced ~0 syscs, Dropped 0\n")
}

const (
	nanosleep11 = "11    nanosleep(NULL, NULL)             = 0\n"
	execve11    = "11    execve(\"./x\", [\"./x\", \"1\"], 0x7ffc0000 /* 5 vars */"
	resumed10   = "10    <... execve resumed>)             = 0\n"
	exited10    = "10    +++ exited with 0 +++\n"
)

// TestThreadExecve: strace's lines when a thread other than the leader
// execs, whatever the leader was doing: the execve's entry under the
// thread's id, "<pid changed to 10 ...>" when nothing came between (the
// leader had exited), the leader's end as "superseded", and the execve
// resumed under the leader's id. -qqq leaves out the superseded line.
func TestThreadExecve(t *testing.T) {
	sysPause := needPause(t)
	superseded := exitRecord(10, 11, wire.ExitSuperseded)
	exit := [][]byte{enterRecord(unix.SYS_EXIT, 10, [6]uint64{42}), exitRecord(10, 42<<8, wire.ExitThread)}
	for _, c := range []struct {
		name   string
		before [][]byte
		end    []byte
		quiet  uint8
		want   string
	}{
		{"exit", exit, nil, 0,
			"10    exit(42)                          = ?\n" + nanosleep11 + execve11 + " <pid changed to 10 ...>\n" +
				"10    +++ superseded by execve in pid 11 +++\n" + resumed10 + exited10},
		{"exit-qqq", exit, nil, QuietQQQ,
			"10    exit(42)                          = ?\n" + nanosleep11 + execve11 + " <pid changed to 10 ...>\n" + resumed10},
		{"pause", [][]byte{enterRecord(sysPause, 10, [6]uint64{})}, superseded, 0,
			"10    pause( <unfinished ...>\n" + nanosleep11 + execve11 + " <unfinished ...>\n" +
				"10    <... pause resumed>)              = ?\n10    +++ superseded by execve in pid 11 +++\n" + resumed10 + exited10},
		{"nanosleep-qq", [][]byte{enterRecord(unix.SYS_NANOSLEEP, 10, [6]uint64{0x3000})}, superseded, QuietQQ,
			"10    nanosleep(0x3000,  <unfinished ...>\n" + nanosleep11 + execve11 + " <unfinished ...>\n" +
				"10    <... nanosleep resumed> <unfinished ...>) = ?\n10    +++ superseded by execve in pid 11 +++\n" + resumed10},
	} {
		got := decodeText(t, Options{Prefix: PrefixFile, Quiet: c.quiet}, threadExecRecords(c.before, c.end))
		if got != c.want {
			t.Errorf("%s:\n%s\nwant:\n%s", c.name, got, c.want)
		}
	}
}

// TestLeaderExitsFirst: a leader that exits while its threads live on is
// told, as strace does, when the group ends: after the last thread's line,
// with the group's status.
func TestLeaderExitsFirst(t *testing.T) {
	got := decodeText(t, Options{Prefix: PrefixFile}, [][]byte{
		enterRecord(unix.SYS_EXIT, 10, [6]uint64{42}),
		exitRecord(10, 42<<8, wire.ExitThread),
		inProc(benchRecord(unix.SYS_GETPID, 11, 10, [6]uint64{}), 11, 10),
		inProc(enterRecord(unix.SYS_EXIT_GROUP, 11, [6]uint64{3}), 11, 10),
		inProc(exitRecord(11, 3<<8, wire.ExitGroup), 11, 10),
	})
	want := "10    exit(42)                          = ?\n" +
		"11    getpid()                          = 10\n" +
		"11    exit_group(3)                     = ?\n" +
		"11    +++ exited with 3 +++\n10    +++ exited with 3 +++\n"
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

// TestDiedOnItsLine: a thread that dies inside the call whose line is the
// last one ends it on that line, as strace does.
func TestDiedOnItsLine(t *testing.T) {
	got := textOf(t, Options{Prefix: PrefixFile},
		callEvent(wire.EvEnter, unix.SYS_CLOCK_NANOSLEEP, 11, 4, 0, 0, 0, 0, 0, 0),
		exitEvent(11, 9))
	want := "11    clock_nanosleep(CLOCK_REALTIME, 0, NULL,  <unfinished ...>) = ?\n11    +++ killed by SIGKILL +++\n"
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

type fileLines struct {
	name  string
	files map[string]*strings.Builder
}

func (f *fileLines) WriteLines(b []byte) { f.files[f.name].Write(b) }
func (f *fileLines) Flush()              {}
func (f *fileLines) Final(b []byte)      { f.files[f.name].Write(b) }

// TestThreadExecveSeparate: strace -ff's files when a thread other than
// the leader execs: the thread's own file ends with its execve "<pid
// changed to 10 ...>"; the leader's goes on with the leader's end on its
// line, the superseded line and the execve resumed.
func TestThreadExecveSeparate(t *testing.T) {
	sysPause := needPause(t)
	files := map[string]*strings.Builder{}
	open := func(name string) *fileLines {
		if files[name] == nil {
			files[name] = &strings.Builder{}
		}
		return &fileLines{name: name, files: files}
	}
	s := NewSeparate(Options{}, open("main"), func(tid uint32) LineWriter { return open(fmt.Sprint(tid)) })
	d := NewDecoder(s)
	for _, r := range threadExecRecords([][]byte{enterRecord(sysPause, 10, [6]uint64{})}, exitRecord(10, 11, wire.ExitSuperseded)) {
		if err := d.Feed(r); err != nil {
			t.Fatal(err)
		}
	}
	d.End(Counts{})
	want := map[string]string{
		"10": "pause()                                 = ?\n+++ superseded by execve in pid 11 +++\n" +
			"<... execve resumed>)                   = 0\n+++ exited with 0 +++\n",
		"11": "nanosleep(NULL, NULL)                   = 0\n" +
			"execve(\"./x\", [\"./x\", \"1\"], 0x7ffc0000 /* 5 vars */ <pid changed to 10 ...>\n",
		"main": "Traced ~0 syscs, Dropped 0\n",
	}
	for name, w := range want {
		if got := files[name].String(); got != w {
			t.Errorf("file %s:\n%s\nwant:\n%s", name, got, w)
		}
	}
	if len(files) != len(want) {
		t.Errorf("%d files, want %d", len(files), len(want))
	}
}

// TestThreadExecveUntraced: when the execve's own record does not come
// (-e trace= without it), the leader's end is told at the next record of
// the thread, not held to the session's end.
func TestThreadExecveUntraced(t *testing.T) {
	sysPause := needPause(t)
	recs := threadExecRecords([][]byte{enterRecord(sysPause, 10, [6]uint64{})}, exitRecord(10, 11, wire.ExitSuperseded))
	recs = append(recs[:len(recs)-2], recs[len(recs)-1]) // no execve record
	got := decodeText(t, Options{Prefix: PrefixFile}, recs)
	want := "10    pause( <unfinished ...>\n" + nanosleep11 +
		"10    <... pause resumed>)              = ?\n10    +++ superseded by execve in pid 11 +++\n" + exited10
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

// TestThreadExecveTTY: strace -f to a terminal: the superseded line and
// the resumed execve, the exec'ing thread left alone, have no "[pid N] ".
func TestThreadExecveTTY(t *testing.T) {
	sysPause := needPause(t)
	recs := append([][]byte{inProc(forkRecord(10, 11), 10, 10)},
		threadExecRecords([][]byte{enterRecord(sysPause, 10, [6]uint64{})}, exitRecord(10, 11, wire.ExitSuperseded))...)
	got := decodeText(t, Options{Prefix: PrefixTTY}, recs)
	want := "[pid    10] pause( <unfinished ...>\n[pid    11] nanosleep(NULL, NULL)       = 0\n" +
		"[pid    11] execve(\"./x\", [\"./x\", \"1\"], 0x7ffc0000 /* 5 vars */ <unfinished ...>\n" +
		"[pid    10] <... pause resumed>)        = ?\n+++ superseded by execve in pid 11 +++\n" +
		"<... execve resumed>)                   = 0\n+++ exited with 0 +++\n"
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

func forkRecord(parent, child uint32) []byte {
	b := make([]byte, wire.ForkSize)
	binary.LittleEndian.PutUint16(b[0:], wire.EvFork)
	binary.LittleEndian.PutUint16(b[2:], wire.ForkSize)
	binary.LittleEndian.PutUint32(b[24:], child)
	binary.LittleEndian.PutUint32(b[28:], parent)
	binary.LittleEndian.PutUint32(b[32:], 1)
	return b
}
