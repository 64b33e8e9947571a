// Command compat runs strace's own test suite against eproc trace (issue 13,
// `make compat`): strace's tests are the judge of eproc's text.
//
//	go run ./scripts/compat [-dir DIR] [-j 2] [-timeout 20s] [-run REGEXP] [-daemon=false] [-update-ratchet]
//
// It fetches the source package of the installed strace with apt-get
// source (adding a deb-src entry for the system's Debian mirror if apt has
// none), configures it and builds its test programs, once, in DIR (default
// $EPROC_COMPAT_DIR, else /var/cache/eproc-compat as root, else
// $XDG_CACHE_HOME/eproc-compat): nothing of strace's source is in this
// repository. Then it runs every tests/NAME.gen.test (the tests
// tests/gen_tests.in lists, each a test program and strace's options) as
// tests/Makefile's harness does, twice: with STRACE the installed strace, and
// with STRACE scripts/compat/wrapper, which runs eproc trace with the same
// options (or, for an option eproc lacks, counts the test as unsupported).
// eproc trace runs as on a machine where eproc mount runs: the run starts
// one (-daemon, daemon.go), which eproc trace hands its sessions to, and
// stops it at the end (the --pidns-translation tests run strace a second
// time inside a user namespace, where only a daemon can trace).
//
// It prints both tracers' counts, writes each test's outcomes to
// DIR/results.txt (the previous run's are kept as results.prev.txt, and the
// changes printed) and the tests' output to DIR/logs/NAME.{strace,eproc}.log,
// and fails when eproc passes fewer tests than scripts/compat/ratchet.txt
// says (only when all tests ran: not with -run). Needs root (BPF, apt).
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"time"
)

var (
	dirFlag   = flag.String("dir", "", "cache directory (default $EPROC_COMPAT_DIR, else /var/cache/eproc-compat as root, else $XDG_CACHE_HOME/eproc-compat)")
	jobs      = flag.Int("j", 2, "tests run at once (and make's -j)")
	timeout   = flag.Duration("timeout", 20*time.Second, "each test's time limit, per tracer")
	runFlag   = flag.String("run", "", "only the tests whose name matches this regexp (no ratchet check)")
	straceBin = flag.String("strace", "/usr/bin/strace", "the oracle")
	ratchet   = flag.String("ratchet", "scripts/compat/ratchet.txt", "the file holding the minimum number of tests eproc passes")
	update    = flag.Bool("update-ratchet", false, "write eproc's pass count to the ratchet file when it is higher")
	daemonRun = flag.Bool("daemon", true, "run an eproc mount for the run, which eproc trace hands its sessions to (false: each loads its own programs, and cannot inside a user namespace)")
)

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "compat: "+format+"\n", args...)
}

func main() {
	flag.Parse()
	if err := compat(); err != nil {
		logf("%v", err)
		os.Exit(1)
	}
}

func cacheDir() string {
	if *dirFlag != "" {
		return *dirFlag
	}
	if d := os.Getenv("EPROC_COMPAT_DIR"); d != "" {
		return d
	}
	if os.Geteuid() == 0 {
		return "/var/cache/eproc-compat"
	}
	d, err := os.UserCacheDir()
	if err != nil {
		d = os.TempDir()
	}
	return filepath.Join(d, "eproc-compat")
}

func compat() error {
	start := time.Now()
	if os.Geteuid() != 0 {
		return fmt.Errorf("make compat needs root (eproc trace loads BPF programs; apt-get)")
	}
	var run *regexp.Regexp
	if *runFlag != "" {
		var err error
		if run, err = regexp.Compile(*runFlag); err != nil {
			return err
		}
	}
	dir, err := filepath.Abs(cacheDir())
	if err != nil {
		return err
	}
	tests, err := prepare(dir)
	if err != nil {
		return err
	}
	r, err := newRunner(dir, tests)
	if err != nil {
		return err
	}
	names, err := listTests(tests, run)
	if err != nil {
		return err
	}
	if *daemonRun {
		d, err := startDaemon(dir, filepath.Join(dir, "bin"), r.logs)
		if err != nil {
			return err
		}
		r.eprocEnv = []string{"EPROC_TRACE_SOCKET=" + d.sock}
		logf("eproc trace hands its sessions to eproc mount at %s", d.sock)
		defer d.stop()
	}
	logf("running %d tests (tests/*.gen.test of %s), each under strace then eproc, %d at once, %v each", len(names), tests, *jobs, *timeout)
	res := r.runAll(names, *jobs)
	c := summarize(os.Stdout, res)
	if err := writeResults(dir, res); err != nil {
		return err
	}
	fmt.Printf("took %v; per-test outcomes: %s; logs: %s\n", time.Since(start).Round(time.Second),
		filepath.Join(dir, "results.txt"), r.logs)
	if run != nil {
		fmt.Println("(-run: a subset; the ratchet is not checked)")
		return nil
	}
	return checkRatchet(c.eproc[pass])
}

// newRunner builds eproc and the wrapper into DIR/bin (from the working
// tree: make compat runs in the repository's root) and readies DIR/logs.
func newRunner(dir, tests string) (*runner, error) {
	bin := filepath.Join(dir, "bin")
	logs := filepath.Join(dir, "logs")
	if err := os.RemoveAll(logs); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(logs, 0o755); err != nil {
		return nil, err
	}
	for pkg, out := range map[string]string{"./cmd/eproc": "eproc", "./scripts/compat/wrapper": "strace"} {
		cmd := exec.Command("go", "build", "-o", filepath.Join(bin, out), pkg)
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		if err := cmd.Run(); err != nil {
			return nil, fmt.Errorf("go build %s: %v", pkg, err)
		}
	}
	// eproc installed as strace (README: a link named strace): the
	// wrapper runs it through this link, as a user's strace would run.
	link := filepath.Join(bin, "as-strace", "strace")
	if err := os.MkdirAll(filepath.Dir(link), 0o755); err != nil {
		return nil, err
	}
	if err := os.Remove(link); err != nil && !os.IsNotExist(err) {
		return nil, err
	}
	if err := os.Symlink(filepath.Join(bin, "eproc"), link); err != nil {
		return nil, err
	}
	env, err := testEnv(tests)
	if err != nil {
		return nil, err
	}
	if _, err := exec.LookPath(*straceBin); err != nil {
		return nil, fmt.Errorf("the oracle: %v", err)
	}
	return &runner{tests: tests, logs: logs, strace: *straceBin, wrap: filepath.Join(bin, "strace"), env: env}, nil
}
