package kvmguest

// Reading the guest's results: the init script's sections, the counts it
// printed, exit reason names; and Check, which collects a scenario's
// problems so that its checks also run on made-up results.

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// Sections parses "==== BEGIN name ====" ... "==== END name ====" blocks
// (lines may end in \r\n); a name seen more than once has its blocks joined.
func Sections(results string) map[string]string {
	secs := map[string]string{}
	var name string
	var cur []string
	in := false
	for _, line := range strings.Split(results, "\n") {
		line = strings.TrimSuffix(line, "\r")
		if n, ok := strings.CutPrefix(line, "==== BEGIN "); ok && strings.HasSuffix(n, " ====") {
			name, cur, in = strings.TrimSuffix(n, " ===="), nil, true
			continue
		}
		if in && line == "==== END "+name+" ====" {
			if len(cur) > 0 {
				secs[name] += strings.Join(cur, "\n") + "\n"
			} else if _, ok := secs[name]; !ok {
				secs[name] = ""
			}
			in = false
			continue
		}
		if in {
			cur = append(cur, line)
		}
	}
	return secs
}

// Counts parses `uniq -c` output ("   5 interrupt") into a map.
func Counts(s string) map[string]int {
	m := map[string]int{}
	for _, line := range strings.Split(s, "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		if n, err := strconv.Atoi(f[0]); err == nil {
			m[strings.Join(f[1:], " ")] += n
		}
	}
	return m
}

// Reason normalizes an exit reason name so that tracefs's ("PF excp",
// "io") and eproc's spellings compare: lower case, without "excp".
func Reason(s string) string {
	var f []string
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return r == ' ' || r == '_' }) {
		if w != "excp" {
			f = append(f, w)
		}
	}
	return strings.Join(f, "_")
}

// NormCounts returns m with its keys normalized by Reason (counts of keys
// that normalize alike added up).
func NormCounts(m map[string]int) map[string]int {
	out := map[string]int{}
	for k, v := range m {
		out[Reason(k)] += v
	}
	return out
}

// SortedKeys returns the keys of all the maps, once each, sorted.
func SortedKeys(ms ...map[string]int) []string {
	set := map[string]bool{}
	for _, m := range ms {
		for k := range m {
			set[k] = true
		}
	}
	var keys []string
	for k := range set {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Head returns the first n lines of s.
func Head(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	if len(lines) > n {
		lines = lines[:n]
	}
	return strings.Join(lines, "\n")
}

// Tail returns the last n lines of s.
func Tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// Check collects the problems of one part of a scenario, and notes to log.
type Check struct {
	Problems, Notes []string
}

// Errorf adds a problem.
func (c *Check) Errorf(format string, args ...any) {
	c.Problems = append(c.Problems, fmt.Sprintf(format, args...))
}

// Logf adds a note.
func (c *Check) Logf(format string, args ...any) {
	c.Notes = append(c.Notes, fmt.Sprintf(format, args...))
}

// Report logs the notes and fails t with the problems.
func (c *Check) Report(t testing.TB) {
	t.Helper()
	for _, n := range c.Notes {
		t.Log(n)
	}
	for _, p := range c.Problems {
		t.Error(p)
	}
}
