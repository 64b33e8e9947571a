package strace

import (
	"errors"
	"strings"
	"testing"

	"github.com/eproc/eproc/loader/wire"
)

// pidsSrc is a procSource of made-up processes: status lines by pid (0:
// eproc's own), pid namespaces and comms.
type pidsSrc struct {
	stats map[uint32]string
	ns    map[uint32]uint64
	comms map[uint32]string
	reads int // comm reads
}

func (f *pidsSrc) status(pid, tid uint32) ([]byte, error) {
	if tid != 0 {
		pid = tid
	}
	s, ok := f.stats[pid]
	if !ok {
		return nil, errors.New("no such process")
	}
	return []byte(s), nil
}

func (f *pidsSrc) pidNs(pid uint32) uint64 { return f.ns[pid] }

func (f *pidsSrc) comm(pid uint32) (string, bool) {
	f.reads++
	s, ok := f.comms[pid]
	return s, ok
}

func (f *pidsSrc) pids() []uint32 {
	var out []uint32
	for pid := range f.stats {
		if pid != 0 {
			out = append(out, pid)
		}
	}
	return out
}

func (f *pidsSrc) tasks(uint32) []uint32 { return nil }

// nsStatus is a status file's NS lines for a process with these ids, from
// the initial namespace down.
func nsStatus(tid, tgid, pgid, sid string) string {
	return "Name:\tx\nNStgid:\t" + tgid + "\nNSpid:\t" + tid + "\nNSpgid:\t" + pgid + "\nNSsid:\t" + sid + "\n"
}

// pidText is a text sink with -Y / --decode-pids=set on src.
func pidText(opt Options, src *pidsSrc) (*Decoder, *Text) {
	d, txt := newText(opt)
	txt.pids = newPidTable(opt.DecodePids, src)
	txt.p.pids = txt.pids
	return d, txt
}

func feedCall(t *testing.T, d *Decoder, name string, tid uint32, ret int64, args [6]uint64, caps ...wire.Cap) {
	t.Helper()
	nr, ok := Number(name)
	if !ok {
		t.Skipf("no %s", name)
	}
	if err := d.Feed(benchRecord(nr, tid, ret, args, caps...)); err != nil {
		t.Fatal(err)
	}
}

func textLines(txt *Text) []string {
	return strings.Split(strings.TrimSuffix(string(txt.TakeInto(nil)), "\n"), "\n")
}

// TestDecodePidsComm: -Y to a file prints each line's pid and pid
// arguments and results with their comm, quoted as strace quotes them
// (<, > and control characters escaped); a thread's comm is read once, a
// child has its parent's, prctl(PR_SET_NAME) (followed, not printed) and
// execve rename it (after the execve's line); a zombie keeps its name
// until it is waited for; a process that is not traced is looked up in
// /proc.
// The lines are strace-Y-0123456789's, and strace--decode-pids-comm's.
func TestDecodePidsComm(t *testing.T) {
	src := &pidsSrc{comms: map[uint32]string{100: "strace-Y-012345", 50: "strace"}}
	getppid, _ := Number("getppid")
	wait4, _ := Number("wait4") // printed, not only followed
	d, txt := pidText(Options{Prefix: PrefixFile, Align: 18, DecodePids: DecodePidComm, Shown: []uint32{getppid, wait4}}, src)
	txt.hide(PidCalls(), txt.opt.Shown)
	sig := uint64(18) // SIGCONT
	feedCall(t, d, "getppid", 100, 50, [6]uint64{})
	txt.Event(&Event{Kind: KindFork, Fork: &wire.Fork{Header: wire.Header{Tid: 100, Tgid: 100}, ChildTid: 101, ChildTgid: 101}})
	feedCall(t, d, "getppid", 101, 100, [6]uint64{})
	for _, name := range []string{"foo\x1b[2Jbar", "foo<bar>", "0123456789abcdefghijklmnopqrstuvwxyz"} {
		feedCall(t, d, "prctl", 101, 0, [6]uint64{15, 0x1000}, wire.Cap{Arg: 1, Data: []byte(name[:min(len(name), 16)])})
		feedCall(t, d, "tgkill", 101, 0, [6]uint64{101, 101, sig})
	}
	txt.Event(&Event{Kind: KindExec, Exec: &wire.Exec{Header: wire.Header{Tid: 101, Tgid: 101}, OldTid: 101, Caps: []wire.Cap{{Arg: 0, Data: []byte("/proc/self/exe")}}}})
	feedCall(t, d, "execve", 101, 0, [6]uint64{})
	txt.Event(&Event{Kind: KindExit, Exit: &wire.Exit{Header: wire.Header{Tid: 101, Tgid: 101}, GroupDead: true}})
	// SIGCHLD names the zombie; wait4 reaps it.
	var si [48]byte
	si[0], si[8], si[16] = 17, 1, 101
	txt.Event(&Event{Kind: KindSignal, Signal: &wire.Signal{Header: wire.Header{Tid: 100, Tgid: 100}, Sig: 17, Info: si}})
	feedCall(t, d, "wait4", 100, 101, [6]uint64{^uint64(0)})
	feedCall(t, d, "getppid", 100, 50, [6]uint64{})
	checkLines(t, textLines(txt), []string{
		"100<strace-Y-012345> getppid() = 50<strace>",
		"101<strace-Y-012345> getppid() = 100<strace-Y-012345>",
		`101<foo\33[2Jbar> tgkill(101<foo\33[2Jbar>, 101<foo\33[2Jbar>, SIGCONT) = 0`,
		`101<foo\74bar\76> tgkill(101<foo\74bar\76>, 101<foo\74bar\76>, SIGCONT) = 0`,
		"101<0123456789abcde> tgkill(101<0123456789abcde>, 101<0123456789abcde>, SIGCONT) = 0",
		"101<0123456789abcde> execve(NULL, NULL, NULL) = 0",
		"101<exe> +++ exited with 0 +++",
		"100<strace-Y-012345> --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=101<exe>, si_uid=0, si_status=0, si_utime=0, si_stime=0} ---",
		"100<strace-Y-012345> wait4(-1, NULL, 0, NULL) = 101",
		"100<strace-Y-012345> getppid() = 50<strace>",
	})
	// 100's comm once, 101's never (its parent's, then its own), 50's
	// at each line, 101's once reaped.
	if src.reads != 4 {
		t.Errorf("%d comm reads, want 4", src.reads)
	}
}

