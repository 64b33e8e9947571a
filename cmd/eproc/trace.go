package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"strconv"
	"sync/atomic"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/eproc/eproc/loader"
	"github.com/eproc/eproc/strace"
)

const traceUsage = `usage: eproc trace [-fcCwTkrinzZyvYAV] [-t|-tt|-ttt] [-x|-xx] [-o FILE] [-s N] [-e trace=SET] [-b BYTES] [--otlp HOST:PORT] {-p PID | --cgroup DIR | [--] CMD [ARG...]}

  -f          follow forks: trace children created from now on
  -o FILE     write the trace to FILE (default: standard error); a FILE
              of |COMMAND or !COMMAND pipes it to /bin/sh -c COMMAND
  -p PID      attach to a running process (repeatable, or comma-separated)
  -e trace=SET  only these syscalls: names and %file %process %network
              %memory %signal %desc %ipc %creds %clock ..., ! to negate
  -c          count calls, errors and time per syscall; print a table
              (and no hang-up line: see -D; losses are told on stderr)
  -C          -c's table after the lines
  -S SORTBY   sort -c's table by time, min-time, max-time, avg-time, calls,
              errors, name or nothing (default time)
  -U COLUMNS  -c's columns: time-percent, total-time, min-time, max-time,
              avg-time, calls, errors, name (comma-separated)
  -O OVERHEAD[UNIT]  take OVERHEAD off each call's time in -c's table
              (s, ms, us, ns; default us)
  -w          with -c, time is each call's wall-clock time (entry to
              exit), not the CPU time it took (system time, the default)
  -E VAR=VAL, -E VAR  set, or unset, VAR in the command's environment
  -u USER     run the command as USER (as root)
  -A          append to -o's FILE
  -V          print eproc's version
  -T          show the time spent in each call
  -k, --stack-traces  print each call's user stack trace after its line,
              strace's " > /usr/lib/.../libc.so.6(__write+0x10) [0xf8350]",
              unwound with the binaries' .eh_frame (not with -c, --json
              or --otlp; a 32 MiB ring unless -b says; see README for how
              it differs from strace's)
  -t -tt -ttt prefix each line with the wall-clock time (secs, usecs, epoch)
  -r          prefix each line with the time since the previous line
  --timestamps[=[format:]time|unix|none,[precision:]s|ms|us|ns]
              -t's long form (also --absolute-timestamps): the time of
              day or seconds since the epoch, to the precision asked
  --syscall-times[=s|ms|us|ns]  -T, to that precision (default us)
  --relative-timestamps[=s|ms|us|ns]  -r, to that precision (default us)
  -n, --syscall-number  print the syscall number before its name: [  39]
  -i, --instruction-pointer  print the instruction pointer at the call:
              [00007f3c1e2a5ad7]
  -z, --successful-only  print only the calls that succeeded
  -Z, --failed-only      print only the calls that failed
  -e status=SET  print only the calls that ended so: successful failed
              unfinished unavailable detached, all, none, ! to negate
  -e inject=SET:error=ERRNO|retval=N[:signal=SIG][:delay_enter=USEC][:when=EXPR]
              the calls of SET fail, or return N without being made (the
              line says "(INJECTED)"), or get a signal or a delay first;
              when=FIRST[..LAST][+[STEP]] counts each thread's calls; a
              command eproc starts only (a seccomp filter); also --inject=
  -e fault=SET[:error=ERRNO][:when=EXPR]  inject=, ENOSYS by default
  -e signal=SET  print only these signals' "--- SIG... ---" lines: names
              (with or without SIG), numbers, all, none, ! to negate
  -e read=SET  after a call that read from a descriptor of SET, a hex
              and ASCII dump of the data (read, pread64, readv, recvmsg...;
              at most 8189 bytes a buffer); SET: numbers, all, none, !
  -e write=SET  the same for data written (write, sendmsg, vmsplice...)
  -s N        print at most N bytes of strings and data (default 32)
  -v, --no-abbrev  print structures whole (stat's, execve's environment...)
  -e abbrev=SET  abbreviate only these syscalls' structures (-v: none)
  -e verbose=SET  decode only these syscalls' structures (else addresses)
  -e raw=SET  print these syscalls' arguments and results in hex, undecoded
  -a N        align results at column N (default 40)
  -x          print strings that are not all printable ASCII in hex (\xNN)
  -xx         print all strings in hex
  --strings-in-hex[=none|non-ascii|non-ascii-chars|all]  -x's long form;
              non-ascii-chars: only the bytes not printable as \xNN
  -ff, --output-separately  with -f and -o FILE: each thread's lines in
              FILE.TID (the closing "Traced" line in FILE)
  -y          print paths with file descriptors: read(3</etc/hostname>, ...
  -yy         and sockets' addresses, devices' numbers, pidfds' processes
  --decode-fds[=SET]  -y's long form: path socket dev pidfd, all, none
  -Y          print pids with their command names: getppid() = 1234<bash>
  --decode-pids=SET  comm (-Y), pidns (and the pid in eproc's pid
              namespace, for a process in another), all, none
  -q, -qq, -qqq, --quiet[=SET], -e quiet=SET  leave out messages: attach
              exit thread-execve path-resolution personality, all, none
  -P PATH, --trace-path=PATH  only the calls that touch PATH (repeatable)
  -b BYTES    ring buffer size per session (default 4194304)
  --cgroup DIR  trace every process of cgroup v2 directory DIR (and below),
              present and future, and their children (implies -f)
  -D          also print the closing "Traced ~N syscs, Dropped M" line on
              standard error (useful with -o /dev/null)
  --json      write JSON Lines instead of strace's text (docs/json.md)
  --json-out FILE  also write JSON Lines to FILE, beside the text
  --no-daemon  load the programs here even when eproc mount serves
              sessions at $EPROC_TRACE_SOCKET (/run/eproc-trace.sock);
              EPROC_NO_DAEMON=1 too
  --otlp HOST:PORT  also export every event as an OTLP log record (gRPC,
              no TLS) to a collector; never slows the trace: what the
              exporter cannot keep up with is dropped, and counted on
              standard error at the end
`

