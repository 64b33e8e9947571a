package procview

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"go.uber.org/zap"
	"golang.org/x/sys/unix"
)

// ctl's `core PATH`: Plan 9's core command, Linux's way: an ELF core file
// of the process, as gdb's gcore writes one, at PATH.
//
// PATH is absolute (else EINVAL); the file is created with the writer's
// file-system identity (so the directory's permissions are the writer's
// to satisfy, and the file is the writer's), O_CREAT|O_EXCL|O_NOFOLLOW,
// mode 0600: an existing file is EEXIST, nothing is written.
//
// The process is stopped for the dump: the view ptraces every thread
// (PTRACE_SEIZE, PTRACE_INTERRUPT) on a thread of its own, reads their
// registers and the memory, and lets them go (PTRACE_DETACH): a running
// process runs on, a stopped one (SIGSTOP) stays stopped, and a thread
// that was stopped for a signal's delivery gets its signal. A process
// under attach (ctl_debug.go) is dumped by its tracer's thread, while it
// is stopped (EBUSY while it runs): every thread is held by the tracer
// already. One ptraced by someone else (gdb, strace) is EBUSY, the daemon
// itself and the writer's own process EPERM, a process gone ESRCH (the
// file is then removed).
//
// The file: an ELF64 ET_CORE whose first segment is a PT_NOTE holding,
// as the kernel's own core dumps order them, the first thread's
// NT_PRSTATUS (its registers in user_regs_struct's order, its pid),
// NT_PRPSINFO, NT_AUXV (/proc/PID/auxv), NT_FILE (the files mapped) and
// NT_FPREGSET, then NT_PRSTATUS and NT_FPREGSET for each other thread;
// then a PT_LOAD for each line of /proc/PID/maps, its bytes read through
// /proc/PID/mem. As gcore, unreadable mappings and the kernel's [vvar]
// and [vsyscall] have no bytes in the file (p_filesz 0); a page the
// kernel will not read (device memory) reads as zeros.
//
// amd64 only (core_amd64.go); other architectures answer EOPNOTSUPP.

// coreMachine is an architecture's part of a core file: nil where there
// is none (core_other.go).
type coreMachine struct {
	machine elf.Machine
	// regs reads a stopped thread's general and floating-point
	// registers, as NT_PRSTATUS's pr_reg and NT_FPREGSET hold them.
	regs func(tid int) (gp, fp []byte, err error)
	// prstatus and prpsinfo are the notes' structs.
	prstatus func(th *coreThread, gp []byte) []byte
	prpsinfo func(p *coreProc) []byte
}

// coreThread is a thread as NT_PRSTATUS describes it.
type coreThread struct {
	tid              int
	cursig           unix.Signal
	sigpend, sighold uint64
	utime, stime     time.Duration
	cutime, cstime   time.Duration // the process's
	ppid, pgrp, sid  int
	gp, fp           []byte
}

// coreProc is the process as NT_PRPSINFO describes it.
type coreProc struct {
	pid, ppid, pgrp, sid int
	state                byte
	nice                 int8
	flags                uint64
	uid, gid             uint32
	comm                 string
	args                 string
}