// TestDecodePidsNs: --decode-pids=pidns prints, beside a pid of a caller
// in another pid namespace, the pid eproc's namespace knows it by; a
// caller in eproc's namespace gets no comment, nor does a pid no process
// has. The lines are the --pidns-translation tests'.
func TestDecodePidsNs(t *testing.T) {
	src := &pidsSrc{
		stats: map[uint32]string{
			0:   nsStatus("10", "10", "10", "1"),
			200: nsStatus("200 4", "200 4", "200 4", "1 0"),
			201: nsStatus("201 5", "201 5", "199 3", "1 0"),
			202: nsStatus("202 2", "202 2", "199 3", "1 0"),
			300: nsStatus("300", "300", "300", "1"),
		},
		ns: map[uint32]uint64{0: 1, 200: 7, 201: 7, 202: 7, 300: 1},
	}
	d, txt := pidText(Options{Prefix: PrefixFile, Align: -1, DecodePids: DecodePidNs}, src)
	feedCall(t, d, "getpid", 200, 4, [6]uint64{})
	feedCall(t, d, "getsid", 200, 0, [6]uint64{4})
	feedCall(t, d, "getpgid", 200, 3, [6]uint64{5})
	feedCall(t, d, "kill", 200, 0, [6]uint64{uint64(0xfffffffd), 15})
	feedCall(t, d, "tgkill", 200, 0, [6]uint64{4, 4, 18})
	feedCall(t, d, "sched_getscheduler", 200, -3, [6]uint64{42})
	feedCall(t, d, "fcntl", 200, 0, [6]uint64{0, 8, 4})
	feedCall(t, d, "fcntl", 200, 4, [6]uint64{0, 9})
	feedCall(t, d, "prctl", 200, 0, [6]uint64{0x59616d61, 4})
	feedCall(t, d, "prctl", 200, -22, [6]uint64{62, 0, 3, 2, 0})
	cred := []byte{2, 0, 0, 0, 0xfe, 0xff, 0, 0, 0xfe, 0xff, 0, 0}
	feedCall(t, d, "getsockopt", 200, 0, [6]uint64{3, 1, 17, 0x1000, 0x2000}, wire.Cap{Arg: 3, Data: cred}, wire.Cap{Arg: 4, Data: []byte{12, 0, 0, 0}})
	// A pid no process has yet, then one that has it, ends, and whose id
	// is taken by another: no look-up's answer outlives its process.
	feedCall(t, d, "kill", 200, -3, [6]uint64{7, 0})
	src.stats[203], src.ns[203] = nsStatus("203 7", "203 7", "203 7", "1 0"), 7
	feedCall(t, d, "kill", 200, 0, [6]uint64{7, 0})
	txt.Event(&Event{Kind: KindExit, Exit: &wire.Exit{Header: wire.Header{Tid: 203, Tgid: 203}}})
	delete(src.stats, 203)
	src.stats[204], src.ns[204] = nsStatus("204 7", "204 7", "204 7", "1 0"), 7
	feedCall(t, d, "kill", 200, 0, [6]uint64{7, 0})
	feedCall(t, d, "getpid", 300, 300, [6]uint64{})
	// A group the caller leads, decoded once the caller has left /proc
	// (the decoder runs behind): its id is the caller's.
	delete(src.stats, 200)
	feedCall(t, d, "getpgid", 200, 4, [6]uint64{0})
	checkLines(t, textLines(txt), []string{
		"200   getpid() = 4 /* 200 in strace's PID NS */",
		"200   getsid(4 /* 200 in strace's PID NS */) = 0",
		"200   getpgid(5 /* 201 in strace's PID NS */) = 3 /* 199 in strace's PID NS */",
		"200   kill(-3 /* 199 in strace's PID NS */, SIGTERM) = 0",
		"200   tgkill(4 /* 200 in strace's PID NS */, 4 /* 200 in strace's PID NS */, SIGCONT) = 0",
		"200   sched_getscheduler(42) = -1 ESRCH (No such process)",
		"200   fcntl(0, F_SETOWN, 4 /* 200 in strace's PID NS */) = 0",
		"200   fcntl(0, F_GETOWN) = 4 /* 200 in strace's PID NS */",
		"200   prctl(PR_SET_PTRACER, 4 /* 200 in strace's PID NS */) = 0",
		"200   prctl(PR_SCHED_CORE, PR_SCHED_CORE_GET, 3 /* 199 in strace's PID NS */, 0x2 /* PIDTYPE_PGID */, NULL) = -1 EINVAL (Invalid argument)",
		"200   getsockopt(3, SOL_SOCKET, SO_PEERCRED, {pid=2 /* 202 in strace's PID NS */, uid=65534, gid=65534}, [12]) = 0",
		"200   kill(7, 0) = -1 ESRCH (No such process)",
		"200   kill(7 /* 203 in strace's PID NS */, 0) = 0",
		"203   +++ exited with 0 +++",
		"200   kill(7 /* 204 in strace's PID NS */, 0) = 0",
		"300   getpid() = 300",
		"200   getpgid(0) = 4 /* 200 in strace's PID NS */",
	})
}

