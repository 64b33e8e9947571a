package strace

import "testing"

// TestErrnoTexts: the texts made once are what errnoText makes for every
// number, and a few are strace's own.
func TestErrnoTexts(t *testing.T) {
	var a, b printer
	for e := int64(0); e < 4096; e++ {
		a.b, b.b = a.b[:0], b.b[:0]
		errno(&a, e)
		errnoText(&b, e)
		if string(a.b) != string(b.b) {
			t.Fatalf("errno %d: %q, made: %q", e, a.b, b.b)
		}
	}
	for e, want := range map[int64]string{
		2:    "-1 ENOENT (No such file or directory)",
		95:   "-1 EOPNOTSUPP (Operation not supported)",
		512:  "? ERESTARTSYS (To be restarted if SA_RESTART is set)",
		516:  "? ERESTART_RESTARTBLOCK (Interrupted by signal)",
		4095: "-1 E??? (errno 4095)",
	} {
		a.b = a.b[:0]
		if errno(&a, e); string(a.b) != want {
			t.Errorf("errno %d: %q, want %q", e, a.b, want)
		}
	}
}
