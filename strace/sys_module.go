package strace

import "golang.org/x/sys/unix"

// Kernel modules: init_module, finit_module, delete_module, as strace 6.1
// prints them (bjm.c).

var (
	kDeleteModuleFlags = flagsKind([]flag{{unix.O_NONBLOCK, "O_NONBLOCK"}, {unix.O_TRUNC, "O_TRUNC"}}, "O_???")
	kModuleInitFlags   = flagsKind([]flag{{1, "MODULE_INIT_IGNORE_MODVERSIONS"}, {2, "MODULE_INIT_IGNORE_VERMAGIC"},
		{4, "MODULE_INIT_COMPRESSED_FILE"}}, "MODULE_INIT_???")
)

func init() {
	registerSigs(map[string]sig{
		"init_module":   {args: []kind{kPtr, kUlong, kStr}},
		"finit_module":  {args: []kind{kFd, kStr, kModuleInitFlags}, class: ClassDesc},
		"delete_module": {args: []kind{kStr, kDeleteModuleFlags}},
	})
}
