package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

var outcomes = []string{pass, fail, timedOut, hardError, skip, unsupported}

type counts struct {
	strace, eproc map[string]int
	both          int            // tests both pass
	straceOnly    []string       // tests strace passes and eproc fails (or times out)
	straceUns     int            // tests strace passes that use an option eproc lacks
	missing       map[string]int // option -> tests strace passes that need it
	alone         map[string]int // option -> those of them that need no other
}

// summarize prints the table of outcomes, eproc's share of strace's passes,
// and the options eproc lacks by how many of those tests need them.
func summarize(w io.Writer, res []result) counts {
	c := counts{strace: map[string]int{}, eproc: map[string]int{}, missing: map[string]int{}, alone: map[string]int{}}
	for _, r := range res {
		c.strace[r.strace]++
		c.eproc[r.eproc]++
		if r.strace != pass {
			continue
		}
		switch r.eproc {
		case pass:
			c.both++
		case unsupported:
			c.straceUns++
			for _, m := range r.missing {
				c.missing[m]++
			}
			if len(r.missing) == 1 {
				c.alone[r.missing[0]]++
			}
		case fail, timedOut, hardError:
			c.straceOnly = append(c.straceOnly, r.name)
		}
	}
	fmt.Fprintf(w, "\nstrace's test suite, %d tests (tests/*.gen.test):\n\n", len(res))
	fmt.Fprintf(w, "%-8s", "")
	for _, o := range outcomes {
		fmt.Fprintf(w, " %11s", o)
	}
	fmt.Fprintln(w)
	for _, t := range []struct {
		name string
		m    map[string]int
	}{{"strace", c.strace}, {"eproc", c.eproc}} {
		fmt.Fprintf(w, "%-8s", t.name)
		for _, o := range outcomes {
			fmt.Fprintf(w, " %11d", t.m[o])
		}
		fmt.Fprintln(w)
	}
	sp := c.strace[pass]
	fmt.Fprintf(w, "\neproc passes %d of the %d tests strace passes (%s); of those %d, %d use an option eproc lacks,\n"+
		"%d run and fail (%s of those run).\n", c.both, sp, pct(c.both, sp), sp, c.straceUns, len(c.straceOnly),
		pct(len(c.straceOnly), sp-c.straceUns))
	printMissing(w, c.missing, c.alone)
	return c
}

func pct(a, b int) string {
	if b == 0 {
		return "-"
	}
	return fmt.Sprintf("%.1f%%", 100*float64(a)/float64(b))
}

// An option eproc lacks is one field of results.txt (whitespace-separated):
// its spaces and percent signs escaped (optionField), unescaped to print
// (optionText). ("_" for a space, as before, made `poke_enter=` print as
// `poke enter=`.)
var (
	optionField = strings.NewReplacer("%", "%25", " ", "%20", "\t", "%09")
	optionText  = strings.NewReplacer("%25", "%", "%20", " ", "%09", "\t")
)

// printMissing lists the options eproc lacks, by the number of tests strace
// passes that use them (a test may use several), and how many of those
// tests need that option only.
func printMissing(w io.Writer, missing, alone map[string]int) {
	if len(missing) == 0 {
		return
	}
	var opts []string
	for o := range missing {
		opts = append(opts, o)
	}
	sort.Slice(opts, func(i, j int) bool {
		if missing[opts[i]] != missing[opts[j]] {
			return missing[opts[i]] > missing[opts[j]]
		}
		return opts[i] < opts[j]
	})
	fmt.Fprint(w, "options eproc lacks: the tests strace passes that use them (/ that need no other):")
	for i, o := range opts {
		if i%6 == 0 {
			fmt.Fprint(w, "\n   ")
		}
		fmt.Fprintf(w, " %s %d/%d", optionText.Replace(o), missing[o], alone[o])
		if i < len(opts)-1 {
			fmt.Fprint(w, ",")
		}
	}
	fmt.Fprintln(w)
}

// writeResults writes DIR/results.txt, "NAME STRACE EPROC [OPTIONS]" per
// test, after moving the last one to results.prev.txt, and prints the
// tests whose outcomes changed since.
func writeResults(dir string, res []result) error {
	cur := filepath.Join(dir, "results.txt")
	prev := filepath.Join(dir, "results.prev.txt")
	old := readResults(cur)
	if old != nil {
		os.Rename(cur, prev)
	}
	f, err := os.Create(cur)
	if err != nil {
		return err
	}
	fmt.Fprintln(f, "# make compat (scripts/compat): test, outcome under strace, under eproc, options eproc lacks")
	var changed []string
	for _, r := range res {
		line := fmt.Sprintf("%s %s %s", r.name, r.strace, r.eproc)
		if len(r.missing) > 0 {
			line += " " + strings.Join(r.missing, ",")
		}
		fmt.Fprintln(f, line)
		if o, ok := old[r.name]; ok && o != line {
			changed = append(changed, fmt.Sprintf("    was %s\n    now %s", o, line))
		}
	}
	if err := f.Close(); err != nil {
		return err
	}
	if old != nil {
		fmt.Printf("\n%d tests changed since the last run (%s):\n", len(changed), prev)
		for i, c := range changed {
			if i == 40 {
				fmt.Printf("    ... (diff %s %s)\n", prev, cur)
				break
			}
			fmt.Println(c)
		}
	}
	return nil
}

func readResults(path string) map[string]string {
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	m := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if l := sc.Text(); l != "" && !strings.HasPrefix(l, "#") {
			m[strings.Fields(l)[0]] = l
		}
	}
	return m
}

// checkRatchet fails when eproc passes fewer tests than the ratchet file
// says, and says how to raise it when it passes more.
func checkRatchet(got int) error {
	b, err := os.ReadFile(*ratchet)
	if err != nil {
		return err
	}
	min, lines := -1, strings.Split(string(b), "\n")
	for i, l := range lines {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			if min, err = strconv.Atoi(l); err != nil {
				return fmt.Errorf("%s: %q is not a number", *ratchet, l)
			}
			lines[i] = strconv.Itoa(got)
			break
		}
	}
	switch {
	case min < 0:
		return fmt.Errorf("%s holds no number", *ratchet)
	case got < min:
		return fmt.Errorf("eproc passes %d tests, fewer than the ratchet's %d (%s): a regression "+
			"(compare results.txt with results.prev.txt, or with a run on the previous commit)", got, min, *ratchet)
	case got > min && *update:
		s := strings.Join(lines, "\n")
		fmt.Printf("ratchet raised from %d to %d in %s: commit it\n", min, got, *ratchet)
		return os.WriteFile(*ratchet, []byte(s), 0o644)
	case got > min:
		fmt.Printf("eproc passes %d tests, more than the ratchet's %d: raise it (make compat COMPAT_FLAGS=-update-ratchet, "+
			"or edit %s) and commit\n", got, min, *ratchet)
	default:
		fmt.Printf("ratchet: eproc passes %d tests, as %s requires\n", got, *ratchet)
	}
	return nil
}
