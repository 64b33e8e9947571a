package strace

import (
	"runtime"
	"testing"
)

// needPause returns pause's number on this architecture, for the tests
// whose records are a pause; arm64 has none (nor unix.SYS_PAUSE, which
// kept the package's tests from building for it): they skip there.
func needPause(t *testing.T) uint32 {
	t.Helper()
	nr, ok := Number("pause")
	if !ok {
		t.Skipf("no pause on %s", runtime.GOARCH)
	}
	return nr
}
