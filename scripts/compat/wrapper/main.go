// Command wrapper stands in for strace in strace's own test suite (make
// compat, scripts/compat): it takes strace 6.1's command line, runs `eproc
// trace` with the same options, and exits as eproc does.
//
//	STRACE=/path/to/wrapper ./NAME.gen.test
//
// eproc is $EPROC, else the "eproc" beside the wrapper. Options eproc has no
// equivalent of (strace's -a N but -a40, -v, -y, -P, -e abbrev= ...: see
// translate.go) are not run: the wrapper appends them to the file
// $EPROC_COMPAT_UNSUPPORTED (when set), says so on standard error and exits
// 77, and the harness counts the test as skipped for an unsupported option.
//
// One line of eproc's output is not strace's: the hang-up line it ends with,
// "Traced ~N syscs, Dropped 0". With -o FILE (a regular file), the wrapper
// removes it from FILE's end when nothing was dropped; when calls were
// dropped it stays, and the test fails.
package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
)

// exitUnsupported: the wrapper's exit status for an unsupported option.
const exitUnsupported = 77

func main() {
	t, err := translate(os.Args[1:])
	var u *unsupported
	switch {
	case errors.As(err, &u):
		markUnsupported(u.what)
		fmt.Fprintf(os.Stderr, "strace (eproc wrapper): %v\n", err)
		os.Exit(exitUnsupported)
	case err != nil:
		fmt.Fprintf(os.Stderr, "strace (eproc wrapper): %v\n", err)
		os.Exit(1)
	case t.version:
		fmt.Println("strace -- version 6.1 (eproc trace, through scripts/compat/wrapper)")
		return
	case t.help:
		os.Exit(help(t))
	}
	os.Exit(run(t))
}

func markUnsupported(what []string) {
	path := os.Getenv("EPROC_COMPAT_UNSUPPORTED")
	if path == "" {
		return
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return
	}
	for _, w := range what {
		fmt.Fprintln(f, w)
	}
	f.Close()
}

func eprocPath() string {
	if p := os.Getenv("EPROC"); p != "" {
		return p
	}
	exe, err := os.Executable()
	if err != nil {
		return "eproc"
	}
	return filepath.Join(filepath.Dir(exe), "eproc")
}

// asStrace is eproc as a strace: the link compat makes beside the
// wrapper (bin/as-strace/strace), else eproc itself.
func asStrace() string {
	if exe, err := os.Executable(); err == nil {
		link := filepath.Join(filepath.Dir(exe), "as-strace", "strace")
		if _, err := os.Stat(link); err == nil && os.Getenv("EPROC") == "" {
			return link
		}
	}
	return eprocPath()
}

// help is strace's -h: options given before it that strace rejects (an
// unknown syscall name in -e trace=, tests/mmap.test's probe) make it fail,
// else it prints its usage and exits 0. eproc trace checks its options
// only when it runs: the wrapper runs `true` under them, the trace to
// /dev/null, then prints eproc trace's usage.
func help(t *translation) int {
	args := append(append([]string{"trace"}, t.args...), "-o", "/dev/null", "--", "true")
	cmd := exec.Command(eprocPath(), args...)
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		return 1
	}
	usage, _ := exec.Command(eprocPath(), "trace", "-h").CombinedOutput()
	os.Stdout.Write(usage)
	return 0
}

// run runs eproc trace, passing on the signals a test sends the wrapper,
// and returns the exit status to exit with (dying of eproc's signal, if it
// died of one).
func run(t *translation) int {
	// Run as strace, through a link of that name (eproc installed as
	// strace, README; compat makes the link): eproc is then eproc trace,
	// its command name is strace's, and its messages begin with the
	// wrapper's name, which the tests run, as strace's begin with its own.
	cmd := exec.Command(asStrace(), t.args...)
	cmd.Args[0] = os.Args[0]
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	if !inUserNs() {
		// eproc trace loads its own programs, as it does where no eproc
		// mount runs: the run's daemon serves only what cannot
		// (test_pidns's unshare -Urpf), so that both ways are judged.
		cmd.Env = append(os.Environ(), "EPROC_NO_DAEMON=1")
	}
	sigs := make(chan os.Signal, 8)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT, syscall.SIGXCPU)
	if err := cmd.Start(); err != nil {
		fmt.Fprintf(os.Stderr, "strace (eproc wrapper): %v\n", err)
		return 1
	}
	go func() {
		for s := range sigs {
			cmd.Process.Signal(s)
		}
	}()
	cmd.Wait()
	signal.Stop(sigs)
	if !t.summary && t.out != "" {
		stripHangup(t.out)
	}
	ws := cmd.ProcessState.Sys().(syscall.WaitStatus)
	if ws.Signaled() {
		signal.Reset(ws.Signal())
		syscall.Kill(os.Getpid(), ws.Signal())
		return 128 + int(ws.Signal())
	}
	return ws.ExitStatus()
}

var hangup = regexp.MustCompile(`(?:^|\n)Traced ~[0-9]+ syscs, Dropped 0\n$`)

// stripHangup removes eproc's last line, "Traced ~N syscs, Dropped 0", from
// the regular file path.
func stripHangup(path string) {
	if fi, err := os.Stat(path); err != nil || !fi.Mode().IsRegular() {
		return
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return
	}
	loc := hangup.FindIndex(b)
	if loc == nil {
		return
	}
	cut := loc[0]
	if bytes.HasPrefix(b[loc[0]:], []byte("\n")) {
		cut++
	}
	os.Truncate(path, int64(cut))
}

// inUserNs reports whether the wrapper runs in a user namespace other than
// the initial one, whose uid_map maps every id to itself.
func inUserNs() bool {
	b, err := os.ReadFile("/proc/self/uid_map")
	if err != nil {
		return false
	}
	f := strings.Fields(string(b))
	return !(len(f) == 3 && f[0] == "0" && f[1] == "0" && f[2] == "4294967295")
}
