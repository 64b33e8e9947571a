package strace

// Helpers of the oracle comparison (oracle_test.go): parsing `strace -f -o`
// output (strace's own or eproc's), normalizing what legitimately differs
// between two runs of the same workload, and aligning the two traces of one
// process so that differing lines can be reported one by one.

import (
	"fmt"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/eproc/eproc/strace/stracetest"
)

// tline is one logical line of a trace: a syscall (its `<unfinished ...>`
// and `<... resumed>` halves joined), a signal (---), or an exit (+++).
type tline struct {
	pid  int
	kind byte   // 'c' call, 's' signal, 'x' exit (+++), 'o' anything else
	name string // syscall name, signal name, "+++" or ""
	ret  string // a call's result text after " = ", raw (before normalization)
	text string // normalized text, pid column removed
	raw  string // the text as printed (joined), pid column removed
	// lit is text with the task ids left as numbers, and tasks names them:
	// two lines are compared by stracetest.SameLine.
	lit   string
	tasks stracetest.Tasks
	// dump: the -e read= / write= dump lines after the call's line.
	dump string
	// open: an `<unfinished ...>` call never resumed.
	open bool
}

// trace is a parsed output file: per logical process, its lines in order.
type trace struct {
	procs        map[string][]tline // logical name (P1, P1.2, ...) -> lines
	names        stracetest.Tasks   // real pid -> logical name
	hangups      []string           // `Traced ~N syscs, Dropped M` lines, in order
	lastIsHangup bool
	other        []string // lines that fit no pattern (should be none)
	calls        int      // syscall lines (joined)
}

var (
	rePidLine  = regexp.MustCompile(`^(\d+) +(.*)$`)
	reCallName = regexp.MustCompile(`^([a-z_][a-z0-9_]*)\(`)
	reResumed  = regexp.MustCompile(`^<\.\.\. ([a-z_][a-z0-9_]*) resumed>(.*)$`)
	reSigName  = regexp.MustCompile(`^--- (\w+)`)
	reHangup   = regexp.MustCompile(`^Traced ~(\d+) syscs, Dropped (\d+)$`)
	reAddr     = regexp.MustCompile(`0x[0-9a-f]{6,}`)
	reNumber   = regexp.MustCompile(`\b\d+\b`)
	reResult   = regexp.MustCompile(`(\S) {2,}= `)
	reRandom   = regexp.MustCompile(`^getrandom\("(?:[^"\\]|\\.)*"(?:\.\.\.)?`)
	// Values that depend on time, not on the program: the child's CPU
	// times in a SIGCHLD, struct timespec/timeval fields, rusage, sysinfo's
	// uptime, memory and process counts. A clock_t in ticks (si_utime,
	// si_stime) has its seconds after it unless it is 0: `=1 /* 0.01 s */`.
	reTimes = regexp.MustCompile(`\b(si_utime|si_stime|tv_sec|tv_nsec|tv_usec|ru_maxrss|ru_minflt|ru_majflt|ru_nvcsw|ru_nivcsw|` +
		`uptime|freeram|sharedram|bufferram|freeswap|procs)=\d+(?: /\* \d+\.\d+ s \*/)?`)
	reLoads = regexp.MustCompile(`\bloads=\[\d+, \d+, \d+\]`)
	// A line of -e read= / write='s dump: a hex line, a buffer's or a
	// vector's heading.
	reDumpLine = regexp.MustCompile(`^ (\| [0-9a-f]{5,}  |\| <\d+ more bytes|\* \d+ bytes in buffer \d+$|= \d+ buffers in vector \d+$)`)
	// Ports the kernel picks (ephemeral ports of bind to 0 and connect).
	rePort = regexp.MustCompile(`\b(sin6?_port)=htons\(\d+\)`)
)

// forkers are the calls whose result is a new task's id.
var forkers = map[string]bool{"clone": true, "clone3": true, "fork": true, "vfork": true}

