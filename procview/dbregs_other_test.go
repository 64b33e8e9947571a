//go:build !amd64

package procview

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
)

// dbregs is x86's: elsewhere EOPNOTSUPP, and one log line saying why.
func TestDbregsUnsupported(t *testing.T) {
	_, m, logs := mountObserved(t)
	pid := startSleeper(t, "/", `exec sleep 100`)
	if _, err := os.ReadFile(filepath.Join(m, strconv.Itoa(pid), "dbregs")); !errors.Is(err, syscall.EOPNOTSUPP) {
		t.Errorf("dbregs: %v, want EOPNOTSUPP", err)
	}
	if logs.FilterField(fieldWhy(whyDbregs)).Len() != 1 {
		t.Errorf("dbregs: no log line saying why")
	}
}
