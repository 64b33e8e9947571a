package loader

import (
	"os"
	"testing"

	"github.com/eproc/eproc/loader/wire"
)

// TestABIMatchesHeader checks the Go mirror of bpf/eproc.h's map constants,
// and that package wire's record sizes are those of the generated types.
func TestABIMatchesHeader(t *testing.T) {
	src, err := os.ReadFile("../bpf/eproc.h")
	if err != nil {
		t.Fatal(err)
	}
	defs := wire.CDefines(src)
	want := map[string]int{
		"SF_TIME": sfTime, "SF_LATENCY": sfLatency, "SF_UNPRIV": sfUnpriv, "SF_OKONLY": sfOKOnly, "SF_FAILONLY": sfFailOnly, "SF_STACK": sfStack, "SF_WHOLE": sfWhole, "SF_CPUTIME": sfCPUTime, "SF_IP": sfIP,
		"TF_INHERIT": TFInherit, "TF_SPAWNER": TFSpawner, "TF_WAITEXEC": TFWaitExec, "TF_SIGPEND": TFSigPend,
		"EPROC_MAX_SESSIONS": MaxSessions, "EPROC_MAX_SYSCALLS": MaxSyscalls, "EPROC_SCRATCH": Scratch,
		"EPROC_MAX_CGROUPS": MaxCgroups, "EPROC_CGROUP_LEVELS": CgroupLevels,
	}
	for name, v := range want {
		got, ok := defs[name]
		if !ok {
			t.Errorf("%s: not found in eproc.h", name)
			continue
		}
		if got != v {
			t.Errorf("%s: eproc.h says %d, Go says %d", name, got, v)
		}
	}
	for i, s := range recordSizes {
		if s[0] != s[1] {
			t.Errorf("record size %d: the object's BTF says %d bytes, package wire %d", i, s[0], s[1])
		}
	}
}
