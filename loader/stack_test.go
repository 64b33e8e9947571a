package loader

import (
	"encoding/binary"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/eproc/eproc/loader/wire"
	"github.com/eproc/eproc/strace"
	"golang.org/x/sys/unix"
)

// TestStackRecords (real BPF): a session with Stack gets, after each write
// record, an EvStack of the same thread and call (its registers and the
// top of its stack), and the EvMap records that say where its code is
// (the program exec'd, the libraries mapped), its filter notwithstanding;
// a session beside it without Stack gets neither, and stack_exit is
// attached only while a session asks.
func TestStackRecords(t *testing.T) {
	e := openEngine(t)
	if err := e.SetPlans(strace.Plans()); err != nil {
		t.Fatal(err)
	}
	run := func(stack bool) (recs [][]byte) {
		s, err := e.NewSession(SessionConfig{RingSize: 1 << 20, Syscalls: []uint32{unix.SYS_WRITE}, Stack: stack})
		if err != nil {
			t.Fatal(err)
		}
		if stack && !e.stackAttached() {
			t.Error("a session with Stack is live: stack_exit is not attached")
		}
		cmd := exec.Command("/bin/echo", "hi")
		if err := s.Spawn(cmd, true); err != nil {
			t.Fatal(err)
		}
		done := make(chan Stats)
		go func() {
			done <- s.Run(HandlerFunc(func(rec []byte) { recs = append(recs, append([]byte(nil), rec...)) }))
		}()
		cmd.Wait()
		<-done
		return recs
	}
	var wg sync.WaitGroup
	var plain [][]byte
	wg.Add(1)
	go func() { defer wg.Done(); plain = run(false) }()
	recs := run(true)
	wg.Wait()
	for _, rec := range plain {
		if typ := binary.LittleEndian.Uint16(rec); typ == wire.EvStack || typ == wire.EvMap {
			t.Errorf("a session without Stack got a record of type %d", typ)
		}
	}
	checkStackRecords(t, recs)
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.stackLinks != nil {
		t.Error("stack_exit, stack_signal attached with no session asking")
	}
}

// checkStackRecords: /bin/echo's write has its stack right after it, and
// the maps say where echo and libc are.
func checkStackRecords(t *testing.T, recs [][]byte) {
	echo, _ := filepath.EvalSymlinks("/bin/echo")
	var writes, stacks int
	var exe, libc bool
	var last wire.Call
	for i, rec := range recs {
		switch binary.LittleEndian.Uint16(rec) {
		case wire.EvSyscall:
			if err := wire.ParseCall(rec, &last); err != nil {
				t.Fatal(err)
			}
			if last.Nr == unix.SYS_WRITE {
				writes++
			}
		case wire.EvStack:
			var s wire.Stack
			if err := wire.ParseStack(rec, &s); err != nil {
				t.Fatal(err)
			}
			stacks++
			if i == 0 || binary.LittleEndian.Uint16(recs[i-1]) != wire.EvSyscall || last.Tid != s.Tid || last.Nr != s.Nr {
				t.Errorf("stack of %d/%d does not follow its call's record (last call %d/%d)", s.Tid, s.Nr, last.Tid, last.Nr)
			}
			if s.IP == 0 || s.SP == 0 || len(s.Mem) < 64 || len(s.Mem) > wire.StackMax {
				t.Errorf("stack: ip %#x sp %#x, %d bytes", s.IP, s.SP, len(s.Mem))
			}
		case wire.EvMap:
			var m wire.Map
			if err := wire.ParseMap(rec, &m); err != nil {
				t.Fatal(err)
			}
			switch {
			case m.Kind == wire.MapExec && m.Path == echo && m.Addr != 0 && m.Size != 0:
				exe = true
			case m.Kind == wire.MapMmap && strings.HasSuffix(m.Path, "/libc.so.6") && m.Addr != 0:
				libc = true
			}
		}
	}
	if writes != 1 || stacks != 1 {
		t.Errorf("%d writes, %d stacks; want one of each", writes, stacks)
	}
	if !exe || !libc {
		t.Errorf("maps: the program exec'd (%s): %v, libc mapped: %v", echo, exe, libc)
	}
}

func (e *Engine) stackAttached() bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.stackLinks != nil
}
