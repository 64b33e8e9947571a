package kvmguest

// Booting the guest under QEMU and reading back what its init printed.

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"time"
)

// Result is what a boot left: the console (first serial port: the kernel's
// messages and the init script's own output), the results port (second
// serial port), the sections parsed from it, and the error of the QEMU run.
type Result struct {
	Console, Results string
	Sections         map[string]string
	Err              error
}

// Done reports whether the guest ran its init script to the end: QEMU
// exited by itself and the results hold ==== DONE ====.
func (r *Result) Done() bool {
	return r.Err == nil && strings.Contains(r.Results, "==== DONE ====")
}

var initStartRE = regexp.MustCompile(`(?m)^init: (\S+)s after boot`)

// Boot boots k with initrd under QEMU, within BootTimeout (EPROC_KVM_TIMEOUT
// overrides), keeping the console and the results in the run directory. It
// logs the init script's notes and when it started.
func (l *Lab) Boot(k *Kernel, initrd string) *Result {
	t := l.t
	t.Helper()
	timeout := BootTimeout
	if d, err := time.ParseDuration(os.Getenv("EPROC_KVM_TIMEOUT")); err == nil {
		timeout = d
	}
	r := &Result{}
	var d time.Duration
	r.Console, r.Results, d, r.Err = boot(l.Arch, l.Tools[l.Arch.QEMU], l.RunDir(), k.Vmlinuz(), initrd, timeout)
	t.Logf("QEMU ran %v", d.Round(time.Millisecond))
	r.Sections = Sections(r.Results)
	if n := r.Sections["notes"]; n != "" {
		t.Logf("init notes:\n%s", n)
	}
	if m := initStartRE.FindStringSubmatch(r.Console); m != nil {
		t.Logf("init started %ss after the kernel", m[1])
	}
	return r
}

// boot boots kernel with initrd under QEMU (TCG, with arch's machine) and
// returns the console (first serial port) and the results (arch's results
// port), both kept in dir, and how long QEMU ran. QEMU is killed after
// timeout.
func boot(arch *Arch, qemu, dir, kernel, initrd string, timeout time.Duration) (console, results string, ran time.Duration, err error) {
	consolePath := filepath.Join(dir, "console.log")
	resultsPath := filepath.Join(dir, "results.txt")
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	args := append(append([]string{}, arch.Machine...), "-m", "1024",
		"-nodefaults", "-no-user-config", "-display", "none", "-no-reboot",
		"-serial", "file:"+consolePath)
	args = append(args, arch.resultsArgs(resultsPath)...)
	args = append(args, "-kernel", kernel, "-initrd", initrd,
		"-append", "console="+arch.Console+" panic=-1")
	cmd := exec.CommandContext(ctx, qemu, args...)
	var qout bytes.Buffer
	cmd.Stdout, cmd.Stderr = &qout, &qout
	// QEMU dies with the test binary too (go test's own -timeout).
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	t0 := time.Now()
	err = cmd.Run()
	ran = time.Since(t0)
	if ctx.Err() != nil {
		err = fmt.Errorf("QEMU killed after %v", timeout)
	} else if err != nil {
		err = fmt.Errorf("QEMU: %v: %s", err, qout.Bytes())
	}
	c, _ := os.ReadFile(consolePath)
	r, _ := os.ReadFile(resultsPath)
	strip := func(b []byte) string { return strings.ReplaceAll(string(b), "\r", "") }
	return strip(c), strip(r), ran, err
}
