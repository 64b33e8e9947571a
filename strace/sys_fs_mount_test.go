package strace

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/eproc/eproc/loader/wire"
)

// Decoder tests of the new mount API's calls (see family_test.go): each
// expected line is what strace 6.1 printed in its tests (open_tree,
// move_mount, mount_setattr, fsconfig and their -P variants).

// A path of 4095 characters is whole, a longer one is cut: the string
// capture (4095 characters, cut) cannot tell them apart, its second
// capture of PATH_MAX bytes can (byte 4095 its NUL or not); when that
// byte could not be read, strace's read of the path fails: its address.
func TestFamMountPathExact(t *testing.T) {
	long := bytes.Repeat([]byte{'7'}, pathShown)
	str := wire.Cap{Arg: 1, Flags: wire.CapTrunc, Data: long}
	whole := wire.Cap{Arg: 1, Data: append(append([]byte{}, long...), 0)}
	longer := wire.Cap{Arg: 1, Data: append(append([]byte{}, long...), '7')}
	unread := wire.Cap{Arg: 1, Flags: wire.CapFault | wire.CapPart, Data: long}
	args := [6]uint64{atCwd, 0x1000, 0, 0x2000, 31}
	ls := string(long)
	checkLine(t, decodeLine(t, "mount_setattr", -22, args, str, whole),
		`mount_setattr(AT_FDCWD, "`+ls+`", 0, 0x2000, 31) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "mount_setattr", -22, args, str, longer),
		`mount_setattr(AT_FDCWD, "`+ls+`"..., 0, 0x2000, 31) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "mount_setattr", -22, args, str, unread),
		`mount_setattr(AT_FDCWD, 0x1000, 0, 0x2000, 31) = -1 EINVAL (Invalid argument)`)
	// move_mount's two paths: each by its own second capture.
	empty := wire.Cap{Arg: 3, Data: nil}
	emptyMem := wire.Cap{Arg: 3, Flags: wire.CapFault | wire.CapPart, Data: []byte{0}}
	checkLine(t, decodeLine(t, "move_mount", -2, [6]uint64{4, 0x1000, atCwd, 0x3000, 7}, str, whole, empty, emptyMem),
		`move_mount(4, "`+ls+`", AT_FDCWD, "", MOVE_MOUNT_F_SYMLINKS|MOVE_MOUNT_F_AUTOMOUNTS|MOVE_MOUNT_F_EMPTY_PATH) = -1 ENOENT (No such file or directory)`)
}

// mount_setattr's struct past its 32 bytes: nothing when zero, the bytes
// in hex when not, ??? when they could not be read.
func TestFamMountSetattrTail(t *testing.T) {
	attr := u64s(0x2, 0x4, 1<<19, 9)
	path := []wire.Cap{{Arg: 1, Data: []byte("/dev/full")}, {Arg: 1, Flags: wire.CapFault | wire.CapPart, Data: []byte("/dev/full\x00")}}
	args := [6]uint64{0xffffffff, 0x1000, 0, 0x2000, 40}
	tail := append(append([]byte{}, attr...), 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87)
	checkLine(t, decodeLine(t, "mount_setattr", -7, args, append(path, wire.Cap{Arg: 3, Data: tail})...),
		`mount_setattr(-1, "/dev/full", 0, {attr_set=MOUNT_ATTR_NOSUID, attr_clr=MOUNT_ATTR_NODEV, propagation=MS_SLAVE, userns_fd=9, /* bytes 32..39 */ "\x80\x81\x82\x83\x84\x85\x86\x87"}, 40) = -1 E2BIG (Argument list too long)`)
	checkLine(t, decodeLine(t, "mount_setattr", -14, args, append(path, wire.Cap{Arg: 3, Flags: wire.CapFault | wire.CapPart, Data: attr})...),
		`mount_setattr(-1, "/dev/full", 0, {attr_set=MOUNT_ATTR_NOSUID, attr_clr=MOUNT_ATTR_NODEV, propagation=MS_SLAVE, userns_fd=9, ???}, 40) = -1 EFAULT (Bad address)`)
	zero := append(append([]byte{}, attr...), make([]byte, 8)...)
	checkLine(t, decodeLine(t, "mount_setattr", -22, args, append(path, wire.Cap{Arg: 3, Data: zero})...),
		`mount_setattr(-1, "/dev/full", 0, {attr_set=MOUNT_ATTR_NOSUID, attr_clr=MOUNT_ATTR_NODEV, propagation=MS_SLAVE, userns_fd=9}, 40) = -1 EINVAL (Invalid argument)`)
	// -e verbose=none: the address (strace 6.1's umoven_or_printaddr).
	checkLine(t, decodeLineOpt(t, Options{StrSize: 32, Verbose: []uint32{}}, "mount_setattr", -22, args, append(path, wire.Cap{Arg: 3, Data: zero})...),
		`mount_setattr(-1, "/dev/full", 0, 0x2000, 40) = -1 EINVAL (Invalid argument)`)
}

