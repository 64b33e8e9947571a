package strace

import (
	"runtime"
	"testing"

	"github.com/eproc/eproc/loader/wire"
)

// TestFamClonePidfd: clone's parent_tid under CLONE_PIDFD is the pidfd the
// kernel stored there, as strace 6.1 prints it (printnum_fd): Go's os/exec
// (busy.go: exec.Command("/bin/true").Run()) and a C program's calls, in
// strace 6.1's words; the address when the call failed, -e verbose=none,
// or the int was not read.
func TestFamClonePidfd(t *testing.T) {
	if runtime.GOARCH != "amd64" && runtime.GOARCH != "arm64" {
		t.Skip("clone's argument order")
	}
	fd := func(v uint32) wire.Cap { return wire.Cap{Arg: 2, Data: le.AppendUint32(nil, v)} }
	checkLine(t, decodeLine(t, "clone", 16027, [6]uint64{0x5111, 0, 0xc000126b88}, fd(16)),
		`clone(child_stack=NULL, flags=CLONE_VM|CLONE_PIDFD|CLONE_VFORK|SIGCHLD, parent_tid=[16]) = 16027`)
	checkLine(t, decodeLine(t, "clone", 16026, [6]uint64{0x5100, 0, 0xc000126b88}, fd(15)),
		`clone(child_stack=NULL, flags=CLONE_VM|CLONE_PIDFD|CLONE_VFORK, parent_tid=[15]) = 16026`)
	checkLine(t, decodeLine(t, "clone", -14, [6]uint64{0x1011, 0, 8}),
		`clone(child_stack=NULL, flags=CLONE_PIDFD|SIGCHLD, parent_tid=0x8) = -1 EFAULT (Bad address)`)
	checkLine(t, decodeLine(t, "clone", -22, [6]uint64{0x101011, 0, 0x7ffe566801f0}),
		`clone(child_stack=NULL, flags=CLONE_PIDFD|CLONE_PARENT_SETTID|SIGCHLD, parent_tid=0x7ffe566801f0) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "clone", 1173, [6]uint64{0x1011, 0, 0x7ffe566801f4}, wire.Cap{Arg: 2, Flags: wire.CapFault}),
		`clone(child_stack=NULL, flags=CLONE_PIDFD|SIGCHLD, parent_tid=0x7ffe566801f4) = 1173`)
	checkLine(t, decodeLineOpt(t, nvOpts, "clone", 23642, [6]uint64{0x1011, 0, 0x7ffcbb7a70fc}, fd(3)),
		`clone(child_stack=NULL, flags=CLONE_PIDFD|SIGCHLD, parent_tid=0x7ffcbb7a70fc) = 23642`)
}

// TestFamClonePidfdFds: with -y the pidfd clone or clone3 made prints as
// one where the call prints it, and -y's table has it for the calls that
// use it after (waitid's P_PIDFD id too); -yy names its process until a
// wait reaps it, then the inode (strace reads fdinfo's Pid: -1). Lines as
// strace 6.1 -y / -yy printed clonepidfd.c's (pids made up).
func TestFamClonePidfdFds(t *testing.T) {
	if runtime.GOARCH != "amd64" && runtime.GOARCH != "arm64" {
		t.Skip("clone's argument order")
	}
	const pid, child = 0x7ffffff0, 0x7ffffff1
	fd3 := wire.Cap{Arg: 2, Data: le.AppendUint32(nil, 3)}
	si := make([]byte, 128)
	le.PutUint32(si[0:], 17) // SIGCHLD
	le.PutUint32(si[8:], 1)  // CLD_EXITED
	le.PutUint32(si[16:], child)
	le.PutUint32(si[24:], 3)
	calls := func() []*Event {
		return []*Event{
			fdCall(t, pid, "clone", child, []uint64{0x1011, 0, 0x7ffe566801f4}, fd3),
			fdCall(t, pid, "pidfd_send_signal", 0, []uint64{3, 0, 0, 0}),
			fdCall(t, pid, "waitid", 0, []uint64{3, 3, 0x7000, 4, 0}, wire.Cap{Arg: 2, Data: si}),
			fdCall(t, pid, "close", 0, []uint64{3}),
		}
	}
	proc := fakeProc(t, pid, "/", map[int]string{})
	checkLines(t, fdText(t, DecodeFdPath, proc, 0, calls()...), []string{
		`clone(child_stack=NULL, flags=CLONE_PIDFD|SIGCHLD, parent_tid=[3<anon_inode:[pidfd]>]) = 2147483633`,
		`pidfd_send_signal(3<anon_inode:[pidfd]>, 0, NULL, 0) = 0`,
		`waitid(P_PIDFD, 3<anon_inode:[pidfd]>, {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=2147483633, si_uid=0, si_status=3, si_utime=0, si_stime=0}, WEXITED, NULL) = 0`,
		`close(3<anon_inode:[pidfd]>) = 0`})
	checkLines(t, fdText(t, DecodeFdAll, proc, 0, calls()...), []string{
		`clone(child_stack=NULL, flags=CLONE_PIDFD|SIGCHLD, parent_tid=[3<pid:2147483633>]) = 2147483633`,
		`pidfd_send_signal(3<pid:2147483633>, 0, NULL, 0) = 0`,
		`waitid(P_PIDFD, 3<pid:2147483633>, {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=2147483633, si_uid=0, si_status=3, si_utime=0, si_stime=0}, WEXITED, NULL) = 0`,
		`close(3<anon_inode:[pidfd]>) = 0`})
	// clone3's pidfd: the same descriptor, => {pidfd=[3<anon_inode:[pidfd]>]}.
	args := wire.Cap{Arg: 0, Data: u64s(0x1000, 0x7ffe566801f4, 0, 0, 17, 0, 0, 0, 0, 0, 0)}
	stored := wire.Cap{Arg: 0, Idx: uint16(wire.DerefIdx + 8), Data: le.AppendUint32(nil, 3)}
	checkLines(t, fdText(t, DecodeFdPath, proc, 0,
		fdCall(t, pid, "clone3", child, []uint64{0x7ffe566801c0, 88}, args, stored),
		fdCall(t, pid, "close", 0, []uint64{3})), []string{
		`clone3({flags=CLONE_PIDFD, pidfd=0x7ffe566801f4, exit_signal=SIGCHLD, stack=NULL, stack_size=0} => {pidfd=[3<anon_inode:[pidfd]>]}, 88) = 2147483633`,
		`close(3<anon_inode:[pidfd]>) = 0`})
}
