package loader

import (
	"encoding/binary"
	"os/exec"
	"testing"

	"golang.org/x/sys/unix"
)

// TestRingWrap: with the data pages mapped once, records that wrap around
// the end of a small ring are copied whole: every record read is intact
// (its header's length is the ring's, its type known), whatever its place.
func TestRingWrap(t *testing.T) {
	e := openEngine(t)
	// Captures of varying size (write's buffer, up to -s), so records end
	// anywhere in the ring.
	if err := e.SetPlans(map[uint32]Plan{unix.SYS_EXECVE: {Flags: PFExec}, unix.SYS_EXIT_GROUP: {Flags: PFNoReturn}}); err != nil {
		t.Fatal(err)
	}
	s, err := e.NewSession(SessionConfig{RingSize: 4096, StrSize: 200})
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("sh", "-c", "i=0; while [ $i -lt 3000 ]; do echo $i$i$i$i > /dev/null; i=$((i+1)); done")
	if err := s.Spawn(cmd, true); err != nil {
		t.Fatal(err)
	}
	var recs, bad int
	done := make(chan Stats)
	go func() {
		done <- s.Run(HandlerFunc(func(rec []byte) {
			recs++
			typ := binary.LittleEndian.Uint16(rec)
			l := binary.LittleEndian.Uint16(rec[2:])
			if int(l) != len(rec) || typ < EvSyscall || typ > EvExec || binary.LittleEndian.Uint32(rec[8:]) == 0 {
				bad++
				return
			}
			// The syscall number, at the end of the fixed part.
			if typ == EvSyscall && (len(rec) < SyscallSize || binary.LittleEndian.Uint32(rec[SyscallSize-8:]) >= MaxSyscalls) {
				bad++
			}
		}))
	}()
	cmd.Wait()
	st := <-done
	t.Logf("%d records through a 4 KiB ring, stats %+v", recs, st)
	if bad != 0 {
		t.Fatalf("%d of %d records damaged", bad, recs)
	}
	if recs < 100 {
		t.Fatalf("only %d records", recs)
	}
}
