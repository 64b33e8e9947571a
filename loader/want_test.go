package loader

import (
	"bytes"
	"encoding/binary"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"unsafe"

	"github.com/eproc/eproc/loader/wire"
	"github.com/eproc/eproc/strace"
	"golang.org/x/sys/unix"
)

// TestWantCaptureHelper is the traced program of TestWantCapture: it maps
// a file it never reads, writes from it to /dev/null (whose write never
// reads the buffer either) and to a bad descriptor, and waits for its
// standard input to close.
func TestWantCaptureHelper(t *testing.T) {
	if os.Getenv("EPROC_WANT_HELPER") == "" {
		t.Skip("the traced side of TestWantCapture")
	}
	f, err := os.Open(os.Getenv("EPROC_WANT_HELPER"))
	if err != nil {
		t.Fatal(err)
	}
	m, err := unix.Mmap(int(f.Fd()), 0, os.Getpagesize(), unix.PROT_READ, unix.MAP_PRIVATE)
	if err != nil {
		t.Fatal(err)
	}
	null, err := os.OpenFile("/dev/null", os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	p := uintptr(unsafe.Pointer(&m[0])) // never dereferenced here
	unix.Syscall(unix.SYS_WRITE, null.Fd(), p, 12)
	unix.Syscall(unix.SYS_WRITE, ^uintptr(0), p+6, 6)
	io.Copy(io.Discard, os.Stdin)
}

// TestWantCapture: memory in a page the task never touched is not mapped,
// and the BPF read of it fails; the capture then says what it wanted
// (CapWant: size, kind, address), and the decoder, reading it from user
// space while the task lives, prints what strace prints.
func TestWantCapture(t *testing.T) {
	e := openEngine(t)
	if err := e.SetPlans(strace.Plans()); err != nil {
		t.Fatal(err)
	}
	s, err := e.NewSession(SessionConfig{RingSize: 1 << 20, StrSize: 32, Syscalls: []uint32{unix.SYS_WRITE}})
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "data")
	if err := os.WriteFile(file, []byte("hello wanted, and more"), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestWantCaptureHelper$", "-test.count=1")
	cmd.Env = append(os.Environ(), "EPROC_WANT_HELPER="+file)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Spawn(cmd, true); err != nil {
		t.Fatal(err)
	}
	var text bytes.Buffer
	txt := strace.NewText(strace.Options{StrSize: 32}, nil)
	dec := strace.NewDecoder(txt)
	dec.ReadMem = strace.ReadProcessMem
	var wants []wire.Want
	done := make(chan Stats)
	go func() {
		done <- s.Run(HandlerFunc(func(rec []byte) {
			var c wire.Call
			if binary.LittleEndian.Uint16(rec) != wire.EvSyscall || wire.ParseCall(rec, &c) != nil || c.Nr != unix.SYS_WRITE {
				return
			}
			if cp := c.Cap(1, 0); cp != nil && cp.Wants() {
				if cp.Want.Ptr != c.Args[1] {
					t.Errorf("write: wants %#x, the argument is %#x", cp.Want.Ptr, c.Args[1])
				}
				wants = append(wants, cp.Want)
			}
			dec.Feed(rec) // the helper waits: its memory is there to read
			text.Write(txt.TakeInto(nil))
			if len(wants) == 2 {
				stdin.Close()
			}
		}))
	}()
	if err := cmd.Wait(); err != nil {
		t.Fatalf("helper: %v", err)
	}
	<-done
	if len(wants) != 2 || wants[0].Size != 12 || wants[0].Kind != wire.CKMem || wants[1].Size != 6 {
		t.Errorf("wants %+v; want two CKMem captures, of 12 and 6 bytes", wants)
	}
	for _, line := range []string{`write(`, `"hello wanted", 12) = 12`, `write(-1, "wanted", 6) = -1 EBADF (Bad file descriptor)`} {
		if !strings.Contains(strings.Join(strings.Fields(text.String()), " "), line) {
			t.Errorf("no %q in:\n%s", line, text.String())
		}
	}
}
