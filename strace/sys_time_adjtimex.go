package strace

// adjtimex and clock_adjtime: struct timex, printed at exit as strace
// 6.1's print_timex does, and the clock state they return.

// timexSize is struct __kernel_timex's size on 64-bit architectures.
const timexSize = 208

var (
	adjtimexModes = []flag{{0xa001, "ADJ_OFFSET_SS_READ"}, {0x8001, "ADJ_OFFSET_SINGLESHOT"}, {0x0001, "ADJ_OFFSET"},
		{0x0002, "ADJ_FREQUENCY"}, {0x0004, "ADJ_MAXERROR"}, {0x0008, "ADJ_ESTERROR"}, {0x0010, "ADJ_STATUS"},
		{0x0020, "ADJ_TIMECONST"}, {0x0080, "ADJ_TAI"}, {0x0100, "ADJ_SETOFFSET"}, {0x1000, "ADJ_MICRO"},
		{0x2000, "ADJ_NANO"}, {0x4000, "ADJ_TICK"}}
	adjtimexStatus = []flag{{0x0001, "STA_PLL"}, {0x0002, "STA_PPSFREQ"}, {0x0004, "STA_PPSTIME"}, {0x0008, "STA_FLL"},
		{0x0010, "STA_INS"}, {0x0020, "STA_DEL"}, {0x0040, "STA_UNSYNC"}, {0x0080, "STA_FREQHOLD"},
		{0x0100, "STA_PPSSIGNAL"}, {0x0200, "STA_PPSJITTER"}, {0x0400, "STA_PPSWANDER"}, {0x0800, "STA_PPSERROR"},
		{0x1000, "STA_CLOCKERR"}, {0x2000, "STA_NANO"}, {0x4000, "STA_MODE"}, {0x8000, "STA_CLK"}}
	adjtimexStates = []flag{{0, "TIME_OK"}, {1, "TIME_INS"}, {2, "TIME_DEL"}, {3, "TIME_OOP"}, {4, "TIME_WAIT"}, {5, "TIME_ERROR"}}
)

// timex prints a struct timex.
func timex(p *printer, b []byte) {
	i64 := func(name string, off int) {
		p.s(name)
		p.d(int64(le.Uint64(b[off:])))
	}
	i32 := func(name string, off int) {
		p.s(name)
		p.d(int64(int32(le.Uint32(b[off:]))))
	}
	p.s("{modes=")
	flagsOrUnknown(p, uint64(le.Uint32(b)), adjtimexModes, "", "ADJ_???")
	i64(", offset=", 8)
	i64(", freq=", 16)
	i64(", maxerror=", 24)
	i64(", esterror=", 32)
	p.s(", status=")
	flagsOrUnknown(p, uint64(le.Uint32(b[40:])), adjtimexStatus, "", "STA_???")
	i64(", constant=", 48)
	i64(", precision=", 56)
	i64(", tolerance=", 64)
	p.s(", time=")
	timevalBytes(p, b[72:])
	i64(", tick=", 88)
	i64(", ppsfreq=", 96)
	i64(", jitter=", 104)
	i32(", shift=", 112)
	i64(", stabil=", 120)
	i64(", jitcnt=", 128)
	i64(", calcnt=", 136)
	i64(", errcnt=", 144)
	i64(", stbcnt=", 152)
	i32(", tai=", 160)
	p.c('}')
}

var kTimexOut = structOut(timexSize, timex)

// clockStateRet is the clock state adjtimex returns: 5 (TIME_ERROR).
func clockStateRet(p *printer, c *Call) {
	if !p.verbose() { // -e verbose=: do_adjtimex names the state only after printing the struct
		p.d(c.Ret)
		return
	}
	retName(p, c.Ret, lookupName(uint64(c.Ret), adjtimexStates))
}

func init() {
	registerSigs(map[string]sig{
		"adjtimex":      {args: []kind{kTimexOut}, ret: clockStateRet, class: ClassClock},
		"clock_adjtime": {args: []kind{kClockID, kTimexOut}, ret: clockStateRet, class: ClassClock},
	})
}
