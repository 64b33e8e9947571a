package wire

import "testing"

// TestParseExecOrig: an EV_EXEC's OrigArgc (after old_tid and ncaps) and
// its captures, argv[0] the call was given (capture 3) among them.
func TestParseExecOrig(t *testing.T) {
	b := make([]byte, ExecSize+CapSize+8)
	le.PutUint16(b, EvExec)
	le.PutUint16(b[2:], uint16(len(b)))
	le.PutUint32(b[24:], 5)
	le.PutUint32(b[32:], 42)
	le.PutUint16(b[36:], 1)
	le.PutUint32(b[40:], 3)
	b[ExecSize] = 3
	le.PutUint32(b[ExecSize+4:], 5)
	copy(b[ExecSize+CapSize:], "other")
	var x Exec
	if err := ParseExec(b, &x); err != nil {
		t.Fatal(err)
	}
	if x.Argc != 5 || x.OldTid != 42 || x.OrigArgc != 3 || len(x.Caps) != 1 || x.Caps[0].Arg != 3 || string(x.Caps[0].Data) != "other" {
		t.Fatalf("parsed %+v", x)
	}
	le.PutUint32(b[40:], 0xffffffff)
	if err := ParseExec(b, &x); err != nil || x.OrigArgc != -1 {
		t.Fatalf("orig argc %d (%v), want -1", x.OrigArgc, err)
	}
}
