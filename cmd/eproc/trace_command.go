package main

// What strace's options change in the command it starts and in its
// output file: -E (the command's environment), -u (its user), -A (the
// output appended to).

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"strconv"
	"strings"
	"syscall"
)

// commandFlags are those options.
type commandFlags struct {
	env    []string // -E VAR=VAL, -E VAR, in order
	user   string   // -u, --user
	append bool     // -A, --output-append-mode
	// --seccomp-bpf: strace's way to stop the command at the traced
	// calls only; eproc never stops it, so it changes nothing, and is
	// taken (with strace's warnings) for command lines written for strace.
	seccomp bool
}

// checkCommand: strace's rules for them.
func (o *traceOpts) checkCommand() error {
	if o.user != "" && (os.Getuid() != 0 || os.Geteuid() != 0) {
		return errors.New("You must be root to use the -u/--username option")
	}
	if (o.user != "" || len(o.env) > 0) && len(o.cmd) == 0 {
		// strace says nothing: with -p there is no command to change.
		return nil
	}
	if o.append && o.out == "" {
		warnf("-A/--output-append-mode has no effect without -o/--output\n")
	}
	if o.seccomp && len(o.pids) > 0 && len(o.cmd) == 0 {
		warnf("--seccomp-bpf is not enabled for processes attached with -p\n")
	}
	if o.seccomp && !o.follow {
		warnf("--seccomp-bpf cannot be used without -f/--follow-forks, disabling\n")
	}
	return nil
}

// commandEnvOf is the command's environment: eproc's with -E's changes, as
// strace's make_env: VAR=VAL replaces VAR where it is, or comes last; VAR
// alone removes it. nil: eproc's, unchanged.
func commandEnvOf(env, changes []string) []string {
	if len(changes) == 0 {
		return nil
	}
	env = append([]string(nil), env...)
	for _, ch := range changes {
		name, _, set := strings.Cut(ch, "=")
		at := -1
		kept := env[:0]
		for _, v := range env {
			if n, _, _ := strings.Cut(v, "="); n == name {
				if set && at < 0 {
					at = len(kept)
					kept = append(kept, ch)
				}
				continue
			}
			kept = append(kept, v)
		}
		env = kept
		if set && at < 0 {
			env = append(env, ch)
		}
	}
	return env
}

// asUser makes cmd run as -u's user: its uid, its group, and the groups
// it is a member of (strace's initgroups, setregid, setreuid). A set-user-ID
// program it runs gains its owner's rights as it would untraced: eproc
// does not stop the command with ptrace, which would keep them from it.
func (o *traceOpts) asUser(cmd *exec.Cmd) error {
	if o.user == "" {
		return nil
	}
	u, err := user.Lookup(o.user)
	if err != nil {
		return fmt.Errorf("Cannot find user '%s'", o.user)
	}
	uid, err1 := strconv.ParseUint(u.Uid, 10, 32)
	gid, err2 := strconv.ParseUint(u.Gid, 10, 32)
	if err1 != nil || err2 != nil {
		return fmt.Errorf("Cannot find user '%s'", o.user)
	}
	cred := &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
	ids, _ := u.GroupIds()
	for _, g := range ids {
		if n, err := strconv.ParseUint(g, 10, 32); err == nil {
			cred.Groups = append(cred.Groups, uint32(n))
		}
	}
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.Credential = cred
	return nil
}

// createOutput opens an output file: truncated, or with -A appended to;
// or, for a name that starts with '|' or '!', a pipe to the rest of it run
// by /bin/sh (strace's -o '|COMMAND'), whose end the caller waits for.
func (o *traceOpts) createOutput(name string) (*os.File, *exec.Cmd, error) {
	if strings.HasPrefix(name, "|") || strings.HasPrefix(name, "!") {
		r, w, err := os.Pipe()
		if err != nil {
			return nil, nil, err
		}
		cmd := exec.Command("/bin/sh", "-c", name[1:])
		cmd.Stdin, cmd.Stdout, cmd.Stderr = r, os.Stdout, os.Stderr
		err = cmd.Start()
		r.Close()
		if err != nil {
			w.Close()
			return nil, nil, fmt.Errorf("%s: %w", name, err)
		}
		return w, cmd, nil
	}
	f, err := o.openOutput(name)
	return f, nil, err
}

// openOutput opens an output file: truncated, or with -A appended to.
func (o *traceOpts) openOutput(name string) (*os.File, error) {
	flag := os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	if o.append {
		flag = os.O_WRONLY | os.O_CREATE | os.O_APPEND
	}
	return os.OpenFile(name, flag, 0o666)
}
