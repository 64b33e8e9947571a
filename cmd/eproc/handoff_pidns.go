package main

// A client of eproc mount in another pid namespace (handoff.go): eproc
// trace run by `unshare -Urpf`, which cannot load BPF programs there (no
// CAP_BPF in the initial user namespace), but can reach the daemon's socket
// on the shared filesystem. The daemon decodes its session as the client
// sees the world: pids as the client's namespace numbers them
// (strace.PidView), as strace prints them when it runs there.
//
// The client's namespace is that of its pid as SO_PEERCRED gave it in the
// daemon's namespace (/proc/PID/ns/pid, and its depth from /proc/PID/status's
// NSpid), read once the request is authorized: authorize checks that the
// pid is still the process that connected (its ids unchanged). The pids the
// client sends are numbers in its namespace: its command's ("started") is
// looked up among the client's own children; -p's are not served (the
// client loads the programs itself, and says why it cannot).

import (
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/eproc/eproc/strace"
)

// pidNsOf is process pid's pid namespace (the inode of /proc/PID/ns/pid)
// and its depth in /proc's NSpid lists (0: /proc's own namespace).
func pidNsOf(pid string) (ns uint64, level int, err error) {
	link, err := os.Readlink("/proc/" + pid + "/ns/pid")
	if err != nil {
		return 0, 0, err
	}
	ns, err = strconv.ParseUint(strings.TrimSuffix(strings.TrimPrefix(link, "pid:["), "]"), 10, 64)
	if err != nil {
		return 0, 0, fmt.Errorf("%s: %q", "/proc/"+pid+"/ns/pid", link)
	}
	ids, err := nsPids(pid)
	if err != nil {
		return 0, 0, err
	}
	return ns, len(ids) - 1, nil
}

// nsPids is /proc/PID/status's NSpid: the process's ids from /proc's
// namespace down to its own.
func nsPids(pid string) ([]int, error) {
	b, err := os.ReadFile("/proc/" + pid + "/status")
	if err != nil {
		return nil, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		rest, ok := strings.CutPrefix(line, "NSpid:")
		if !ok {
			continue
		}
		var ids []int
		for _, w := range strings.Fields(rest) {
			n, err := strconv.Atoi(w)
			if err != nil {
				return nil, fmt.Errorf("/proc/%s/status: NSpid %q", pid, rest)
			}
			ids = append(ids, n)
		}
		if len(ids) > 0 {
			return ids, nil
		}
	}
	return nil, fmt.Errorf("/proc/%s/status: no NSpid", pid)
}

// peerView is the pid namespace the client sees, when it is not the
// daemon's: nil when it is.
func peerView(p peer) (*strace.PidView, error) {
	ns, level, err := pidNsOf(strconv.Itoa(p.pid))
	if err != nil {
		return nil, fmt.Errorf("peer %d's pid namespace: %v", p.pid, err)
	}
	mine, _, err := pidNsOf("self")
	if err != nil {
		return nil, fmt.Errorf("the daemon's pid namespace: %v", err)
	}
	if ns == mine {
		return nil, nil
	}
	return &strace.PidView{Ns: ns, Level: level}, nil
}

// peerChild is the child of process peer (the daemon's pid) that the
// view's namespace (nil: the daemon's) knows as pid: its pid in the
// daemon's namespace.
func peerChild(peer, pid int, view *strace.PidView) (int, error) {
	level := 0
	if view != nil {
		level = view.Level
	}
	tasks, err := os.ReadDir(fmt.Sprintf("/proc/%d/task", peer))
	if err != nil {
		return 0, err
	}
	for _, task := range tasks {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/task/%s/children", peer, task.Name()))
		if err != nil {
			continue
		}
		for _, w := range strings.Fields(string(b)) {
			ids, err := nsPids(w)
			if err == nil && len(ids) > level && ids[level] == pid {
				return ids[0], nil
			}
		}
	}
	return 0, fmt.Errorf("peer %d has no child %d", peer, pid)
}

// userNsHint is what eproc trace adds to its failure to load the programs
// in a user namespace of its own, where it cannot (no CAP_BPF in the
// initial one): a running eproc mount would have traced it.
func userNsHint() string {
	b, err := os.ReadFile("/proc/self/uid_map")
	if err != nil || len(strings.Fields(string(b))) == 3 && strings.Fields(string(b))[2] == "4294967295" {
		return ""
	}
	return fmt.Sprintf(" (in a user namespace eproc trace cannot load BPF programs: an eproc mount serving %s, or the -trace-socket $EPROC_TRACE_SOCKET names, traces for it)", traceSocket())
}
