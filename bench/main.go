// Command bench measures eproc's overhead side by side with untraced runs,
// strace and perf trace. Runs are interleaved (every repetition runs each
// workload under each mode, in shuffled order) so that machine drift
// cancels; it prints the median wall time of the workload itself, the ratio
// to untraced, and the drops eproc reported. `make bench` runs it.
//
// After the table it measures the view daemon's memory with 100 live
// sessions and how long `eproc mount` takes to serve.
//
//	go run ./bench [-reps 5] [-slow-reps 3] [-eproc ./eproc] [-workloads dd,fork] [-modes untraced,trace]
//
// BENCH_QUICK=1 (or -quick) runs 2 repetitions, strace and perf trace in
// one of them.
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/link"
	"github.com/cilium/ebpf/rlimit"
)

type workload struct {
	name  string
	about string
	cmd   []string
}

type result struct {
	dur     time.Duration
	cpu     time.Duration // CPU time of the tracer: eproc trace, strace or perf trace itself, or the view daemon
	drops   string
	foreign bool // another program's BPF links were live (other eproc tests on the machine)
}

// mode runs a command line and returns how long the workload itself took.
type mode struct {
	name  string
	about string
	run   func(cmd []string) (result, error)
}

var (
	eprocBin = flag.String("eproc", "./eproc", "eproc binary")
	reps     = flag.Int("reps", 5, "repetitions of each workload under each mode")
	only     = flag.String("workloads", "", "comma-separated workloads (default: all)")
	modesArg = flag.String("modes", "", "comma-separated modes (default: all available)")
	mnt      = flag.String("mnt", "", "where to mount the view (default: a temporary directory)")
	slowReps = flag.Int("slow-reps", 3, "repetitions of the slow modes (strace, perf trace), interleaved with the first ones")
	quick    = flag.Bool("quick", os.Getenv("BENCH_QUICK") != "", "2 repetitions, slow modes in 1 (also BENCH_QUICK=1)")
	viewRing = flag.Int("view-ring", 0, "ring size of the view's sessions (eproc mount -b; 0: its default)")
	eprocB   = flag.String("eproc-b", "", "a second eproc binary, for A/B comparisons: adds the mode eproc-trace-b")
	nRSS     = flag.Int("rss-sessions", 100, "live sessions for the daemon memory measurement (0: skip)")
	nReady   = flag.Int("ready-reps", 5, "eproc mount start-ups timed (0: skip)")
	nTriples = flag.Int("floor-triples", 15, "dd untraced / filter-only / 10 sessions triples for the floor comparison (0: skip)")
)

// slow modes run only in the first -slow-reps repetitions: strace takes
// minutes on dd.
var slowModes = map[string]bool{"strace": true, "perf-trace": true}

func main() {
	if len(os.Args) > 1 && os.Args[1] == "exec-timed" {
		execTimed(os.Args[2:])
		return
	}
	flag.Parse()
	if os.Geteuid() != 0 {
		fatal("bench needs root (BPF, FUSE)")
	}
	if *quick {
		*reps, *slowReps = 2, 1
	}
	printMachine()
	self, err := os.Executable()
	if err != nil {
		fatal("%v", err)
	}
	work, err := os.MkdirTemp("", "eproc-bench")
	if err != nil {
		fatal("%v", err)
	}
	defer os.RemoveAll(work)

	workloads := makeWorkloads(work)
	var ready []time.Duration
	if *nReady > 0 {
		// Before anything else is loaded: a daemon's start-up on its own.
		ready = mountReady(work, *nReady)
	}
	modes, cleanup := makeModes(self, work)
	defer cleanup()
	workloads = filter(workloads, *only, func(w workload) string { return w.name })
	allModes := modes
	if *modesArg == "" {
		*modesArg = "untraced,eproc-trace,eproc-trace-b,eproc-view,untraced+1-sessions,untraced+10-sessions,untraced+filter-only,untraced+noop-prog,strace,perf-trace"
	}
	modes = filter(modes, *modesArg, func(m mode) string { return m.name })

	results := map[string]map[string][]result{}
	rng := rand.New(rand.NewSource(time.Now().UnixNano()))
	for r := 0; r < *reps; r++ {
		for _, w := range workloads {
			order := rng.Perm(len(modes))
			for _, i := range order {
				m := modes[i]
				if slowModes[m.name] && r >= *slowReps {
					continue
				}
				settle()
				f1 := waitClean()
				res, err := m.run(w.cmd)
				res.foreign = f1 || foreignLinks() > 0
				if err != nil {
					fmt.Fprintf(os.Stderr, "bench: %s under %s: %v\n", w.name, m.name, err)
					continue
				}
				if results[w.name] == nil {
					results[w.name] = map[string][]result{}
				}
				results[w.name][m.name] = append(results[w.name][m.name], res)
			}
		}
		fmt.Fprintf(os.Stderr, "bench: repetition %d of %d done\n", r+1, *reps)
	}
	printTable(workloads, modes, results)
	if viewPid > 0 {
		fmt.Printf("\nduring the untraced runs the view daemon held %d BPF links besides KVM counting's (0: no syscall program of eproc's attached)\n", maxIdleLinks)
	}
	if *nTriples > 0 {
		floorTriples(workloads, allModes, *nTriples)
	}
	if *nRSS > 0 && viewPid > 0 {
		fmt.Println()
		daemonMemory(viewDir, viewPid, *nRSS)
	}
	if len(ready) > 0 {
		fmt.Println()
		sort.Slice(ready, func(i, j int) bool { return ready[i] < ready[j] })
		fmt.Printf("eproc mount ready (exec to first answered lookup of self): median %d ms, min %d ms, max %d ms over %d start-ups\n",
			ready[len(ready)/2].Milliseconds(), ready[0].Milliseconds(), ready[len(ready)-1].Milliseconds(), len(ready))
	}
	fmt.Printf("\nload average at the end: %s\n", loadavg())
}

