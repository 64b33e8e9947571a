package main

// The KVM guest test's checks (see kvm_test.go): what the scenario's parts
// printed, against the guest's own count and tracefs's. They take the
// parsed sections, so that TestKVMChecks runs them on made-up results.

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/eproc/eproc/cmd/eproc/internal/kvmguest"
)

var kvmGuestLineRE = regexp.MustCompile(`(?m)^guest: io=(\d+) hlt=(\d+)$`)

// kvmGuestOut checks the guest program's output (its line and exit=0) and
// returns its io count.
func kvmGuestOut(c *kvmguest.Check, out string) int {
	m := kvmGuestLineRE.FindStringSubmatch(out)
	if m == nil {
		c.Errorf("guest output has no 'guest: io=N hlt=1' line:\n%s", out)
		return -1
	}
	if !strings.Contains(out, "exit=0") {
		c.Errorf("guest did not exit 0:\n%s", out)
	}
	io, _ := strconv.Atoi(m[1])
	if io != kvmGuestIO || m[2] != "1" {
		c.Errorf("guest counted io=%s hlt=%s, want io=%d hlt=1", m[1], m[2], kvmGuestIO)
	}
	return io
}

// kvmCheckA checks part a: the guest alone, tracefs counting its exits.
func kvmCheckA(secs map[string]string) *kvmguest.Check {
	c := &kvmguest.Check{}
	out, ok := secs["a_guest"]
	if !ok {
		c.Errorf("part a did not run: no a_guest section")
		return c
	}
	kvmGuestOut(c, out)
	tr := kvmguest.Counts(secs["a_trace"])
	c.Logf("tracefs kvm_exit counts: %v", tr)
	if tr["io"] != kvmGuestIO {
		c.Errorf("tracefs counted %d io exits, want %d", tr["io"], kvmGuestIO)
	}
	if tr["hlt"] != 1 {
		c.Errorf("tracefs counted %d hlt exits, want 1", tr["hlt"])
	}
	return c
}

var (
	kvmExitLineRE = regexp.MustCompile(`^(\d+)\s+--- KVM_EXIT \{(.*)\} ---$`)
	kvmFieldRE    = regexp.MustCompile(`(?:^|, )(\w+)=("(?:[^"\\]|\\.)*"|[^,]*)`)
	kvmHangupRE   = regexp.MustCompile(`(?m)^Traced ~(\d+) syscs, Dropped (\d+)$`)
	kvmRunRE      = regexp.MustCompile(`ioctl\(\d+, (KVM_RUN|_IOC\(_IOC_NONE, 0xae, 0x80, 0\))`)
)

// kvmCheckB checks part b: eproc's vmstatus and stream against the guest's
// own count and tracefs's.
func kvmCheckB(secs map[string]string) *kvmguest.Check {
	c := &kvmguest.Check{}
	if _, ok := secs["b_guest"]; !ok {
		c.Errorf("part b did not run (eproc mount not ready?); eproc log:\n%s", secs["eproc_log"])
		return c
	}
	c.Logf("times (guest uptime): %s", strings.TrimSpace(secs["b_times"]))
	pid := strings.TrimSpace(secs["b_pid"])
	guestIO := kvmGuestOut(c, secs["b_guest"])

	tr := kvmguest.Counts(secs["b_trace"])
	delete(tr, "total")
	c.Logf("tracefs kvm_exit counts: %v", tr)
	if tr["io"] != kvmGuestIO {
		c.Errorf("tracefs counted %d io exits, want %d", tr["io"], kvmGuestIO)
	}
	trN := kvmguest.NormCounts(tr)
	kvmCheckVmstatus(c, secs["b_vmstatus"], guestIO, trN)

	// The stream: KVM_EXIT lines per reason, KVM_RUN ioctls, the hang-up line.
	stream := secs["b_strace"]
	c.Logf("strace stream (lines, bytes): %s; cat: %s", strings.TrimSpace(secs["b_strace_size"]), strings.TrimSpace(secs["b_strace_err"]))
	kvmLogExcerpt(c, stream)
	kvmCheckStream(c, stream, pid, trN)
	if len(c.Problems) > 0 {
		kvmLogDebug(c, stream, secs["eproc_log"])
	}
	return c
}