type traceOpts struct {
	stack        bool // -k (trace_stack.go)
	follow       bool
	out          string
	pids         []int
	filter       string
	summary      bool
	wall         bool
	latency      bool
	time         strace.TimeMode
	strsize      int
	hex          int               // -x 1, -xx 2
	align        int               // -a N: strace.Options.Align
	xstyle       strace.ConstStyle // -X: strace.Options.ConstStyle
	relative     bool              // -r
	status       uint8             // -z, -Z, -e status=: strace.Options.Status
	zflags       int               // how many of -z -Z --successful-only --failed-only
	signals      *strace.SignalSet // -e signal=
	dumpRead     *strace.FdSet     // -e read=
	dumpWrite    *strace.FdSet     // -e write=
	ring         int
	stats        bool
	json         bool   // --json: JSON Lines instead of text
	jsonOut      string // --json-out: JSON Lines to this file too
	cmd          []string
	cgroup       string          // --cgroup DIR (trace_cgroup.go)
	otlp         string          // --otlp HOST:PORT (otlp.go)
	noDaemon     bool            // --no-daemon: load the programs here (handoff.go)
	caught       atomic.Int32    // the signal that interrupted -p's tracing
	yflags       int             // -y 1, -yy 2
	fdSet        uint8           // --decode-fds=, -e decode-fds=: strace.Options.DecodeFds
	fdSetBy      bool            // --decode-fds= or -e decode-fds= was given
	pidSet       uint8           // -Y, --decode-pids=: strace.Options.DecodePids (trace_pids.go)
	pidView      *strace.PidView // eproc mount's client's pid namespace (handoff_pidns.go)
	text         *strace.Text    // the text sink, for -y's seeding
	shown        []uint32        // with -y and -e trace=: the calls asked for
	inherited    map[int]int     // the command's descriptors: its number -> eproc's (inheritFds)
	qflags       int             // how many -q (trace_quiet.go)
	quiet        uint8           // -e quiet=, --quiet: strace.Options.Quiet
	quietBy      bool            // -e quiet= or --quiet was given
	paths        []string        // -P, --trace-path (trace_paths.go)
	injects      []injectRule    // -e inject=, -e fault= (inject.go)
	injected     injected        // what the supervisor injected, for the text
	resolved     [][2]string     // -P's paths that realpath resolved otherwise
	timeFlags                    // trace_timeopts.go
	summaryFlags                 // -C, -S, -U, -O (trace_summary.go)
	commandFlags                 // -E, -u, -A (trace_command.go)
	raw          []uint32        // -e raw=: strace.Options.Raw
	abbrev       []uint32        // -v, -e abbrev= (trace_verbose.go): strace.Options.Abbrev
	verbose      []uint32        // -e verbose=: strace.Options.Verbose
}

