package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"
)

// A test's outcome under one tracer.
const (
	pass        = "pass"
	fail        = "fail"    // exit status 1 (or any other than those below)
	skip        = "skip"    // 77: the test skipped itself (missing feature, not root...)
	hardError   = "error"   // 99: framework failure
	timedOut    = "timeout" // killed after -timeout
	unsupported = "unsupported"
)

// result is one test's outcomes, and for eproc the options it lacked.
type result struct {
	name, strace, eproc string
	missing             []string
}

// listTests returns the names (NAME of NAME.gen.test) of the tests to run.
func listTests(tests string, run *regexp.Regexp) ([]string, error) {
	files, err := filepath.Glob(filepath.Join(tests, "*.gen.test"))
	if err != nil {
		return nil, err
	}
	var names []string
	for _, f := range files {
		n := strings.TrimSuffix(filepath.Base(f), ".gen.test")
		if run == nil || run.MatchString(n) {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	return names, nil
}

// testEnv is the environment tests/Makefile gives its tests (TESTS_ENVIRONMENT
// and AM_TEST_LOG_FLAGS), with the values configure put there.
func testEnv(tests string) ([]string, error) {
	vars := map[string]string{"ARCH": "", "NATIVE_ARCH": "", "SIZEOF_KERNEL_LONG_T": "", "SIZEOF_LONG": "", "MIPS_ABI": ""}
	f, err := os.Open(filepath.Join(tests, "Makefile"))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), " = ")
		if _, want := vars[k]; ok && want {
			vars[k] = strings.TrimSpace(v)
		}
	}
	var env []string
	for _, e := range os.Environ() {
		if !strings.HasPrefix(e, "STRACE=") && !strings.HasPrefix(e, "VERBOSE=") {
			env = append(env, e)
		}
	}
	return append(env, "srcdir=.", "STRACE_ARCH="+vars["ARCH"], "STRACE_NATIVE_ARCH="+vars["NATIVE_ARCH"],
		"SIZEOF_KERNEL_LONG_T="+vars["SIZEOF_KERNEL_LONG_T"], "SIZEOF_LONG="+vars["SIZEOF_LONG"],
		"MIPS_ABI="+vars["MIPS_ABI"], fmt.Sprintf("TIMEOUT_DURATION=%d", int(timeout.Seconds()))), nil
}

// runner runs the tests in tests, each under strace, then under eproc
// (the wrapper), as tests/Makefile's harness does: run.sh NAME.gen.test.
type runner struct {
	tests, logs  string
	strace, wrap string
	env          []string
	eprocEnv     []string // more for eproc's runs: the daemon's socket
}

// runAll runs names on j workers, and prints progress every 100 tests.
func (r *runner) runAll(names []string, j int) []result {
	res := make([]result, len(names))
	idx := make(chan int)
	var wg sync.WaitGroup
	var mu sync.Mutex
	done := 0
	for w := 0; w < j; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range idx {
				res[i] = r.one(names[i])
				mu.Lock()
				if done++; done%100 == 0 {
					logf("%d/%d tests", done, len(names))
				}
				mu.Unlock()
			}
		}()
	}
	for i := range names {
		idx <- i
	}
	close(idx)
	wg.Wait()
	return res
}

// one runs the test name under strace, then under eproc: in this order and
// never at once, as both use NAME.dir.
func (r *runner) one(name string) result {
	res := result{name: name}
	res.strace = r.exec(name, "strace", r.strace, "")
	mark := filepath.Join(r.logs, name+".unsupported")
	os.Remove(mark)
	res.eproc = r.exec(name, "eproc", r.wrap, mark)
	if b, err := os.ReadFile(mark); err == nil {
		res.eproc = unsupported
		var items []string
		for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
			items = append(items, optionField.Replace(l))
		}
		res.missing = uniq(items)
	}
	return res
}

// exec runs one test with tracer as $STRACE and returns its outcome; its
// output goes to logs/NAME.WHO.log.
func (r *runner) exec(name, who, tracer, mark string) string {
	lf, err := os.Create(filepath.Join(r.logs, name+"."+who+".log"))
	if err != nil {
		return hardError
	}
	defer lf.Close()
	// run.sh's own timeout (TIMEOUT_DURATION, then SIGKILL 5 s later) comes
	// first; this one is for a test that outlives it.
	ctx, cancel := context.WithTimeout(context.Background(), *timeout+15*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "./run.sh", "./"+name+".gen.test")
	cmd.Dir, cmd.Stdout, cmd.Stderr = r.tests, lf, lf
	cmd.Env = append(r.env, "STRACE="+tracer)
	if mark != "" {
		cmd.Env = append(append(cmd.Env, "EPROC_COMPAT_UNSUPPORTED="+mark), r.eprocEnv...)
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	start := time.Now()
	err = cmd.Run()
	// Whatever the test left running in its group goes too.
	syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	fmt.Fprintf(lf, "\n[make compat: %s, %v, %.1fs]\n", who, err, time.Since(start).Seconds())
	code := cmd.ProcessState.ExitCode()
	switch {
	case ctx.Err() != nil:
		return timedOut
	case code == 0:
		return pass
	case code == 77:
		return skip
	case code == 99:
		return hardError
	case code == 124 || code == 137:
		return timedOut // run.sh's timeout -k 5 -s XCPU
	}
	if b, err := os.ReadFile(lf.Name()); err == nil && strings.Contains(string(b), "time limit (") {
		return timedOut // init.sh's trap of SIGXCPU
	}
	return fail
}

func uniq(s []string) []string {
	sort.Strings(s)
	out := s[:0]
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}