// core is ctl's core PATH.
func (v *View) core(id *ident, c *caller, path string) error {
	if coreArch == nil {
		v.log.Info("not supported", zap.Int("pid", id.pid), zap.String("cmd", "core"), zap.String("why", whyCore))
		return syscall.EOPNOTSUPP
	}
	if !filepath.IsAbs(path) {
		return fmt.Errorf("core %q: not an absolute path: %w", path, errBadCmd)
	}
	if err := v.mayStart(id); err != nil {
		return err
	}
	if id.pid == c.tgid() {
		return syscall.EPERM // as ptrace: a process cannot trace itself
	}
	if e := id.check(); e != 0 {
		return e
	}
	t := v.dbg.get(id)
	if t == nil && tracerPid(id.pid) != 0 {
		return syscall.EBUSY
	}
	if t != nil && !t.isStopped() {
		return syscall.EBUSY
	}
	fd := -1
	err := c.as(func() (err error) {
		fd, err = unix.Open(path, unix.O_WRONLY|unix.O_CREAT|unix.O_EXCL|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0o600)
		return err
	})
	if err != nil {
		return fmt.Errorf("core %q: %w", path, err)
	}
	unix.Fchmod(fd, 0o600) // whatever the daemon's umask
	f := os.NewFile(uintptr(fd), path)
	var done <-chan struct{}
	if c.ctx != nil {
		done = c.ctx.Done()
	}
	if t != nil {
		err = t.do(func() error {
			if !t.isStopped() {
				return syscall.EBUSY
			}
			return dumpCore(id, f, t.held(), done)
		})
	} else {
		res := make(chan error, 1)
		go func() {
			// Never unlocked: if a thread could not be let go, the
			// kernel lets it go when this thread ends with the goroutine.
			runtime.LockOSThread()
			res <- dumpCore(id, f, nil, done)
		}()
		err = <-res
	}
	var st syscall.Stat_t
	statErr := syscall.Fstat(fd, &st)
	f.Close()
	if err != nil {
		// Remove what was written, if the path is still the file made.
		var now syscall.Stat_t
		if statErr == nil && syscall.Lstat(path, &now) == nil && now.Dev == st.Dev && now.Ino == st.Ino {
			os.Remove(path)
		}
		return err
	}
	v.log.Info("core", zap.Int("pid", id.pid), zap.String("path", path), zap.Int("caller", c.tgid()), zap.Int64("bytes", st.Size))
	return nil
}

// whyCore is why core is EOPNOTSUPP off amd64.
const whyCore = "core files are written for amd64 only: the notes' structs (elf_prstatus, elf_prpsinfo) are the architecture's"

// coreHeld is a thread the dump seized: the signal it stopped for, to
// deliver when it is let go.
type coreHeld struct {
	sig     unix.Signal
	stopped bool
	gone    bool
}

// dumpCore stops every thread of the process, writes the core to f, and
// lets them go; it runs on a locked OS thread (the tracer's, with
// attached: the threads stopped under attach already, and the signal each
// stopped for).
func dumpCore(id *ident, f *os.File, attached map[int]unix.Signal, done <-chan struct{}) error {
	pid := id.pid
	s := &coreStop{pid: pid, attached: attached, held: map[int]*coreHeld{}}
	defer s.release()
	if err := s.seize(); err != nil {
		return err
	}
	if e := id.check(); e != 0 {
		return e
	}
	if err := s.wait(done); err != nil {
		return err
	}
	threads := s.threads()
	if len(threads) == 0 {
		return syscall.ESRCH
	}
	p, err := readCoreProc(pid)
	if err != nil {
		return syscall.ESRCH
	}
	if e := id.check(); e != 0 {
		return e
	}
	return writeCore(f, pid, p, threads)
}

// coreStop is the threads a dump of process pid seized, in the order
// seized (those stopped under attach are not among them).
type coreStop struct {
	pid      int
	attached map[int]unix.Signal // the threads held under attach: theirs to let go
	held     map[int]*coreHeld
	order    []int
}

// release lets go every thread seized that is still there.
func (s *coreStop) release() {
	for _, tid := range s.order {
		h := s.held[tid]
		if !h.gone {
			ptraceSig(unix.PTRACE_DETACH, tid, h.sig)
		}
	}
}

// seize seizes and interrupts every thread, again until no new one
// appears (a thread may make others meanwhile).
func (s *coreStop) seize() error {
	pid := s.pid
	for {
		tids, err := coreTaskIDs(pid)
		if err != nil {
			return syscall.ESRCH
		}
		more := false
		for _, tid := range tids {
			if _, ok := s.attached[tid]; ok || s.held[tid] != nil {
				continue
			}
			if err := unix.PtraceSeize(tid); err != nil {
				if err == syscall.ESRCH || taskState(pid, tid) == 'Z' || taskState(pid, tid) == 0 {
					continue // ended, or a zombie leader: no registers
				}
				return syscall.EBUSY // someone ptraces it
			}
			s.held[tid] = &coreHeld{}
			s.order = append(s.order, tid)
			unix.PtraceInterrupt(tid)
			more = true
		}
		if !more {
			return nil
		}
	}
}

