package strace

import (
	"testing"

	"github.com/eproc/eproc/loader/wire"
)

// TestNetlinkCapPlans: the socket buffers strace decodes as netlink
// (sendto's, recvfrom's, the msghdr calls' iovecs) are captured whole
// (nlCapMax) on a netlink socket only: their plans' captures carry
// wire.CWNetlink with Max nlCapMax, beside their CWIn/CWOK; no other
// syscall's plan has the flag (the kernel takes args[0] for a descriptor).
func TestNetlinkCapPlans(t *testing.T) {
	want := map[string]struct {
		arg  uint8
		kind uint8
		when uint8
	}{
		"sendto":   {1, wire.CKMem, wire.CWIn | wire.CWNetlink},
		"recvfrom": {1, wire.CKMem, wire.CWOK | wire.CWNetlink},
		"sendmsg":  {1, wire.CKMsghdr, wire.CWIn | wire.CWNetlink},
		"recvmsg":  {1, wire.CKMsghdr, wire.CWOK | wire.CWNetlink},
		"sendmmsg": {1, wire.CKMmsg, wire.CWNetlink},
		"recvmmsg": {1, wire.CKMmsg, wire.CWOK | wire.CWNetlink},
	}
	plans := Plans()
	seen := map[string]bool{}
	for nr, pl := range plans {
		name := ""
		if e := Lookup(nr); e != nil {
			name = e.Name
		}
		all := []wire.Plan{pl}
		for _, c := range pl.Cases {
			all = append(all, c)
		}
		for _, p := range all {
			for _, cs := range p.Caps {
				if cs.When&wire.CWNetlink == 0 {
					continue
				}
				w, ok := want[name]
				if !ok {
					t.Errorf("%s: capture %+v has CWNetlink", name, cs)
					continue
				}
				if cs.Arg != w.arg || cs.Kind != w.kind || cs.When != w.when || cs.Max != nlCapMax {
					t.Errorf("%s: capture %+v; want arg %d kind %d when %#x max %d", name, cs, w.arg, w.kind, w.when, nlCapMax)
				}
				seen[name] = true
			}
		}
	}
	for name := range want {
		if !seen[name] {
			t.Errorf("%s: no CWNetlink capture", name)
		}
	}
}
