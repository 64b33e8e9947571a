package strace

// perf_event_open (perf.c): its scalar arguments. The struct
// perf_event_attr is not captured: it prints as its address (NULL), which
// is what strace prints under -e verbose=none and for memory it cannot
// read; strace's decoding of the struct is not done.

var perfEventOpenFlags = []flag{
	{0x1, "PERF_FLAG_FD_NO_GROUP"}, {0x2, "PERF_FLAG_FD_OUTPUT"}, {0x4, "PERF_FLAG_PID_CGROUP"},
	{0x8, "PERF_FLAG_FD_CLOEXEC"},
}

var kPerfFlags = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) {
	flagsOrUnknown(p, c.Args[i], perfEventOpenFlags, "", "PERF_FLAG_???")
}})

func init() {
	registerSigs(map[string]sig{
		"perf_event_open": {args: []kind{kPtr, kInt, kInt, kFd, kPerfFlags}, class: ClassDesc},
	})
}
