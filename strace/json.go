package strace

import (
	"bytes"
	"os"
	"path"
	"strconv"
	"time"

	"github.com/eproc/eproc/loader/wire"
)

// JSON is the sink that writes JSON Lines: one object per event, as
// docs/json.md describes. Arguments are printed by the same table as the
// text and read back as values (appendNotation), so the two never
// disagree. A call that blocks is written once, when it returns; one that
// never returns (exit_group, or a thread that dies inside it) is written
// with "ret": null.
type JSON struct {
	out     LineWriter
	b       []byte // complete lines not yet handed to out
	p       printer
	batch   int
	monoOff int64 // realtime - monotonic, ns
	clock   jsonClock

	// comm by thread: from /proc at a thread's first event, then followed
	// through forks and execs.
	comms map[uint32]string
	proc  string // where comm is read from: /proc (tests: elsewhere)
	// Calls entered and not yet returned, by thread: the object to write
	// with "ret": null should the thread end inside the call.
	entered map[uint32]enteredCall
	// Calls the sink wrote; Fallbacks: arguments whose text did not parse
	// as strace notation and went out as a JSON string.
	Calls, Fallbacks uint64
}

type enteredCall struct {
	nr  uint32
	obj []byte // the object up to its "ret"
}

// NewJSON returns a JSON sink writing to out. strsize is strace's -s (0:
// 32).
func NewJSON(strsize int, out LineWriter) *JSON {
	strsize = strSize(strsize)
	buildTable()
	j := &JSON{
		out:     out,
		batch:   64 << 10,
		comms:   map[uint32]string{},
		entered: map[uint32]enteredCall{},
		proc:    "/proc",
	}
	j.p.strsize = strsize
	j.monoOff = MonoOffset()
	return j
}

// Event writes one event's object.
func (j *JSON) Event(ev *Event) {
	switch ev.Kind {
	case KindCall:
		j.call(ev.Call)
	case KindSignal:
		j.signal(ev.Signal)
	case KindExit:
		j.exit(ev.Exit)
	case KindFork:
		j.fork(ev.Fork)
	case KindExec:
		j.exec(ev.Exec)
	case KindKVM:
		j.kvm(ev.KVM)
	case KindDrops:
		j.b = append(j.b, `{"event":"dropped","syscalls":`...)
		j.b = strconv.AppendUint(j.b, ev.Drops.Calls, 10)
		j.b = append(j.b, `,"other":`...)
		j.b = strconv.AppendUint(j.b, ev.Drops.Other, 10)
		j.b = append(j.b, "}\n"...)
	case KindMark:
		j.b = append(j.b, `{"event":"mark","text":`...)
		j.b = appendJSONString(j.b, bytes.TrimRight(ev.Mark, "\n"))
		j.b = append(j.b, "}\n"...)
	}
	if len(j.b) >= j.batch {
		j.out.WriteLines(j.b)
		j.b = j.b[:0]
	}
}

// Idle writes the complete lines out.
func (j *JSON) Idle() {
	if len(j.b) > 0 {
		j.out.WriteLines(j.b)
		j.b = j.b[:0]
	}
	j.out.Flush()
}

// End writes the calls still blocked (ret null) and the end object.
func (j *JSON) End(c Counts) {
	for tid, e := range j.entered {
		j.unfinished(e)
		delete(j.entered, tid)
	}
	j.b = append(j.b, `{"event":"end","syscalls":`...)
	j.b = strconv.AppendUint(j.b, c.Seen, 10)
	j.b = append(j.b, `,"dropped":`...)
	j.b = strconv.AppendUint(j.b, c.Dropped, 10)
	j.b = append(j.b, `,"lost":`...)
	j.b = strconv.AppendUint(j.b, c.Lost, 10)
	j.b = append(j.b, "}\n"...)
	j.out.Final(j.b)
	j.b = j.b[:0]
}

// head appends the fields every object of a thread's event has.
func (j *JSON) head(b []byte, event string, h *wire.Header) []byte {
	b = append(b, `{"event":"`...)
	b = append(b, event...)
	b = append(b, `","time":"`...)
	b = j.clock.append(b, int64(h.TS)+j.monoOff)
	b = append(b, `","pid":`...)
	b = strconv.AppendUint(b, uint64(h.Tgid), 10)
	b = append(b, `,"tid":`...)
	b = strconv.AppendUint(b, uint64(h.Tid), 10)
	b = append(b, `,"comm":`...)
	return appendJSONString(b, []byte(j.comm(h.Tid, h.Tgid)))
}

