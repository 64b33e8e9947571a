package strace

// membarrier, as strace 6.1's membarrier.c prints it: the command (an
// int), the flags (unsigned), and the CPU (an int) only with
// MEMBARRIER_CMD_FLAG_CPU; MEMBARRIER_CMD_QUERY's result, when not 0, in
// hexadecimal with the commands it names: = 0x3ff (MEMBARRIER_CMD_...|0x200).

var membarrierCmds = []flag{{0, "MEMBARRIER_CMD_QUERY"}, {1 << 0, "MEMBARRIER_CMD_GLOBAL"},
	{1 << 1, "MEMBARRIER_CMD_GLOBAL_EXPEDITED"}, {1 << 2, "MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED"},
	{1 << 3, "MEMBARRIER_CMD_PRIVATE_EXPEDITED"}, {1 << 4, "MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED"},
	{1 << 5, "MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE"}, {1 << 6, "MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE"},
	{1 << 7, "MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ"}, {1 << 8, "MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ"}}

var (
	kMembarrierCmd = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) {
		p.xlat(c.Args[i]&0xffffffff, membarrierCmds, "/MEMBARRIER_CMD_???")
	}})
	kMembarrierFlags = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) {
		p.flagsDflt(c.Args[i]&0xffffffff, []flag{{1, "MEMBARRIER_CMD_FLAG_CPU"}}, "", "MEMBARRIER_CMD_FLAG_???")
	}})
)

// membarrierNargs: the CPU only with MEMBARRIER_CMD_FLAG_CPU.
func membarrierNargs(c *Call) int {
	if c.Args[1]&1 != 0 {
		return 3
	}
	return 2
}

// membarrierRet: MEMBARRIER_CMD_QUERY's commands, as strace's
// sprintflags prints them (no comment for bits it has no name for).
func membarrierRet(p *printer, c *Call) {
	if uint32(c.Args[0]) != 0 || c.Ret == 0 {
		p.d(c.Ret)
		return
	}
	p.x(uint64(c.Ret))
	p.s(" (")
	p.flagsDflt(uint64(c.Ret), membarrierCmds, "", "")
	p.c(')')
}

func init() {
	registerSigs(map[string]sig{
		"membarrier": {args: []kind{kMembarrierCmd, kMembarrierFlags, kInt}, nargs: membarrierNargs, ret: membarrierRet},
	})
}
