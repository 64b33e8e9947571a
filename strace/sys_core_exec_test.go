package strace

import (
	"strings"
	"testing"

	"github.com/eproc/eproc/loader/wire"
	"golang.org/x/sys/unix"
)

// interpExec is an EV_EXEC record of thread 7 as sched_process_exec makes
// it: the kernel's filename and argv area (argc strings, cut short when
// trunc), and, for an interpreted program (oargc >= 0), the argc and
// argv[0] its execve was given (capture 3, cut short when a0trunc).
type interpExec struct {
	filename string
	argv     []string
	trunc    bool
	oargc    int32
	argv0    string
	a0trunc  bool
}

func (x interpExec) record() []byte {
	area := strings.Join(x.argv, "\x00") + "\x00"
	if x.trunc {
		area = area[:len(area)-3]
	}
	caps := []wire.Cap{{Arg: 0, Data: []byte(x.filename)}, {Arg: 1, Data: []byte(area)}}
	if x.trunc {
		caps[1].Flags = wire.CapTrunc
	}
	if x.oargc >= 0 {
		c := wire.Cap{Arg: 3, Data: []byte(x.argv0)}
		if x.a0trunc {
			c.Flags = wire.CapTrunc
		}
		caps = append(caps, c)
	}
	return execRecord(7, 7, int32(len(x.argv)), x.oargc, caps)
}

