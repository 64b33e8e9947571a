package main

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestTranslate(t *testing.T) {
	for _, c := range []struct {
		in   string
		want string // eproc trace's arguments, or "unsupported: WHAT"
	}{
		{"-o log -e trace=accept ../accept", "-o log -e trace=accept -- ../accept"},
		{"-o log -etrace=kill -s12 ../add_key", "-o log -e trace=kill -s 12 -- ../add_key"},
		{"-o log -e chdir ../chdir", "-o log -e trace=chdir -- ../chdir"},
		{"-o log -a40 -fT -tt ../x a", "-o log -a 40 -f -T -t -t -- ../x a"},
		{"-o log --columns=40 --trace=kill --signal=none ../x", "-o log -a 40 -e trace=kill -e signal=none -- ../x"},
		{"--follow-forks --output log --string-limit=5 --strings-in-hex x", "-f -o log -s 5 -xx -- x"},
		{"--strings-in-hex=non-ascii --successful-only --failing-only --syscall-times x", "-x -z -Z --syscall-times -- x"},
		{"-o log -- -x", "-o log -- -x"},
		{"-o log -a22 ../accept", "-o log -a 22 -- ../accept"},
		{"-o log --columns=22 ../accept", "-o log -a 22 -- ../accept"},
		{"-o log -ff ../x", "-o log -f -f -- ../x"},
		{"-o log --follow-forks --output-separately -n ../x", "-o log -f --output-separately -n -- ../x"},
		{"-o log -e abbrev=none -e a=stat -v --no-abbrev ../x", "-o log -e abbrev=none -e abbrev=stat -v -v -- ../x"},
		{"-o log -e x=all --raw=read ../x", "-o log -e raw=all -e raw=read -- ../x"},
		{"-o log -C -S calls -Ucalls,name -O5us --summary-sort-by=name ../x", "-o log -C -S calls -U calls,name -O 5us -S name -- ../x"},
		{"-o log --summary --summary-columns=calls --summary-syscall-overhead=1 ../x", "-o log -C -U calls -O 1 -- ../x"},
		{"-o log -E A=1 --env=B -u nobody --user=root -A --output-append-mode ../x", "-o log -E A=1 -E B -u nobody -u root -A -A -- ../x"},
		{"-f --seccomp-bpf ../x", "-f --seccomp-bpf -- ../x"},
		{"-o log -Xverbose --const-print-style=raw ../x", "-o log -X verbose -X raw -- ../x"},
		{"-o log -e v=none --verbose=!stat --abbrev=all ../x", "-o log -e verbose=none -e verbose=!stat -e abbrev=all -- ../x"},
		{"-o log -yy ../x", "-o log -y -y -- ../x"},
		{"-o log --decode-fds --decode-fds=all -e decode-fd=dev ../x", "-o log --decode-fds --decode-fds=all -e decode-fds=dev -- ../x"},
		{"-o log -Y --decode-pids=comm,pidns -e decode-pid=pidns --pidns-translation ../x", "-o log -Y --decode-pids=comm,pidns -e decode-pids=pidns --decode-pids=pidns -- ../x"},
		{"-o log --secontext=full ../x", "unsupported: --secontext"},
		{"-o |cat ../x", "-o |{ grep -v -x 'Traced ~[0-9]* syscs, Dropped 0' || true; } | cat -- ../x"},
		{"-o log -b execve ../x", "unsupported: -b"},
		{"-o log -D ../x", "unsupported: -D"},
		{"-V", ""},
		{"-o log -qq -f x", "-o log -q -q -f -- x"},
		{"-o log -einject=bpf:retval=42 --fault=getpid:when=2 -e fault=kill ../x", "-o log -e inject=bpf:retval=42 -e fault=getpid:when=2 -e fault=kill -- ../x"},
		{"-o log --quiet=exit,personality --silent -e q=!exit x", "-o log --quiet=exit,personality --quiet -e quiet=!exit -- x"},
		{"-emmap2 -h -a1", "-e trace=mmap2"},
		{"--timestamps x", "-t -- x"},
		{"--timestamps=precision:us,format:time x", "-tt -- x"},
		{"--absolute-timestamps=unix,us --syscall-times=us --relative-timestamps=us x", "--syscall-times=us --relative-timestamps=us -ttt -- x"},
		{"--absolute-timestamps=format:time --absolute-timestamps=precision:s x", "-t -- x"},
		{"--absolute-timestamps=format:unix --absolute-timestamps=precision:us x", "-ttt -- x"},
		{"--timestamps=unix x", "--timestamps=format:unix,precision:s -- x"},
		{"--timestamps=time,ms x", "--timestamps=format:time,precision:ms -- x"},
		{"--timestamps=bogus x", "unsupported: --timestamps=bogus"},
		{"--syscall-times=ns --relative-timestamps=s --syscall-number x", "--syscall-times=ns --relative-timestamps=s --syscall-number -- x"},
		{"--strings-in-hex=non-ascii-chars x", "--strings-in-hex=non-ascii-chars -- x"},
		{"-a22 -e read=0 -y -ff -yy -P x ../x", "-a 22 -e read=0 -y -f -f -y -y -P x -- ../x"},
		{"-a22 -ewrites=1 -e kvm=vcpu ../x", "unsupported: -e kvm="},
		{"-e trace=sendfile -e inject=sendfile:poke_enter=@arg3=0000:when=1 ../x", "unsupported: -e inject=...:poke_enter="},
		{"--inject=getpid:retval=1:delay_exit=5 ../x", "unsupported: -e inject=...:delay_exit="},
		{"-e fault=openat:syscall=getpid ../x", "unsupported: -e fault=...:syscall="},
		{"-e inject=getpid:error=EPERM:when=2+ ../x", "-e inject=getpid:error=EPERM:when=2+ -- ../x"},
		{"-a7 --trace=dup -P /dev/full --trace-path=x ../x", "-a 7 -e trace=dup -P /dev/full -P x -- ../x"},
	} {
		got, err := translate(strings.Fields(c.in))
		var u *unsupported
		var s string
		switch {
		case errors.As(err, &u):
			s = "unsupported: " + strings.Join(u.what, " ")
		case err != nil:
			t.Errorf("%q: %v", c.in, err)
			continue
		default:
			s = strings.Join(got.args, " ")
		}
		if s != c.want {
			t.Errorf("%q:\n got %q\nwant %q", c.in, s, c.want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, in := range [][]string{{"-o"}, {"--sum"}, {"--bogus"}, {"--follow-forks=1"}, {"--trace"},
		{"-f", "--follow-forks", "x"}, {"-ff", "--output-separately", "x"}} {
		if _, err := translate(in); err == nil || errors.As(err, new(*unsupported)) {
			t.Errorf("%q: err %v, want a usage error", in, err)
		}
	}
}

func TestStripHangup(t *testing.T) {
	dir := t.TempDir()
	for in, want := range map[string]string{
		"a() = 0\n+++ exited with 0 +++\nTraced ~12 syscs, Dropped 0\n": "a() = 0\n+++ exited with 0 +++\n",
		"Traced ~1 syscs, Dropped 0\n":                                  "",
		"a() = 0\nTraced ~12 syscs, Dropped 3\n":                        "a() = 0\nTraced ~12 syscs, Dropped 3\n",
		"a() = 0\n":                                                     "a() = 0\n",
	} {
		p := filepath.Join(dir, "log")
		os.WriteFile(p, []byte(in), 0o644)
		stripHangup(p)
		got, _ := os.ReadFile(p)
		if !reflect.DeepEqual(string(got), want) {
			t.Errorf("%q: got %q, want %q", in, got, want)
		}
	}
}
