package strace

import (
	"sync"

	"github.com/eproc/eproc/loader/wire"
	"golang.org/x/sys/unix"
)

// The scheduling calls' parameters: sched_getparam, sched_setparam,
// sched_getscheduler, sched_setscheduler, sched_rr_get_interval and
// sched_setaffinity, as strace 6.1 prints them.

// kIntIn is an int* the caller passes: [N] (strace's printnum_int at
// entry).
var kIntIn = structIn(4, intBracket)

// intBracket prints an int as strace's printnum_int does: [N].
func intBracket(p *printer, b []byte) {
	p.c('[')
	p.d(int64(int32(le.Uint32(b))))
	p.c(']')
}

// kIntOut is an int* the call fills: [N], or the address when it failed.
var kIntOut = structOut(4, intBracket)

// schedPolicyRet is sched_getscheduler's result: 0 (SCHED_OTHER).
func schedPolicyRet(p *printer, c *Call) {
	p.d(c.Ret)
	if name := lookupName(uint64(c.Ret), schedPolicies); name != "" && c.Ret >= 0 {
		p.s(" (")
		p.s(name)
		p.c(')')
	}
}

var (
	cpusetOnce sync.Once
	cpusetMax  uint64
)

// cpusetSize is the smallest cpu set size the kernel accepts, as strace's
// get_cpuset_size finds it: from 128 bytes, halved while
// sched_getaffinity(0, size, NULL) fails with EINVAL.
func cpusetSize() uint64 {
	cpusetOnce.Do(func() {
		n := uint64(128)
		for n > 0 {
			_, _, e := unix.RawSyscall(unix.SYS_SCHED_GETAFFINITY, 0, uintptr(n), 0)
			if e != unix.EINVAL {
				break
			}
			n /= 2
		}
		if n == 0 {
			n = 128
		}
		cpusetMax = n
	})
	return cpusetMax
}

// kCPUMaskIn is sched_setaffinity's mask, whose size is the argument
// before it: [0 2 ...].
var kCPUMaskIn = newKind(kindInfo{cap: capRule{kind: wire.CKMem, sizeFrom: wire.SzArg, sizeRel: -1, elem: 1, max: 128, when: wire.CWIn},
	fmt: func(p *printer, c *Call, i int) {
		n := uint64(uint32(c.Args[i-1]))
		if c.Args[i] == 0 {
			p.s("NULL")
			return
		}
		if n == 0 {
			p.s("[]")
			return
		}
		size := min(n, cpusetSize())
		cp := c.Cap(i, 0)
		if cp == nil || cp.Fault() || uint64(len(cp.Data)) < size {
			p.x(c.Args[i])
			return
		}
		p.c('[')
		first := true
		for cpu := 0; cpu < 8*int(size); cpu++ {
			if cp.Data[cpu/8]&(1<<(cpu%8)) != 0 {
				if !first {
					p.c(' ')
				}
				p.d(int64(cpu))
				first = false
			}
		}
		if (size+7)/8*8 < n {
			if !first {
				p.c(' ')
			}
			p.s("...")
		}
		p.c(']')
	}})

func init() {
	registerSigs(map[string]sig{
		"sched_getparam":        {args: []kind{kPidTgid, kIntOut}},
		"sched_setparam":        {args: []kind{kPidTgid, kIntIn}},
		"sched_getscheduler":    {args: []kind{kPidTgid}, ret: schedPolicyRet},
		"sched_setscheduler":    {args: []kind{kPidTgid, kSchedPolicy, kIntIn}},
		"sched_rr_get_interval": {args: []kind{kPidTgid, kTimespecOut}},
		"sched_setaffinity":     {args: []kind{kPidTgid, kUint, kCPUMaskIn}},
	})
}