// runTrace is `eproc trace`: strace's command line on eproc's engine. When
// the command was killed by a signal, or -p's tracing was interrupted by
// one, eproc dies of that signal after cleaning up, as strace does.
func runTrace(args []string) int {
	code, die := traceMain(args)
	if die != 0 {
		dieOf(die)
	}
	return code
}

// traceMain runs `eproc trace` and returns its exit status, and the signal
// to die of, if any.
func traceMain(args []string) (code int, die syscall.Signal) {
	o, err := parseTrace(args)
	if err == errVersion {
		return runVersion(nil), 0
	}
	if err != nil {
		if err != errUsage {
			warnf("%v\n", err)
		}
		os.Stderr.WriteString(traceUsage)
		return 2, 0
	}
	o.tellResolved()
	var nrs []uint32
	if o.filter != "" {
		if nrs, err = strace.ParseFilter(o.filter); err != nil {
			warnf("%v\n", err)
			return 2, 0
		}
	}
	outs, err := o.outputs()
	if err != nil {
		warnf("%v\n", err)
		return 1, 0
	}
	defer outs.close()
	loader.Phase("options, outputs")
	if code, die, ok := o.handoff(args, outs); ok {
		return code, die // eproc mount's programs traced it (handoff.go)
	}
	eng, err := loader.Open(loader.Config{RingSize: o.ring, Release: releaseLater, OneShot: true, EntryTimes: o.entryTimes()})
	if err != nil {
		warnf("%v%s\n", err, userNsHint())
		return 1, 0
	}
	defer closeEngine(eng)
	if err := eng.SetPlans(strace.Plans()); err != nil {
		warnf("%v\n", err)
		return 1, 0
	}
	loader.Phase("plans")
	sess, err := eng.NewSession(o.sessionConfig(nrs))
	if err != nil {
		warnf("%v\n", err)
		return 1, 0
	}
	loader.Phase("new session")
	dec := o.decoder(outs, sess, os.Stderr)
	cmd, err := o.start(sess)
	if err != nil {
		// Nothing to trace: end the session, with what it has.
		warnf("%v\n", err)
		sess.Close()
		sess.Run(dec)
		return 1, 0
	}
	loader.Phase("spawn")
	st := sess.Run(dec)
	dec.End(strace.Counts{Seen: st.Seen, Dropped: st.Dropped, Lost: st.Lost})
	o.endLines(st)
	outs.report()
	return o.exitStatus(cmd)
}

// sessionConfig is the loader session the options ask for: eproc trace's
// own, or the one eproc mount makes for it (handoff_serve.go).
// With -y and -e trace=, the session also records the calls -y's tables
// follow, and the text leaves out those not asked for (o.shown): beside
// JSON and OTLP, which would get them, the tables follow what -e trace=
// gives.
// entryTimes says whether the session wants its calls' entry times: -T,
// -c, JSON; -r, whose line's time is its call's entry, as strace's is.
func (o *traceOpts) entryTimes() bool {
	return o.latency || o.counting() || o.relative || o.json || o.jsonOut != ""
}

