package loader

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/eproc/eproc/loader/wire"
	"golang.org/x/sys/unix"
)

// recordedHandler keeps the records a recording session hands over, and
// what Replayed told.
type recordedHandler struct {
	nrs      []uint32 // syscall numbers, in the order received
	exits    int
	replayed []Recorded
}

func (h *recordedHandler) Record(rec []byte) {
	switch wire.Type(rec) {
	case wire.EvSyscall:
		nr, _ := wire.SyscallNr(rec)
		h.nrs = append(h.nrs, nr)
	case wire.EvExit:
		h.exits++
	}
}
func (h *recordedHandler) Idle()               {}
func (h *recordedHandler) Replayed(r Recorded) { h.replayed = append(h.replayed, r) }

// A recorder nobody reads hands its records over when the session ends,
// oldest first: a program's calls in the order it made them, its exit
// last.
func TestRecorderKeepsCalls(t *testing.T) {
	e := openEngine(t)
	s, err := e.NewSession(SessionConfig{Record: 256 << 10})
	if err != nil {
		t.Fatal(err)
	}
	if !s.Recording() || s.RecordSize() != 256<<10 {
		t.Fatalf("recording %v size %d", s.Recording(), s.RecordSize())
	}
	// The shell makes the calls in this order after its exec.
	cmd := exec.Command("/bin/sh", "-c", "exec 3</dev/null; exec 3<&-; kill -0 $$; exit 7")
	if err := s.Spawn(cmd, true); err != nil {
		t.Fatal(err)
	}
	h := &recordedHandler{}
	done := make(chan Stats)
	go func() { done <- s.Run(h) }()
	cmd.Wait()
	st := <-done
	if len(h.replayed) != 1 {
		t.Fatalf("Replayed %d times, want 1", len(h.replayed))
	}
	r := h.replayed[0]
	t.Logf("stats %+v recorded %+v, %d calls", st, r, len(h.nrs))
	if r.LostCalls != 0 || r.LostOther != 0 || r.Calls != uint64(len(h.nrs)) || r.Calls != st.Seen {
		t.Errorf("recorded %+v: want no losses and %d calls (seen %d)", r, len(h.nrs), st.Seen)
	}
	if h.exits != 1 {
		t.Errorf("%d exit records, want 1", h.exits)
	}
	want := []uint32{unix.SYS_OPENAT, unix.SYS_CLOSE, unix.SYS_KILL}
	if !subsequence(h.nrs, want) || h.nrs[len(h.nrs)-1] != unix.SYS_KILL {
		t.Errorf("calls %v do not hold %v in order, kill last", h.nrs, want)
	}
	if h.nrs[0] != unix.SYS_EXECVE {
		t.Errorf("first call %d, want execve", h.nrs[0])
	}
}

// A recorder too small for what the program does keeps the newest
// records, and counts the oldest as lost: the program's last calls are
// there, its first are not, and the counts add up to what it made.
func TestRecorderOverwrites(t *testing.T) {
	e := openEngine(t)
	s, err := e.NewSession(SessionConfig{Record: MinRecord * 4}) // 64 slots
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("dd", "if=/dev/zero", "of=/dev/null", "bs=1", "count=2000")
	if err := s.Spawn(cmd, true); err != nil {
		t.Fatal(err)
	}
	h := &recordedHandler{}
	done := make(chan Stats)
	go func() { done <- s.Run(h) }()
	cmd.Wait()
	st := <-done
	r := h.replayed[0]
	t.Logf("stats %+v recorded %+v", st, r)
	if r.LostCalls < 3000 {
		t.Errorf("lost %d calls of ~4000: the recorder holds 64 slots", r.LostCalls)
	}
	if r.Calls+r.LostCalls != st.Seen || r.Calls == 0 || r.Calls != uint64(len(h.nrs)) {
		t.Errorf("recorded %d + lost %d != seen %d", r.Calls, r.LostCalls, st.Seen)
	}
	if h.nrs[0] == unix.SYS_EXECVE || h.exits != 1 {
		t.Errorf("first record %d (want a late call, not execve), exits %d (want the exit: newest)", h.nrs[0], h.exits)
	}
}

// Live hands the recorded records over at once, then the ring's, in order.
func TestRecorderLive(t *testing.T) {
	e := openEngine(t)
	s, err := e.NewSession(SessionConfig{Record: 64 << 10})
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("/bin/sh", "-c", "kill -0 $$; read x; kill -0 $$; kill -0 $$")
	w, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Spawn(cmd, true); err != nil {
		t.Fatal(err)
	}
	h := &recordedHandler{}
	done := make(chan Stats)
	go func() { done <- s.Run(h) }()
	// Live once the shell waits on its stdin, after its first kill.
	wchan := fmt.Sprintf("/proc/%d/wchan", cmd.Process.Pid)
	for {
		b, _ := os.ReadFile(wchan)
		if strings.Contains(string(b), "pipe") {
			break
		}
		unix.Nanosleep(&unix.Timespec{Nsec: 1e6}, nil)
	}
	s.Live()
	for s.Recording() {
		unix.Nanosleep(&unix.Timespec{Nsec: 1e6}, nil)
	}
	w.Write([]byte("\n"))
	w.Close()
	cmd.Wait()
	st := <-done
	t.Logf("stats %+v", st)
	if len(h.replayed) != 1 {
		t.Fatalf("Replayed %d times, want 1", len(h.replayed))
	}
	if n := countNr(h.nrs, unix.SYS_KILL); n != 3 {
		t.Errorf("%d kills, want 3 (one recorded, two live): %v", n, h.nrs)
	}
	if h.nrs[0] != unix.SYS_EXECVE {
		t.Errorf("first call %d, want execve: the recorded ones first", h.nrs[0])
	}
}

func countNr(nrs []uint32, nr uint32) int {
	n := 0
	for _, x := range nrs {
		if x == nr {
			n++
		}
	}
	return n
}

// subsequence reports whether want appears in got in order.
func subsequence(got, want []uint32) bool {
	i := 0
	for _, x := range got {
		if i < len(want) && x == want[i] {
			i++
		}
	}
	return i == len(want)
}
