package strace

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
)

// summary is strace -c (-C): calls, errors and time per syscall. The time is
// each call's CPU time (Call.CPUTime), strace -c's system time, when the
// session's records carry their time off the CPU (loader's CPUTime), and
// otherwise its wall-clock time from entry to exit, strace -c -w's.
type summary struct {
	rows     map[uint32]*sumRow
	overhead uint64      // -O: ns taken off each call's time
	sortBy   SumColumn   // -S: SumNone keeps syscall number order
	columns  []SumColumn // -U, the name last if it was not given
}

type sumRow struct {
	calls, errors uint64
	ns            uint64
	min, max      uint64 // the shortest call's time and the longest's
}

func newSummary() *summary {
	return &summary{rows: map[uint32]*sumRow{}, sortBy: SumTotal, columns: defaultSumColumns}
}

// summaryFrom is the table opt asks for (-S, -U, -O).
func summaryFrom(opt Options) *summary {
	s := newSummary()
	s.overhead = opt.SummaryOverhead
	if opt.SummarySort != nil {
		s.sortBy = *opt.SummarySort
	}
	if opt.SummaryColumns != nil {
		s.columns = opt.SummaryColumns
	}
	return s
}

func (s *summary) add(c *Call) {
	r := s.rows[c.Nr]
	if r == nil {
		r = &sumRow{min: math.MaxUint64}
		s.rows[c.Nr] = r
	}
	r.calls++
	if c.Ret < 0 && c.Ret >= -4095 {
		r.errors++
	}
	ns := c.CPUTime()
	// strace's ts_sub and ts_max with zero: never below 0.
	ns -= min(ns, s.overhead)
	r.ns += ns
	r.min = min(r.min, ns)
	r.max = max(r.max, ns)
}

// SumColumn is a column of -c's table (strace's -U names; -S sorts by one).
type SumColumn uint8

const (
	SumNone SumColumn = iota // -S nothing: syscall number order
	SumPercent
	SumTotal
	SumMin
	SumMax
	SumAvg
	SumCalls
	SumErrors
	SumName
)

// sumColumns are the columns: header, least width, and how a row's value
// prints (strace's cdesc: "%.2f", "%.6f" seconds, "%lu", "%.0lu").
var sumColumns = [...]struct {
	head  string
	width int
	right bool // right-aligned (all but the name)
}{
	SumPercent: {"% time", 6, true},
	SumTotal:   {"seconds", 11, true},
	SumMin:     {"shortest", 8, true},
	SumMax:     {"longest", 7, true},
	SumAvg:     {"usecs/call", 11, true},
	SumCalls:   {"calls", 9, true},
	SumErrors:  {"errors", 9, true},
	SumName:    {"syscall", 16, false},
}

// sumColumnNames are the names -U and -S take (strace's column_aliases).
var sumColumnNames = map[string]SumColumn{
	"time": SumPercent, "time_percent": SumPercent, "time-percent": SumPercent,
	"time_total": SumTotal, "time-total": SumTotal, "total_time": SumTotal, "total-time": SumTotal,
	"min_time": SumMin, "min-time": SumMin, "shortest": SumMin, "time_min": SumMin, "time-min": SumMin,
	"longest": SumMax, "max_time": SumMax, "max-time": SumMax, "time_max": SumMax, "time-max": SumMax,
	"avg_time": SumAvg, "avg-time": SumAvg, "time_avg": SumAvg, "time-avg": SumAvg,
	"calls": SumCalls, "count": SumCalls,
	"error": SumErrors, "errors": SumErrors,
	"name": SumName, "syscall": SumName, "syscall_name": SumName, "syscall-name": SumName,
	"none": SumNone, "nothing": SumNone,
}

var defaultSumColumns = []SumColumn{SumPercent, SumTotal, SumAvg, SumCalls, SumErrors, SumName}

