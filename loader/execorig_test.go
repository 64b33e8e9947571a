package loader

import (
	"encoding/binary"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/eproc/eproc/loader/wire"
	"golang.org/x/sys/unix"
)

// TestExecInterpreted: the EV_EXEC of a program an interpreter runs keeps
// the argc and argv[0] its execve was given (OrigArgc, capture 3), beside
// the argv the kernel gave the interpreter (its path and argument, the
// script's path, argv[1...]); that of a program none runs has neither.
func TestExecInterpreted(t *testing.T) {
	e := openEngine(t)
	if err := e.SetPlans(map[uint32]wire.Plan{unix.SYS_EXECVE: {Flags: wire.PFExec}, unix.SYS_EXIT_GROUP: {Flags: wire.PFNoReturn}}); err != nil {
		t.Fatal(err)
	}
	script := filepath.Join(t.TempDir(), "s")
	if err := os.WriteFile(script, []byte("#!/bin/sh -e\nexec /bin/true x\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	s, err := e.NewSession(SessionConfig{RingSize: 1 << 16})
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(script, "a", "b")
	cmd.Args[0] = "other"
	if err := s.Spawn(cmd, true); err != nil {
		t.Fatal(err)
	}
	var execs []wire.Exec
	done := make(chan Stats)
	go func() {
		done <- s.Run(HandlerFunc(func(rec []byte) {
			if binary.LittleEndian.Uint16(rec) != wire.EvExec {
				return
			}
			var x wire.Exec
			if err := wire.ParseExec(append([]byte(nil), rec...), &x); err != nil {
				t.Error(err)
				return
			}
			execs = append(execs, x)
		}))
	}()
	if err := cmd.Wait(); err != nil {
		t.Fatal(err)
	}
	<-done
	if len(execs) != 2 {
		t.Fatalf("%d exec records, want 2", len(execs))
	}
	caps := func(x wire.Exec) map[uint8]string {
		m := map[uint8]string{}
		for _, c := range x.Caps {
			m[c.Arg] = string(c.Data)
		}
		return m
	}
	sc, tr := caps(execs[0]), caps(execs[1])
	if x := execs[0]; x.Argc != 5 || x.OrigArgc != 3 || sc[1] != "/bin/sh\x00-e\x00"+script+"\x00a\x00b\x00" || sc[3] != "other" {
		t.Errorf("the script's exec: argc %d, orig argc %d, captures %q", x.Argc, x.OrigArgc, sc)
	}
	if x := execs[1]; x.Argc != 2 || x.OrigArgc != -1 || tr[1] != "/bin/true\x00x\x00" || len(tr) != 2 {
		t.Errorf("true's exec: argc %d, orig argc %d, captures %q", x.Argc, x.OrigArgc, tr)
	}
}