func loadavg() string {
	b, _ := os.ReadFile("/proc/loadavg")
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}

// printMachine prints what the numbers were measured on, and how.
func printMachine() {
	model := "?"
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(l, ":"); ok && strings.TrimSpace(k) == "model name" {
				model = strings.TrimSpace(v)
				break
			}
		}
	}
	var u syscall.Utsname
	syscall.Uname(&u)
	rel := func(a [65]int8) string {
		var b []byte
		for _, c := range a {
			if c == 0 {
				break
			}
			b = append(b, byte(c))
		}
		return string(b)
	}
	var si syscall.Sysinfo_t
	syscall.Sysinfo(&si)
	fmt.Printf("machine: %d CPUs (%s), %d GiB, Linux %s; load average at the start: %s\n",
		runtime.NumCPU(), model, si.Totalram*uint64(si.Unit)>>30, rel(u.Release), loadavg())
	fmt.Printf("command: %s\n\n", strings.Join(os.Args, " "))
}

func makeWorkloads(dir string) []workload {
	build := filepath.Join(dir, "cproj")
	makeCProject(build, 96)
	threads := filepath.Join(dir, "threads")
	if err := makeThreads(threads); err != nil {
		fatal("build the threads workload: %v", err)
	}
	return []workload{
		{"dd", "dd bs=1 count=500000: 1M read/write syscalls", []string{"dd", "if=/dev/zero", "of=/dev/null", "bs=1", "count=500000", "status=none"}},
		{"fork", "2000 x /bin/true from a shell", []string{"sh", "-c", "i=0; while [ $i -lt 2000 ]; do /bin/true; i=$((i+1)); done"}},
		{"build", "make -j2 of a 96-file C project (clean first)", []string{"sh", "-c", "make -s -C " + build + " clean >/dev/null && make -s -j2 -C " + build}},
		{"threads", "64 pthreads at once, 5000 x (1-byte write + sched_yield) each: 640k syscalls from both CPUs into one session", []string{threads}},
	}
}

// makeThreads builds the many-thread program: threads that make small
// syscalls all at once, from every CPU, into one session (its ring is shared
// by all of them).
func makeThreads(bin string) error {
	src := bin + ".c"
	os.WriteFile(src, []byte(`#include <pthread.h>
#include <fcntl.h>
#include <sched.h>
#include <unistd.h>
#define NT 64
#define N 5000
static int fd;
static void *run(void *a) {
	(void)a;
	for (int i = 0; i < N; i++) {
		write(fd, "x", 1);
		sched_yield();
	}
	return 0;
}
int main(void) {
	pthread_t t[NT];
	fd = open("/dev/null", O_WRONLY);
	for (int i = 0; i < NT; i++)
		pthread_create(&t[i], 0, run, 0);
	for (int i = 0; i < NT; i++)
		pthread_join(t[i], 0);
	return 0;
}
`), 0o644)
	out, err := exec.Command("cc", "-O2", "-pthread", "-o", bin, src).CombinedOutput()
	if err != nil {
		return fmt.Errorf("%v: %s", err, out)
	}
	return nil
}