// kvmCheckVmstatus checks vmstatus, a JSON object from exit reason to
// count, against the guest's io count and tracefs's counts (normalized).
func kvmCheckVmstatus(c *kvmguest.Check, vmstatus string, guestIO int, trN map[string]int) {
	raw := strings.TrimSpace(vmstatus)
	var vm map[string]int
	if err := json.Unmarshal([]byte(raw), &vm); err != nil {
		c.Errorf("vmstatus is not a JSON object of counts (%v): %q", err, raw)
		return
	}
	c.Logf("vmstatus: %s", raw)
	vmN := kvmguest.NormCounts(vm)
	if vmN["io"] != kvmGuestIO || vmN["io"] != guestIO {
		c.Errorf("vmstatus io = %d, want %d (the guest counted %d)", vmN["io"], kvmGuestIO, guestIO)
	}
	for _, r := range kvmguest.SortedKeys(vmN, trN) {
		if vmN[r] != trN[r] {
			c.Errorf("exit reason %s: vmstatus %d, tracefs %d", r, vmN[r], trN[r])
		}
	}
}

// kvmLogExcerpt notes an excerpt of the stream: the first exits, and the
// end.
func kvmLogExcerpt(c *kvmguest.Check, stream string) {
	ls := strings.Split(stream, "\n")
	if len(ls) == 0 {
		return
	}
	first := 0
	for i, l := range ls {
		if strings.Contains(l, "KVM_EXIT") {
			first = max(0, i-4)
			break
		}
	}
	c.Logf("stream excerpt:\n%s\n...\n%s", strings.Join(ls[first:min(len(ls), first+12)], "\n"), strings.Join(ls[max(0, len(ls)-8):], "\n"))
}

// kvmStream is what kvmScanStream counted in the stream.
type kvmStream struct {
	exits                   map[string]int // KVM_EXIT lines by reason, as spelled
	runs, badPid, malformed int
	misordered, badFields   int
	userExits               int // io/hlt KVM_EXIT lines since the last KVM_RUN
}

// The guest's io exits, as SVM reports them: `out dx, ax` at 0x100a,
// info1 = port 0x10 << 16 | 16-bit (0x20) | out (0), info2 = next rip.
var kvmWantIO = map[string]string{"vcpu": "0", "isa": "svm", "rip": "0x100a", "info1": "0x100020", "info2": "0x100b"}

// kvmScanStream goes through the stream's lines, checking each KVM_EXIT
// line (its pid, its fields for io and hlt exits) and that the exit that
// returns to the VMM (io, hlt) comes right before the KVM_RUN it ends: one
// per KVM_RUN line. It reports the first few problems of each kind.
func kvmScanStream(c *kvmguest.Check, stream, pid string) *kvmStream {
	st := &kvmStream{exits: map[string]int{}}
	for _, line := range strings.Split(stream, "\n") {
		if m := kvmExitLineRE.FindStringSubmatch(line); m != nil {
			if m[1] != pid {
				st.badPid++
			}
			f := kvmExitFields(m[2])
			if r, ok := f["reason"]; ok {
				st.exits[r]++
				st.exit(c, kvmguest.Reason(r), f, line)
				continue
			}
		}
		if strings.Contains(line, "KVM_EXIT") {
			if st.malformed++; st.malformed <= 5 {
				c.Errorf("malformed KVM_EXIT line: %q", line)
			}
		}
		if kvmRunRE.MatchString(line) && !strings.Contains(line, "resumed>") {
			st.runs++
			if st.userExits != 1 {
				if st.misordered++; st.misordered <= 3 {
					c.Errorf("KVM_RUN line #%d follows %d io/hlt KVM_EXIT lines since the previous one, want 1: %s", st.runs, st.userExits, line)
				}
			}
			st.userExits = 0
		}
	}
	return st
}

// exit checks the fields f of a KVM_EXIT line with the (normalized) reason.
func (st *kvmStream) exit(c *kvmguest.Check, reason string, f map[string]string, line string) {
	switch reason {
	case "io":
		st.userExits++
		for k, v := range kvmWantIO {
			if f[k] != v {
				if st.badFields++; st.badFields <= 3 {
					c.Errorf("io KVM_EXIT line: %s=%s, want %s (tracefs shows %s): %s", k, f[k], v, v, line)
				}
			}
		}
	case "hlt":
		st.userExits++
		if f["rip"] != "0x100e" {
			c.Errorf("hlt KVM_EXIT line: rip=%s, want 0x100e: %s", f["rip"], line)
		}
	}
}

