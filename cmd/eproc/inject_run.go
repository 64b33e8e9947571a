package main

import (
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// How -e inject= runs (inject.go says what it does):
//
//  1. eproc starts itself as a shim (`eproc __inject-shim NRS PATH ARGV...`),
//     untraced. The shim installs a seccomp filter on its thread that hands
//     the calls NRS (and execve) to a listener, and waits.
//  2. eproc takes the listener from the shim (pidfd_getfd), puts the shim in
//     the session from its next execve on (loader's AttachAtExec), and lets
//     it go: the shim execs the command, which keeps the filter, as do its
//     children.
//  3. A goroutine answers the listener: the shim's own calls before its
//     execve run on; then each call of a rule's set is counted per thread,
//     and when the rule's when= says so, gets its signal, its delay, and
//     its error or value instead of running (marked for the text's
//     "(INJECTED)"), or runs on.

// The kernel's struct seccomp_notif and seccomp_notif_resp.
type seccompNotif struct {
	ID    uint64
	Pid   uint32
	Flags uint32
	Nr    int32
	Arch  uint32
	IP    uint64
	Args  [6]uint64
}

type seccompNotifResp struct {
	ID    uint64
	Val   int64
	Error int32
	Flags uint32
}

// auditArch is this machine's AUDIT_ARCH_* (seccomp_data.arch).
func auditArch() uint32 {
	if runtime.GOARCH == "arm64" {
		return unix.AUDIT_ARCH_AARCH64
	}
	return unix.AUDIT_ARCH_X86_64
}

// injectFilter is the shim's seccomp program: the calls nrs of this
// machine's arch go to the listener, the rest run.
func injectFilter(nrs []uint32) []unix.SockFilter {
	const ld, jeq, ret = unix.BPF_LD | unix.BPF_W | unix.BPF_ABS, unix.BPF_JMP | unix.BPF_JEQ | unix.BPF_K, unix.BPF_RET | unix.BPF_K
	p := []unix.SockFilter{
		{Code: ld, K: 4}, // arch
		{Code: jeq, Jt: 1, K: auditArch()},
		{Code: ret, K: unix.SECCOMP_RET_ALLOW},
		{Code: ld, K: 0}, // nr
	}
	for _, nr := range nrs {
		p = append(p, unix.SockFilter{Code: jeq, Jf: 1, K: nr}, unix.SockFilter{Code: ret, K: unix.SECCOMP_RET_USER_NOTIF})
	}
	return append(p, unix.SockFilter{Code: ret, K: unix.SECCOMP_RET_ALLOW})
}

// injectNrs are the calls the filter hands over: the rules' (which it
// notes in o.injected.nrs, the calls the supervisor and the text count)
// and execve's (the shim's execve arms the supervisor).
func (o *traceOpts) injectNrs() []uint32 {
	o.injected.nrs = map[uint32]bool{}
	for _, r := range o.injects {
		for nr := range r.nrs {
			o.injected.nrs[nr] = true
		}
	}
	out := []uint32{unix.SYS_EXECVE, unix.SYS_EXECVEAT}
	for nr := range o.injected.nrs {
		if nr != unix.SYS_EXECVE && nr != unix.SYS_EXECVEAT {
			out = append(out, nr)
		}
	}
	return out
}

// The shim's filter and execve must be its main thread's: the supervisor
// arms at the execve of the process it started (a notification says the
// caller's thread id), and Go may move the main goroutine to another
// thread before runInjectShim locks it (a preemption, under load). Locked
// in an init function, main runs on the main thread.
func init() {
	if len(os.Args) > 1 && os.Args[1] == injectShimCmd {
		runtime.LockOSThread()
	}
}

// injectShimCmd is the shim's command (main.go's table).
const injectShimCmd = "__inject-shim"

// runInjectShim is `eproc __inject-shim NRS PATH ARGV...`: it runs with
// fd 3 the read end of a pipe eproc writes a byte to once it holds the
// listener, and fd 4 the write end of one it writes the listener's number
// to.
func runInjectShim(args []string) int {
	if len(args) < 3 {
		fmt.Fprintln(os.Stderr, "eproc: __inject-shim is eproc trace's, not a command")
		return 2
	}
	// The filter is this thread's, and this thread execs: init locked
	// the main goroutine to it.
	if unix.Gettid() != os.Getpid() {
		warnf("-e inject=: the shim is not on its main thread\n")
		return 1
	}
	var nrs []uint32
	for _, f := range strings.Split(args[0], ",") {
		n, err := strconv.ParseUint(f, 10, 32)
		if err != nil {
			fmt.Fprintln(os.Stderr, "eproc: __inject-shim: bad syscall list")
			return 2
		}
		nrs = append(nrs, uint32(n))
	}
	if os.Geteuid() != 0 {
		// Without CAP_SYS_ADMIN a filter needs no_new_privs.
		if err := unix.Prctl(unix.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0); err != nil {
			warnf("-e inject=: no_new_privs: %v\n", err)
			return 1
		}
	}
	prog := injectFilter(nrs)
	fprog := unix.SockFprog{Len: uint16(len(prog)), Filter: &prog[0]}
	// WAIT_KILLABLE_RECV (Linux 5.19): once eproc has the call, a signal
	// does not end the caller's wait, so that signal= can be sent before
	// the answer and land as the call returns.
	flags := uintptr(unix.SECCOMP_FILTER_FLAG_NEW_LISTENER | unix.SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV)
	lfd, _, e := unix.Syscall(unix.SYS_SECCOMP, unix.SECCOMP_SET_MODE_FILTER, flags, uintptr(unsafe.Pointer(&fprog)))
	if e == unix.EINVAL {
		lfd, _, e = unix.Syscall(unix.SYS_SECCOMP, unix.SECCOMP_SET_MODE_FILTER, unix.SECCOMP_FILTER_FLAG_NEW_LISTENER, uintptr(unsafe.Pointer(&fprog)))
	}
	if e != 0 {
		warnf("-e inject=: seccomp: %v\n", e)
		return 1
	}
	// The listener's number, for eproc's pidfd_getfd (fd 4).
	unix.Write(4, []byte(strconv.Itoa(int(lfd))))
	unix.Close(4)
	var b [1]byte
	if n, _ := unix.Read(3, b[:]); n != 1 {
		return 1 // eproc gave up on it
	}
	unix.Close(3)
	err := unix.Exec(args[1], args[2:], commandEnv(os.Environ()))
	warnf("exec %s: %v\n", args[1], err)
	return 127
}

// startInjected starts cmd (command's) through the shim, traced from its
// execve on (attach puts the shim in the session from its execve on: here
// with loader's AttachAtExec, or in eproc mount), with the supervisor
// answering its filter. It returns the shim's exec.Cmd: the same process
// as the command, once it has exec'd.
func (o *traceOpts) startInjected(cmd *exec.Cmd, attach func(pid int) error) (*exec.Cmd, error) {
	var list []string
	for _, nr := range o.injectNrs() {
		list = append(list, strconv.FormatUint(uint64(nr), 10))
	}
	r, w, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	defer w.Close()
	lr, lw, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	defer lr.Close()
	shim := exec.Command("/proc/self/exe", append([]string{injectShimCmd, strings.Join(list, ","), cmd.Path}, cmd.Args...)...)
	shim.Args[0] = cmd.Args[0] // ps shows the command's name
	shim.Stdin, shim.Stdout, shim.Stderr, shim.Env = cmd.Stdin, cmd.Stdout, cmd.Stderr, shimEnv(cmd.Env)
	shim.ExtraFiles = []*os.File{r, lw}
	shim.SysProcAttr = cmd.SysProcAttr // -u: the shim's filter then needs no_new_privs
	err = withStartSlack(shim.Start)
	lw.Close()
	if err != nil {
		return nil, err
	}
	fail := func(err error) (*exec.Cmd, error) {
		shim.Process.Kill()
		shim.Wait()
		return nil, fmt.Errorf("-e inject=: %w", err)
	}
	lfd, err := takeListener(shim.Process.Pid, lr)
	if err != nil {
		return fail(err)
	}
	if err := attach(shim.Process.Pid); err != nil {
		unix.Close(lfd)
		return fail(err)
	}
	go o.supervise(lfd, shim.Process.Pid)
	if _, err := w.Write([]byte{1}); err != nil {
		return fail(err)
	}
	return shim, nil
}

// takeListener takes a copy of process pid's seccomp listener, whose
// number the shim writes to lr (pidfd_getfd: no /proc, which in a pid
// namespace of eproc's own may be another namespace's).
func takeListener(pid int, lr *os.File) (int, error) {
	lr.SetReadDeadline(time.Now().Add(10 * time.Second))
	b := make([]byte, 16)
	n, err := lr.Read(b)
	if err != nil {
		return -1, fmt.Errorf("the shim made no seccomp listener: %w", err)
	}
	fd, err := strconv.Atoi(string(b[:n]))
	if err != nil {
		return -1, fmt.Errorf("the shim's listener: %q", b[:n])
	}
	pfd, err := unix.PidfdOpen(pid, 0)
	if err != nil {
		return -1, err
	}
	defer unix.Close(pfd)
	lfd, err := unix.PidfdGetfd(pfd, fd, 0)
	if err != nil {
		return -1, fmt.Errorf("pidfd_getfd: %w", err)
	}
	return lfd, nil
}

// supervise answers the listener lfd until no process uses the filter.
func (o *traceOpts) supervise(lfd, shim int) {
	defer unix.Close(lfd)
	type key struct {
		tid, nr uint32
	}
	counts := map[key]uint64{}
	armed := false
	for {
		pfd := []unix.PollFd{{Fd: int32(lfd), Events: unix.POLLIN}}
		if _, err := unix.Poll(pfd, -1); err != nil && err != unix.EINTR {
			return
		}
		if pfd[0].Revents&unix.POLLIN == 0 {
			if pfd[0].Revents&(unix.POLLHUP|unix.POLLERR|unix.POLLNVAL) != 0 {
				return // the filter's last user is gone
			}
			continue
		}
		var n seccompNotif
		if err := ioctlPtr(lfd, unix.SECCOMP_IOCTL_NOTIF_RECV, unsafe.Pointer(&n)); err != nil {
			continue // EINTR, or ENOENT: the caller died meanwhile
		}
		resp := seccompNotifResp{ID: n.ID, Flags: unix.SECCOMP_USER_NOTIF_FLAG_CONTINUE}
		nr := uint32(n.Nr)
		if !armed {
			// The shim's own calls run; its execve runs the command.
			armed = int(n.Pid) == shim && (nr == unix.SYS_EXECVE || nr == unix.SYS_EXECVEAT)
			ioctlPtr(lfd, unix.SECCOMP_IOCTL_NOTIF_SEND, unsafe.Pointer(&resp))
			continue
		}
		if !o.injected.nrs[nr] {
			ioctlPtr(lfd, unix.SECCOMP_IOCTL_NOTIF_SEND, unsafe.Pointer(&resp))
			continue // execve, handed over only to arm
		}
		k := key{n.Pid, nr}
		counts[k]++
		var rule *injectRule
		for i := range o.injects {
			if r := &o.injects[i]; r.nrs[nr] && r.when.matches(counts[k]) {
				rule = r
				break
			}
		}
		if rule == nil {
			ioctlPtr(lfd, unix.SECCOMP_IOCTL_NOTIF_SEND, unsafe.Pointer(&resp))
			continue
		}
		if rule.err != 0 || rule.hasRet {
			resp = seccompNotifResp{ID: n.ID, Val: rule.retval, Error: int32(-rule.err)}
			o.injected.mark(n.Pid, nr, counts[k])
		}
		if rule.delay > 0 {
			go answer(lfd, resp, int(n.Pid), rule) // others' calls are answered meanwhile
		} else {
			answer(lfd, resp, int(n.Pid), rule)
		}
	}
}

// answer sends resp, after the rule's delay, and the rule's signal to
// thread tid just before: the caller's wait for the answer is killable only
// (WAIT_KILLABLE_RECV), so the signal waits for the call to return with
// what the rule says, and is delivered then, before the thread runs on, as
// strace's is. A fatal one (not caught, ending the process) may end the
// wait, and the call, first: its line then has no result. (Sent after the
// answer, it came after the process had exited 4 times in 20: the process
// ended as if no signal had been asked for.)
func answer(lfd int, resp seccompNotifResp, tid int, rule *injectRule) {
	if rule.delay > 0 {
		time.Sleep(rule.delay)
	}
	if rule.signal != 0 {
		unix.Syscall(unix.SYS_TKILL, uintptr(tid), uintptr(rule.signal), 0)
	}
	ioctlPtr(lfd, unix.SECCOMP_IOCTL_NOTIF_SEND, unsafe.Pointer(&resp))
}

func ioctlPtr(fd int, req uint, p unsafe.Pointer) error {
	if _, _, e := unix.Syscall(unix.SYS_IOCTL, uintptr(fd), uintptr(req), uintptr(p)); e != 0 {
		return e
	}
	return nil
}

// The shim is a Go program whose thread execs the command, and a signal
// pending on that thread outlives the execve: the Go runtime preempts
// goroutines with SIGURG (tgkill), and one sent as the shim was about to
// exec began the command's trace with `--- SIGURG {si_code=SI_TKILL,
// si_pid=...} ---` (1-3 of strace's ~160 ioctl tests run with inject=).
// So the shim runs with asynchronous preemption off, and gives the
// command its own GODEBUG back: shimGodebug holds it ("=" and the value,
// or "-" for none).
const shimGodebug = "EPROC_SHIM_GODEBUG"

// shimEnv is the shim's environment, from the command's (nil: eproc's).
func shimEnv(env []string) []string {
	if env == nil {
		env = os.Environ()
	}
	out := make([]string, 0, len(env)+2)
	orig, godebug := "-", "asyncpreemptoff=1"
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, "GODEBUG="); ok {
			orig = "=" + v
			if v != "" {
				godebug = v + ",asyncpreemptoff=1"
			}
			continue
		}
		if !strings.HasPrefix(kv, shimGodebug+"=") {
			out = append(out, kv)
		}
	}
	return append(out, "GODEBUG="+godebug, shimGodebug+"="+orig)
}

// commandEnv is the command's environment, from the shim's.
func commandEnv(env []string) []string {
	out := make([]string, 0, len(env))
	orig := "-"
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, shimGodebug+"="); ok {
			orig = v
		} else if !strings.HasPrefix(kv, "GODEBUG=") {
			out = append(out, kv)
		}
	}
	if v, ok := strings.CutPrefix(orig, "="); ok {
		out = append(out, "GODEBUG="+v)
	}
	return out
}