// wait waits for each thread seized to stop, polling: a thread can be
// slow to stop (in an uninterruptible sleep); the writer may give up
// (EINTR).
func (s *coreStop) wait(done <-chan struct{}) error {
	deadline := time.Now().Add(10 * time.Second)
	for _, tid := range s.order {
		h := s.held[tid]
		for !h.stopped && !h.gone {
			var ws unix.WaitStatus
			n, err := unix.Wait4(tid, &ws, unix.WNOHANG|unix.WALL, nil)
			switch {
			case err == syscall.EINTR:
			case err != nil: // ECHILD: it ended
				h.gone = true
			case n == 0:
				select {
				case <-done:
					return syscall.EINTR
				case <-time.After(time.Millisecond):
				}
				if time.Now().After(deadline) {
					return syscall.EBUSY
				}
			case ws.Exited() || ws.Signaled():
				h.gone = true
			case ws.Stopped():
				h.stopped = true
				if int(ws)>>16 == 0 {
					// A signal's delivery, not the interrupt's stop
					// (PTRACE_EVENT_STOP): it gets its signal at detach.
					h.sig = ws.StopSignal()
				}
			}
		}
	}
	return nil
}

// threads reads every thread that is still there, the leader first.
func (s *coreStop) threads() []*coreThread {
	pid := s.pid
	var tids []int
	_, leaderAttached := s.attached[pid]
	if h := s.held[pid]; leaderAttached || h != nil && h.stopped {
		tids = append(tids, pid)
	}
	var others []int
	for tid := range s.attached {
		if tid != pid {
			others = append(others, tid)
		}
	}
	sort.Ints(others)
	tids = append(tids, others...)
	for _, tid := range s.order {
		if tid != pid && s.held[tid].stopped {
			tids = append(tids, tid)
		}
	}
	var threads []*coreThread
	for _, tid := range tids {
		th, err := readThread(pid, tid)
		if err != nil {
			continue // ended meanwhile
		}
		if h := s.held[tid]; h != nil {
			th.cursig = h.sig
		} else {
			th.cursig = s.attached[tid]
		}
		threads = append(threads, th)
	}
	return threads
}

// coreTaskIDs lists the process's threads.
func coreTaskIDs(pid int) ([]int, error) {
	ents, err := os.ReadDir(fmt.Sprintf("/proc/%d/task", pid))
	if err != nil {
		return nil, err
	}
	var tids []int
	for _, e := range ents {
		if n, err := strconv.Atoi(e.Name()); err == nil {
			tids = append(tids, n)
		}
	}
	return tids, nil
}

// taskStatFields is a task's /proc stat, from its state (field 3) on:
// fields[0] is field 3.
func taskStatFields(path string) ([]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return nil, syscall.ESRCH
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 20 {
		return nil, syscall.ESRCH
	}
	return f, nil
}

// taskState is a thread's state letter, 0 once it is gone.
func taskState(pid, tid int) byte {
	f, err := taskStatFields(fmt.Sprintf("/proc/%d/task/%d/stat", pid, tid))
	if err != nil || f[0] == "" {
		return 0
	}
	return f[0][0]
}

// clkTck is USER_HZ: the unit of /proc's times.
const clkTck = 100

func ticks(s string) time.Duration {
	n, _ := strconv.ParseUint(s, 10, 64)
	return time.Duration(n) * time.Second / clkTck
}

func statInt(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// readThread reads a stopped thread's registers and what NT_PRSTATUS
// says of it.
func readThread(pid, tid int) (*coreThread, error) {
	gp, fp, err := coreArch.regs(tid)
	if err != nil {
		return nil, err
	}
	th := &coreThread{tid: tid, gp: gp, fp: fp}
	if f, err := taskStatFields(fmt.Sprintf("/proc/%d/task/%d/stat", pid, tid)); err == nil {
		// Fields 4 ppid, 5 pgrp, 6 session, 14 utime, 15 stime, 16
		// cutime, 17 cstime.
		th.ppid, th.pgrp, th.sid = statInt(f[1]), statInt(f[2]), statInt(f[3])
		th.utime, th.stime, th.cutime, th.cstime = ticks(f[11]), ticks(f[12]), ticks(f[13]), ticks(f[14])
	}
	if b, err := os.ReadFile(fmt.Sprintf("/proc/%d/task/%d/status", pid, tid)); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			k, v, _ := strings.Cut(l, ":")
			n, _ := strconv.ParseUint(strings.TrimSpace(v), 16, 64)
			switch k {
			case "SigPnd":
				th.sigpend = n
			case "SigBlk":
				th.sighold = n
			}
		}
	}
	return th, nil
}