// fsconfig: the key a string of at most 256 bytes (cut at 256 under
// -s300), the value by command, aux a dirfd, descriptor or int; the
// arguments' upper bits are not the kernel's.
func TestFamFsconfig(t *testing.T) {
	const fill = 0xdefaced00000000
	opt := Options{StrSize: 300}
	key := []byte(strings.Repeat("k", 255))
	key1 := []byte(strings.Repeat("k", 256))
	ks, k1 := string(key), string(key1)
	checkLine(t, decodeLineOpt(t, opt, "fsconfig", -22, [6]uint64{fill | 3, fill | 8, 0x1000, 0x2000, fill | 0xffffff9c}),
		`fsconfig(3, 0x8 /* FSCONFIG_??? */, 0x1000, 0x2000, -100) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLineOpt(t, opt, "fsconfig", -22, [6]uint64{fill | 3, fill | 1, 0x1000, 0x2000, fill | 0xffffff9c},
		wire.Cap{Arg: 2, Data: key1}, wire.Cap{Arg: 3, Data: key}),
		`fsconfig(3, FSCONFIG_SET_STRING, "`+k1+`"..., "`+ks+`", -100) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLineOpt(t, opt, "fsconfig", -22, [6]uint64{fill | 3, fill | 2, 0x1000, 0x2000, fill | 3},
		wire.Cap{Arg: 2, Data: []byte("k")}, wire.Cap{Arg: 3, Data: []byte("012")}),
		`fsconfig(3, FSCONFIG_SET_BINARY, "k", "\x30\x31\x32", 3) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLineOpt(t, opt, "fsconfig", -22, [6]uint64{fill | 3, fill | 2, 0x1000, 0x2000, fill | 0xffffff9c},
		wire.Cap{Arg: 2, Data: []byte("k")}),
		`fsconfig(3, FSCONFIG_SET_BINARY, "k", 0x2000, -100) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLineOpt(t, opt, "fsconfig", -22, [6]uint64{fill | 0xffffffff, fill | 3, 0, 0x2000, fill | 0xffffff9c},
		wire.Cap{Arg: 3, Data: []byte("/dev/full")}),
		`fsconfig(-1, FSCONFIG_SET_PATH, NULL, "/dev/full", AT_FDCWD) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLineOpt(t, opt, "fsconfig", -22, [6]uint64{fill | 0xffffff9c, fill | 5, 0x1000, 0, fill | 3},
		wire.Cap{Arg: 2, Data: key1}),
		`fsconfig(-100, FSCONFIG_SET_FD, "`+k1+`"..., NULL, 3) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLineOpt(t, opt, "fsconfig", -22, [6]uint64{fill | 3, fill | 6, 0x1000, 0x2000, fill | 0xffffff9c}),
		`fsconfig(3, FSCONFIG_CMD_CREATE, 0x1000, 0x2000, -100) = -1 EINVAL (Invalid argument)`)
	// Under -s32, -s's rule: a string of 32 bytes is whole.
	checkLine(t, decodeLine(t, "fsconfig", -22, [6]uint64{3, 0, 0x1000, 0, 0xffffff9c}, wire.Cap{Arg: 2, Data: key[:32]}),
		`fsconfig(3, FSCONFIG_SET_FLAG, "`+ks[:32]+`", NULL, -100) = -1 EINVAL (Invalid argument)`)
}

// -P matches fsconfig's FSCONFIG_SET_PATH by its path whatever the upper
// bits of the command.
func TestPathFsconfig(t *testing.T) {
	nr, ok := Number("fsconfig")
	if !ok {
		t.Skip("no fsconfig")
	}
	f := newPathFilter([]string{"/dev/full"})
	f.proc = t.TempDir()
	c := &Call{Call: wire.Call{Header: wire.Header{Type: wire.EvSyscall, Tid: 1, Tgid: 1}, Ret: -22, Nr: nr,
		Args: [6]uint64{0xdefacedffffffff, 0xdefaced00000003, 0, 0x2000, 0xdefacedffffff9c},
		Caps: []wire.Cap{{Arg: 3, Data: []byte("/dev/full")}}}}
	if !f.match(c, lookup(nr)) {
		t.Error("fsconfig(-1, FSCONFIG_SET_PATH, NULL, \"/dev/full\", AT_FDCWD) not matched by -P /dev/full")
	}
}

// open_tree's descriptor (not a clone) refers to its path, resolved, or
// with AT_EMPTY_PATH and "" to its dirfd's: known when /proc cannot tell
// any more (the process is gone).
func TestFdOpenTree(t *testing.T) {
	root := t.TempDir()
	if err := os.WriteFile(filepath.Join(root, "f"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	const pid = 0x7ffffff0
	proc := fakeProc(t, pid, root, map[int]string{3: root + "/f"})
	got := fdText(t, DecodeFdPath, proc, 0,
		fdCall(t, pid, "open_tree", 4, []uint64{0xffffffff, 0x1000, 0}, pathCap(1, root+"/f")),
		fdCall(t, pid, "open_tree", 5, []uint64{3, 0x1000, 0x1000}, pathCap(1, "")),
		fdCall(t, pid, "open_tree", 6, []uint64{atCwd, 0x1000, 1}, pathCap(1, "f")),
	)
	checkLines(t, got, []string{
		`open_tree(-1, "` + root + `/f", 0) = 4<` + root + `/f>`,
		`open_tree(3<` + root + `/f>, "", AT_EMPTY_PATH) = 5<` + root + `/f>`,
		`open_tree(AT_FDCWD<` + root + `>, "f", OPEN_TREE_CLONE) = 6`,
	})
}
