package procview

import (
	"bytes"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// FuzzCtl feeds arbitrary writes to the control parsers of ctl, note and
// notepg: they never panic, and accept only the table's commands (with
// their word counts) and real signals. `make test` runs the seed corpus;
// `make fuzz` runs it for a bounded time.
func FuzzCtl(f *testing.F) {
	for _, s := range []string{
		"straceme", "straceall\n", "straceoff", "kill", "stop", "start", " straceme ", "straceme\n\n",
		"straceme extra", "straceme\nstraceall", "kill\x00", "\x00", "", "\n", "\t", "STRACEME",
		"hup", "HUP", "SIGHUP", "sighup", "1", "64", "65", "0", "-1", "+9", "09", "0x9", "9999999999999999999",
		"rtmin", "SIGRTMIN", "SIG", "sig hup", strings.Repeat("x", 300), strings.Repeat("kill ", 60),
		"kill\r", "kill\x7f", "\xff\xfe", "strace\u00e9me",
	} {
		f.Add([]byte(s))
	}
	// A name may have several word counts ("trace" and "trace 1", as
	// Plan 9's cmdtab has them).
	names := map[string]map[int]bool{}
	for _, c := range ctlTab {
		if names[c.name] == nil {
			names[c.name] = map[int]bool{}
		}
		names[c.name][c.words] = true
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		in := append([]byte(nil), data...)
		words, err := parseCmd(data)
		if !bytes.Equal(in, data) {
			t.Fatalf("parseCmd changed its input")
		}
		if err == nil {
			if len(data) > maxCmd || len(words) == 0 {
				t.Fatalf("parseCmd(%q) = %q", data, words)
			}
			body := bytes.TrimRight(data, "\n")
			for _, b := range body {
				if b < ' ' && b != '\t' || b == 0x7f {
					t.Fatalf("parseCmd accepted a control byte: %q", data)
				}
			}
			cmd, err := lookupCmd(words)
			if err == nil {
				if !names[words[0]][len(words)] || cmd.name != words[0] || cmd.words != len(words) {
					t.Fatalf("lookupCmd(%q) accepted %q", words, cmd.name)
				}
			} else if names[words[0]][len(words)] {
				t.Fatalf("lookupCmd(%q) refused a table command", words)
			}
		}
		s, err := parseSignal(data)
		if err == nil {
			if s < 1 || s > 64 {
				t.Fatalf("parseSignal(%q) = %d", data, s)
			}
			w, _ := parseCmd(data)
			if len(w) != 1 {
				t.Fatalf("parseSignal(%q) accepted %d words", data, len(w))
			}
			if name := unix.SignalName(s); name != "" {
				u := strings.ToUpper(strings.TrimPrefix(strings.ToUpper(w[0]), "SIG"))
				if u != strings.TrimPrefix(name, "SIG") && !isDecimal(w[0]) {
					t.Fatalf("parseSignal(%q) = %s", data, name)
				}
			}
		} else if s != 0 {
			t.Fatalf("parseSignal(%q) failed but returned %d", data, s)
		}
	})
}

func isDecimal(s string) bool {
	if s == "" {
		return false
	}
	if s[0] == '+' || s[0] == '-' {
		s = s[1:]
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}
