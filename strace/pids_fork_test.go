package strace

import (
	"testing"

	"github.com/eproc/eproc/loader/wire"
)

// TestDecodePidsUntracedChild: without -f, a child is named by its
// parent's fork (followed, not printed) when /proc has lost it by the
// time its pid is decoded: waitid's id keeps the name until the call that
// reaps it, whose siginfo names it no more (strace reads /proc at the
// call's exit); a stopped child's si_pid is named. The lines are
// waitid-Y's.
func TestDecodePidsUntracedChild(t *testing.T) {
	src := &pidsSrc{comms: map[uint32]string{100: "waitid-Y"}}
	waitid, _ := Number("waitid")
	d, txt := pidText(Options{Prefix: PrefixNone, Align: -1, DecodePids: DecodePidComm, Shown: []uint32{waitid}}, src)
	txt.hide(PidCalls(), txt.opt.Shown)
	feedCall(t, d, "clone", 100, 101, [6]uint64{0x1200011})
	feedCall(t, d, "waitid", 100, 0, [6]uint64{1, 101, 0, 5, 0})
	feedCall(t, d, "waitid", 100, 0, [6]uint64{1, 101, 0x1000, 2, 0}, wire.Cap{Arg: 2, Data: cldInfo(5, 101, 19)})
	feedCall(t, d, "waitid", 100, 0, [6]uint64{1, 101, 0x1000, 4, 0}, wire.Cap{Arg: 2, Data: cldInfo(1, 101, 0)})
	feedCall(t, d, "waitid", 100, -10, [6]uint64{1, 101, 0x1000, 4, 0})
	// A thread is not a child; a fork whose child is not traced either,
	// reaped by wait4, is forgotten.
	feedCall(t, d, "clone", 100, 102, [6]uint64{0x3d0f00})
	feedCall(t, d, "fork", 100, 103, [6]uint64{})
	feedCall(t, d, "waitid", 100, 0, [6]uint64{1, 103, 0, 5, 0})
	feedCall(t, d, "wait4", 100, 103, [6]uint64{^uint64(0)})
	feedCall(t, d, "waitid", 100, 0, [6]uint64{1, 103, 0, 5, 0})
	feedCall(t, d, "waitid", 100, 0, [6]uint64{1, 102, 0, 5, 0})
	checkLines(t, textLines(txt), []string{
		"waitid(P_PID, 101<waitid-Y>, NULL, WNOHANG|WEXITED, NULL) = 0",
		"waitid(P_PID, 101<waitid-Y>, {si_signo=SIGCHLD, si_code=CLD_STOPPED, si_pid=101<waitid-Y>, si_uid=0, si_status=SIGSTOP, si_utime=0, si_stime=0}, WSTOPPED, NULL) = 0",
		"waitid(P_PID, 101<waitid-Y>, {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=101, si_uid=0, si_status=0, si_utime=0, si_stime=0}, WEXITED, NULL) = 0",
		"waitid(P_PID, 101, 0x1000, WEXITED, NULL) = -1 ECHILD (No child processes)",
		"waitid(P_PID, 103<waitid-Y>, NULL, WNOHANG|WEXITED, NULL) = 0",
		"waitid(P_PID, 103, NULL, WNOHANG|WEXITED, NULL) = 0",
		"waitid(P_PID, 102, NULL, WNOHANG|WEXITED, NULL) = 0",
	})
}
