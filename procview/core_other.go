//go:build !amd64

package procview

// Other architectures: no core files yet (EOPNOTSUPP, whyCore).
var coreArch *coreMachine
