package loader

import (
	"encoding/binary"
	"fmt"
	"os"
	"os/exec"
	"sync/atomic"
	"testing"
	"time"
	"unsafe"

	"github.com/cilium/ebpf"
	"github.com/eproc/eproc/loader/wire"
	"golang.org/x/sys/unix"
)

// needBPF skips without root, but never under CI=true, where BPF must work.
func needBPF(t testing.TB) {
	t.Helper()
	if os.Geteuid() != 0 && os.Getenv("CI") != "true" {
		t.Skip("needs root for BPF")
	}
}

func openEngine(t testing.TB) *Engine {
	needBPF(t)
	e, err := Open(Config{})
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { e.Close() })
	return e
}

func TestSpawnRecords(t *testing.T) {
	e := openEngine(t)
	if err := e.SetPlans(map[uint32]wire.Plan{unix.SYS_EXECVE: {Flags: wire.PFExec}, unix.SYS_EXIT_GROUP: {Flags: wire.PFNoReturn}}); err != nil {
		t.Fatal(err)
	}
	s, err := e.NewSession(SessionConfig{RingSize: 1 << 16})
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("/bin/true")
	if err := s.Spawn(cmd, true); err != nil {
		t.Fatal(err)
	}
	counts := map[uint16]int{}
	done := make(chan Stats)
	go func() {
		done <- s.Run(HandlerFunc(func(rec []byte) { counts[binary.LittleEndian.Uint16(rec)]++ }))
	}()
	cmd.Wait()
	st := <-done
	t.Logf("records %v stats %+v", counts, st)
	if counts[wire.EvSyscall] == 0 || counts[wire.EvExit] != 1 {
		t.Fatalf("want syscalls and one exit, got %v", counts)
	}
	if st.Seen < uint64(counts[wire.EvSyscall]) {
		t.Fatalf("seen %d < records %d", st.Seen, counts[wire.EvSyscall])
	}
	// With no session, the programs stay attached idleGrace longer (for
	// the next session), then every one is detached and the kept ring freed.
	for end := time.Now().Add(idleGrace + 5*time.Second); (e.Attached() || e.Rings() > 0) && time.Now().Before(end); {
		time.Sleep(20 * time.Millisecond)
	}
	if e.Attached() {
		t.Fatal("programs still attached with no session")
	}
	if n := e.Rings(); n != 0 {
		t.Fatalf("%d rings kept with no session", n)
	}
}

// TestSetuidExecDetaches: a session whose owner is unprivileged must not
// follow a process into a program that gains privileges, as ptrace would
// not: the process leaves the session at that execve, before it runs.
func TestSetuidExecDetaches(t *testing.T) {
	e := openEngine(t)
	su, err := exec.LookPath("su")
	if err != nil {
		t.Skip("no su")
	}
	if st, err := os.Stat(su); err != nil || st.Mode()&os.ModeSetuid == 0 {
		t.Skip("su is not setuid here")
	}
	if err := e.SetPlans(map[uint32]wire.Plan{unix.SYS_EXECVE: {Flags: wire.PFExec}, unix.SYS_EXIT_GROUP: {Flags: wire.PFNoReturn}}); err != nil {
		t.Fatal(err)
	}
	s, err := e.NewSession(SessionConfig{Unprivileged: true})
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", su, "--version")
	if err := s.Spawn(cmd, true); err != nil {
		t.Fatal(err)
	}
	var detached, afterDetach, execs int
	done := make(chan Stats)
	go func() {
		done <- s.Run(HandlerFunc(func(rec []byte) {
			typ := binary.LittleEndian.Uint16(rec)
			switch {
			case typ == wire.EvExit && binary.LittleEndian.Uint32(rec[28:]) == wire.ExitDetached:
				detached++
			case typ == wire.EvExec:
				execs++
			case detached > 0 && (typ == wire.EvSyscall || typ == wire.EvEnter):
				afterDetach++
			}
		}))
	}()
	if err := cmd.Wait(); err != nil {
		t.Logf("su: %v", err)
	}
	<-done
	if detached != 1 || afterDetach != 0 {
		t.Fatalf("detached %d times, %d syscall records after (execs seen %d)", detached, afterDetach, execs)
	}
	if e.MapEntries() != 0 {
		t.Fatalf("traced map still holds %d entries", e.MapEntries())
	}
}

// TestDetachCycles: sessions that each find the programs detached (the
// idle grace over: reap) attach them, and leave nothing behind: no
// program attached, no ring kept, no fd more.
func TestDetachCycles(t *testing.T) {
	e := openEngine(t)
	sleeper := exec.Command("sleep", "300")
	if err := sleeper.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { sleeper.Process.Kill(); sleeper.Wait() }()
	cycle := func() {
		s, err := e.NewSession(SessionConfig{RingSize: 1 << 14})
		if err != nil {
			t.Fatal(err)
		}
		if !e.Attached() {
			t.Fatal("session live, programs not attached")
		}
		if err := s.Attach(sleeper.Process.Pid, true); err != nil {
			t.Fatal(err)
		}
		s.Close()
		s.Run(HandlerFunc(func([]byte) {}))
		e.reap()
		if e.Attached() || e.Rings() != 0 || e.MapEntries() != 0 {
			t.Fatalf("after reap: attached %v, %d rings, %d traced", e.Attached(), e.Rings(), e.MapEntries())
		}
	}
	cycle()
	fds := func() int { ents, _ := os.ReadDir("/proc/self/fd"); return len(ents) }
	fds0 := fds()
	for i := 0; i < 10; i++ {
		cycle()
	}
	if n := fds(); n > fds0 {
		t.Errorf("fds %d -> %d over 10 cycles", fds0, n)
	}
}

