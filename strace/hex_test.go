package strace

import (
	"testing"

	"github.com/eproc/eproc/loader/wire"
)

// strace -x and -xx (Options.Hex), as strace 6.1 prints them.

func TestHexStrings(t *testing.T) {
	write := func(hex int, data string, n uint64) string {
		t.Helper()
		return decodeLineOpt(t, Options{StrSize: 32, Hex: hex}, "write", int64(n), [6]uint64{1, 0x1000, n},
			wire.Cap{Arg: 1, Data: []byte(data)})
	}
	long := "0123456789012345678901234567890123456789"
	longBin := long[:39] + "\x01" // the byte that is not shown does not count
	for _, c := range []struct {
		hex        int
		data, want string
	}{
		{0, "bin\x01\x7f\x80z", `write(1, "bin\1\177\200z", 7) = 7`},
		{1, "hello\tworld\n", `write(1, "hello\tworld\n", 12) = 12`},
		{1, "\v\f\r", `write(1, "\v\f\r", 3) = 3`},
		{1, "bin\x01\x7f\x80z", `write(1, "\x62\x69\x6e\x01\x7f\x80\x7a", 7) = 7`},
		{1, "hi\x1b[0m", `write(1, "\x68\x69\x1b\x5b\x30\x6d", 6) = 6`},
		{1, "\x00ab", `write(1, "\x00\x61\x62", 3) = 3`},
		{1, "ab\x00", `write(1, "\x61\x62\x00", 3) = 3`},
		{1, "~\x7f", `write(1, "\x7e\x7f", 2) = 2`},
		{1, "~~", `write(1, "~~", 2) = 2`},
		{1, `quote"back\`, `write(1, "quote\"back\\", 11) = 11`},
		{1, longBin, `write(1, "` + long[:32] + `"..., 40) = 40`},
		{2, "hello\tworld\n", `write(1, "\x68\x65\x6c\x6c\x6f\x09\x77\x6f\x72\x6c\x64\x0a", 12) = 12`},
		{2, "~~", `write(1, "\x7e\x7e", 2) = 2`},
		{2, long, `write(1, "\x30\x31\x32\x33\x34\x35\x36\x37\x38\x39\x30\x31\x32\x33\x34\x35\x36\x37\x38\x39\x30\x31\x32\x33\x34\x35\x36\x37\x38\x39\x30\x31"..., 40) = 40`},
	} {
		checkLine(t, write(c.hex, c.data, uint64(len(c.data))), c.want)
	}
}

func TestHexPaths(t *testing.T) {
	open := func(hex int, path string) string {
		t.Helper()
		return decodeLineOpt(t, Options{StrSize: 32, Hex: hex}, "openat", -2, [6]uint64{atCwd, 0x1000, 0},
			wire.Cap{Arg: 1, Data: []byte(path)})
	}
	const enoent = ", O_RDONLY) = -1 ENOENT (No such file or directory)"
	checkLine(t, open(1, "/tmp/xx/plain.txt"), `openat(AT_FDCWD, "/tmp/xx/plain.txt"`+enoent)
	checkLine(t, open(1, "/tmp/xx/a\x1b.txt"), `openat(AT_FDCWD, "\x2f\x74\x6d\x70\x2f\x78\x78\x2f\x61\x1b\x2e\x74\x78\x74"`+enoent)
	checkLine(t, open(2, "/tmp/xx/plain.txt"), `openat(AT_FDCWD, "\x2f\x74\x6d\x70\x2f\x78\x78\x2f\x70\x6c\x61\x69\x6e\x2e\x74\x78\x74"`+enoent)

	un := append([]byte{1, 0}, "/tmp/xx/s\x02ock\x00"...)
	checkLine(t, decodeLineOpt(t, Options{StrSize: 32, Hex: 1}, "connect", -2, [6]uint64{3, 0x1000, 110}, wire.Cap{Arg: 1, Data: un}),
		`connect(3, {sa_family=AF_UNIX, sun_path="\x2f\x74\x6d\x70\x2f\x78\x78\x2f\x73\x02\x6f\x63\x6b"}, 110) = -1 ENOENT (No such file or directory)`)

	// execve: each string on its own; the environment is not printed.
	caps := []wire.Cap{{Arg: 0, Data: []byte("./w")}, {Arg: 2, Data: make([]byte, 4)}}
	for i, a := range []string{"./w", `arg\x01`, "b\x01in"} {
		caps = append(caps, wire.Cap{Arg: 1, Idx: uint16(i), Data: []byte(a)})
	}
	exec := func(hex int) string {
		t.Helper()
		return decodeLineOpt(t, Options{StrSize: 32, Hex: hex}, "execve", 0, [6]uint64{0x1000, 0x2000, 0x7ffd5b7a2210}, caps...)
	}
	checkLine(t, exec(1), `execve("./w", ["./w", "arg\\x01", "\x62\x01\x69\x6e"], 0x7ffd5b7a2210 /* 0 vars */) = 0`)
	checkLine(t, exec(2), `execve("\x2e\x2f\x77", ["\x2e\x2f\x77", "\x61\x72\x67\x5c\x78\x30\x31", "\x62\x01\x69\x6e"], 0x7ffd5b7a2210 /* 0 vars */) = 0`)
}