// comm is the thread's command name.
func (j *JSON) comm(tid, tgid uint32) string {
	if c, ok := j.comms[tid]; ok {
		return c
	}
	c := procComm(j.proc, tid)
	if c == "" && tgid != tid {
		c = j.comms[tgid]
	}
	j.comms[tid] = c
	return c
}

// procComm reads a thread's comm from /proc; "" when it is gone.
func procComm(proc string, tid uint32) string {
	b, err := os.ReadFile(proc + "/" + strconv.FormatUint(uint64(tid), 10) + "/comm")
	if err != nil {
		return ""
	}
	return string(bytes.TrimRight(b, "\n"))
}

func (j *JSON) fork(f *wire.Fork) {
	j.comms[f.ChildTid] = j.comm(f.Tid, f.Tgid)
	j.b = j.head(j.b, "fork", &f.Header)
	j.b = append(j.b, `,"child_pid":`...)
	j.b = strconv.AppendUint(j.b, uint64(f.ChildTgid), 10)
	j.b = append(j.b, `,"child_tid":`...)
	j.b = strconv.AppendUint(j.b, uint64(f.ChildTid), 10)
	j.b = append(j.b, `,"thread":`...)
	j.b = strconv.AppendBool(j.b, f.Thread)
	j.b = append(j.b, "}\n"...)
}

// exec follows the new image's name: the kernel names the task after the
// file's base name, cut to 15 bytes. Its execve's object follows.
func (j *JSON) exec(x *wire.Exec) {
	for i := range x.Caps {
		if c := &x.Caps[i]; c.Arg == 0 {
			name := path.Base(string(c.Data))
			if len(name) > 15 {
				name = name[:15]
			}
			j.comms[x.Tid] = name
		}
	}
	if x.OldTid != x.Tid {
		if e, ok := j.entered[x.OldTid]; ok {
			j.entered[x.Tid] = e
			delete(j.entered, x.OldTid)
		}
		delete(j.comms, x.OldTid)
	}
}

func (j *JSON) call(c *Call) {
	e := lookup(c.Nr)
	s := e.signature()
	if !c.Complete() {
		if s.noreturn {
			j.b = j.callHead(j.b, c, e, s)
			j.b = append(j.b, `,"ret":null}`+"\n"...)
			j.Calls++
			return
		}
		if prev, ok := j.entered[c.Tid]; !ok || prev.nr != c.Nr {
			j.entered[c.Tid] = enteredCall{nr: c.Nr, obj: j.callHead(prev.obj[:0], c, e, s)}
		}
		return
	}
	delete(j.entered, c.Tid)
	j.b = j.callHead(j.b, c, e, s)
	j.b = append(j.b, `,"ret":`...)
	if _, restart := restartErrnos[-c.Ret]; restart {
		// Not returned to the program: to be restarted (strace's "= ?").
		j.b = append(j.b, `null,"errno":`...)
		j.b = appendJSONString(j.b, []byte(ErrnoName(c.Ret)))
	} else if c.Ret < 0 && c.Ret >= -4095 {
		j.b = append(j.b, `-1,"errno":`...)
		j.b = appendJSONString(j.b, []byte(ErrnoName(c.Ret)))
	} else {
		j.b = strconv.AppendInt(j.b, c.Ret, 10)
		if s.ret != nil {
			j.p.b = j.p.b[:0]
			s.ret(&j.p, c)
			j.b = append(j.b, `,"ret_text":`...)
			j.b = appendJSONString(j.b, j.p.b)
		}
	}
	j.b = append(j.b, `,"duration_ns":`...)
	j.b = strconv.AppendUint(j.b, c.ExitTS-c.TS, 10)
	j.b = append(j.b, "}\n"...)
	j.Calls++
}

// callHead appends a call's object up to its result: the common fields,
// the syscall's name and its arguments.
func (j *JSON) callHead(b []byte, c *Call, e *Sysent, s *sig) []byte {
	b = j.head(b, "syscall", &c.Header)
	b = append(b, `,"syscall":`...)
	j.p.b = j.p.b[:0]
	syscallName(&j.p, e, c.Nr)
	b = appendJSONString(b, j.p.b)
	b = append(b, `,"args":[`...)
	n := min(s.count(c), 6)
	first := true
	for i := 0; i < n; i++ {
		j.p.b = j.p.b[:0]
		j.p.lineStart = 0
		if i < len(s.args) {
			kinds[s.args[i]].fmt(&j.p, c, i)
		} else {
			j.p.x(c.Args[i])
		}
		var ok bool
		if b, ok = appendNotationList(b, j.p.b, &first); !ok {
			j.Fallbacks++
		}
	}
	return append(b, ']')
}

