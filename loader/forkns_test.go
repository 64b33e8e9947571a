package loader

import (
	"os/exec"
	"testing"

	"github.com/eproc/eproc/loader/wire"
)

// TestForkPidNs: a fork record names the child's pid namespace as the
// kernel gave it at birth (ev_fork's ns_*): the initial namespace (its
// inode is PROC_PID_INIT_INO) and the child's own id there for the shell's
// children; depth 1, a new namespace, and ids 1 and 2 for the child of
// `unshare --pid --fork` and its child, whose ids in the namespace's
// parent (ns_ptid) are their ids in the initial one (none at depth 0).
func TestForkPidNs(t *testing.T) {
	e := openEngine(t)
	unshare, err := exec.LookPath("unshare")
	if err != nil {
		t.Skip("no unshare")
	}
	s, err := e.NewSession(SessionConfig{RingSize: 1 << 18})
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("/bin/sh", "-c", "/bin/true; "+unshare+" --pid --fork /bin/sh -c '/bin/true; exit 0'")
	if err := s.Spawn(cmd, true); err != nil {
		t.Fatal(err)
	}
	var forks []wire.Fork
	done := make(chan Stats)
	go func() {
		done <- s.Run(HandlerFunc(func(rec []byte) {
			if typ, _, _, ok := wire.Peek(rec); ok && typ == wire.EvFork {
				var f wire.Fork
				if err := wire.ParseFork(rec, &f); err != nil {
					t.Error(err)
				}
				forks = append(forks, f)
			}
		}))
	}()
	if err := cmd.Wait(); err != nil {
		t.Fatal(err)
	}
	<-done
	const initNs = 0xEFFFFFFC
	var inner []wire.Fork
	for _, f := range forks {
		switch f.NsLevel {
		case 0:
			if f.NsInum != initNs || f.NsTid != f.ChildTid || f.NsTgid != f.ChildTgid || f.NsPtid != 0 {
				t.Errorf("a child in the initial namespace: %+v", f)
			}
		case 1:
			inner = append(inner, f)
			if f.NsPtid != f.ChildTid {
				t.Errorf("a child at depth 1: its id in the initial namespace %d, want %d", f.NsPtid, f.ChildTid)
			}
		default:
			t.Errorf("a child at depth %d: %+v", f.NsLevel, f)
		}
	}
	if len(inner) == len(forks) {
		t.Errorf("no child in the initial namespace: %+v", forks)
	}
	if len(inner) != 2 {
		t.Fatalf("want 2 children in a namespace of depth 1, got %+v", forks)
	}
	if inner[0].NsInum == initNs || inner[0].NsInum == 0 || inner[1].NsInum != inner[0].NsInum {
		t.Errorf("the new namespace's inode: %+v", inner)
	}
	if inner[0].NsTid != 1 || inner[0].NsTgid != 1 || inner[1].NsTid != 2 || inner[1].NsTgid != 2 {
		t.Errorf("ids in the new namespace: want 1 and 2, got %+v", inner)
	}
}
