package loader

import (
	"encoding/binary"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/eproc/eproc/loader/wire"
	"golang.org/x/sys/unix"
)

// Accounting: for every session, syscalls delivered + syscalls dropped =
// syscalls made. The workload is dd copying N single bytes: its count is
// 2N (a read and a write per byte) plus a start-up and shutdown part that
// does not depend on N. strace -f -c on the same command gives that count
// (strace -c leaves out exit_group, which never returns: one more).

const accN = 200000

var ddArgs = []string{"if=/dev/zero", "of=/dev/null", "bs=1", "count=" + strconv.Itoa(accN), "status=none"}

// straceCount is how many syscalls a command makes, by strace -f -c.
func straceCount(t *testing.T, args ...string) uint64 {
	t.Helper()
	if _, err := exec.LookPath("strace"); err != nil {
		t.Fatal("strace is not installed")
	}
	out := filepath.Join(t.TempDir(), "c")
	cmd := exec.Command("strace", append([]string{"-f", "-c", "-o", out, "--"}, args...)...)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("strace: %v\n%s", err, b)
	}
	b, _ := os.ReadFile(out)
	m := regexp.MustCompile(`(?m)^100\.00\s+\S+\s+\S+\s+(\d+)\s+(?:\d+\s+)?total$`).FindSubmatch(b)
	if m == nil {
		t.Fatalf("no total in strace -c output:\n%s", b)
	}
	n, _ := strconv.ParseUint(string(m[1]), 10, 64)
	return n + 1 // exit_group
}

// callCounter counts the syscalls a session's records deliver, as the
// kernel's counters count them: a complete record is one call; so is the
// entry record of a call that never returns (exit, exit_group). Any other
// entry record announces a call under way, counted by its complete record,
// or, when that was lost to a full ring, as dropped: an announcement whose
// completion was dropped is not a call delivered. (A thread killed inside
// another call also sends a counting entry record; these tests' programs
// are not killed.)
type callCounter struct {
	calls uint64
	slow  time.Duration // sleep every 4096 records
	n     int
}

func (c *callCounter) Record(rec []byte) {
	c.n++
	if c.slow > 0 && c.n%4096 == 0 {
		time.Sleep(c.slow)
	}
	switch binary.LittleEndian.Uint16(rec) {
	case wire.EvSyscall:
		c.calls++
	case wire.EvEnter:
		if nr, ok := wire.SyscallNr(rec); ok && (nr == unix.SYS_EXIT || nr == unix.SYS_EXIT_GROUP) {
			c.calls++
		}
	}
}

func (c *callCounter) Idle() {}

func (c *callCounter) total() uint64 { return c.calls }

func TestAccountingDD(t *testing.T) {
	e := openEngine(t)
	if testing.Short() {
		t.Skip("short")
	}
	if err := e.SetPlans(map[uint32]wire.Plan{unix.SYS_EXECVE: {Flags: wire.PFExec}, unix.SYS_EXIT_GROUP: {Flags: wire.PFNoReturn}}); err != nil {
		t.Fatal(err)
	}
	// strace is slow on 2N calls: count a short copy and add two calls a
	// byte for the rest.
	const small = 1000
	want := straceCount(t, "dd", "if=/dev/zero", "of=/dev/null", "bs=1", "count="+strconv.Itoa(small), "status=none") + 2*(accN-small)
	if want < 2*accN || want > 2*accN+1000 {
		t.Fatalf("strace counts %d syscalls for dd of %d bytes", want, accN)
	}
	for _, tc := range []struct {
		name     string
		ring     int
		slow     time.Duration
		late     bool // no reader until the process is gone
		wantDrop bool
	}{
		{name: "keeps-up", ring: 1 << 22},
		{name: "slow", ring: 1 << 16, slow: 5 * time.Millisecond},
		{name: "no-reader", ring: 1 << 14, late: true, wantDrop: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := e.NewSession(SessionConfig{RingSize: tc.ring})
			if err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command("dd", ddArgs...)
			if err := s.Spawn(cmd, true); err != nil {
				t.Fatal(err)
			}
			c := &callCounter{slow: tc.slow}
			done := make(chan Stats, 1)
			run := func() { done <- s.Run(c) }
			if !tc.late {
				go run()
			}
			if err := cmd.Wait(); err != nil {
				t.Fatalf("dd: %v", err)
			}
			if tc.late {
				go run()
			}
			var st Stats
			select {
			case st = <-done:
			case <-time.After(60 * time.Second):
				t.Fatal("session did not end")
			}
			got := c.total()
			t.Logf("seen %d dropped %d lost %d delivered %d (strace: %d); reading %+v", st.Seen, st.Dropped, st.Lost, got, want, s.Reading())
			if got+st.Dropped != st.Seen {
				t.Errorf("delivered %d + dropped %d != seen %d", got, st.Dropped, st.Seen)
			}
			if st.Seen != want {
				t.Errorf("seen %d, strace counts %d", st.Seen, want)
			}
			if tc.wantDrop && st.Dropped == 0 {
				t.Errorf("a %d-byte ring read only at the end dropped nothing", tc.ring)
			}
			if tc.name == "keeps-up" && st.Dropped > st.Seen/100 {
				t.Errorf("a reader that keeps up lost %d of %d", st.Dropped, st.Seen)
			}
			if n := e.MapEntries(); n != 0 {
				t.Errorf("%d traced entries left", n)
			}
		})
	}
}