// BenchmarkSessionCycle: a session started on a process and ended.
func BenchmarkSessionCycle(b *testing.B) {
	e := openEngine(b)
	sleeper := exec.Command("sleep", "300")
	if err := sleeper.Start(); err != nil {
		b.Fatal(err)
	}
	defer func() { sleeper.Process.Kill(); sleeper.Wait() }()
	for i := 0; i < b.N; i++ {
		s, err := e.NewSession(SessionConfig{RingSize: 1 << 16})
		if err != nil {
			b.Fatal(err)
		}
		if err := s.Attach(sleeper.Process.Pid, true); err != nil {
			b.Fatal(err)
		}
		s.Close()
		s.Run(HandlerFunc(func([]byte) {}))
	}
}

// TestSyncNeverLost: every Sync that reports success has run its function
// by the time Run returns, however it races with the session's end (a
// write to a stream that ends meanwhile must not wait forever).
func TestSyncNeverLost(t *testing.T) {
	e := openEngine(t)
	for round := 0; round < 50; round++ {
		s, err := e.NewSession(SessionConfig{RingSize: 1 << 16})
		if err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command("/bin/true")
		if err := s.Spawn(cmd, true); err != nil {
			t.Fatal(err)
		}
		done := make(chan Stats)
		go func() { done <- s.Run(HandlerFunc(func([]byte) {})) }()
		var queued, ran atomic.Int64
		stop := make(chan struct{})
		go func() {
			defer close(stop)
			for s.Sync(func() { ran.Add(1) }) {
				queued.Add(1)
			}
		}()
		cmd.Wait()
		<-done
		<-stop
		if queued.Load() != ran.Load() {
			t.Fatalf("round %d: %d syncs accepted, %d ran", round, queued.Load(), ran.Load())
		}
	}
}

// TestStaleEntry: an entry left in the traced map by an ended session (a
// fork that raced with its Close) neither blocks a new session's attach of
// that process nor, when the process exits, counts against the process
// count of the session that took the slot since (which then ended early,
// losing the rest of its trace).
func TestStaleEntry(t *testing.T) {
	e := openEngine(t)
	s, err := e.NewSession(SessionConfig{RingSize: 1 << 16})
	if err != nil {
		t.Fatal(err)
	}
	live := exec.Command("sleep", "300")
	stale := exec.Command("sleep", "300")
	for _, c := range []*exec.Cmd{live, stale} {
		if err := c.Start(); err != nil {
			t.Fatal(err)
		}
		defer func(c *exec.Cmd) { c.Process.Kill(); c.Wait() }(c)
	}
	if err := s.Attach(live.Process.Pid, false); err != nil {
		t.Fatal(err)
	}
	// As a session of an older generation in the same slot left it.
	old := eprocTracee{Sid: s.sid, Gen: s.gen - 1}
	if err := e.tracedUpdate(uint32(stale.Process.Pid), old, ebpf.UpdateAny); err != nil {
		t.Fatal(err)
	}
	if _, ok := e.TracedPids()[stale.Process.Pid]; ok {
		t.Fatal("TracedPids lists a stale entry's process")
	}
	go s.Run(HandlerFunc(func([]byte) {}))
	stale.Process.Kill()
	stale.Wait()
	time.Sleep(100 * time.Millisecond)
	if n := s.Alive(); n != 1 {
		t.Fatalf("session counts %d live processes after a stale entry's process exited, want 1", n)
	}
	// And a stale entry does not make its process look traced.
	other := exec.Command("sleep", "300")
	if err := other.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { other.Process.Kill(); other.Wait() }()
	if err := e.tracedUpdate(uint32(other.Process.Pid), old, ebpf.UpdateAny); err != nil {
		t.Fatal(err)
	}
	if err := s.Attach(other.Process.Pid, false); err != nil {
		t.Fatalf("attach over a stale entry: %v", err)
	}
	if got := e.TracedBy(other.Process.Pid); got != s {
		t.Fatalf("TracedBy = %v after the attach, want the session", got)
	}
	s.Close()
}