// readCoreProc reads what NT_PRPSINFO says of the process.
func readCoreProc(pid int) (*coreProc, error) {
	f, err := taskStatFields(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return nil, err
	}
	cr, err := readCreds(pid)
	if err != nil {
		return nil, err
	}
	comm, _ := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid))
	args, _ := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	flags, _ := strconv.ParseUint(f[6], 10, 64)
	return &coreProc{
		pid: pid, ppid: statInt(f[1]), pgrp: statInt(f[2]), sid: statInt(f[3]),
		state: f[0][0], nice: int8(statInt(f[16])), flags: flags,
		uid: cr.uid[0], gid: cr.gid[0],
		comm: strings.TrimSuffix(string(comm), "\n"),
		args: strings.TrimRight(strings.ReplaceAll(string(args), "\x00", " "), " "),
	}, nil
}

// coreMapping is a line of /proc/PID/maps, with its file offset.
type coreMapping struct {
	vma
	off uint64
}

func readMappings(pid int) ([]coreMapping, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/maps", pid))
	if err != nil {
		return nil, err
	}
	var ms []coreMapping
	for _, l := range strings.Split(string(b), "\n") {
		v, ok := parseVMA(l)
		if !ok {
			continue
		}
		off, _ := strconv.ParseUint(strings.Fields(l)[2], 16, 64)
		ms = append(ms, coreMapping{v, off})
	}
	return ms, nil
}

// dumped reports whether a mapping's bytes go in the core: gcore leaves
// out what cannot be read, and the kernel's [vvar] (and [vvar_vclock])
// and [vsyscall].
func (m coreMapping) dumped() bool {
	return m.readable() && !strings.HasPrefix(m.name, "[vvar") && m.name != "[vsyscall]"
}

// note is an ELF note of a core: name CORE.
func note(typ uint32, desc []byte) []byte {
	var b bytes.Buffer
	name := []byte("CORE\x00")
	binary.Write(&b, binary.LittleEndian, [3]uint32{uint32(len(name)), uint32(len(desc)), typ})
	b.Write(name)
	b.Write(make([]byte, pad4(len(name))))
	b.Write(desc)
	b.Write(make([]byte, pad4(len(desc))))
	return b.Bytes()
}

func pad4(n int) int { return (4 - n%4) % 4 }

// fileNote is NT_FILE: count, page size, then start, end and file offset
// (in pages) of each mapped file, then their names.
func fileNote(ms []coreMapping, page uint64) []byte {
	var ents, names bytes.Buffer
	n := 0
	for _, m := range ms {
		if m.inode == 0 || !strings.HasPrefix(m.name, "/") {
			continue
		}
		binary.Write(&ents, binary.LittleEndian, [3]uint64{m.start, m.end, m.off / page})
		names.WriteString(m.name)
		names.WriteByte(0)
		n++
	}
	var b bytes.Buffer
	binary.Write(&b, binary.LittleEndian, [2]uint64{uint64(n), page})
	b.Write(ents.Bytes())
	b.Write(names.Bytes())
	return b.Bytes()
}