func TestParseDecodePids(t *testing.T) {
	for in, want := range map[string]uint8{"comm": DecodePidComm, "pidns": DecodePidNs, "comm,pidns": DecodePidAll, "all": DecodePidAll, "none": 0, "!comm": DecodePidNs} {
		if got, err := ParseDecodePids(in); err != nil || got != want {
			t.Errorf("%q: %d, %v; want %d", in, got, err, want)
		}
	}
	if _, err := ParseDecodePids("fd"); err == nil || err.Error() != "invalid decode-pids 'fd'" {
		t.Errorf("fd: %v", err)
	}
}

// TestDecodePidsKcmpFds: kcmp's descriptors, with -y, are the named
// processes', found by their pids in eproc's namespace (strace's
// printfd_pid_tracee_ns), as kcmp-y--pidns-translation prints them.
func TestDecodePidsKcmpFds(t *testing.T) {
	src := &pidsSrc{
		stats: map[uint32]string{0: nsStatus("10", "10", "10", "1"), 200: nsStatus("200 2", "200 2", "200 2", "1 0")},
		ns:    map[uint32]uint64{0: 1, 200: 7},
	}
	proc := fakeProc(t, 200, "/", map[int]string{23: "/dev/null", 42: "/dev/zero"})
	d, txt := pidText(Options{Prefix: PrefixFile, Align: -1, DecodePids: DecodePidNs, DecodeFds: DecodeFdPath}, src)
	txt.fds.proc = proc
	feedCall(t, d, "kcmp", 200, 1, [6]uint64{2, 2, 0, 23, 42})
	checkLines(t, textLines(txt), []string{
		"200   kcmp(2 /* 200 in strace's PID NS */, 2 /* 200 in strace's PID NS */, KCMP_FILE, 23</dev/null>, 42</dev/zero>) = 1",
	})
}