// ParseSumSort is strace's -S SORTBY: a column's name, or nothing.
func ParseSumSort(s string) (SumColumn, error) {
	c, ok := sumColumnNames[s]
	if !ok {
		return 0, fmt.Errorf("invalid sortby: '%s'", s)
	}
	if c == SumPercent {
		c = SumTotal // the same order
	}
	return c, nil
}

// ParseSumColumns is strace's -U COLUMNS: names, comma-separated, each
// once; the syscall's name comes last if not given.
func ParseSumColumns(s string) ([]SumColumn, error) {
	var cols []SumColumn
	seen := map[SumColumn]bool{}
	for rest := s; ; {
		name, more, found := strings.Cut(rest, ",")
		c, ok := sumColumnNames[name]
		if !ok || c == SumNone {
			return nil, fmt.Errorf("unknown column name: '%s'", name)
		}
		if seen[c] {
			return nil, fmt.Errorf("call summary column has been provided more than once: '%s' (-U option residual: '%s')", name, rest)
		}
		seen[c] = true
		cols = append(cols, c)
		if !found {
			break
		}
		rest = more
	}
	if !seen[SumName] {
		cols = append(cols, SumName)
	}
	return cols, nil
}

// ParseOverhead is strace's -O OVERHEAD[UNIT]: a time taken off each
// call's, microseconds unless a unit (s, ms, us, ns) says; in ns.
func ParseOverhead(s string) (uint64, error) {
	bad := fmt.Errorf("invalid -O argument: '%s'", s)
	num := strings.TrimRight(s, "smun")
	unit := s[len(num):]
	scale, ok := map[string]float64{"": 1e3, "s": 1e9, "ms": 1e6, "us": 1e3, "ns": 1}[unit]
	if !ok || num == "" {
		return 0, bad
	}
	if n, err := strconv.ParseUint(strings.TrimPrefix(num, "+"), 10, 63); err == nil {
		return n * uint64(scale), nil
	}
	f, err := strconv.ParseFloat(num, 64)
	if err != nil || f < 0 || math.IsInf(f, 0) || math.IsNaN(f) {
		return 0, bad
	}
	return uint64(f * scale), nil
}

// sumLine is one row of the table: a syscall's, or the total.
type sumLine struct {
	nr   uint32
	name string
	sumRow
}

func (r *sumLine) avg() uint64 { return r.ns / max(r.calls, 1) }

// lines are the table's rows in -S's order (strace's default: by time,
// the longest first), ties in syscall number order (strace's sort of the
// table indexed by number, which glibc's qsort keeps stable), and the
// total: the sums, the shortest of the shortest and the longest of the
// longest.
func (s *summary) lines() (rows []sumLine, tot sumLine) {
	tot.name = "total"
	tot.min = math.MaxUint64
	for nr, r := range s.rows {
		n := "syscall_" + strconv.FormatUint(uint64(nr), 16)
		if e := Lookup(nr); e != nil {
			n = e.Name
		}
		rows = append(rows, sumLine{nr, n, *r})
		tot.calls += r.calls
		tot.errors += r.errors
		tot.ns += r.ns
		tot.min = min(tot.min, r.min)
		tot.max = max(tot.max, r.max)
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].nr < rows[j].nr })
	less := map[SumColumn]func(a, b *sumLine) bool{
		SumTotal:  func(a, b *sumLine) bool { return a.ns > b.ns },
		SumMin:    func(a, b *sumLine) bool { return a.min > b.min },
		SumMax:    func(a, b *sumLine) bool { return a.max > b.max },
		SumAvg:    func(a, b *sumLine) bool { return a.avg() > b.avg() },
		SumCalls:  func(a, b *sumLine) bool { return a.calls > b.calls },
		SumErrors: func(a, b *sumLine) bool { return a.errors > b.errors },
		SumName:   func(a, b *sumLine) bool { return a.name < b.name },
	}[s.sortBy]
	if less != nil {
		sort.SliceStable(rows, func(i, j int) bool { return less(&rows[i], &rows[j]) })
	}
	return rows, tot
}

func seconds(ns uint64) string { return strconv.FormatFloat(float64(ns)/1e9, 'f', 6, 64) }

