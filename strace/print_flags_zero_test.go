package strace

import "testing"

// TestFlagsZeroVerbose: a flags argument of 0 whose table names no 0
// prints 0 under -X verbose as strace's printflags does, no "0 /* 0 */"
// (strace 6.1: sendto(3, "x", 1, 0, NULL, 0) = 1 with -X verbose); one
// with flags keeps its comment.
func TestFlagsZeroVerbose(t *testing.T) {
	verbose := Options{ConstStyle: ConstVerbose}
	checkLine(t, decodeLineOpt(t, verbose, "sendto", 1, [6]uint64{3, 0, 1, 0, 0, 0}), `sendto(3, NULL, 1, 0, NULL, 0) = 1`)
	checkLine(t, decodeLineOpt(t, verbose, "sendto", 1, [6]uint64{3, 0, 1, 0x40, 0, 0}), `sendto(3, NULL, 1, 0x40 /* MSG_DONTWAIT */, NULL, 0) = 1`)
}