func (o *traceOpts) sessionConfig(nrs []uint32) loader.SessionConfig {
	if more := o.followedCalls(nrs); more != nil && nrs != nil && !o.summary && !o.json && o.jsonOut == "" && o.otlp == "" {
		o.shown = nrs
		nrs = append(append([]uint32(nil), nrs...), more...)
	}
	return loader.SessionConfig{
		StrSize: o.strsize, Syscalls: nrs, Results: o.results(),
		// JSON objects and OTLP records carry each call's time and duration.
		Time:    o.time != strace.TimeNone || o.relative || o.json || o.jsonOut != "" || o.otlp != "",
		Latency: o.entryTimes(),
		// -c's time is system time, as strace's, unless -w.
		CPUTime: o.counting() && !o.wall,
		IP:      o.ip,
		Stack:   o.stack,
		// -e read=, write=: those descriptors' data whole, for the dump.
		DumpRead: o.dumpRead.Mask(), DumpWrite: o.dumpWrite.Mask(),
		// -v: what the structures printed whole need (getdents' entries,
		// execve's environment).
		Whole: strace.WholeStructs(o.abbrev),
		// Without -f, strace follows no thread the process makes.
		OneThread: !o.follow,
	}
}

// results is the filter of returned calls the kernel can apply for -z and
// -Z: none when something needs every call (-c's table, -y's and -P's
// descriptor tables, JSON and OTLP), or with other status sets (a call
// under way, told at its entry, is decided by how it ends: unfinished and
// detached are user space's to tell).
func (o *traceOpts) results() loader.Results {
	if o.counting() || o.fdSet != 0 || len(o.paths) > 0 || o.json || o.jsonOut != "" || o.otlp != "" {
		return loader.AllResults
	}
	switch o.status {
	case strace.StatusFiltered | strace.StatusSuccessful:
		return loader.OnlySuccessful
	case strace.StatusFiltered | strace.StatusFailed:
		return loader.OnlyFailed
	}
	return loader.AllResults
}

// decoder is the pipeline the options ask for, from a session's records
// to the outputs: the one decoder and sinks of eproc trace, whether its
// session runs here or in eproc mount (handoff_serve.go). Bad records are
// told of on errw.
func (o *traceOpts) decoder(outs *traceOuts, sess *loader.Session, errw io.Writer) *strace.Decoder {
	dec := strace.NewDecoder(o.withOTLP(o.sink(outs), sess))
	dec.OnError = func(err error) { fmt.Fprintf(errw, "%sbad record: %v\n", tracePrefix, err) }
	dec.ReadMem = strace.ReadProcessMem
	return o.withStack(dec)
}

// endLines are what eproc trace says on standard error at the end, after
// the outputs' last lines: -D's hang-up line, and -c's losses.
func (o *traceOpts) endLines(st loader.Stats) {
	if o.stats {
		fmt.Fprintln(os.Stderr, strace.HangupLine(st.Seen, st.Dropped))
	}
	if o.summary && st.Dropped+st.Lost > 0 {
		// -c's table has no dropped lines: every loss is still told.
		warnf("%s\n", strace.DropsLine(st.Dropped, st.Lost))
	}
}

// exitStatus is eproc trace's exit status once the trace has ended, and
// the signal to die of: the command's (128+N if a signal killed it, and
// then that signal), or with -p and --cgroup the signal that ended it.
func (o *traceOpts) exitStatus(cmd *exec.Cmd) (code int, die syscall.Signal) {
	if cmd == nil {
		die = syscall.Signal(o.caught.Load())
	} else {
		die = waitAs(cmd)
	}
	if die != 0 {
		return 128 + int(die), die
	}
	if cmd == nil {
		return 0, 0
	}
	return cmd.ProcessState.ExitCode(), 0
}

// closeEngine closes the engine at the end of the trace (the last phase
// EPROC_STARTUP_TRACE=1 shows).
func closeEngine(eng *loader.Engine) {
	loader.Phase("run, end")
	eng.Close()
	loader.Phase("engine close")
}