// usecs is strace's (uint64_t) (seconds * 1e6) of a time in ns.
func usecs(ns uint64) uint64 { return uint64(float64(ns) / 1e9 * 1e6) }

// widths are the columns' widths: strace's least ones, or wider where
// the values need it (strace 6's call_summary_pers).
func (s *summary) widths(rows []sumLine, tot sumLine) [len(sumColumns)]int {
	var w [len(sumColumns)]int
	for c := range sumColumns {
		w[c] = sumColumns[c].width
	}
	var maxAvg, minMax uint64
	for _, r := range rows {
		maxAvg = max(maxAvg, r.avg())
		minMax = max(minMax, r.min)
		w[SumName] = max(w[SumName], len(r.name)+1)
	}
	w[SumTotal] = max(w[SumTotal], len(seconds(tot.ns)))
	w[SumMin] = max(w[SumMin], len(strconv.FormatUint(minMax/1e9, 10))+7)
	w[SumMax] = max(w[SumMax], len(strconv.FormatUint(tot.max/1e9, 10))+7)
	w[SumAvg] = max(w[SumAvg], len(strconv.FormatUint(usecs(maxAvg), 10)))
	w[SumCalls] = max(w[SumCalls], len(strconv.FormatUint(tot.calls, 10)))
	w[SumErrors] = max(w[SumErrors], len(strconv.FormatUint(tot.errors, 10)))
	return w
}

func (s *summary) print(p *printer) {
	rows, tot := s.lines()
	w := s.widths(rows, tot)
	last := len(s.columns) - 1
	for i, c := range s.columns {
		if i > 0 {
			p.c(' ')
		}
		s.cell(p, w, i == last, c, sumColumns[c].head)
	}
	p.newline()
	dashes := func() {
		for i, c := range s.columns {
			if i > 0 {
				p.c(' ')
			}
			for range w[c] {
				p.c('-')
			}
		}
		p.newline()
	}
	dashes()
	totSecs := float64(tot.ns) / 1e9
	for i := range rows {
		pct := 100 * float64(rows[i].ns) / 1e9
		if pct != 0 {
			pct /= totSecs
		}
		s.line(p, w, pct, &rows[i], usecs(rows[i].avg()))
	}
	dashes()
	var avg uint64
	if tot.calls > 0 {
		avg = uint64(totSecs / float64(tot.calls) * 1e6)
	}
	if tot.calls == 0 {
		tot.min = 0
	}
	s.line(p, w, 100, &tot, avg)
}

// line prints a row: errors blank when there are none, as strace's
// "%.0lu" prints 0.
func (s *summary) line(p *printer, w [len(sumColumns)]int, pct float64, r *sumLine, avg uint64) {
	last := len(s.columns) - 1
	for i, c := range s.columns {
		if i > 0 {
			p.c(' ')
		}
		var v string
		switch c {
		case SumPercent:
			v = strconv.FormatFloat(pct, 'f', 2, 64)
		case SumTotal:
			v = seconds(r.ns)
		case SumMin:
			v = seconds(r.min)
		case SumMax:
			v = seconds(r.max)
		case SumAvg:
			v = strconv.FormatUint(avg, 10)
		case SumCalls:
			v = strconv.FormatUint(r.calls, 10)
		case SumErrors:
			if r.errors > 0 {
				v = strconv.FormatUint(r.errors, 10)
			}
		case SumName:
			v = r.name
		}
		s.cell(p, w, i == last, c, v)
	}
	p.newline()
}

// cell prints one cell of column c: right-aligned, or left-aligned and
// padded unless it is the line's last.
func (s *summary) cell(p *printer, w [len(sumColumns)]int, last bool, c SumColumn, v string) {
	switch {
	case sumColumns[c].right:
		p.s(padLeft(v, w[c]))
	case last:
		p.s(v)
	default:
		p.s(v)
		for range w[c] - len(v) {
			p.c(' ')
		}
	}
}
