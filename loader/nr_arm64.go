package loader

// archNrs are the BPF objects' syscall constants of the calls only some
// architectures have: arm64 has no fork, vfork or select.
var archNrs = map[string]uint32{}