// parseTrace parses an `-f -o FILE` trace. tracerPid is the pid of the
// tracer (strace or eproc), shown as TRACER where a traced program names it
// (getppid).
func parseTrace(data string, tracerPid int) *trace {
	tr := &trace{procs: map[string][]tline{}, names: stracetest.Tasks{}}
	all := tr.join(data)
	tr.nameTasks(all, tracerPid)
	sort.SliceStable(all, func(i, j int) bool { return all[i].order < all[j].order })
	for _, e := range all {
		e.ret = result(e.raw)
		e.text = normalize(e.raw, tr.names)
		e.lit, e.tasks = normalize(e.raw, nil), tr.names
		if e.kind == 'c' {
			tr.calls++
		}
		n := tr.names[e.pid]
		tr.procs[n] = append(tr.procs[n], e.tline)
	}
	return tr
}

// tentry is a trace line, unfinished and resumed halves joined, and its
// place in the file.
type tentry struct {
	tline
	order int
}

// join reads the lines: hang-up lines and lines that fit no pattern go to
// tr, the rest are returned, each call's halves joined.
func (tr *trace) join(data string) []*tentry {
	var all []*tentry
	pending := map[int]*tentry{}
	var last *tentry // the call whose line ended last: a dump follows it
	lines := strings.Split(strings.TrimRight(data, "\n"), "\n")
	for i, l := range lines {
		if l == "" || strings.HasPrefix(l, "strace: ") {
			continue
		}
		if reDumpLine.MatchString(l) && last != nil {
			last.dump += l + "\n"
			continue
		}
		if reHangup.MatchString(l) {
			tr.hangups = append(tr.hangups, l)
			tr.lastIsHangup = i == len(lines)-1
			continue
		}
		m := rePidLine.FindStringSubmatch(l)
		if m == nil {
			tr.other = append(tr.other, l)
			continue
		}
		pid, _ := strconv.Atoi(m[1])
		rest := m[2]
		if rm := reResumed.FindStringSubmatch(rest); rm != nil {
			if e := pending[pid]; e != nil && e.name == rm[1] {
				e.raw += rm[2]
				e.open = false
				last = e
				delete(pending, pid)
				if strings.HasSuffix(e.raw, " <unfinished ...>") {
					e.raw = strings.TrimSuffix(e.raw, " <unfinished ...>")
					e.open = true
					pending[pid] = e
				}
				continue
			}
			// A resumption whose start we did not see: keep it as is.
			all = append(all, &tentry{tline{pid: pid, kind: 'c', name: rm[1], raw: rest}, len(all)})
			continue
		}
		e := &tentry{tline{pid: pid, raw: rest}, len(all)}
		tr.classify(e, l)
		if e.kind == 'c' && strings.HasSuffix(rest, " <unfinished ...>") {
			e.raw = strings.TrimSuffix(rest, " <unfinished ...>")
			e.open = true
			if old := pending[pid]; old != nil {
				old.raw += " <unfinished ...>" // superseded: never resumed
			}
			pending[pid] = e
		}
		last = e
		all = append(all, e)
	}
	for _, e := range pending {
		e.raw += " <unfinished ...>"
	}
	return all
}

// classify sets a line's kind (call, signal, exit, other) and name.
func (tr *trace) classify(e *tentry, l string) {
	rest := e.raw
	switch {
	case strings.HasPrefix(rest, "--- "):
		e.kind = 's'
		if sm := reSigName.FindStringSubmatch(rest); sm != nil {
			e.name = "--- " + sm[1]
		}
	case strings.HasPrefix(rest, "+++ "):
		e.kind, e.name = 'x', "+++"
	default:
		if cm := reCallName.FindStringSubmatch(rest); cm != nil {
			e.kind, e.name = 'c', cm[1]
		} else {
			e.kind = 'o'
			tr.other = append(tr.other, l)
		}
	}
}

