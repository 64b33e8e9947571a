package strace

import (
	"testing"

	"github.com/eproc/eproc/loader/wire"
	"golang.org/x/sys/unix"
)

// The request under -X raw and -X verbose, and an undecoded request's
// argument (strace's %#lx: 0 for zero).
func TestIoctlReqStyle(t *testing.T) {
	ebadf := -int64(unix.EBADF)
	checkLine(t, decodeLineOpt(t, Options{ConstStyle: ConstRaw}, "ioctl", ebadf, [6]uint64{^uint64(0), 0xc0045877}),
		`ioctl(-1, 0xc0045877) = -1 EBADF (Bad file descriptor)`)
	checkLine(t, decodeLineOpt(t, Options{ConstStyle: ConstVerbose}, "ioctl", ebadf, [6]uint64{^uint64(0), 0xc0045877}),
		`ioctl(-1, 0xc0045877 /* FIFREEZE */) = -1 EBADF (Bad file descriptor)`)
	checkLine(t, decodeLineOpt(t, Options{ConstStyle: ConstVerbose}, "ioctl", ebadf, [6]uint64{^uint64(0), 0x58ff}),
		`ioctl(-1, 0x58ff /* _IOC(_IOC_NONE, 0x58, 0xff, 0) */, 0) = -1 EBADF (Bad file descriptor)`)
	checkLine(t, decodeLine(t, "ioctl", ebadf, [6]uint64{^uint64(0), 0x58ff}),
		`ioctl(-1, _IOC(_IOC_NONE, 0x58, 0xff, 0), 0) = -1 EBADF (Bad file descriptor)`)
}

// A call announced at entry: KVM_RUN's plain argument is printed then
// (blocked, with another thread's line between), a struct the call fills
// at its return (injected, with nothing between).
func TestIoctlAnnounced(t *testing.T) {
	enter := func(r []byte) []byte { le.PutUint16(r, wire.EvEnter); return r }
	fsx := make([]byte, 28)
	fsx[0], fsx[4] = 1, 7
	recs := [][]byte{
		enter(benchRecord(unix.SYS_IOCTL, 7, 0, [6]uint64{5, 0xae80})),
		benchRecord(unix.SYS_WRITE, 8, 1, [6]uint64{1, 0x2000, 1}, wire.Cap{Arg: 1, Data: []byte("x")}),
		benchRecord(unix.SYS_IOCTL, 7, 0, [6]uint64{5, 0xae80}),
		enter(benchRecord(unix.SYS_IOCTL, 7, 0, [6]uint64{3, 0x801c581f, 0x1000}, wire.Cap{Arg: 2, Data: make([]byte, 28)})),
		benchRecord(unix.SYS_IOCTL, 7, 42, [6]uint64{3, 0x801c581f, 0x1000}, wire.Cap{Arg: 2, Data: fsx}),
	}
	d, txt := newText(Options{Prefix: PrefixFile, Align: -1})
	for _, r := range recs {
		if err := d.Feed(r); err != nil {
			t.Fatal(err)
		}
	}
	want := "7     ioctl(5, KVM_RUN, 0 <unfinished ...>\n" +
		"8     write(1, \"x\", 1) = 1\n" +
		"7     <... ioctl resumed>) = 0\n" +
		"7     ioctl(3, FS_IOC_FSGETXATTR, {fsx_xflags=FS_XFLAG_REALTIME, fsx_extsize=7, fsx_nextents=0, fsx_projid=0, fsx_cowextsize=0}) = 42\n"
	if got := string(txt.TakeInto(nil)); got != want {
		t.Errorf("\n got: %q\nwant: %q", got, want)
	}
}