// writeCore writes the core file of the stopped process.
func writeCore(f *os.File, pid int, p *coreProc, threads []*coreThread) error {
	ms, err := readMappings(pid)
	if err != nil {
		return syscall.ESRCH
	}
	auxv, err := os.ReadFile(fmt.Sprintf("/proc/%d/auxv", pid))
	if err != nil {
		return syscall.ESRCH
	}
	page := uint64(os.Getpagesize())
	var notes bytes.Buffer
	for i, th := range threads {
		notes.Write(note(uint32(elf.NT_PRSTATUS), coreArch.prstatus(th, th.gp)))
		if i == 0 {
			notes.Write(note(uint32(elf.NT_PRPSINFO), coreArch.prpsinfo(p)))
			notes.Write(note(unix.NT_AUXV, auxv))
			notes.Write(note(unix.NT_FILE, fileNote(ms, page)))
		}
		notes.Write(note(uint32(elf.NT_FPREGSET), th.fp))
	}
	nph := 1 + len(ms)
	if nph >= 0xffff {
		return syscall.EFBIG // PN_XNUM's section header: not written
	}
	const ehsize, phsize = 64, 56
	noteOff := uint64(ehsize + phsize*nph)
	off := (noteOff + uint64(notes.Len()) + page - 1) &^ (page - 1)
	phs := []elf.Prog64{{Type: uint32(elf.PT_NOTE), Off: noteOff, Filesz: uint64(notes.Len()), Align: 4}}
	for _, m := range ms {
		ph := elf.Prog64{Type: uint32(elf.PT_LOAD), Off: off, Vaddr: m.start, Memsz: m.end - m.start, Align: page}
		if m.readable() {
			ph.Flags |= uint32(elf.PF_R)
		}
		if m.writable() {
			ph.Flags |= uint32(elf.PF_W)
		}
		if m.executable() {
			ph.Flags |= uint32(elf.PF_X)
		}
		if m.dumped() {
			ph.Filesz = ph.Memsz
			off += ph.Filesz
		}
		phs = append(phs, ph)
	}
	hdr := elf.Header64{
		Type: uint16(elf.ET_CORE), Machine: uint16(coreArch.machine), Version: uint32(elf.EV_CURRENT),
		Phoff: ehsize, Ehsize: ehsize, Phentsize: phsize, Phnum: uint16(nph),
	}
	copy(hdr.Ident[:], elf.ELFMAG)
	hdr.Ident[elf.EI_CLASS] = byte(elf.ELFCLASS64)
	hdr.Ident[elf.EI_DATA] = byte(elf.ELFDATA2LSB)
	hdr.Ident[elf.EI_VERSION] = byte(elf.EV_CURRENT)
	hdr.Ident[elf.EI_OSABI] = byte(elf.ELFOSABI_NONE)
	var head bytes.Buffer
	binary.Write(&head, binary.LittleEndian, &hdr)
	binary.Write(&head, binary.LittleEndian, phs)
	head.Write(notes.Bytes())
	if _, err := f.WriteAt(head.Bytes(), 0); err != nil {
		return err
	}
	mem, err := os.Open(fmt.Sprintf("/proc/%d/mem", pid))
	if err != nil {
		return syscall.ESRCH
	}
	defer mem.Close()
	for i, m := range ms {
		ph := phs[1+i]
		if ph.Filesz == 0 {
			continue
		}
		if err := copyMem(f, mem, ph.Off, m.start, m.end, page); err != nil {
			return err
		}
	}
	return f.Truncate(int64(off))
}

// copyMem copies the memory [start, end) to the file at off, a MiB at a
// time; a chunk the kernel will not read is copied a page at a time, and
// a page it will not read stays a hole (zeros).
func copyMem(f, mem *os.File, off, start, end, page uint64) error {
	buf := make([]byte, 1<<20)
	for a := start; a < end; {
		n := min(uint64(len(buf)), end-a)
		if k, err := mem.ReadAt(buf[:n], int64(a)); err == nil && uint64(k) == n {
			if allZero(buf[:n]) {
				a += n
				continue
			}
			if _, err := f.WriteAt(buf[:n], int64(off+a-start)); err != nil {
				return err
			}
			a += n
			continue
		}
		for p := a; p < a+n; p += page {
			if k, err := mem.ReadAt(buf[:page], int64(p)); err == nil && uint64(k) == page && !allZero(buf[:page]) {
				if _, err := f.WriteAt(buf[:page], int64(off+p-start)); err != nil {
					return err
				}
			}
		}
		a += n
	}
	return nil
}

func allZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}