// makeCProject writes n small C files and a Makefile.
func makeCProject(dir string, n int) {
	os.MkdirAll(dir, 0o755)
	var objs []string
	for i := 0; i < n; i++ {
		src := fmt.Sprintf("#include <stdio.h>\n#include <string.h>\n#include <stdlib.h>\nint f%d(int x) { char b[64]; snprintf(b, sizeof b, \"%%d\", x); return (int)strlen(b) + x * %d; }\n", i, i)
		os.WriteFile(filepath.Join(dir, fmt.Sprintf("f%d.c", i)), []byte(src), 0o644)
		objs = append(objs, fmt.Sprintf("f%d.o", i))
	}
	var decl, calls strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&decl, "int f%d(int);\n", i)
		fmt.Fprintf(&calls, "s += f%d(%d);\n", i, i)
	}
	os.WriteFile(filepath.Join(dir, "main.c"), []byte(decl.String()+"int main(void) { int s = 0;\n"+calls.String()+"return s == 0; }\n"), 0o644)
	mk := "OBJS = main.o " + strings.Join(objs, " ") + "\nprog: $(OBJS)\n\tcc -o prog $(OBJS)\n%.o: %.c\n\tcc -O1 -c $<\nclean:\n\trm -f prog *.o\n"
	os.WriteFile(filepath.Join(dir, "Makefile"), []byte(mk), 0o644)
}

var dropsRe = regexp.MustCompile(`Traced ~(\d+) syscs, Dropped (\d+)`)

func makeModes(self, dir string) ([]mode, func()) {
	timed := func(cmd []string) []string { return append([]string{self, "exec-timed", "--"}, cmd...) }
	var cleanups []func()
	modes := []mode{
		{"untraced", "nothing traced, programs detached", func(cmd []string) (result, error) {
			if viewPid > 0 {
				if n := bpfLinks(viewPid); n > maxIdleLinks {
					maxIdleLinks = n
				}
			}
			return runTimed(timed(cmd), nil)
		}},
		{"eproc-trace", "eproc trace -f -o /dev/null", func(cmd []string) (result, error) {
			return runTimed(append([]string{*eprocBin, "trace", "-f", "-D", "-o", "/dev/null", "--"}, timed(cmd)...), dropsRe)
		}},
	}
	if *eprocB != "" {
		modes = append(modes, mode{"eproc-trace-b", *eprocB + " trace -f -o /dev/null", func(cmd []string) (result, error) {
			return runTimed(append([]string{*eprocB, "trace", "-f", "-D", "-o", "/dev/null", "--"}, timed(cmd)...), dropsRe)
		}})
	}
	if view, stop, err := startView(dir); err == nil {
		viewDir = view
		cleanups = append(cleanups, stop)
		modes = append(modes, mode{"eproc-view", "straceall in the view, cat draining strace", func(cmd []string) (result, error) {
			return runView(view, timed(cmd))
		}})
		// The cost of eproc for processes it does not trace, while sessions
		// are live: with one (the programs' filter alone) and with ten.
		for _, n := range []int{1, 10} {
			n := n
			modes = append(modes, mode{fmt.Sprintf("untraced+%d-sessions", n), fmt.Sprintf("untraced, %d other sessions live", n), func(cmd []string) (result, error) {
				stopIdle, err := idleSessions(view, n)
				if err != nil {
					return result{}, err
				}
				defer stopIdle()
				return runTimed(timed(cmd), nil)
			}})
		}
	} else {
		fmt.Fprintf(os.Stderr, "bench: no view (%v): skipping the view modes\n", err)
	}
	if fo, err := loadFloor(); err == nil {
		cleanups = append(cleanups, func() { fo.Close() })
		// untraced runs cmd untraced with the programs of attach attached.
		untraced := func(attach ...func() (link.Link, error)) func(cmd []string) (result, error) {
			return func(cmd []string) (result, error) {
				for _, a := range attach {
					l, err := a()
					if err != nil {
						return result{}, err
					}
					defer l.Close()
				}
				return runTimed(timed(cmd), nil)
			}
		}
		sysExit := func(p *ebpf.Program) func() (link.Link, error) {
			return func() (link.Link, error) { return link.AttachTracing(link.TracingOptions{Program: p}) }
		}
		execveTP := func() (link.Link, error) { return link.Tracepoint("syscalls", "sys_enter_execve", fo.ExecveNoop, nil) }
		modes = append(modes,
			mode{"untraced+filter-only", "untraced, a sys_exit program doing only the traced-map lookup attached (the floor)",
				untraced(sysExit(fo.FilterOnly))},
			mode{"untraced+noop-prog", "untraced, a sys_exit program that does nothing attached (the syscall slow path and the BPF dispatch alone)",
				untraced(sysExit(fo.Noop))},
			// Not in the table (-modes untraced+filter+execve-tp to add it):
			// the floor sets use it to tell what eproc's execve tracepoints add.
			mode{"untraced+filter+execve-tp", "the floor plus a no-op syscalls:sys_enter_execve program (as eproc attaches)",
				untraced(sysExit(fo.FilterOnly), execveTP)})
	} else {
		fmt.Fprintf(os.Stderr, "bench: no filter-only floor: %v\n", err)
	}
	if _, err := exec.LookPath("strace"); err == nil {
		modes = append(modes, mode{"strace", "strace -f -o /dev/null", func(cmd []string) (result, error) {
			return runTimed(append([]string{"strace", "-f", "-o", "/dev/null", "--"}, timed(cmd)...), nil)
		}})
	}
	if perfWorks() {
		modes = append(modes, mode{"perf-trace", "perf trace -o /dev/null", func(cmd []string) (result, error) {
			return runTimed(append([]string{"perf", "trace", "-o", "/dev/null", "--"}, timed(cmd)...), nil)
		}})
	} else {
		fmt.Fprintln(os.Stderr, "bench: perf trace does not work here: skipping it")
	}
	return modes, func() {
		for _, c := range cleanups {
			c()
		}
	}
}

