package main

import (
	"io"
	"os"
	"os/exec"
	"syscall"
)

// releaseHold is the write end of the pipe a __release child waits on: it
// closes when eproc exits, whatever the way.
var releaseHold *os.File

// releaseLater is eproc trace's loader.Config.Release: it hands the perf
// events of the syscall tracepoints, already detached from the programs,
// to a child in a session of its own that closes them once eproc has
// exited. The last close of each waits for RCU grace periods (50-80 ms
// here, 6-8 events: ~0.4 s that `eproc trace -- true` spent after the
// command had ended). Should the child not start, they are closed here.
func releaseLater(events []*os.File) {
	defer func() {
		for _, f := range events {
			f.Close()
		}
	}()
	r, w, err := os.Pipe()
	if err != nil {
		return
	}
	defer r.Close()
	child := exec.Command("/proc/self/exe", "__release")
	child.ExtraFiles = append([]*os.File{r}, events...)
	child.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := child.Start(); err != nil {
		w.Close()
		return
	}
	child.Process.Release()
	if releaseHold != nil {
		releaseHold.Close() // an earlier child's: it may go now
	}
	releaseHold = w
}

// runRelease is the child's side: it holds the events (fds 4 and up) until
// eproc has exited (EOF on fd 3), and closes them by exiting.
func runRelease(args []string) int {
	io.Copy(io.Discard, os.NewFile(3, "eproc"))
	return 0
}
