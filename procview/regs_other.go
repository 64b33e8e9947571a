//go:build !amd64 && !arm64

package procview

// Other architectures: no register files yet (EOPNOTSUPP).
var gpRegs, fpRegs *regSet
