//go:build !amd64 && !arm64

package procview

// Other architectures: no register files yet (EOPNOTSUPP).
var gpRegs, fpRegs, dbRegs *regSet

const (
	whyRegs   = "eproc reads registers on amd64 and arm64 only"
	whyDbregs = "dbregs is x86's debug registers; eproc serves them on amd64 only"
)