// textOptions are strace's output options the command line chose.
func (o *traceOpts) textOptions() strace.Options {
	prefix := strace.PrefixNone
	if o.follow {
		prefix = strace.PrefixTTY
		if o.out != "" {
			prefix = strace.PrefixFile
		}
	}
	opt := strace.Options{
		Prefix: prefix, Time: o.time, Latency: o.latency, StrSize: o.strsize, Hex: o.hex, Align: o.align,
		ConstStyle: o.xstyle, Quiet: o.quiet, Paths: o.pathSet(),
		Relative: o.relative, Status: o.status, Signals: o.signals, DumpRead: o.dumpRead, DumpWrite: o.dumpWrite,
		Abbrev: o.abbrev, Verbose: o.verbose,
		DecodeFds: o.fdSet, DecodePids: o.pidSet, Shown: o.shown, Tasks: max(1, o.attachedTasks(), 2*len(o.cgroup)), Batch: 64 << 10,
	}
	opt.TimePrec, opt.LatencyPrec, opt.RelativePrec = o.timePrec, o.latencyPrec, o.relPrec
	o.summaryOptions(&opt)
	opt.Raw = o.raw
	opt.SyscallNumber = o.sysNumber
	opt.IP = o.ip
	opt.Stack = o.stack
	opt.PidView = o.pidView
	if len(o.injects) > 0 {
		opt.Injected = o.injected.take
	}
	return opt
}

// start puts the processes to trace in the session: the command, started
// (returned), or the processes of -p, attached.
func (o *traceOpts) start(sess *loader.Session) (*exec.Cmd, error) {
	if o.cgroup != "" {
		return nil, o.traceCgroup(sess)
	}
	if len(o.cmd) == 0 {
		return nil, o.attach(sess)
	}
	cmd, err := o.command()
	if err != nil {
		return nil, err
	}
	if len(o.injects) > 0 {
		attach := func(pid int) error { return sess.AttachAtExec(pid, o.follow) }
		if cmd, err = o.startInjected(cmd, attach); err != nil {
			return nil, err
		}
	} else if err := withStartSlack(func() error { return sess.Spawn(cmd, o.follow) }); err != nil {
		return nil, err
	}
	if o.text != nil {
		o.text.SeedFdsAs(cmd.Process.Pid, os.Getpid(), o.inherited)
	}
	reapOthers(cmd.Process.Pid, o.quiet&strace.QuietExit == 0)
	return cmd, nil
}

// command is the command to trace, not yet started, with the terminal's
// ^C and ^\ left to it.
func (o *traceOpts) command() (*exec.Cmd, error) {
	path, err := exec.LookPath(o.cmd[0])
	if err != nil {
		return nil, fmt.Errorf("Can't stat '%s': %v", o.cmd[0], err)
	}
	cmd := exec.Command(path, o.cmd[1:]...)
	cmd.Args[0] = o.cmd[0]
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	cmd.Env = commandEnvOf(os.Environ(), o.env)
	if err := o.asUser(cmd); err != nil {
		return nil, err
	}
	o.inherited = inheritFds(cmd)
	// Like strace: the terminal's ^C and ^\ are for the command.
	// Caught, not ignored: an ignored signal would stay ignored in
	// the command across its execve.
	quiet := make(chan os.Signal, 4)
	signal.Notify(quiet, syscall.SIGINT, syscall.SIGQUIT)
	go func() {
		for range quiet {
		}
	}()
	return cmd, nil
}

// inheritFds passes the command the descriptors eproc inherited, as
// strace's command inherits strace's (a test's 9>/dev/full): those above
// 2 without close-on-exec (eproc's own all have it). It returns the
// command's descriptors: its number -> eproc's.
func inheritFds(cmd *exec.Cmd) map[int]int {
	fds := map[int]int{0: 0, 1: 1, 2: 2}
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return fds
	}
	for _, e := range ents {
		fd, err := strconv.Atoi(e.Name())
		if err != nil || fd < 3 || fd > 1023 {
			continue
		}
		if fl, err := unix.FcntlInt(uintptr(fd), unix.F_GETFD, 0); err != nil || fl&unix.FD_CLOEXEC != 0 {
			continue
		}
		for len(cmd.ExtraFiles) < fd-2 {
			cmd.ExtraFiles = append(cmd.ExtraFiles, nil)
		}
		cmd.ExtraFiles[fd-3] = os.NewFile(uintptr(fd), e.Name())
		fds[fd] = fd
	}
	return fds
}