// TestExecInterpreted: a successful execve's argv and path as strace 6.1
// prints them (read at the call's entry; the lines are from strace -f on
// strace/oracle_exec_test.go's execscriptC), from an exec record whose argv
// is the new program's: an interpreter's in front of what the call was
// given (binfmt_script), and, for execveat with a descriptor, the kernel's
// "/dev/fd/N" names.
func TestExecInterpreted(t *testing.T) {
	const argvp, envp = 0x2000, 0x7ffc0000
	execve := [6]uint64{0x1000, argvp, envp}
	for _, c := range []struct {
		name string
		x    interpExec
		nr   uint32
		args [6]uint64
		opt  Options
		want string
	}{
		{"script", interpExec{filename: "./s1", argv: []string{"/bin/true", "./s1"}, oargc: 1, argv0: "./s1"}, unix.SYS_EXECVE, execve, Options{},
			`execve("./s1", ["./s1"], 0x7ffc0000 /* 5 vars */) = 0`},
		{"interpreter argument, argv[0] not the path", interpExec{filename: "./s2", argv: []string{"/bin/true", "-e", "./s2", "a", "b"}, oargc: 3, argv0: "other"}, unix.SYS_EXECVE, execve, Options{},
			`execve("./s2", ["other", "a", "b"], 0x7ffc0000 /* 5 vars */) = 0`},
		{"nested", interpExec{filename: "./s4", argv: []string{"/bin/true", "-e", "./s2", "x", "./s3", "./s4", "r", "s"}, oargc: 3, argv0: "four"}, unix.SYS_EXECVE, execve, Options{},
			`execve("./s4", ["four", "r", "s"], 0x7ffc0000 /* 5 vars */) = 0`},
		{"empty argv", interpExec{filename: "./s1", argv: []string{"/bin/true", "./s1"}, oargc: 0}, unix.SYS_EXECVE, execve, Options{},
			`execve("./s1", [], 0x7ffc0000 /* 5 vars */) = 0`},
		{"NULL argv", interpExec{filename: "./s1", argv: []string{"/bin/true", "./s1"}, oargc: 0}, unix.SYS_EXECVE, [6]uint64{0x1000, 0, envp}, Options{},
			`execve("./s1", NULL, 0x7ffc0000 /* 5 vars */) = 0`},
		{"NULL argv, no interpreter", interpExec{filename: "/bin/true", argv: []string{""}, oargc: -1}, unix.SYS_EXECVE, [6]uint64{0x1000, 0, envp}, Options{},
			`execve("/bin/true", NULL, 0x7ffc0000 /* 5 vars */) = 0`},
		{"empty argv[0], no interpreter", interpExec{filename: "/bin/true", argv: []string{""}, oargc: -1}, unix.SYS_EXECVE, execve, Options{},
			`execve("/bin/true", [""], 0x7ffc0000 /* 5 vars */) = 0`},
		{"long argv[0]", interpExec{filename: "./s1", argv: []string{"/bin/true", "./s1", "x"}, oargc: 2, argv0: "an argv[0] longer than strace's thirty-two"}, unix.SYS_EXECVE, execve, Options{},
			`execve("./s1", ["an argv[0] longer than strace's "..., "x"], 0x7ffc0000 /* 5 vars */) = 0`},
		{"argv[0] kept cut short", interpExec{filename: "./s1", argv: []string{"/bin/true", "./s1"}, oargc: 1, argv0: strings.Repeat("a", 255), a0trunc: true}, unix.SYS_EXECVE, execve, Options{StrSize: 300},
			`execve("./s1", ["` + strings.Repeat("a", 255) + `"...], 0x7ffc0000 /* 5 vars */) = 0`},
		{"more elements than -s", interpExec{filename: "./s2", argv: append([]string{"/bin/true", "-e", "./s2"}, strings.Split(strings.Repeat("m", 40), "")...), oargc: 41, argv0: "./s2"}, unix.SYS_EXECVE, execve, Options{},
			`execve("./s2", ["./s2"` + strings.Repeat(`, "m"`, 31) + `, ...], 0x7ffc0000 /* 5 vars */) = 0`},
		{"area cut short", interpExec{filename: "./s2", argv: []string{"/bin/true", "-e", "./s2", "a", "bcd"}, trunc: true, oargc: 3, argv0: "x"}, unix.SYS_EXECVE, execve, Options{},
			`execve("./s2", ["x", "a", "b"...], 0x7ffc0000 /* 5 vars */) = 0`},
		{"count past the area's (not trusted)", interpExec{filename: "./s1", argv: []string{"/bin/true", "./s1"}, oargc: 3, argv0: "x"}, unix.SYS_EXECVE, execve, Options{},
			`execve("./s1", ["/bin/true", "./s1"], 0x7ffc0000 /* 5 vars */) = 0`},
		{"execveat, AT_FDCWD", interpExec{filename: "s2", argv: []string{"/bin/true", "-e", "s2", "v"}, oargc: 2, argv0: "at"}, unix.SYS_EXECVEAT,
			[6]uint64{uint64(0xffffffff&^0xff | 0x9c), 0x1000, argvp, envp}, Options{},
			`execveat(AT_FDCWD, "s2", ["at", "v"], 0x7ffc0000 /* 5 vars */, 0) = 0`},
		{"execveat, AT_EMPTY_PATH", interpExec{filename: "/dev/fd/3", argv: []string{"/bin/true", "/dev/fd/3", "w"}, oargc: 2, argv0: "fd"}, unix.SYS_EXECVEAT,
			[6]uint64{3, 0x1000, argvp, envp, unix.AT_EMPTY_PATH}, Options{},
			`execveat(3, "", ["fd", "w"], 0x7ffc0000 /* 5 vars */, AT_EMPTY_PATH) = 0`},
		{"execveat, a relative path", interpExec{filename: "/dev/fd/3/bin/true", argv: []string{"true"}, oargc: -1}, unix.SYS_EXECVEAT,
			[6]uint64{3, 0x1000, argvp, envp}, Options{},
			`execveat(3, "bin/true", ["true"], 0x7ffc0000 /* 5 vars */, 0) = 0`},
		{"execveat, an absolute path", interpExec{filename: "/dev/fd/30", argv: []string{"true"}, oargc: -1}, unix.SYS_EXECVEAT,
			[6]uint64{3, 0x1000, argvp, envp}, Options{},
			`execveat(3, "/dev/fd/30", ["true"], 0x7ffc0000 /* 5 vars */, 0) = 0`},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := decodeText(t, c.opt, [][]byte{c.x.record(), benchRecord(c.nr, 7, 0, c.args)})
			if got = strings.TrimSpace(got); strings.Join(strings.Fields(got), " ") != strings.Join(strings.Fields(c.want), " ") {
				t.Errorf("got  %s\nwant %s", got, c.want)
			}
		})
	}
}

// TestExecInterpretedJSON: the JSON sink's execve has the argv the call
// was given too.
func TestExecInterpretedJSON(t *testing.T) {
	var out jsonLines
	d := NewDecoder(NewJSON(32, &out))
	x := interpExec{filename: "./s2", argv: []string{"/bin/true", "-e", "./s2", "a"}, oargc: 2, argv0: "other"}
	for _, r := range [][]byte{x.record(), benchRecord(unix.SYS_EXECVE, 7, 0, [6]uint64{0x1000, 0x2000, 0x7ffc0000})} {
		if err := d.Feed(r); err != nil {
			t.Fatal(err)
		}
	}
	d.End(Counts{})
	if want := `"args":["./s2",["other","a"],`; !strings.Contains(out.String(), want) {
		t.Errorf("no %s in\n%s", want, out.String())
	}
}
