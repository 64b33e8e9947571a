package kvmguest

// The guest architectures: what differs between booting Debian's amd64
// kernel and its arm64 one under QEMU (software emulation both).

// Arch is a guest architecture: Debian's name for it, the QEMU that runs
// it, and how the guest reaches the lab's results port.
type Arch struct {
	Name    string   // Debian's: amd64, arm64
	QEMU    string   // the QEMU binary: qemu-system-x86_64
	QEMUPkg string   // its Debian package, for the messages
	Machine []string // QEMU's machine and CPU options
	Console string   // the kernel's console: the first serial port
	// ResultsDev is the results port in the guest, free of kernel
	// messages; resultsArgs are the QEMU options that back it with a file.
	ResultsDev  string
	resultsArgs func(path string) []string
	// LabModules are the modules the results port needs, loaded first.
	LabModules []string
	// BusyboxPkg is the Debian package of the guest's static busybox,
	// fetched into the cache; "" for the host's own (busybox-static).
	BusyboxPkg string
}

// AMD64 is the x86 guest: a q35 machine with SVM exposed (KVM works in
// it), results on its second serial port.
var AMD64 = &Arch{
	Name: "amd64", QEMU: "qemu-system-x86_64", QEMUPkg: "qemu-system-x86",
	Machine: []string{"-machine", "q35,accel=tcg", "-cpu", "qemu64,+svm"},
	Console: "ttyS0", ResultsDev: "/dev/ttyS1",
	resultsArgs: func(p string) []string { return []string{"-serial", "file:" + p} },
}

// ARM64 is the arm64 guest: QEMU's virt machine. It has one UART, so the
// results port is a virtio console (Debian builds its drivers as
// modules). pauth-impdef: QEMU's own pointer authentication, which TCG
// computes far faster than the architected QARMA5.
var ARM64 = &Arch{
	Name: "arm64", QEMU: "qemu-system-aarch64", QEMUPkg: "qemu-system-arm",
	Machine: []string{"-machine", "virt,accel=tcg", "-cpu", "max,pauth-impdef=on"},
	Console: "ttyAMA0", ResultsDev: "/dev/hvc0",
	resultsArgs: func(p string) []string {
		return []string{"-device", "virtio-serial-device", "-chardev", "file,id=results,path=" + p, "-device", "virtconsole,chardev=results"}
	},
	LabModules: []string{"virtio_mmio", "virtio_console"},
	BusyboxPkg: "busybox-static:arm64",
}