// nameTasks names the tasks by the tree of forks, so that names do not
// depend on which task the scheduler ran first: the first task is P1, the
// k-th task created by X is X.k.
func (tr *trace) nameTasks(all []*tentry, tracerPid int) {
	children := map[int][]int{}
	var first []int
	seen := map[int]bool{}
	for _, e := range all {
		if !seen[e.pid] {
			seen[e.pid] = true
			first = append(first, e.pid)
		}
		if e.kind == 'c' && forkers[e.name] {
			if r := result(e.raw); r != "" {
				if n, err := strconv.Atoi(r); err == nil && n > 0 {
					children[e.pid] = append(children[e.pid], n)
				}
			}
		}
	}
	var name func(pid int, n string)
	name = func(pid int, n string) {
		if _, ok := tr.names[pid]; ok {
			return
		}
		tr.names[pid] = n
		for k, c := range children[pid] {
			name(c, n+"."+strconv.Itoa(k+1))
		}
	}
	if len(first) > 0 {
		name(first[0], "P1")
	}
	u := 0
	for _, pid := range first {
		if _, ok := tr.names[pid]; !ok {
			u++
			name(pid, "U"+strconv.Itoa(u))
		}
	}
	if tracerPid > 0 {
		if _, ok := tr.names[tracerPid]; !ok {
			tr.names[tracerPid] = "TRACER"
		}
	}
}

// result returns what follows the last " = " of a call line.
func result(raw string) string {
	i := strings.LastIndex(raw, " = ")
	if i < 0 {
		return ""
	}
	r := raw[i+3:]
	if j := strings.IndexByte(r, ' '); j >= 0 {
		r = r[:j]
	}
	return r
}

// normalize removes from a line what differs between two runs of the same
// program: addresses (ASLR), task ids, random bytes, times, and the padding
// before " = " (which depends on whether the call was split in two lines).
func normalize(s string, names map[int]string) string {
	s = reResult.ReplaceAllString(s, "$1 = ")
	s = reRandom.ReplaceAllString(s, `getrandom("RANDOM"`)
	s = reAddr.ReplaceAllString(s, "0xADDR")
	s = reTimes.ReplaceAllString(s, "$1=T")
	s = reLoads.ReplaceAllString(s, "loads=[T]")
	s = rePort.ReplaceAllString(s, "$1=htons(PORT)")
	s = reNumber.ReplaceAllStringFunc(s, func(n string) string {
		if len(n) < 3 { // task ids are never that small here; small numbers are fds and sizes
			return n
		}
		v, err := strconv.Atoi(n)
		if err != nil {
			return n
		}
		if name, ok := names[v]; ok {
			return name
		}
		return n
	})
	return s
}

// pair is one step of an alignment: indexes into the two sequences, -1
// where one side has nothing.
type pair struct{ a, b int }

// align aligns two sequences of keys by longest common subsequence.
func align(a, b []string) []pair {
	n, m := len(a), len(b)
	// Trim the common prefix and suffix first: traces are mostly equal.
	pre := 0
	for pre < n && pre < m && a[pre] == b[pre] {
		pre++
	}
	suf := 0
	for suf < n-pre && suf < m-pre && a[n-1-suf] == b[m-1-suf] {
		suf++
	}
	var out []pair
	for i := 0; i < pre; i++ {
		out = append(out, pair{i, i})
	}
	a2, b2 := a[pre:n-suf], b[pre:m-suf]
	la, lb := len(a2), len(b2)
	if la*lb > 4e7 { // too big to align: pair them up in order
		for i := 0; i < la || i < lb; i++ {
			p := pair{-1, -1}
			if i < la {
				p.a = pre + i
			}
			if i < lb {
				p.b = pre + i
			}
			out = append(out, p)
		}
	} else {
		dp := make([][]int32, la+1)
		for i := range dp {
			dp[i] = make([]int32, lb+1)
		}
		for i := la - 1; i >= 0; i-- {
			for j := lb - 1; j >= 0; j-- {
				if a2[i] == b2[j] {
					dp[i][j] = dp[i+1][j+1] + 1
				} else if dp[i+1][j] >= dp[i][j+1] {
					dp[i][j] = dp[i+1][j]
				} else {
					dp[i][j] = dp[i][j+1]
				}
			}
		}
		i, j := 0, 0
		for i < la || j < lb {
			switch {
			case i < la && j < lb && a2[i] == b2[j]:
				out = append(out, pair{pre + i, pre + j})
				i++
				j++
			case j >= lb || (i < la && dp[i+1][j] >= dp[i][j+1]):
				out = append(out, pair{pre + i, -1})
				i++
			default:
				out = append(out, pair{-1, pre + j})
				j++
			}
		}
	}
	for k := 0; k < suf; k++ {
		out = append(out, pair{n - suf + k, m - suf + k})
	}
	return out
}