// TestTgidBits: the first filter's bit is set for a process attached and
// for a child forked in a session, before either makes a traced call, and
// every bit is cleared once the programs are detached.
func TestTgidBits(t *testing.T) {
	e := openEngine(t)
	if err := e.SetPlans(map[uint32]wire.Plan{unix.SYS_EXECVE: {Flags: wire.PFExec}, unix.SYS_EXIT_GROUP: {Flags: wire.PFNoReturn}}); err != nil {
		t.Fatal(err)
	}
	bit := func(pid int) bool {
		w := *(*uint64)(unsafe.Pointer(&e.bits[(pid>>6)*8]))
		return w&(1<<(pid&63)) != 0
	}
	s, err := e.NewSession(SessionConfig{RingSize: 1 << 16})
	if err != nil {
		t.Fatal(err)
	}
	sleeper := exec.Command("sleep", "300")
	if err := sleeper.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { sleeper.Process.Kill(); sleeper.Wait() }()
	if bit(sleeper.Process.Pid) {
		t.Fatal("bit set before attach")
	}
	if err := s.Attach(sleeper.Process.Pid, false); err != nil {
		t.Fatal(err)
	}
	if !bit(sleeper.Process.Pid) {
		t.Fatal("attached process's bit not set")
	}
	// A child's bit, set by the fork program: its calls reach the session.
	child := exec.Command("sh", "-c", "echo $$")
	out, err := child.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	s2, err := e.NewSession(SessionConfig{RingSize: 1 << 16})
	if err != nil {
		t.Fatal(err)
	}
	if err := s2.Spawn(child, true); err != nil {
		t.Fatal(err)
	}
	recs := 0
	done := make(chan Stats)
	go func() { done <- s2.Run(HandlerFunc(func([]byte) { recs++ })) }()
	var pid int
	fmt.Fscan(out, &pid)
	child.Wait()
	st := <-done
	if !bit(pid) || recs < 5 || st.Dropped != 0 {
		t.Fatalf("spawned child %d: bit %v, %d records, stats %+v", pid, bit(pid), recs, st)
	}
	s.Close()
	go s.Run(HandlerFunc(func([]byte) {}))
	<-s.Done()
	deadline := time.Now().Add(idleGrace + 5*time.Second)
	for e.Attached() && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if e.Attached() {
		t.Fatal("programs still attached after the sessions ended")
	}
	for i := 0; i < len(e.bits); i += 8 {
		if w := *(*uint64)(unsafe.Pointer(&e.bits[i])); w != 0 {
			t.Fatalf("bits of tgids %d.. left set after detaching: %#x", i/8*64, w)
		}
	}
}

// TestOneShotRing: a one-shot engine (eproc trace) has its first session's
// ring in slot 0 when Open returns (put in the rings map while the programs
// loaded), the session takes that ring, and its end frees it at once
// rather than keeping it for a next session (which would make the
// engine's close wait for a grace period).
func TestOneShotRing(t *testing.T) {
	needBPF(t)
	e, err := Open(Config{OneShot: true})
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	defer e.Close()
	if n := e.Rings(); n != 1 {
		t.Fatalf("%d rings after Open, want 1 (slot 0's, readied)", n)
	}
	e.mu.Lock()
	primed := e.rings[0]
	e.mu.Unlock()
	if err := e.SetPlans(map[uint32]wire.Plan{unix.SYS_EXECVE: {Flags: wire.PFExec}, unix.SYS_EXIT_GROUP: {Flags: wire.PFNoReturn}}); err != nil {
		t.Fatal(err)
	}
	s, err := e.NewSession(SessionConfig{})
	if err != nil {
		t.Fatal(err)
	}
	if s.ID() != 0 || s.r != primed {
		t.Fatalf("session in slot %d with ring %p, want slot 0's readied ring %p", s.ID(), s.r, primed)
	}
	cmd := exec.Command("/bin/true")
	if err := s.Spawn(cmd, true); err != nil {
		t.Fatal(err)
	}
	recs := 0
	done := make(chan Stats)
	go func() { done <- s.Run(HandlerFunc(func([]byte) { recs++ })) }()
	cmd.Wait()
	<-done
	if recs == 0 {
		t.Fatal("no records through the readied ring")
	}
	if n := e.Rings(); n != 0 {
		t.Fatalf("%d rings kept after a one-shot engine's session ended, want 0", n)
	}
}

// TestNeedsKernelTypes: the programs that load before the kernel's BTF is
// read are those with neither an attach point found in it (tp_btf) nor a
// CO-RE relocation; entry_capture (the longest of them) is one.
func TestNeedsKernelTypes(t *testing.T) {
	spec, err := loadEproc()
	if err != nil {
		t.Fatal(err)
	}
	var early []string
	for name, p := range spec.Programs {
		if !needsKernelTypes(p) {
			early = append(early, name)
		}
		if p.Type == ebpf.Tracing && !needsKernelTypes(p) {
			t.Errorf("%s is tp_btf but said to need no kernel BTF", name)
		}
	}
	t.Logf("no kernel BTF needed: %v", early)
	if needsKernelTypes(spec.Programs["entry_capture"]) {
		t.Error("entry_capture said to need the kernel's BTF")
	}
	if !needsKernelTypes(spec.Programs["sys_exit"]) {
		t.Error("sys_exit said to need no kernel BTF")
	}
}
