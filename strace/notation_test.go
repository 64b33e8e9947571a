package strace

import (
	"encoding/json"
	"testing"
)

// Strace's notation, read back as JSON values: each line of strace 6.1's
// text that the printers make, and what the JSON sink writes for it.
func TestNotation(t *testing.T) {
	for _, tc := range []struct {
		text, want string
		ok         bool
	}{
		{`3`, `3`, true},
		{`-1`, `-1`, true},
		{`0.15`, `0.15`, true},
		{`0x7ffd1000`, `"0x7ffd1000"`, true},
		{`0644`, `"0644"`, true},
		{`NULL`, `null`, true},
		{`AT_FDCWD`, `"AT_FDCWD"`, true},
		{`O_RDONLY|O_CLOEXEC`, `["O_RDONLY","O_CLOEXEC"]`, true},
		{`S_IFREG|0644`, `["S_IFREG","0644"]`, true},
		{`"/etc/hostname"`, `"/etc/hostname"`, true},
		{`"a\tb\n\"q\"\\"`, `"a\tb\n\"q\"\\"`, true},
		{`"\177ELF\2\1"...`, `{"string":"\u007fELF\u0002\u0001","truncated":true}`, true},
		{`"\377\376"`, `{"base64":"//4="}`, true},
		{`"\x68\x69"`, `"hi"`, true},
		{`"\303\251t\303\251"`, `"été"`, true},
		{`{st_mode=S_IFREG|0644, st_size=3, ...}`, `{"st_mode":["S_IFREG","0644"],"st_size":3,"...":true}`, true},
		{`{rlim_cur=8192*1024, rlim_max=RLIM64_INFINITY}`, `{"rlim_cur":8388608,"rlim_max":"RLIM64_INFINITY"}`, true},
		{`[{fd=3, events=POLLIN}, {fd=4, events=POLLOUT}]`, `[{"fd":3,"events":"POLLIN"},{"fd":4,"events":"POLLOUT"}]`, true},
		{`["ls", "-la"]`, `["ls","-la"]`, true},
		{`[1, 2, ...]`, `[1,2,"..."]`, true},
		{`[INT TERM]`, `["INT","TERM"]`, true},
		{`~[RTMIN RT_1]`, `{"not":["RTMIN","RT_1"]}`, true},
		{`[]`, `[]`, true},
		{`{}`, `{}`, true},
		{`0x7ffe5a0 /* 35 vars */`, `{"value":"0x7ffe5a0","comment":"35 vars"}`, true},
		{`{sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr("127.0.0.1")}`,
			`{"sa_family":"AF_INET","sin_port":{"htons":[80]},"sin_addr":{"inet_addr":["127.0.0.1"]}}`, true},
		{`makedev(0x8, 0x1)`, `{"makedev":["0x8","0x1"]}`, true},
		{`[128 => 16]`, `[{"in":128,"out":16}]`, true},
		{`[{WIFEXITED(s) && WEXITSTATUS(s) == 0}]`, `["WIFEXITED(s) && WEXITSTATUS(s) == 0"]`, true},
		{`{si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=7, si_uid=0, si_status=0, si_utime=0, si_stime=0}`,
			`{"si_signo":"SIGCHLD","si_code":"CLD_EXITED","si_pid":7,"si_uid":0,"si_status":0,"si_utime":0,"si_stime":0}`, true},
		// Not notation: kept whole as a string.
		{`a b c`, `"a b c"`, false},
		{`{unclosed`, `"{unclosed"`, false},
		{`"unterminated`, `"\"unterminated"`, false},
	} {
		got, ok := appendNotation(nil, []byte(tc.text))
		if string(got) != tc.want || ok != tc.ok {
			t.Errorf("%s:\n got %s (%v)\nwant %s (%v)", tc.text, got, ok, tc.want, tc.ok)
		}
		if !json.Valid(got) {
			t.Errorf("%s: not JSON: %s", tc.text, got)
		}
	}
}

// A printer that prints several arguments (futex's operation and value,
// clone's named ones) gives as many elements, or one object.
func TestNotationList(t *testing.T) {
	for _, tc := range []struct {
		texts []string
		want  string
	}{
		{[]string{`0x7f10`, `FUTEX_WAKE_PRIVATE, 2147483647`}, `["0x7f10","FUTEX_WAKE_PRIVATE",2147483647]`},
		{[]string{`child_stack=NULL, flags=CLONE_VM|SIGCHLD`}, `[{"child_stack":null,"flags":["CLONE_VM","SIGCHLD"]}]`},
		{[]string{`3`, ``, `4`}, `[3,4]`},
		{[]string{`x y`, `5`}, `["x y",5]`},
	} {
		b := []byte{'['}
		first := true
		for _, s := range tc.texts {
			b, _ = appendNotationList(b, []byte(s), &first)
		}
		b = append(b, ']')
		if string(b) != tc.want {
			t.Errorf("%q:\n got %s\nwant %s", tc.texts, b, tc.want)
		}
	}
}

func FuzzNotation(f *testing.F) {
	for _, s := range []string{`{a=1, b=[2 3]}`, `"x\1"...`, `f(1, "2") /* c */`, `1 => 2`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, _ := appendNotation(nil, []byte(s))
		if !json.Valid(got) {
			t.Fatalf("%q: not JSON: %s", s, got)
		}
	})
}