// unfinished writes a call its thread never returned from.
func (j *JSON) unfinished(e enteredCall) {
	j.b = append(j.b, e.obj...)
	j.b = append(j.b, `,"ret":null,"unfinished":true}`+"\n"...)
	j.Calls++
}

func (j *JSON) signal(s *wire.Signal) {
	event := "signal"
	if s.Stopped {
		event = "stop"
	}
	j.b = j.head(j.b, event, &s.Header)
	j.b = append(j.b, `,"signal":`...)
	j.p.b = j.p.b[:0]
	signalName(&j.p, int(s.Sig))
	j.b = appendJSONString(j.b, j.p.b)
	if s.Stopped {
		j.b = append(j.b, "}\n"...)
		return
	}
	j.b = append(j.b, `,"siginfo":`...)
	j.p.b = j.p.b[:0]
	siginfo(&j.p, nil, s.Info[:])
	var ok bool
	if j.b, ok = appendNotation(j.b, j.p.b); !ok {
		j.Fallbacks++
	}
	j.b = append(j.b, "}\n"...)
}

func (j *JSON) exit(x *wire.Exit) {
	if e, ok := j.entered[x.Tid]; ok {
		j.unfinished(e)
		delete(j.entered, x.Tid)
	}
	j.b = j.head(j.b, "exit", &x.Header)
	code := x.Code
	switch {
	case x.Detached:
		j.b = append(j.b, `,"detached":true`...)
	case x.Superseded:
		j.b = append(j.b, `,"superseded_by":`...)
		j.b = strconv.AppendInt(j.b, int64(code), 10)
	case code&0x7f == 0:
		j.b = append(j.b, `,"code":`...)
		j.b = strconv.AppendInt(j.b, int64(code>>8)&0xff, 10)
	default:
		j.p.b = j.p.b[:0]
		signalName(&j.p, int(code&0x7f))
		j.b = append(j.b, `,"killed_by":`...)
		j.b = appendJSONString(j.b, j.p.b)
		j.b = append(j.b, `,"core_dumped":`...)
		j.b = strconv.AppendBool(j.b, code&0x80 != 0)
	}
	j.b = append(j.b, `,"group":`...)
	j.b = strconv.AppendBool(j.b, x.GroupDead)
	j.b = append(j.b, "}\n"...)
	delete(j.comms, x.Tid)
}

func (j *JSON) kvm(k *wire.KVMExit) {
	j.b = j.head(j.b, "kvm_exit", &k.Header)
	j.b = append(j.b, `,"vcpu":`...)
	j.b = strconv.AppendUint(j.b, uint64(k.VCPU), 10)
	j.b = append(j.b, `,"isa":`...)
	j.b = appendJSONString(j.b, []byte(KVMISAName(k.ISA)))
	j.b = append(j.b, `,"reason":`...)
	j.b = appendJSONString(j.b, []byte(KVMExitName(k.ISA, k.Reason)))
	for _, f := range [...]struct {
		name string
		v    uint64
	}{{"rip", k.RIP}, {"info1", k.Info1}, {"info2", k.Info2}} {
		j.b = append(j.b, `,"`...)
		j.b = append(j.b, f.name...)
		j.b = append(j.b, `":"0x`...)
		j.b = strconv.AppendUint(j.b, f.v, 16)
		j.b = append(j.b, '"')
	}
	j.b = append(j.b, "}\n"...)
}

// jsonClock formats an event's time, Unix ns, as RFC 3339 in UTC with 9
// digits of fraction ("2006-01-02T15:04:05.000000000Z"): the part up to
// the second once per second, the fraction by hand. (time.Time's
// AppendFormat took a quarter of an event's time in BenchmarkDecodeJSON.)
type jsonClock struct {
	sec    int64
	prefix []byte // "2006-01-02T15:04:05." of sec
}

func (c *jsonClock) append(b []byte, ns int64) []byte {
	sec, frac := ns/1e9, ns%1e9
	if frac < 0 {
		sec, frac = sec-1, frac+1e9
	}
	if c.prefix == nil || sec != c.sec {
		c.sec = sec
		c.prefix = time.Unix(sec, 0).UTC().AppendFormat(c.prefix[:0], "2006-01-02T15:04:05.")
	}
	b = append(b, c.prefix...)
	var d [9]byte
	for i := len(d) - 1; i >= 0; i-- {
		d[i] = '0' + byte(frac%10)
		frac /= 10
	}
	b = append(b, d[:]...)
	return append(b, 'Z')
}
