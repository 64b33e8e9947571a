package strace

import (
	"sort"
	"strconv"
)

// summary is strace -c: calls, errors and time per syscall. Time is each
// call's latency (exit - entry), what strace -c -w reports.
type summary struct {
	rows map[uint32]*sumRow
}

type sumRow struct {
	calls, errors uint64
	ns            uint64
}

func newSummary() *summary { return &summary{rows: map[uint32]*sumRow{}} }

func (s *summary) add(c *Call, e *Sysent) {
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

func (s *summary) print(p *printer) {
	type row struct {
		name string
		sumRow
	}
	var rows []row
	var tot sumRow
	for nr, r := range s.rows {
		n := "syscall_" + strconv.FormatUint(uint64(nr), 16)
		if e := Lookup(nr); e != nil {
			n = e.Name
		}
		rows = append(rows, row{n, *r})
		tot.calls += r.calls
		tot.errors += r.errors
		tot.ns += r.ns
	}
	sort.Slice(rows, func(i, j int) bool {
		if rows[i].ns != rows[j].ns {
			return rows[i].ns > rows[j].ns
		}
		if rows[i].calls != rows[j].calls {
			return rows[i].calls > rows[j].calls
		}
		return rows[i].name < rows[j].name
	})
	p.s("% time     seconds  usecs/call     calls    errors syscall")
	p.newline()
	dash := "------ ----------- ----------- --------- --------- ----------------"
	p.s(dash)
	p.newline()
	line := func(name string, r sumRow) {
		pct := 0.0
		if tot.ns > 0 {
			pct = 100 * float64(r.ns) / float64(tot.ns)
		}
		per := uint64(0)
		if r.calls > 0 {
			per = r.ns / 1000 / r.calls
		}
		p.s(padLeft(strconv.FormatFloat(pct, 'f', 2, 64), 6))
		p.c(' ')
		p.s(padLeft(strconv.FormatFloat(float64(r.ns)/1e9, 'f', 6, 64), 11))
		p.c(' ')
		p.s(padLeft(strconv.FormatUint(per, 10), 11))
		p.c(' ')
		p.s(padLeft(strconv.FormatUint(r.calls, 10), 9))
		p.c(' ')
		if r.errors > 0 {
			p.s(padLeft(strconv.FormatUint(r.errors, 10), 9))
		} else {
			p.s(padLeft("", 9))
		}
		p.c(' ')
		p.s(name)
		p.newline()
	}
	for _, r := range rows {
		line(r.name, r.sumRow)
	}
	p.s(dash)
	p.newline()
	line("total", tot)
}
