package strace

import (
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// SignalSet is strace's -e signal=SET: the signals whose `--- SIGxxx ---`
// lines are printed (Options.Signals; nil prints all).
type SignalSet [4]uint64

// Has reports whether sig is in the set.
func (s *SignalSet) Has(sig int) bool {
	return sig >= 0 && sig < 256 && s[sig/64]&(1<<(sig%64)) != 0
}

// ParseSignals parses -e signal=SET as strace 6.1 does: signals by name,
// with or without SIG, case ignored (SIGRTMIN, SIGRT_n too), or by number
// (0-255), separated by commas; "all", "none"; "!" before them all to
// negate. The result is nil for all.
func ParseSignals(expr string) (*SignalSet, error) {
	neg := strings.HasPrefix(expr, "!")
	expr = strings.TrimPrefix(expr, "!")
	var set SignalSet
	if expr == "" {
		return nil, fmt.Errorf("invalid signal ''")
	}
	for _, w := range strings.Split(expr, ",") {
		switch lw := strings.ToLower(w); {
		case w == "":
		case lw == "all":
			set = SignalSet{^uint64(0), ^uint64(0), ^uint64(0), ^uint64(0)}
		case lw == "none":
		default:
			sig, ok := signalNumber(w)
			if !ok {
				return nil, fmt.Errorf("invalid signal '%s'", w)
			}
			set[sig/64] |= 1 << (sig % 64)
		}
	}
	if neg {
		for i := range set {
			set[i] = ^set[i]
		}
	}
	if set == (SignalSet{^uint64(0), ^uint64(0), ^uint64(0), ^uint64(0)}) {
		return nil, nil
	}
	return &set, nil
}

// SignalNumber is the number of a signal named as strace's options take
// it: SIGUSR1, usr1, 10, SIGRTMIN, SIGRT_3.
func SignalNumber(name string) (int, bool) { return signalNumber(name) }

// signalNumber is the number of a signal named as -e signal= takes it.
func signalNumber(w string) (int, bool) {
	if n, err := strconv.Atoi(w); err == nil {
		return n, n >= 0 && n < 256
	}
	name := strings.ToUpper(w)
	if !strings.HasPrefix(name, "SIG") {
		name = "SIG" + name
	}
	if name == "SIGRTMIN" {
		return 34, true
	}
	if rt, ok := strings.CutPrefix(name, "SIGRT_"); ok {
		n, err := strconv.Atoi(rt)
		return 34 + n, err == nil && n >= 0 && n <= 32
	}
	if sig := unix.SignalNum(name); sig != 0 {
		return int(sig), true
	}
	return 0, false
}