// coreNames are the syscalls sys_core.go gives a signature: their lines
// must already equal strace's. Read from the source, so that the set
// follows the file.
func coreNames() (map[string]bool, error) {
	src, err := os.ReadFile("sys_core.go")
	if err != nil {
		return nil, err
	}
	out := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^\s*"([a-z0-9_]+)":\s*\{`).FindAllStringSubmatch(string(src), -1) {
		out[m[1]] = true
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no signatures found in sys_core.go")
	}
	return out, nil
}

// decodedName reports whether some family file gives name a signature.
func decodedName(name string) bool {
	nr, ok := Number(name)
	return ok && Decoded(nr)
}

// procNames returns a trace's logical process names, sorted.
func (tr *trace) procNames() []string {
	var out []string
	for n := range tr.procs {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// keys returns the names of lines, dropping those in skip.
func keys(ls []tline, skip func(tline) bool) ([]string, []int) {
	var k []string
	var idx []int
	for i, l := range ls {
		if skip != nil && skip(l) {
			continue
		}
		k = append(k, l.name)
		idx = append(idx, i)
	}
	return k, idx
}

// newText is a decoder whose one sink is strace's text, kept for TakeInto.
func newText(opt Options) (*Decoder, *Text) {
	txt := NewText(opt, nil)
	return NewDecoder(txt), txt
}

// TestParseTraceTaskCollision: CI's freshly booted machine gave the tracer
// pid 832, the size of the dynamic loader's first read, in one run only.
// The two runs' lines still compare as the same, and a real task id still
// compares by name.
func TestParseTraceTaskCollision(t *testing.T) {
	const run = `%d execve("/bin/true", ["true"], 0x7ffd00000000 /* 9 vars */) = 0
%[1]d read(3, "\177ELF\2\1\1\3"..., 832) = 832
%[1]d getppid()                        = %[2]d
%[1]d exit_group(0)                     = ?
%[1]d +++ exited with 0 +++
`
	a := parseTrace(fmt.Sprintf(run, 900, 832), 832)
	b := parseTrace(fmt.Sprintf(run, 1100, 21000), 21000)
	la, lb := a.procs["P1"], b.procs["P1"]
	if len(la) != 5 || len(lb) != 5 {
		t.Fatalf("parsed %d and %d lines, want 5", len(la), len(lb))
	}
	if la[1].text == lb[1].text {
		t.Fatalf("the collision is not reproduced: %q", la[1].text)
	}
	for i := range la {
		if !stracetest.SameLine(la[i].lit, lb[i].lit, la[i].tasks, lb[i].tasks) {
			t.Errorf("line %d differs:\n  %s\n  %s", i, la[i].lit, lb[i].lit)
		}
	}
	c := parseTrace(fmt.Sprintf(run, 1100, 1100), 21000) // getppid() names P1, not the tracer
	if stracetest.SameLine(la[2].lit, c.procs["P1"][2].lit, la[2].tasks, c.procs["P1"][2].tasks) {
		t.Errorf("getppid() = TRACER and getppid() = P1 compare as the same")
	}
}

// TestNormalizeChildCPU: CI's crash-nv run had a child killed after 1 tick
// of system time in eproc's run and none in strace's; a clock_t's seconds
// (`=1 /* 0.01 s */`) are the tick count's, hidden with it.
func TestNormalizeChildCPU(t *testing.T) {
	const sig = `--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_KILLED, si_pid=7, si_uid=0, si_status=SIGSEGV, si_utime=%s, si_stime=%s} ---`
	a := normalize(fmt.Sprintf(sig, "0", "0"), nil)
	b := normalize(fmt.Sprintf(sig, "12 /* 0.12 s */", "1 /* 0.01 s */"), nil)
	if a != b {
		t.Errorf("child CPU times not hidden:\n%s\n%s", a, b)
	}
	if c := normalize(strings.Replace(fmt.Sprintf(sig, "1 /* 0.01 s */", "0"), "SIGSEGV", "SIGABRT", 1), nil); c == a {
		t.Errorf("more than the times hidden: %s", c)
	}
}