// kvmCheckStream checks the stream's KVM_EXIT lines and KVM_RUN ioctls
// (see kvmScanStream), their counts against tracefs's (normalized), and
// its hang-up line.
func kvmCheckStream(c *kvmguest.Check, stream, pid string, trN map[string]int) {
	st := kvmScanStream(c, stream, pid)
	if st.misordered > 3 {
		c.Errorf("%d KVM_RUN lines in all not preceded by exactly one io/hlt KVM_EXIT line", st.misordered)
	}
	if st.badFields > 3 {
		c.Errorf("%d wrong fields in io KVM_EXIT lines in all", st.badFields)
	}
	c.Logf("stream: KVM_EXIT lines per reason %v, KVM_RUN ioctls %d", st.exits, st.runs)
	if st.malformed > 5 {
		c.Errorf("%d malformed KVM_EXIT lines in all", st.malformed)
	}
	if st.badPid > 0 {
		c.Errorf("%d KVM_EXIT lines do not carry the guest's pid %s", st.badPid, pid)
	}
	exN := kvmguest.NormCounts(st.exits)
	if exN["io"] != kvmGuestIO {
		c.Errorf("stream has %d KVM_EXIT lines with reason=io, want %d", exN["io"], kvmGuestIO)
	}
	for _, r := range kvmguest.SortedKeys(exN, trN) {
		if exN[r] != trN[r] {
			c.Errorf("exit reason %s: %d KVM_EXIT lines in the stream, tracefs %d", r, exN[r], trN[r])
		}
	}
	// Every io exit and the hlt exit return to the VMM: one KVM_RUN each.
	if st.runs < kvmGuestIO+1 {
		c.Errorf("stream has %d ioctl KVM_RUN lines, want at least %d", st.runs, kvmGuestIO+1)
	}
	if m := kvmHangupRE.FindStringSubmatch(stream); m == nil {
		c.Errorf("stream has no 'Traced ~N syscs, Dropped M' line; its tail:\n%s", kvmguest.Tail(stream, 20))
	} else if m[2] != "0" {
		c.Errorf("stream: Dropped %s, want 0", m[2])
	}
}

// kvmLogDebug notes, for a failed part b, eproc's log and parts of the
// stream.
func kvmLogDebug(c *kvmguest.Check, stream, eprocLog string) {
	c.Logf("eproc log:\n%s", kvmguest.Tail(eprocLog, 40))
	var ex []string
	for _, line := range strings.Split(stream, "\n") {
		if strings.Contains(line, "KVM_EXIT") && len(ex) < 10 {
			ex = append(ex, line)
		}
	}
	c.Logf("stream head:\n%s\nfirst KVM_EXIT lines:\n%s\nstream tail:\n%s",
		kvmguest.Head(stream, 20), strings.Join(ex, "\n"), kvmguest.Tail(stream, 10))
}

// kvmExitFields parses the key=value list of a KVM_EXIT line; quoted values
// ("PF excp") are unquoted.
func kvmExitFields(s string) map[string]string {
	f := map[string]string{}
	for _, m := range kvmFieldRE.FindAllStringSubmatch(s, -1) {
		v := m[2]
		if u, err := strconv.Unquote(v); err == nil && strings.HasPrefix(v, `"`) {
			v = u
		}
		f[m[1]] = v
	}
	return f
}

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
	secs := kvmguest.Sections(strings.ReplaceAll(kvmFakeResults(good, vm, 0), "\n", "\r\n"))
	if c := kvmCheckA(secs); len(c.Problems) > 0 {
		t.Errorf("part a, right results: %q", c.Problems)
	}
	if c := kvmCheckB(secs); len(c.Problems) > 0 {
		t.Errorf("part b, right results: %q", c.Problems)
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
		secs := kvmguest.Sections(kvmFakeResults(tc.exits, tc.vmstatus, tc.dropped))
		c := kvmCheckB(secs)
		if tc.want == "" {
			if len(c.Problems) > 0 {
				t.Errorf("%s: want no problem, got %q", tc.name, c.Problems)
			}
			continue
		}
		if !strings.Contains(strings.Join(c.Problems, "\n"), tc.want) {
			t.Errorf("%s: want a problem with %q, got %q", tc.name, tc.want, c.Problems)
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
		c := kvmCheckB(kvmguest.Sections(strings.Replace(res, tc.old, tc.new, 1)))
		if !strings.Contains(strings.Join(c.Problems, "\n"), tc.want) {
			t.Errorf("%s: want a problem with %q, got %q", tc.name, tc.want, c.Problems)
		}
	}
	if c := kvmCheckB(map[string]string{}); len(c.Problems) == 0 || !strings.Contains(c.Problems[0], "part b did not run") {
		t.Errorf("part b missing: got %q", c.Problems)
	}

	for in, want := range map[string]string{"PF excp": "pf", "PF": "pf", "io": "io", "EXTERNAL_INTERRUPT": "external_interrupt", "avic_incomplete_ipi": "avic_incomplete_ipi"} {
		if got := kvmguest.Reason(in); got != want {
			t.Errorf("kvmguest.Reason(%q) = %q, want %q", in, got, want)
		}
	}
}