// floorTriples measures what eproc costs processes it does not trace
// against the floor, more finely than the table: dd untraced, under the
// filter-only program, and with 10 sessions live, in triples run back to
// back (shuffled within each), and the median of each triple's ratios.
func floorTriples(workloads []workload, modes []mode, n int) {
	var dd *workload
	for i := range workloads {
		if workloads[i].name == "dd" {
			dd = &workloads[i]
		}
	}
	byName := map[string]mode{}
	for _, m := range modes {
		byName[m.name] = m
	}
	names := []string{"untraced", "untraced+filter-only", "untraced+10-sessions", "untraced+filter+execve-tp", "untraced+noop-prog"}
	for _, nm := range names {
		if _, ok := byName[nm]; !ok || dd == nil {
			return
		}
	}
	var floorR, tenR, tenFloor, execR, noopR []float64
	rng := rand.New(rand.NewSource(time.Now().UnixNano()))
	foreign := 0
	for i := 0; i < n; i++ {
		d := map[string]float64{}
		dirty := false
		for _, j := range rng.Perm(len(names)) {
			settle()
			dirty = waitClean() || dirty
			res, err := byName[names[j]].run(dd.cmd)
			if err != nil {
				fmt.Fprintf(os.Stderr, "bench: floor triple: %v\n", err)
				return
			}
			d[names[j]] = res.dur.Seconds()
		}
		if dirty || foreignLinks() > 0 {
			foreign++
			continue
		}
		floorR = append(floorR, d[names[1]]/d[names[0]])
		tenR = append(tenR, d[names[2]]/d[names[0]])
		tenFloor = append(tenFloor, d[names[2]]/d[names[1]])
		execR = append(execR, d[names[3]]/d[names[1]])
		noopR = append(noopR, d[names[4]]/d[names[0]])
	}
	if len(floorR) == 0 {
		fmt.Printf("\ndd triples: all %d had other processes' BPF programs attached: no floor comparison\n", n)
		return
	}
	med := func(x []float64) float64 { sort.Float64s(x); return x[len(x)/2] }
	fmt.Printf("\ndd, %d triples, %d left out (another process had BPF programs attached)", len(floorR), foreign)
	fmt.Printf(" (untraced, filter-only floor, 10 sessions live, floor + execve tracepoint, no-op program; shuffled, back to back; medians of per-set ratios):\n")
	fmt.Printf("  no-op program / untraced    %.3fx (any syscall tracepoint program)\n", med(noopR))
	fmt.Printf("  filter-only / untraced      %.3fx\n", med(floorR))
	fmt.Printf("  10 sessions / untraced      %.3fx\n", med(tenR))
	fmt.Printf("  10 sessions / filter-only   %.3fx (target: at most 1.03x)\n", med(tenFloor))
	fmt.Printf("  filter-only + a no-op sys_enter_execve tracepoint / filter-only   %.3fx\n", med(execR))
}

// loadFloor loads the filter-only program (bpf/filteronly.c).
func loadFloor() (*filteronlyObjects, error) {
	if err := rlimit.RemoveMemlock(); err != nil {
		return nil, err
	}
	var o filteronlyObjects
	if err := loadFilteronlyObjects(&o, nil); err != nil {
		return nil, err
	}
	return &o, nil
}

