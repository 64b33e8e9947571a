package strace

// pivot_root, uselib and sysfs, as strace 6.1 prints them: pivot_root is
// its link (two paths), uselib its chdir (one path); sysfs it prints with
// printargs (no decoder in 6.1, nor in 7.2): raw registers, its three.

func init() {
	registerSigs(map[string]sig{
		"pivot_root": {args: []kind{kPath, kPath}, class: ClassFile},
		"uselib":     {args: []kind{kPath}, class: ClassFile},
		"sysfs":      {args: []kind{kRaw, kRaw, kRaw}},
	})
}