// attach attaches the processes of -p and, like strace, says so on standard
// error, with eproc trace's prefix where strace has its own: "Process N
// attached", "with M threads" under -f when it has several (without -f
// strace traces the one thread, and so does eproc: SessionConfig.OneThread). SIGINT or SIGTERM detaches
// them, says so for each thread strace would name (the processes of -p,
// or under -f their threads; not the children -f added since), and is
// kept in o.caught for runTrace to die of, as strace dies of it.
func (o *traceOpts) attach(sess *loader.Session) error {
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
	for _, pid := range o.pids {
		if err := sess.Attach(pid, o.follow); err != nil {
			return fmt.Errorf("attach: %w", err)
		}
		if o.text != nil {
			o.text.SeedFds(pid)
		}
		with := ""
		if n := len(o.tasks(pid)); n > 1 {
			with = fmt.Sprintf(" with %d threads", n)
		}
		if o.quiet&strace.QuietAttach == 0 {
			warnf("Process %d attached%s\n", pid, with)
		}
	}
	go func() {
		sig := (<-sigs).(syscall.Signal)
		for _, pid := range o.pids {
			if o.quiet&strace.QuietAttach != 0 {
				break
			}
			for _, tid := range o.tasks(pid) {
				warnf("Process %d detached\n", tid)
			}
		}
		o.caught.Store(int32(sig))
		sess.Close() // detach; Run ends after the ring is drained
	}()
	return nil
}

// attachedTasks is how many threads -p attaches, as strace counts them for
// its "[pid N]" prefixes: with -f every thread of each process.
func (o *traceOpts) attachedTasks() int {
	n := 0
	for _, pid := range o.pids {
		n += max(1, len(o.tasks(pid)))
	}
	return n
}

// tasks lists the threads strace would name for -p pid: under -f all of
// its threads, else pid; none once it has exited.
func (o *traceOpts) tasks(pid int) []int {
	ents, err := os.ReadDir(fmt.Sprintf("/proc/%d/task", pid))
	if err != nil {
		return nil
	}
	if !o.follow {
		return []int{pid}
	}
	var tids []int
	for _, e := range ents {
		if tid, err := strconv.Atoi(e.Name()); err == nil {
			tids = append(tids, tid)
		}
	}
	return tids
}

// waitAs waits for the command and returns the signal that killed it, if
// one did: eproc dies of it the same way, as strace does.
func waitAs(cmd *exec.Cmd) syscall.Signal {
	cmd.Wait()
	if ws, _ := cmd.ProcessState.Sys().(syscall.WaitStatus); ws.Signaled() {
		return ws.Signal()
	}
	return 0
}

// dieOf ends eproc with signal sig, as strace ends itself: the signal's
// default action set at the OS level (signal.Reset leaves the Go runtime's
// own handler for the signals it handles, SIGSEGV, SIGBUS, SIGABRT,
// SIGQUIT..., and that handler would print a crash dump and exit 2), the
// signal unblocked on this thread and sent to it. No core file of eproc's
// own: strace sets its RLIMIT_CORE to 0 first too, so a shell says 139 for
// SIGSEGV, not "(core dumped)"; the command's core, if any, is the one.
// It returns only if the signal did not end the process.
func dieOf(sig syscall.Signal) {
	signal.Reset(sig)
	runtime.LockOSThread()
	unix.Setrlimit(unix.RLIMIT_CORE, &unix.Rlimit{})
	// The kernel's struct sigaction, all zero: SIG_DFL, no flags, empty
	// mask (handler, flags, restorer where there is one, then the mask);
	// the kernel's sigset_t is 8 bytes.
	var dfl [4]uint64
	unix.RawSyscall6(unix.SYS_RT_SIGACTION, uintptr(sig), uintptr(unsafe.Pointer(&dfl)), 0, 8, 0, 0)
	var set unix.Sigset_t
	bits := uint(unsafe.Sizeof(set.Val[0])) * 8
	set.Val[uint(sig-1)/bits] |= 1 << (uint(sig-1) % bits)
	unix.PthreadSigmask(unix.SIG_UNBLOCK, &set, nil)
	unix.Tgkill(unix.Getpid(), unix.Gettid(), sig)
}

