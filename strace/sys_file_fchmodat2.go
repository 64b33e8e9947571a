package strace

// fchmodat2 (Linux 6.6), which strace 6.1 does not know: as strace 7.2
// prints it, fchmodat's arguments and flags of AT_SYMLINK_NOFOLLOW and
// AT_EMPTY_PATH.

var kFchmodat2Flags = flagsKind([]flag{{0x100, "AT_SYMLINK_NOFOLLOW"}, {0x1000, "AT_EMPTY_PATH"}}, "AT_???")

func init() {
	registerSigs(map[string]sig{
		"fchmodat2": {args: []kind{kDirfd, kPath, kMode, kFchmodat2Flags}, class: ClassDesc | ClassFile},
	})
}
