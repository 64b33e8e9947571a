package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// kvmFakeResults builds what the guest's init prints for a run where eproc
// reports exits (a map from the stream's reason spelling to count) and
// vmstatus.
func kvmFakeResults(exits map[string]int, vmstatus string, dropped int) string {
	var b strings.Builder
	sec := func(name, body string) {
		fmt.Fprintf(&b, "==== BEGIN %s ====\n%s==== END %s ====\n", name, body, name)
	}
	trace := "total 1005\n      1 PF excp\n      1 hlt\n      3 interrupt\n   1000 io\n"
	sec("uname", "Linux (none) 6.1.0-56-amd64\n")
	sec("a_guest", "guest: io=1000 hlt=1\nexit=0\n")
	sec("a_trace", trace)
	sec("b_pid", "134\n")
	sec("b_vmstatus", vmstatus+"\n")
	sec("b_guest", "guest: io=1000 hlt=1\nexit=0\n")
	sec("b_trace", trace)
	var s strings.Builder
	s.WriteString("134   execve(\"/guest\", [\"/guest\", \"1000\"], 0x11309910 /* 5 vars */) = 0\n")
	reasons := make([]string, 0, len(exits))
	for r := range exits {
		reasons = append(reasons, r)
	}
	sort.Strings(reasons)
	for _, r := range reasons {
		for i := 0; i < exits[r]; i++ {
			q := r
			if strings.Contains(r, " ") {
				q = strconv.Quote(r)
			}
			switch r {
			case "io":
				fmt.Fprintf(&s, "134   --- KVM_EXIT {vcpu=0, isa=svm, reason=io, rip=0x100a, info1=0x100020, info2=0x100b} ---\n")
			case "hlt":
				fmt.Fprintf(&s, "134   --- KVM_EXIT {vcpu=0, isa=svm, reason=hlt, rip=0x100e, info1=0x0, info2=0x0} ---\n")
			default:
				fmt.Fprintf(&s, "134   --- KVM_EXIT {vcpu=0, isa=svm, reason=%s, rip=0x100b, info1=0x0, info2=0x0} ---\n", q)
			}
			if r == "io" || r == "hlt" {
				s.WriteString("134   ioctl(6, _IOC(_IOC_NONE, 0xae, 0x80, 0), 0x0) = 0\n")
			}
		}
	}
	s.WriteString("134   +++ exited with 0 +++\n")
	fmt.Fprintf(&s, "Traced ~1037 syscs, Dropped %d\n", dropped)
	sec("b_strace", s.String())
	b.WriteString("==== DONE ====\n")
	return b.String()
}

