package strace

import (
	"sort"
	"strconv"
)

// summary is strace -c: calls, errors and time per syscall. The time is
// each call's wall-clock time from entry to exit, what strace -c -w
// reports: the records carry no system time (strace -c's default, the
// thread's stime across the call) yet.
type summary struct {
	rows map[uint32]*sumRow
}

type sumRow struct {
	calls, errors uint64
	ns            uint64
}

func newSummary() *summary { return &summary{rows: map[uint32]*sumRow{}} }

func (s *summary) add(c *Call) {
	r := s.rows[c.Nr]
	if r == nil {
		r = &sumRow{}
		s.rows[c.Nr] = r
	}
	r.calls++
	if c.Ret < 0 && c.Ret >= -4095 {
		r.errors++
	}
	if c.ExitTS > c.TS {
		r.ns += c.ExitTS - c.TS
	}
}

// sumLine is one row of the table: a syscall's, or the total.
type sumLine struct {
	nr   uint32
	name string
	sumRow
}

// lines are the table's rows in strace's order: by time, the longest
// first; ties in syscall number order (strace's stable sort of the table
// indexed by number).
func (s *summary) lines() (rows []sumLine, tot sumLine) {
	tot.name = "total"
	for nr, r := range s.rows {
		n := "syscall_" + strconv.FormatUint(uint64(nr), 16)
		if e := Lookup(nr); e != nil {
			n = e.Name
		}
		rows = append(rows, sumLine{nr, n, *r})
		tot.calls += r.calls
		tot.errors += r.errors
		tot.ns += r.ns
	}
	sort.Slice(rows, func(i, j int) bool {
		if rows[i].ns != rows[j].ns {
			return rows[i].ns > rows[j].ns
		}
		return rows[i].nr < rows[j].nr
	})
	return rows, tot
}

// sumWidths are the table's column widths: strace's historical ones, or
// wider where a value needs it (strace 6's call_summary_pers).
type sumWidths struct{ secs, usecs, calls, errors, name int }

func widths(rows []sumLine, tot sumLine) sumWidths {
	w := sumWidths{secs: 11, usecs: 11, calls: 9, errors: 9, name: 16}
	var maxAvg uint64
	for _, r := range rows {
		maxAvg = max(maxAvg, r.ns/r.calls)
		w.name = max(w.name, len(r.name)+1)
	}
	w.secs = max(w.secs, len(seconds(tot.ns)))
	w.usecs = max(w.usecs, len(strconv.FormatUint(uint64(float64(maxAvg)/1e9*1e6), 10)))
	w.calls = max(w.calls, len(strconv.FormatUint(tot.calls, 10)))
	w.errors = max(w.errors, len(strconv.FormatUint(tot.errors, 10)))
	return w
}

func seconds(ns uint64) string { return strconv.FormatFloat(float64(ns)/1e9, 'f', 6, 64) }

func (s *summary) print(p *printer) {
	rows, tot := s.lines()
	w := widths(rows, tot)
	p.s("% time ")
	p.s(padLeft("seconds", w.secs))
	p.c(' ')
	p.s(padLeft("usecs/call", w.usecs))
	p.c(' ')
	p.s(padLeft("calls", w.calls))
	p.c(' ')
	p.s(padLeft("errors", w.errors))
	p.s(" syscall")
	p.newline()
	dashes := func() {
		for i, n := range [...]int{6, w.secs, w.usecs, w.calls, w.errors, w.name} {
			if i > 0 {
				p.c(' ')
			}
			for range n {
				p.c('-')
			}
		}
		p.newline()
	}
	dashes()
	totSecs := float64(tot.ns) / 1e9
	for _, r := range rows {
		pct := 100 * float64(r.ns) / 1e9
		if pct != 0 {
			pct /= totSecs
		}
		avg := uint64(float64(r.ns/r.calls) / 1e9 * 1e6)
		s.line(p, w, pct, r, avg)
	}
	dashes()
	var avg uint64
	if tot.calls > 0 {
		avg = uint64(totSecs / float64(tot.calls) * 1e6)
	}
	s.line(p, w, 100, tot, avg)
}

// line prints a row: errors blank when there are none, as strace's
// "%.0lu" prints 0.
func (s *summary) line(p *printer, w sumWidths, pct float64, r sumLine, avg uint64) {
	p.s(padLeft(strconv.FormatFloat(pct, 'f', 2, 64), 6))
	p.c(' ')
	p.s(padLeft(seconds(r.ns), w.secs))
	p.c(' ')
	p.s(padLeft(strconv.FormatUint(avg, 10), w.usecs))
	p.c(' ')
	p.s(padLeft(strconv.FormatUint(r.calls, 10), w.calls))
	p.c(' ')
	errs := ""
	if r.errors > 0 {
		errs = strconv.FormatUint(r.errors, 10)
	}
	p.s(padLeft(errs, w.errors))
	p.c(' ')
	p.s(r.name)
	p.newline()
}
