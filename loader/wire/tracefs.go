package wire

import "os"

// TracefsDir is where tracefs is mounted: /sys/kernel/tracing, or the
// older /sys/kernel/debug/tracing.
func TracefsDir() string {
	if _, err := os.Stat("/sys/kernel/tracing/events"); err == nil {
		return "/sys/kernel/tracing"
	}
	return "/sys/kernel/debug/tracing"
}

// KVMExitFormat returns kvm:kvm_exit's format file: the layout of the
// tracepoint's record the kvm_exit program reads, and the print format that
// holds the running kernel's exit-reason names. os.ErrNotExist: kvm is not
// loaded.
func KVMExitFormat() ([]byte, error) {
	return os.ReadFile(TracefsDir() + "/events/kvm/kvm_exit/format")
}
