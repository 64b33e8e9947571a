package strace

// Oracle workloads under -e verbose=none: copies of workloads whose calls
// fetch structures and arrays with strace's verbose-checking helpers
// (umove_or_printaddr, printnum_*, tfetch_mem, print_array), which print
// the address when the call is not verbose; every line of those calls
// asserted (workload.exact). Strings and data buffers still print.

var nvOpt = []string{"-e", "verbose=none"}

var nvSockCalls = []string{"socket", "bind", "connect", "accept", "accept4", "getsockname", "getpeername", "socketpair",
	"setsockopt", "getsockopt", "sendto", "recvfrom", "sendmsg", "recvmsg", "sendmmsg", "recvmmsg", "pipe2"}

func init() {
	workloads = append(workloads,
		workload{name: "sockets-nv", setup: ccWorkload("sockets", socketsC), opts: nvOpt, exact: nvSockCalls},
		workload{name: "messages-nv", setup: ccWorkload("messages", messagesC), opts: nvOpt, exact: nvSockCalls},
	)
}
