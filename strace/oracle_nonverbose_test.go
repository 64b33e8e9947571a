package strace

// Oracle workloads under -e verbose=none: copies of workloads whose calls
// fetch structures and arrays with strace's verbose-checking helpers
// (umove_or_printaddr, printnum_*, tfetch_mem, print_array), which print
// the address when the call is not verbose; every line of those calls
// asserted (workload.exact). Strings and data buffers still print.
// rt_sigreturn is left out: strace prints {mask=ADDR}, the address of the
// mask in the signal frame, which eproc does not know (its BPF side reads
// the restored mask from the task, not the frame's address).

import "regexp"

var nvOpt = []string{"-e", "verbose=none"}

var nvSockCalls = []string{"socket", "bind", "connect", "accept", "accept4", "getsockname", "getpeername", "socketpair",
	"setsockopt", "getsockopt", "sendto", "recvfrom", "sendmsg", "recvmsg", "sendmmsg", "recvmmsg", "pipe2"}

func init() {
	workloads = append(workloads,
		workload{name: "sockets-nv", setup: ccWorkload("sockets", socketsC), opts: nvOpt, exact: nvSockCalls},
		workload{name: "messages-nv", setup: ccWorkload("messages", messagesC), opts: nvOpt, exact: nvSockCalls},
		workload{name: "waits-nv", setup: ccWorkload("waits", waitsC), opts: nvOpt, volatileSignals: true,
			exact: []string{"sysinfo", "waitid", "wait4", "pipe2", "prlimit64", "getcpu"}},
		workload{name: "crash-nv", setup: ccWorkload("crash", crashC), opts: nvOpt, volatileSignals: true,
			exact: []string{"wait4"}},
		workload{name: "threads-nv", setup: ccWorkload("threads", threadsC, "-pthread"), opts: nvOpt, volatile: []string{"futex"},
			exact: []string{"clone3", "rt_sigprocmask", "prlimit64"}},
		workload{name: "arrays-nv", setup: ccWorkload("arrays", arraysC), opts: nvOpt,
			exact: []string{"poll", "setgroups", "getgroups", "readv", "writev"}},
		workload{name: "ls-nv", argv: []string{"ls", "-la", "/usr/share"}, opts: nvOpt,
			exact: []string{"getdents64", "connect", "socket", "fstat", "newfstatat", "statx", "ioctl", "fcntl"}},
		workload{name: "ipc-nv", setup: ccWorkload("ipc", ipcC), opts: nvOpt,
			mask:  regexp.MustCompile(`((?:msg|sem|shm)(?:snd|rcv|ctl|op|timedop|at)\(|(?:msg|sem|shm)get\(.*\) += )\d+|(_[a-z]time=)\d+`),
			exact: []string{"msgget", "msgsnd", "msgrcv", "msgctl", "semget", "semop", "semtimedop", "semctl", "shmget", "shmat", "shmdt", "shmctl"}},
		workload{name: "ioctls-nv", setup: ccWorkload("ioctlsv4l2kd", ioctlsV4l2KdC), opts: nvOpt, exact: []string{"ioctl"}},
	)
}