// traceOuts are the trace's outputs: the main one (-o, or standard error)
// and --json-out's file.
type traceOuts struct {
	main, json *traceOut
	files      []*os.File
	pipes      []*exec.Cmd // -o '|COMMAND's commands, waited for at the end
}

// outputs opens the files the options name.
func (o *traceOpts) outputs() (*traceOuts, error) {
	t := &traceOuts{}
	open := func(name string) (*traceOut, error) {
		var w io.Writer = os.Stderr
		if name != "" {
			f, pipe, err := o.createOutput(name)
			if err != nil {
				return nil, err
			}
			t.files = append(t.files, f)
			if pipe != nil {
				t.pipes = append(t.pipes, pipe)
			}
			w = f
		}
		return newTraceOut(w), nil
	}
	var err error
	if t.main, err = open(o.out); err != nil {
		return nil, err
	}
	if o.jsonOut != "" {
		if t.json, err = open(o.jsonOut); err != nil {
			t.close()
			return nil, err
		}
	}
	return t, nil
}

func (t *traceOuts) close() {
	for _, f := range t.files {
		f.Close()
	}
	for _, c := range t.pipes {
		c.Wait()
	}
}

// report tells of the first write error of each output.
func (t *traceOuts) report() {
	for _, e := range t.errors() {
		warnf("write: %s\n", e)
	}
}

// errors are the first write error of each output.
func (t *traceOuts) errors() []string {
	var errs []string
	for _, out := range []*traceOut{t.main, t.json} {
		if out != nil && out.err != nil {
			errs = append(errs, out.err.Error())
		}
	}
	return errs
}

// sink is the decoder's sink: strace's text or JSON Lines to the main
// output, and JSON Lines beside it with --json-out.
func (o *traceOpts) sink(outs *traceOuts) strace.Sink {
	var main strace.Sink
	if o.json {
		main = strace.NewJSON(o.strsize, outs.main)
	} else if o.separate {
		main = o.separateSink(outs)
	} else {
		o.text = strace.NewText(o.textOptions(), outs.main)
		main = o.text
	}
	if outs.json == nil {
		return main
	}
	return strace.Tee{main, strace.NewJSON(o.strsize, outs.json)}
}

// traceOut writes the text sink's lines to the trace's output; the first
// write error is kept for the end.
type traceOut struct {
	w   *bufio.Writer
	raw io.Writer // under w
	err error
}

func newTraceOut(w io.Writer) *traceOut {
	return &traceOut{w: bufio.NewWriterSize(w, 256<<10), raw: w}
}

// directLines: a batch of lines this long (the text sink hands 64 KiB at
// a time) goes straight to the output when nothing is buffered before it,
// not copied into the buffer first.
const directLines = 32 << 10

func (t *traceOut) WriteLines(b []byte) {
	if t.err != nil {
		return // as bufio.Writer's: nothing is written after an error
	}
	if len(b) >= directLines && t.w.Buffered() == 0 {
		t.keep(t.raw.Write(b))
		return
	}
	t.keep(t.w.Write(b))
}

func (t *traceOut) Flush() { t.keep(0, t.w.Flush()) }

func (t *traceOut) Final(b []byte) {
	t.WriteLines(b)
	t.Flush()
}

func (t *traceOut) keep(_ int, err error) {
	if t.err == nil {
		t.err = err
	}
}
