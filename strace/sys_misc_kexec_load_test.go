package strace

import (
	"fmt"
	"testing"

	"github.com/eproc/eproc/loader/wire"
)

// kexec_load, as strace 6.1 printed the same calls (its test kexec_load,
// run with -s9, and a program of our own).
func TestFamKexecLoad(t *testing.T) {
	const entry, segs = 0xdeadca57badda7a1, 0x7ffe0643e6a0
	seg := func(buf, bufsz, mem, memsz uint64) []byte { return u64s(buf, bufsz, mem, memsz) }
	two := append(seg(0x7f1880968000, 10, 0x100000, 4096), seg(0, 0, 0, 0)...)
	checkLine(t, decodeLine(t, "kexec_load", -38, [6]uint64{0x1000000, 2, segs, 62<<16 | 1}, wire.Cap{Arg: 2, Data: two}),
		`kexec_load(0x1000000, 2, [{buf=0x7f1880968000, bufsz=10, mem=0x100000, memsz=4096}, {buf=NULL, bufsz=0, mem=NULL, memsz=0}], KEXEC_ARCH_X86_64|KEXEC_ON_CRASH) = -1 ENOSYS (Function not implemented)`)
	checkLine(t, decodeLineOpt(t, Options{StrSize: 32, ConstStyle: ConstVerbose}, "kexec_load", -38, [6]uint64{0x1000000, 2, segs, 62<<16 | 1}, wire.Cap{Arg: 2, Data: two}),
		`kexec_load(0x1000000, 2, [{buf=0x7f1880968000, bufsz=10, mem=0x100000, memsz=4096}, {buf=NULL, bufsz=0, mem=NULL, memsz=0}], 0x3e0000 /* KEXEC_ARCH_X86_64 */|0x1 /* KEXEC_ON_CRASH */) = -1 ENOSYS (Function not implemented)`)
	checkLine(t, decodeLineOpt(t, optNonVerbose, "kexec_load", -38, [6]uint64{0x1000000, 2, segs, 62<<16 | 1}, wire.Cap{Arg: 2, Data: two}),
		`kexec_load(0x1000000, 2, 0x7ffe0643e6a0, KEXEC_ARCH_X86_64|KEXEC_ON_CRASH) = -1 ENOSYS (Function not implemented)`)
	checkLine(t, decodeLine(t, "kexec_load", -38, [6]uint64{0, 17, segs, 4}),
		`kexec_load(NULL, 17, 0x7ffe0643e6a0, KEXEC_ARCH_DEFAULT|0x4 /* KEXEC_??? */) = -1 ENOSYS (Function not implemented)`)
	checkLine(t, decodeLineOpt(t, Options{StrSize: 32, ConstStyle: ConstVerbose}, "kexec_load", -38, [6]uint64{0, 17, segs, 4}),
		`kexec_load(NULL, 17, 0x7ffe0643e6a0, 0 /* KEXEC_ARCH_DEFAULT */|0x4 /* KEXEC_??? */) = -1 ENOSYS (Function not implemented)`)
	checkLine(t, decodeLine(t, "kexec_load", -38, [6]uint64{0, 1, 8, 0x12340000}, wire.Cap{Arg: 2, Flags: wire.CapFault}),
		`kexec_load(NULL, 1, 0x8, 0x12340000 /* KEXEC_ARCH_??? */) = -1 ENOSYS (Function not implemented)`)

	// strace's test, -s9.
	opt := Options{StrSize: 9}
	checkLine(t, decodeLineOpt(t, opt, "kexec_load", -38, [6]uint64{0, 0, 0, 0xbadc0dedda7a1054}),
		`kexec_load(NULL, 0, NULL, 0xda7a0000 /* KEXEC_ARCH_??? */|0xbadc0ded00001054 /* KEXEC_??? */) = -1 ENOSYS (Function not implemented)`)
	checkLine(t, decodeLineOpt(t, opt, "kexec_load", -38, [6]uint64{entry, 0xdec0ded1defaced2, 0x7f0000001000, 0}),
		`kexec_load(0xdeadca57badda7a1, 16051074064918957778, 0x7f0000001000, KEXEC_ARCH_DEFAULT) = -1 ENOSYS (Function not implemented)`)
	var all []byte
	for k := uint64(0); k < 16; k++ {
		all = append(all, seg(0x1000*k, k, 0x2000*k, 2*k)...)
	}
	segStr := func(k uint64) string {
		if k == 0 {
			return `{buf=NULL, bufsz=0, mem=NULL, memsz=0}, `
		}
		return fmt.Sprintf(`{buf=%#x, bufsz=%d, mem=%#x, memsz=%d}, `, 0x1000*k, k, 0x2000*k, 2*k)
	}
	want := `kexec_load(0xdeadca57badda7a1, 12, [`
	for k := uint64(0); k < 9; k++ {
		want += segStr(k)
	}
	checkLine(t, decodeLineOpt(t, opt, "kexec_load", -38, [6]uint64{entry, 12, segs, 0xdead0000}, wire.Cap{Arg: 2, Data: all[:12*32]}),
		want+`...], 0xdead0000 /* KEXEC_ARCH_??? */) = -1 ENOSYS (Function not implemented)`)
	checkLine(t, decodeLineOpt(t, opt, "kexec_load", -38, [6]uint64{entry, 1, segs, 0x2a0003}, wire.Cap{Arg: 2, Data: all[:32]}),
		`kexec_load(0xdeadca57badda7a1, 1, [{buf=NULL, bufsz=0, mem=NULL, memsz=0}], KEXEC_ARCH_SH|KEXEC_ON_CRASH|KEXEC_PRESERVE_CONTEXT) = -1 ENOSYS (Function not implemented)`)
	// Nine readable, then a page that is not.
	part := wire.Cap{Arg: 2, Flags: wire.CapFault | wire.CapPart, Data: all[32 : 10*32]}
	want = `kexec_load(0xdeadca57badda7a1, 12, [`
	for k := uint64(1); k < 10; k++ {
		want += segStr(k)
	}
	checkLine(t, decodeLineOpt(t, opt, "kexec_load", -38, [6]uint64{entry, 12, segs, 0}, part),
		want+`... /* 0x7ffe0643e7c0 */], KEXEC_ARCH_DEFAULT) = -1 ENOSYS (Function not implemented)`)
}
