package main

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"github.com/eproc/eproc/loader"
)

// eproc trace --cgroup DIR: every process of the cgroup v2 directory DIR
// (and of the cgroups below it), those in it when tracing starts and those
// that enter it later, forked in or moved in, and, as under -f, every child
// a member forks, wherever it runs. The kernel decides: a process joins at
// its first syscall, fork or execve in the cgroup (loader/cgroup.go).

// cgroupPoll is how often --cgroup looks whether DIR was removed.
const cgroupPoll = time.Second

// setCgroup is --cgroup DIR: a member's children are members (-f).
func (o *traceOpts) setCgroup(dir string) error {
	o.cgroup = dir
	o.follow = true
	return nil
}

// checkCgroup checks --cgroup against the rest of the command line.
func (o *traceOpts) checkCgroup() error {
	if o.cgroup != "" && (len(o.cmd) > 0 || len(o.pids) > 0) {
		return fmt.Errorf("--cgroup, -p and a command are exclusive")
	}
	return nil
}

// traceCgroup puts the cgroup's rule in the session and says so on standard
// error. SIGINT or SIGTERM ends the tracing (kept in o.caught: eproc dies
// of it, as with -p); so does the directory's removal, once the members
// have exited.
func (o *traceOpts) traceCgroup(sess *loader.Session) error {
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
	cg, err := sess.TraceCgroup(o.cgroup)
	if err != nil {
		signal.Stop(sigs)
		return err
	}
	warnf("cgroup %s attached\n", o.cgroup)
	go func() {
		tick := time.NewTicker(cgroupPoll)
		defer tick.Stop()
		poll := tick.C
		for {
			select {
			case sig := <-sigs:
				warnf("cgroup %s detached\n", o.cgroup)
				o.caught.Store(int32(sig.(syscall.Signal)))
				sess.Close()
				return
			case <-poll:
				var st unix.Stat_t
				if err := unix.Stat(o.cgroup, &st); err != nil || st.Ino != cg.ID {
					warnf("cgroup %s removed\n", o.cgroup)
					sess.UntraceCgroup(cg.ID) // the session ends with its members
					poll = nil
				}
			case <-sess.Done():
				return
			}
		}
	}()
	return nil
}
