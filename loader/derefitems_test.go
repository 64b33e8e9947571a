package loader

import (
	"encoding/binary"
	"os"
	"os/exec"
	"runtime"
	"testing"
	"unsafe"

	"github.com/eproc/eproc/loader/wire"
	"golang.org/x/sys/unix"
)

// derefItemsMagic is the descriptor argument of TestDerefItemsHelper's
// ioctl, which TestDerefItems looks for.
const derefItemsMagic = 0x7e57

// derefItemsKeep holds the helper's buffers: on the heap (they escape
// here), where they do not move, as a goroutine's stack may.
var derefItemsKeep [][]byte

// TestDerefItemsHelper is the traced program of TestDerefItems: an ioctl
// whose argument points to {count u32, pad, items *T}, T being {len u32,
// pad, data *byte}: "hello" (5), an item of length 0, 40 bytes (more than
// -s 32 and one), and a fourth past the count.
func TestDerefItemsHelper(t *testing.T) {
	if os.Getenv("EPROC_DEREF_ITEMS_HELPER") != "1" {
		t.Skip("the traced side of TestDerefItems")
	}
	hello, long, other := []byte("hello"), make([]byte, 40), []byte("not this one")
	for i := range long {
		long[i] = byte('a' + i%26)
	}
	items, arg := make([]byte, 4*16), make([]byte, 16)
	derefItemsKeep = [][]byte{hello, long, other, items, arg}
	put := func(j int, data []byte, n uint32) {
		binary.LittleEndian.PutUint32(items[16*j:], n)
		binary.LittleEndian.PutUint64(items[16*j+8:], uint64(uintptr(unsafe.Pointer(&data[0]))))
	}
	put(0, hello, 5)
	put(1, other, 0)
	put(2, long, 40)
	put(3, other, uint32(len(other)))
	binary.LittleEndian.PutUint32(arg, 3)
	binary.LittleEndian.PutUint64(arg[8:], uint64(uintptr(unsafe.Pointer(&items[0]))))
	unix.Syscall(unix.SYS_IOCTL, derefItemsMagic, 0, uintptr(unsafe.Pointer(&arg[0])))
	runtime.KeepAlive(derefItemsKeep)
}

// TestDerefItems: wire.CKDerefItems follows the pointer in each element
// of an array a struct points to (a second level): each item's bytes as
// element DerefItemIdx+j, cut at strsize+1 (CapTrunc), an empty one for
// an item of length 0, none past the count.
func TestDerefItems(t *testing.T) {
	e := openEngine(t)
	plans := map[uint32]wire.Plan{
		unix.SYS_EXECVE:     {Flags: wire.PFExec},
		unix.SYS_EXIT_GROUP: {Flags: wire.PFNoReturn},
		unix.SYS_IOCTL: {Caps: [wire.NCaps]wire.CapSpec{{Kind: wire.CKDerefItems, Arg: 2, Elem: 16,
			PtrOff: 8, CntOff: 0, CntSize: 4, ItemPtr: 8, ItemLen: 0, ItemLenSize: 4}}},
	}
	if err := e.SetPlans(plans); err != nil {
		t.Fatal(err)
	}
	s, err := e.NewSession(SessionConfig{RingSize: 1 << 20, StrSize: 32})
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestDerefItemsHelper$", "-test.count=1")
	cmd.Env = append(os.Environ(), "EPROC_DEREF_ITEMS_HELPER=1")
	if err := s.Spawn(cmd, true); err != nil {
		t.Fatal(err)
	}
	var caps []wire.Cap
	seen := false
	done := make(chan Stats)
	go func() {
		done <- s.Run(HandlerFunc(func(rec []byte) {
			var c wire.Call
			if binary.LittleEndian.Uint16(rec) != wire.EvSyscall || wire.ParseCall(rec, &c) != nil ||
				c.Nr != unix.SYS_IOCTL || c.Args[0] != derefItemsMagic {
				return
			}
			seen = true
			for _, cp := range c.Caps {
				caps = append(caps, wire.Cap{Arg: cp.Arg, Idx: cp.Idx, Flags: cp.Flags, Data: append([]byte(nil), cp.Data...)})
			}
		}))
	}()
	if err := cmd.Wait(); err != nil {
		t.Fatalf("helper: %v", err)
	}
	<-done
	if !seen {
		t.Fatal("no ioctl record")
	}
	want := []struct {
		idx   uint16
		data  string
		flags uint8
	}{
		{wire.DerefItemIdx, "hello", 0},
		{wire.DerefItemIdx + 1, "", 0},
		{wire.DerefItemIdx + 2, "abcdefghijklmnopqrstuvwxyzabcdefg", wire.CapTrunc},
	}
	if len(caps) != len(want) {
		t.Fatalf("captures %+v; want %d", caps, len(want))
	}
	for j, w := range want {
		if cp := caps[j]; cp.Arg != 2 || cp.Idx != w.idx || string(cp.Data) != w.data || cp.Flags != w.flags {
			t.Errorf("capture %d: arg %d idx %#x flags %#x data %q; want arg 2 idx %#x flags %#x data %q",
				j, cp.Arg, cp.Idx, cp.Flags, cp.Data, w.idx, w.flags, w.data)
		}
	}
}
