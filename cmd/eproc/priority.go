package main

import (
	"fmt"
	"os"
	"runtime"
	"strconv"

	"golang.org/x/sys/unix"
)

// boostPriority sets the nice value of every thread of this process (a
// thread Go starts later inherits it from the one that starts it).
//
// The view daemon reads its sessions' rings: when it cannot run, a busy
// traced program fills a ring in milliseconds and its calls are dropped.
// Its CPU use is bounded by what the traced programs do, so a boost cannot
// starve the machine, while without one, a CPU hog at the same priority
// made a reader lose the race (dd bs=1 through the view beside `yes`:
// dropped calls in 1 of 6 runs at nice 0, in 0 of 8 at -5; Intel Xeon, 2
// CPUs). auditd does the same for its queue (priority_boost, 4 by default).
func boostPriority(nice int) error {
	return eachThread(func(tid int) error {
		if err := unix.Setpriority(unix.PRIO_PROCESS, tid, nice); err != nil {
			return fmt.Errorf("setpriority %d: %w", nice, err)
		}
		return nil
	})
}

// eachThread calls f with every thread of this process, until f fails.
func eachThread(f func(tid int) error) error {
	tasks, err := os.ReadDir("/proc/self/task")
	if err != nil {
		return err
	}
	for _, t := range tasks {
		if tid, err := strconv.Atoi(t.Name()); err == nil {
			if err := f(tid); err != nil {
				return err
			}
		}
	}
	return nil
}

// timerSlack is the timer slack eproc's threads sleep with (the kernel's
// default is 50 us).
//
// Go's runtime monitor (sysmon) sleeps 20 us at a time for a while after
// the process wakes from idle, and eproc wakes from idle hundreds of times
// a second (each ring pass, each FUSE read); each of those sleeps is a
// timer, which in a VM is a trip to the hypervisor. The monitor was 16% of
// the view daemon's samples and of eproc trace's (dd bs=1 and the threads
// workload, AMD EPYC, 2 vCPUs); with 0.5 ms of slack its wake-ups fall from
// ~6,000 to ~2,500 a second. Nothing of eproc's waits on a timer finer than
// a millisecond for long: a ring reader is woken by its producers, its
// timeout is the periodic pass (2 ms and up); flushSession's 50 us pauses
// while a CPU holds its batch (rare, 100 at most) last up to ~0.55 ms.
const timerSlack = 500_000 // ns

// startSlack is the timer slack eproc was started with, which the commands
// it starts get back (withStartSlack); 0 until slackTimers changed eproc's.
var startSlack int

// slackTimers sets timerSlack on every thread of this process (a thread
// started later inherits its starter's). Best effort: another thread's
// needs CAP_SYS_NICE, which eproc has when it can trace at all.
func slackTimers() {
	s, err := unix.PrctlRetInt(unix.PR_GET_TIMERSLACK, 0, 0, 0, 0)
	if err != nil || s <= 0 {
		return // a real-time thread's is 0, and stays so
	}
	startSlack = s
	unix.Prctl(unix.PR_SET_TIMERSLACK, timerSlack, 0, 0, 0)
	v := []byte(strconv.Itoa(timerSlack))
	eachThread(func(tid int) error {
		// /proc/TID names a thread of any process; /proc/self/task/TID
		// has no timerslack_ns.
		os.WriteFile("/proc/"+strconv.Itoa(tid)+"/timerslack_ns", v, 0)
		return nil
	})
}

// withStartSlack runs start, which starts a process, on a thread whose timer
// slack is startSlack for the time: a process gets its forking thread's (and
// keeps it through execve), and a command eproc starts must run as it would
// without eproc, not with eproc's slack.
func withStartSlack(start func() error) error {
	if startSlack == 0 {
		return start()
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	unix.Prctl(unix.PR_SET_TIMERSLACK, uintptr(startSlack), 0, 0, 0)
	defer unix.Prctl(unix.PR_SET_TIMERSLACK, timerSlack, 0, 0, 0)
	return start()
}
