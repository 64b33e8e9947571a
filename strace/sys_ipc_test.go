package strace

import (
	"slices"
	"testing"
)

// strace 6.1's ipc_* tests trace with -e ipc (a class name without its %)
// and shmxt with -e trace=/(osf_)?shmat,shmdt (a regular expression).
func TestFilterLegacyClassAndRegexp(t *testing.T) {
	ipc, err := ParseFilter("ipc")
	if err != nil {
		t.Fatal(err)
	}
	want, _ := ParseFilter("%ipc")
	if !slices.Equal(ipc, want) || len(ipc) == 0 {
		t.Errorf("ipc: %v, %%ipc: %v", ipc, want)
	}
	got, err := ParseFilter("/(osf_)?shmat,shmdt")
	if err != nil {
		t.Fatal(err)
	}
	at, _ := Number("shmat")
	dt, _ := Number("shmdt")
	if !slices.Equal(got, []uint32{min(at, dt), max(at, dt)}) {
		t.Errorf("/(osf_)?shmat,shmdt: %v", got)
	}
	if _, err := ParseFilter("/^nosuchcall$"); err == nil {
		t.Error("a regexp that matches nothing is not an error")
	}
}