// TestKVMChecks runs the KVM guest test's result checks on made-up results,
// right and wrong, so that they are known to work before a guest boots.
func TestKVMChecks(t *testing.T) {
	good := map[string]int{"io": 1000, "hlt": 1, "interrupt": 3, "PF excp": 1}
	vm := `{"PF":1,"hlt":1,"interrupt":3,"io":1000}`
	secs := kvmSections(strings.ReplaceAll(kvmFakeResults(good, vm, 0), "\n", "\r\n"))
	if c := kvmCheckA(secs); len(c.problems) > 0 {
		t.Errorf("part a, right results: %q", c.problems)
	}
	if c := kvmCheckB(secs); len(c.problems) > 0 {
		t.Errorf("part b, right results: %q", c.problems)
	}

	for _, tc := range []struct {
		name     string
		exits    map[string]int
		vmstatus string
		dropped  int
		want     string // in one of the problems
	}{
		{"no vmstatus", good, "cat: can't open '/mnt/eproc/134/vmstatus': No such file or directory", 0, "vmstatus is not a JSON object"},
		{"vmstatus strings", good, `{"io":"1000"}`, 0, "vmstatus is not a JSON object"},
		{"vmstatus short", good, `{"PF":1,"hlt":1,"interrupt":3,"io":999}`, 0, "vmstatus io = 999"},
		{"vmstatus missing reason", good, `{"PF":1,"interrupt":3,"io":1000}`, 0, "exit reason hlt: vmstatus 0, tracefs 1"},
		{"stream short", map[string]int{"io": 999, "hlt": 1, "interrupt": 3, "PF excp": 1}, vm, 0, "999 KVM_EXIT lines with reason=io"},
		{"stream extra", map[string]int{"io": 1000, "hlt": 1, "interrupt": 4, "PF excp": 1}, vm, 0, "exit reason interrupt: 4 KVM_EXIT lines"},
		{"no KVM_EXIT lines", nil, vm, 0, "0 KVM_EXIT lines with reason=io"},
		{"dropped", good, vm, 3, "Dropped 3"},
		{"vmstatus other spelling", good, `{"pf":1,"hlt":1,"interrupt":3,"io":1000}`, 0, ""},
	} {
		secs := kvmSections(kvmFakeResults(tc.exits, tc.vmstatus, tc.dropped))
		c := kvmCheckB(secs)
		if tc.want == "" {
			if len(c.problems) > 0 {
				t.Errorf("%s: want no problem, got %q", tc.name, c.problems)
			}
			continue
		}
		if !strings.Contains(strings.Join(c.problems, "\n"), tc.want) {
			t.Errorf("%s: want a problem with %q, got %q", tc.name, tc.want, c.problems)
		}
	}
	ioLine := "134   --- KVM_EXIT {vcpu=0, isa=svm, reason=io, rip=0x100a, info1=0x100020, info2=0x100b} ---\n"
	for _, tc := range []struct{ name, old, new, want string }{
		{"io rip", "reason=io, rip=0x100a", "reason=io, rip=0x100b", "io KVM_EXIT line: rip=0x100b, want 0x100a"},
		{"io info1", "info1=0x100020", "info1=0x20", "io KVM_EXIT line: info1=0x20, want 0x100020"},
		{"isa", "isa=svm, reason=io", "isa=vmx, reason=io", "isa=vmx, want svm"},
		{"hlt rip", "reason=hlt, rip=0x100e", "reason=hlt, rip=0x100f", "hlt KVM_EXIT line: rip=0x100f"},
		{"two exits before a KVM_RUN", ioLine, ioLine + ioLine, "follows 2 io/hlt KVM_EXIT lines"},
		{"pid", ioLine, strings.Replace(ioLine, "134", "135", 1), "do not carry the guest's pid 134"},
		{"malformed", ioLine, "134   --- KVM_EXIT vcpu=0 ---\n", "malformed KVM_EXIT line"},
		{"no KVM_RUN name", "ioctl(6, _IOC(_IOC_NONE, 0xae, 0x80, 0), 0x0)", "ioctl(6, 0xae80, 0)", "ioctl KVM_RUN lines, want at least 1001"},
	} {
		res := kvmFakeResults(good, vm, 0)
		if !strings.Contains(res, tc.old) {
			t.Fatalf("%s: %q not in the made-up results", tc.name, tc.old)
		}
		c := kvmCheckB(kvmSections(strings.Replace(res, tc.old, tc.new, 1)))
		if !strings.Contains(strings.Join(c.problems, "\n"), tc.want) {
			t.Errorf("%s: want a problem with %q, got %q", tc.name, tc.want, c.problems)
		}
	}
	if c := kvmCheckB(map[string]string{}); len(c.problems) == 0 || !strings.Contains(c.problems[0], "part b did not run") {
		t.Errorf("part b missing: got %q", c.problems)
	}

	for in, want := range map[string]string{"PF excp": "pf", "PF": "pf", "io": "io", "EXTERNAL_INTERRUPT": "external_interrupt", "avic_incomplete_ipi": "avic_incomplete_ipi"} {
		if got := kvmReason(in); got != want {
			t.Errorf("kvmReason(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestKVMInitramfs checks the cpio writer with busybox's cpio.
func TestKVMInitramfs(t *testing.T) {
	bb, err := exec.LookPath("busybox")
	if err != nil {
		t.Skip("no busybox")
	}
	dir := t.TempDir()
	src := filepath.Join(dir, "src")
	os.WriteFile(src, []byte("hello"), 0o644)
	path := filepath.Join(dir, "initramfs.cpio")
	err = kvmInitramfs(path, []kvmFile{
		{name: "init", mode: 0o755, data: []byte("#!/bin/sh\n")},
		{name: "lib/modules/x.ko", mode: 0o644, src: src},
		{name: "proc", mode: syscall.S_IFDIR | 0o755},
	})
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bb, "cpio", "-tv", "-F", path).CombinedOutput()
	if err != nil {
		t.Fatalf("busybox cpio -t: %v\n%s", err, out)
	}
	for _, want := range []string{"crw------- ", " dev/console", "-rwxr-xr-x ", " init", "drwxr-xr-x ", " lib/modules", " 5 ", " lib/modules/x.ko", " proc"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("cpio listing lacks %q:\n%s", want, out)
		}
	}
	x := filepath.Join(dir, "x")
	os.Mkdir(x, 0o755)
	cmd := exec.Command(bb, "cpio", "-i", "-d", "-F", path, "lib/modules/x.ko")
	cmd.Dir = x
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("busybox cpio -i: %v\n%s", err, out)
	}
	if b, _ := os.ReadFile(filepath.Join(x, "lib/modules/x.ko")); string(b) != "hello" {
		t.Errorf("x.ko unpacked as %q", b)
	}
}