// settle waits until the view daemon has detached its programs (the
// sessions of the previous run have ended), so that no run pays for
// another's.
func settle() {
	if viewPid <= 0 {
		return
	}
	t0 := time.Now()
	for bpfLinks(viewPid) > 0 {
		if time.Since(t0) > 10*time.Second {
			fmt.Fprintln(os.Stderr, "bench: the view daemon still has programs attached after 10 s")
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// foreignLinks counts the BPF links held by processes other than the bench
// and its view daemon: on a shared machine, another eproc (a test run)
// attached to sys_exit makes every syscall of every process, the untraced
// baseline's too, pay for its filter.
func foreignLinks() int {
	ents, _ := os.ReadDir("/proc")
	n := 0
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == os.Getpid() || pid == viewPid {
			continue
		}
		n += bpfLinks(pid)
	}
	return n
}

var (
	cleanWait   = flag.Duration("clean-wait", 20*time.Second, "how long a run waits for other processes' BPF links to go (the run is marked foreign otherwise)")
	cleanBudget = flag.Duration("clean-budget", 4*time.Minute, "how long all runs together may wait for that")
)

// waitClean waits, up to -clean-wait (and within -clean-budget), until no
// other process holds BPF links; it reports whether some still do.
func waitClean() bool {
	t0 := time.Now()
	defer func() { *cleanBudget -= time.Since(t0) }()
	for foreignLinks() > 0 {
		if time.Since(t0) > min(*cleanWait, *cleanBudget) {
			return true
		}
		time.Sleep(100 * time.Millisecond)
	}
	return false
}

// maxIdleLinks is the most BPF links the view daemon held during an
// untraced run: 0 says nothing of eproc's was attached.
var maxIdleLinks = 0

// bpfLinks counts the BPF link file descriptors process pid holds, but
// for KVM exit counting's (programs kvm_*), which eproc keeps attached for
// as long as it runs: they cost one lookup per process exit, nothing per
// syscall.
func bpfLinks(pid int) int {
	ents, _ := os.ReadDir(fmt.Sprintf("/proc/%d/fd", pid))
	n := 0
	for _, e := range ents {
		if t, err := os.Readlink(fmt.Sprintf("/proc/%d/fd/%s", pid, e.Name())); err == nil && t == "anon_inode:bpf_link" {
			if !kvmLink(pid, e.Name()) {
				n++
			}
		}
	}
	return n
}

// kvmLink reports whether link fd of process pid runs one of eproc's KVM
// programs.
func kvmLink(pid int, fd string) bool {
	id, ok := fdinfo(pid, fd)["prog_id"]
	if !ok {
		return false
	}
	p, err := ebpf.NewProgramFromID(ebpf.ProgramID(id))
	if err != nil {
		return false
	}
	defer p.Close()
	info, err := p.Info()
	return err == nil && strings.HasPrefix(info.Name, "kvm_")
}

// fdinfo reads the numeric fields of /proc/PID/fdinfo/FD.
func fdinfo(pid int, fd string) map[string]uint64 {
	out := map[string]uint64{}
	b, _ := os.ReadFile(fmt.Sprintf("/proc/%d/fdinfo/%s", pid, fd))
	for _, l := range strings.Split(string(b), "\n") {
		k, v, _ := strings.Cut(l, ":")
		if n, err := strconv.ParseUint(strings.TrimSpace(v), 10, 64); err == nil {
			out[k] = n
		}
	}
	return out
}

func perfWorks() bool {
	if _, err := exec.LookPath("perf"); err != nil {
		return false
	}
	return exec.Command("perf", "trace", "-o", "/dev/null", "--", "true").Run() == nil
}

// runTimed runs argv, whose innermost command is `bench exec-timed`, and
// returns the workload's own time from its BENCH_NS line.
func runTimed(argv []string, drops *regexp.Regexp) (result, error) {
	c := exec.Command(argv[0], argv[1:]...)
	var errb strings.Builder
	c.Stderr = &errb
	c.Stdout = io.Discard
	if err := c.Run(); err != nil {
		return result{}, fmt.Errorf("%v: %s", err, tail(errb.String()))
	}
	res, err := parseTimed(errb.String(), drops)
	if err == nil {
		// The tracer's own CPU: the whole tree's (wait4 counts the
		// descendants each waited for) less the workload's, which
		// exec-timed reports.
		res.cpu = c.ProcessState.UserTime() + c.ProcessState.SystemTime() - res.cpu
	}
	return res, err
}

// procCPU is a process's user + system time, all threads, from
// /proc/PID/stat (clock ticks, 10 ms here).
func procCPU(pid int) time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	s := string(b)
	if i := strings.LastIndexByte(s, ')'); i >= 0 {
		s = s[i+2:]
	}
	f := strings.Fields(s)
	if len(f) < 13 {
		return 0
	}
	u, _ := strconv.ParseInt(f[11], 10, 64)
	k, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(u+k) * time.Second / 100
}

func parseTimed(out string, drops *regexp.Regexp) (result, error) {
	var res result
	m := regexp.MustCompile(`BENCH_NS=(\d+)`).FindStringSubmatch(out)
	if m == nil {
		return res, fmt.Errorf("no timing in output: %s", tail(out))
	}
	ns, _ := strconv.ParseInt(m[1], 10, 64)
	res.dur = time.Duration(ns)
	if m := regexp.MustCompile(`BENCH_CPU_NS=(\d+)`).FindStringSubmatch(out); m != nil {
		ns, _ := strconv.ParseInt(m[1], 10, 64)
		res.cpu = time.Duration(ns)
	}
	if drops != nil {
		if d := drops.FindStringSubmatch(out); d != nil {
			res.drops = d[2]
		}
	}
	return res, nil
}

func tail(s string) string {
	if len(s) > 400 {
		s = "..." + s[len(s)-400:]
	}
	return s
}

// execTimed runs a command and prints its wall time; with --ctl VIEW it
// first puts itself under straceall in the view and waits on stdin until
// the reader is there.
func execTimed(args []string) {
	if len(args) > 0 && args[0] == "--ctl" {
		view := args[1]
		args = args[2:]
		if err := os.WriteFile(filepath.Join(view, strconv.Itoa(os.Getpid()), "ctl"), []byte("straceall"), 0); err != nil {
			fatal("straceall: %v", err)
		}
		fmt.Println("READY")
		var b [1]byte
		os.Stdin.Read(b[:])
	}
	if len(args) > 0 && args[0] == "--" {
		args = args[1:]
	}
	c := exec.Command(args[0], args[1:]...)
	c.Stdout, c.Stderr = os.Stdout, os.Stderr
	start := time.Now()
	err := c.Run()
	el := time.Since(start)
	fmt.Fprintf(os.Stderr, "BENCH_NS=%d\n", el.Nanoseconds())
	if c.ProcessState != nil {
		fmt.Fprintf(os.Stderr, "BENCH_CPU_NS=%d\n", (c.ProcessState.UserTime() + c.ProcessState.SystemTime()).Nanoseconds())
	}
	if err != nil {
		os.Exit(1)
	}
}

// The view daemon the view modes use.
var (
	viewDir string
	viewPid int
)

func startView(dir string) (string, func(), error) {
	view := *mnt
	if view == "" {
		view = filepath.Join(dir, "view")
	}
	os.MkdirAll(view, 0o755)
	args := []string{"mount", "-q"}
	if *viewRing > 0 {
		args = append(args, "-b", strconv.Itoa(*viewRing))
	}
	c := exec.Command(*eprocBin, append(args, view)...)
	c.Stdout, c.Stderr = io.Discard, io.Discard
	if err := c.Start(); err != nil {
		return "", nil, err
	}
	stop := func() {
		c.Process.Signal(syscall.SIGTERM)
		c.Wait()
	}
	for i := 0; i < 100; i++ {
		if _, err := os.Stat(filepath.Join(view, "self")); err == nil {
			viewPid = c.Process.Pid
			return view, stop, nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	stop()
	return "", nil, errors.New("view did not come up")
}

// runView runs the workload under straceall, with a reader draining the
// session's strace file the whole time.
func runView(view string, argv []string) (result, error) {
	argv = append([]string{argv[0], "exec-timed", "--ctl", view}, argv[3:]...)
	c := exec.Command(argv[0], argv[1:]...)
	stdin, _ := c.StdinPipe()
	stdout, _ := c.StdoutPipe()
	var errb strings.Builder
	c.Stderr = &errb
	if err := c.Start(); err != nil {
		return result{}, err
	}
	line, _ := bufio.NewReader(stdout).ReadString('\n')
	if strings.TrimSpace(line) != "READY" {
		c.Wait()
		return result{}, fmt.Errorf("timer did not start: %q %s", line, tail(errb.String()))
	}
	f, err := os.Open(filepath.Join(view, strconv.Itoa(c.Process.Pid), "strace"))
	if err != nil {
		stdin.Close()
		c.Wait()
		return result{}, err
	}
	last := make(chan string)
	go func() {
		// Drain, keeping only the end: the hang-up line.
		buf := make([]byte, 256<<10)
		var end []byte
		for {
			n, err := f.Read(buf)
			if n > 0 {
				end = append(end[:0], buf[max(0, n-200):n]...)
			}
			if err != nil {
				break
			}
		}
		f.Close()
		last <- string(end)
	}()
	cpu0 := procCPU(viewPid)
	stdin.Write([]byte{1})
	stdin.Close()
	werr := c.Wait()
	end := <-last
	cpu := procCPU(viewPid) - cpu0
	if werr != nil {
		return result{}, fmt.Errorf("%v: %s", werr, tail(errb.String()))
	}
	res, err := parseTimed(errb.String()+"\n"+end, dropsRe)
	res.cpu = cpu
	return res, err
}

// idleSessions starts n sleeping processes, each traced in a session of
// its own, and returns a function that ends them.
func idleSessions(view string, n int) (func(), error) {
	var procs []*exec.Cmd
	stop := func() {
		for _, p := range procs {
			p.Process.Kill()
			p.Wait()
		}
	}
	for i := 0; i < n; i++ {
		p := exec.Command("sleep", "600")
		if err := p.Start(); err != nil {
			stop()
			return nil, err
		}
		procs = append(procs, p)
		if err := os.WriteFile(filepath.Join(view, strconv.Itoa(p.Process.Pid), "ctl"), []byte("straceme"), 0); err != nil {
			stop()
			return nil, err
		}
	}
	return stop, nil
}

// clean keeps the runs no other process's BPF programs were attached
// during, when there are at least two.
func clean(rs []result) []result {
	var out []result
	for _, r := range rs {
		if !r.foreign {
			out = append(out, r)
		}
	}
	if len(out) < 2 {
		return rs
	}
	return out
}

func printTable(workloads []workload, modes []mode, results map[string]map[string][]result) {
	fmt.Printf("%-9s %-22s %10s %8s %8s %7s %8s\n", "workload", "mode", "median s", "ratio", "drops", "runs", "tracer s")
	for _, w := range workloads {
		base := median(clean(results[w.name]["untraced"]))
		for _, m := range modes {
			all := results[w.name][m.name]
			if len(all) == 0 {
				continue
			}
			rs := clean(all)
			med := median(rs)
			ratio := "-"
			if base > 0 {
				ratio = fmt.Sprintf("%.2fx", float64(med)/float64(base))
			}
			drops := "-"
			var ds []string
			for _, r := range rs {
				if r.drops != "" {
					ds = append(ds, r.drops)
				}
			}
			if len(ds) > 0 {
				drops = strings.Join(uniq(ds), "/")
			}
			runs := strconv.Itoa(len(rs))
			if len(rs) < len(all) {
				runs = fmt.Sprintf("%d/%d", len(rs), len(all))
			} else if rs[0].foreign {
				runs += "!"
			}
			cpu := "-"
			if m.name != "untraced" && !strings.HasPrefix(m.name, "untraced+") {
				cs := make([]result, len(rs))
				for i, r := range rs {
					cs[i] = result{dur: r.cpu}
				}
				if c := median(cs); c >= 0 {
					cpu = fmt.Sprintf("%.3f", c.Seconds())
				} else {
					cpu = "?" // the tracer does not reap the workload (perf trace): its CPU is not in the tree's
				}
			}
			fmt.Printf("%-9s %-22s %10.3f %8s %8s %7s %8s\n", w.name, m.name, med.Seconds(), ratio, drops, runs, cpu)
		}
	}
	fmt.Println("\nruns: k/n: medians of the k runs during which no other process had BPF programs attached;")
	fmt.Println("n!: every run had (other eproc test runs on the machine), so the baseline paid for their filter too.")
	fmt.Println("tracer s: median CPU time of the tracer itself (eproc trace, strace, perf trace: its process tree less the")
	fmt.Println("workload's; eproc-view: the view daemon's, in 10 ms ticks; the reader's own is not counted; ?: perf trace")
	fmt.Println("does not reap the workload, so its CPU cannot be told from the workload's this way).")
	fmt.Println()
	for _, w := range workloads {
		fmt.Printf("%-9s %s\n", w.name, w.about)
	}
	for _, m := range modes {
		fmt.Printf("%-22s %s\n", m.name, m.about)
	}
}

func median(rs []result) time.Duration {
	if len(rs) == 0 {
		return 0
	}
	ds := make([]time.Duration, len(rs))
	for i, r := range rs {
		ds[i] = r.dur
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	return ds[len(ds)/2]
}

func uniq(s []string) []string {
	sort.Strings(s)
	var out []string
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}

func filter[T any](all []T, list string, name func(T) string) []T {
	if list == "" {
		return all
	}
	want := map[string]bool{}
	for _, w := range strings.Split(list, ",") {
		want[strings.TrimSpace(w)] = true
	}
	var out []T
	for _, x := range all {
		if want[name(x)] {
			out = append(out, x)
		}
	}
	return out
}

func fatal(f string, a ...any) {
	fmt.Fprintf(os.Stderr, "bench: "+f+"\n", a...)
	os.Exit(1)
}

// mountReady starts `eproc mount` n times on fresh directories and returns
// how long each took from exec to the first answered lookup of `self`.
func mountReady(work string, n int) []time.Duration {
	var out []time.Duration
	for i := 0; i < n; i++ {
		dir := filepath.Join(work, fmt.Sprintf("ready%d", i))
		os.MkdirAll(dir, 0o755)
		c := exec.Command(*eprocBin, "mount", "-q", dir)
		c.Stdout, c.Stderr = io.Discard, io.Discard
		t0 := time.Now()
		if err := c.Start(); err != nil {
			fmt.Fprintf(os.Stderr, "bench: eproc mount: %v\n", err)
			return out
		}
		ok := false
		for time.Since(t0) < 10*time.Second {
			if _, err := os.Stat(filepath.Join(dir, "self")); err == nil {
				out = append(out, time.Since(t0))
				ok = true
				break
			}
			time.Sleep(time.Millisecond)
		}
		c.Process.Signal(syscall.SIGTERM)
		c.Wait()
		os.Remove(dir)
		if !ok {
			fmt.Fprintln(os.Stderr, "bench: eproc mount did not come up in 10 s")
			return out
		}
	}
	return out
}

// memStatus reads the memory lines of a process's status and smaps_rollup,
// in KiB.
func memStatus(pid int) map[string]int64 {
	m := map[string]int64{}
	for _, f := range []string{"status", "smaps_rollup"} {
		b, _ := os.ReadFile(fmt.Sprintf("/proc/%d/%s", pid, f))
		for _, l := range strings.Split(string(b), "\n") {
			k, v, ok := strings.Cut(l, ":")
			if !ok {
				continue
			}
			fs := strings.Fields(v)
			if len(fs) == 2 && fs[1] == "kB" {
				n, _ := strconv.ParseInt(fs[0], 10, 64)
				m[f+"."+k] = n
			}
		}
	}
	return m
}

// daemonMemory measures the view daemon with n sessions, each tracing a
// shell that makes a few calls (a read, an exec of sleep) as the session
// starts, then sleeps: right after (every ring in use), once the rings
// went unused (their data unmapped from the daemon) and once quiet (rings
// shrunk to the idle size). No reader.
func daemonMemory(view string, pid, n int) {
	show := func(what string, m map[string]int64) {
		mib := func(k string) string { return fmt.Sprintf("%.1f", float64(m[k])/1024) }
		rings, bytes := ringMaps(pid)
		fmt.Printf("daemon %-28s VmRSS %6s MiB = RssAnon %5s + RssFile %6s; Pss %6s MiB; rings: %d, %d MiB of kernel memory\n",
			what+":", mib("status.VmRSS"), mib("status.RssAnon"), mib("status.RssFile"),
			mib("smaps_rollup.Pss"), rings, bytes>>20)
	}
	runtime.GC()
	time.Sleep(200 * time.Millisecond)
	show("0 sessions", memStatus(pid))
	var procs []*exec.Cmd
	defer func() {
		for _, p := range procs {
			p.Process.Kill()
			p.Wait()
		}
	}()
	var stdins []io.WriteCloser
	for i := 0; i < n; i++ {
		p := exec.Command("sh", "-c", "read x; exec sleep 600")
		in, _ := p.StdinPipe()
		if err := p.Start(); err != nil {
			fmt.Fprintf(os.Stderr, "bench: %d sessions: %v\n", n, err)
			return
		}
		procs = append(procs, p)
		stdins = append(stdins, in)
		if err := os.WriteFile(filepath.Join(view, strconv.Itoa(p.Process.Pid), "ctl"), []byte("straceme"), 0); err != nil {
			fmt.Fprintf(os.Stderr, "bench: %d sessions: %v\n", n, err)
			return
		}
	}
	t0 := time.Now()
	for _, in := range stdins {
		in.Write([]byte("go\n"))
	}
	time.Sleep(500 * time.Millisecond)
	show(fmt.Sprintf("%d sessions, just busy", n), memStatus(pid))
	time.Sleep(time.Until(t0.Add(3 * time.Second)))
	show(fmt.Sprintf("%d sessions, 3 s later", n), memStatus(pid))
	time.Sleep(time.Until(t0.Add(8 * time.Second)))
	show(fmt.Sprintf("%d sessions, 8 s later", n), memStatus(pid))
}

// ringMaps counts the BPF ring buffers process pid holds and their bytes.
func ringMaps(pid int) (n int, bytes int64) {
	ents, _ := os.ReadDir(fmt.Sprintf("/proc/%d/fd", pid))
	for _, e := range ents {
		if t, err := os.Readlink(fmt.Sprintf("/proc/%d/fd/%s", pid, e.Name())); err != nil || t != "anon_inode:bpf-map" {
			continue
		}
		if info := fdinfo(pid, e.Name()); info["map_type"] == 27 { // BPF_MAP_TYPE_RINGBUF
			n++
			bytes += int64(info["max_entries"])
		}
	}
	return n, bytes
}