// TestDecodePidsFromFork: a child that ended before its records were
// decoded has no /proc entry; its namespace and ids come from its fork
// record (ev_fork's ns_*), as the kernel gave them at its birth, so its
// own pid and the pids that name it are still translated (compat's
// *--pidns-translation tests: their children are short-lived). Without a
// namespace in the record, /proc is read as before, and a pid in eproc's
// own namespace is printed alone.
func TestDecodePidsFromFork(t *testing.T) {
	src := &pidsSrc{
		stats: map[uint32]string{0: nsStatus("50", "50", "50", "1"), 100: nsStatus("100", "100", "100", "1")},
		ns:    map[uint32]uint64{0: initPidNs, 100: initPidNs},
	}
	d, txt := pidText(Options{Prefix: PrefixFile, Align: -1, DecodePids: DecodePidNs}, src)
	fork := func(child uint32, ns, level, nsTid uint32) {
		txt.Event(&Event{Kind: KindFork, Fork: &wire.Fork{Header: wire.Header{Tid: 100, Tgid: 100},
			ChildTid: child, ChildTgid: child, NsInum: ns, NsLevel: level, NsTid: nsTid, NsTgid: nsTid}})
	}
	fork(9514, 4026532999, 1, 4) // in a pid namespace below eproc's, gone from /proc
	feedCall(t, d, "getpid", 9514, 4, [6]uint64{})
	feedCall(t, d, "kill", 100, 0, [6]uint64{9514, 0})
	fork(9515, 4026532999, 1, 5)
	feedCall(t, d, "kill", 9515, 0, [6]uint64{4, 0}) // its sibling, by the id they share a namespace in
	fork(9516, initPidNs, 0, 9516)                   // in eproc's namespace
	feedCall(t, d, "getpid", 9516, 9516, [6]uint64{})
	fork(9517, 0, 0, 0) // no namespace in the record: /proc, which has nothing
	feedCall(t, d, "getpid", 9517, 6, [6]uint64{})
	checkLines(t, textLines(txt), []string{
		"9514  getpid() = 4 /* 9514 in strace's PID NS */",
		"100   kill(9514, 0) = 0",
		"9515  kill(4 /* 9514 in strace's PID NS */, 0) = 0",
		"9516  getpid() = 9516",
		"9517  getpid() = 6",
	})
}

// TestDecodePidsView: a text printed for a pid namespace below eproc's
// (eproc mount's client under unshare -p: PidView) prints each line's pid
// as that namespace numbers it, and --pidns-translation's comment with
// that number, beside the pids of a namespace below it (a child born
// there: its id in the view's namespace is its fork record's ns_ptid),
// none beside the view's own; without --pidns-translation, only the
// prefix.
func TestDecodePidsView(t *testing.T) {
	for _, set := range []uint8{DecodePidNs, 0} {
		src := &pidsSrc{
			stats: map[uint32]string{0: nsStatus("50", "50", "50", "1"), 100: nsStatus("100 2", "100 2", "100 2", "1 1")},
			ns:    map[uint32]uint64{0: initPidNs, 100: 500},
		}
		opt := Options{Prefix: PrefixFile, Align: -1, DecodePids: set, PidView: &PidView{Ns: 500, Level: 1}}
		d, txt := pidText(opt, src)
		txt.pids.view = opt.PidView
		fork := func(child, nsTid, ptid uint32) {
			txt.Event(&Event{Kind: KindFork, Fork: &wire.Fork{Header: wire.Header{Tid: 100, Tgid: 100},
				ChildTid: child, ChildTgid: child, NsInum: 600, NsLevel: 2, NsTid: nsTid, NsTgid: nsTid, NsPtid: ptid}})
		}
		feedCall(t, d, "getpid", 100, 2, [6]uint64{})
		fork(9514, 1, 3) // below the view's namespace, gone from /proc
		feedCall(t, d, "getpid", 9514, 1, [6]uint64{})
		feedCall(t, d, "kill", 100, 0, [6]uint64{3, 0})
		fork(9515, 2, 4)
		feedCall(t, d, "kill", 9515, 0, [6]uint64{1, 0}) // its sibling, by the id they share a namespace in
		txt.Event(&Event{Kind: KindExit, Exit: &wire.Exit{Header: wire.Header{Tid: 9514, Tgid: 9514}}})
		want := []string{
			"2     getpid() = 2",
			"3     getpid() = 1 /* 3 in strace's PID NS */",
			"2     kill(3, 0) = 0",
			"4     kill(1 /* 3 in strace's PID NS */, 0) = 0",
			"3     +++ exited with 0 +++",
		}
		if set == 0 {
			for i, l := range want {
				want[i], _, _ = strings.Cut(l, " /*")
				if strings.Contains(l, " /*") {
					want[i] += l[strings.Index(l, " */")+3:]
				}
			}
		}
		checkLines(t, textLines(txt), want)
	}
}
