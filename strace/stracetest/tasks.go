// Package stracetest compares strace-format traces of two runs of one
// program, such as strace's and eproc's. Only tests import it.
//
// Task ids differ from run to run, and a test names them (P1, P1.2,
// TRACER) to compare two runs. Naming every number that equals a task id
// is wrong where the id collides with another number: on a freshly booted
// machine the tracer's pid was 832, and the dynamic loader's
// read(3, ..., 832) = 832 became read(3, ..., TRACER) = TRACER in one run
// only. SameLine decides per number instead.
package stracetest

import (
	"regexp"
	"strconv"
	"strings"
)

// Tasks maps a run's task ids to names that are the same in every run.
type Tasks map[int]string

var (
	reNumber = regexp.MustCompile(`\b\d+\b`)
	rePad    = regexp.MustCompile(`\) +=( |$)`)
	rePrefix = regexp.MustCompile(`^N +`) // -f's "%-5d " pid column
)

// SameLine reports whether a and b, lines of two runs whose task ids ta
// and tb name, say the same: outside their numbers they are equal, and
// each pair of numbers is equal (and not two different tasks) or names
// the same task. Where the two ids of a task have different numbers of
// digits, the blanks before " = " and after a leading pid column may
// differ: strace pads them by the line's and the pid's length.
func SameLine(a, b string, ta, tb Tasks) bool {
	if a == b {
		return sameTasks(a, ta, tb)
	}
	na, nb := reNumber.FindAllStringIndex(a, -1), reNumber.FindAllStringIndex(b, -1)
	if len(na) != len(nb) {
		return false
	}
	var sa, sb strings.Builder
	pa, pb := 0, 0
	widths := false
	for i := range na {
		x, y := a[na[i][0]:na[i][1]], b[nb[i][0]:nb[i][1]]
		same, byName := sameNumber(x, y, ta, tb)
		if !same {
			return false
		}
		widths = widths || byName && len(x) != len(y)
		sa.WriteString(a[pa:na[i][0]])
		sb.WriteString(b[pb:nb[i][0]])
		sa.WriteByte('N')
		sb.WriteByte('N')
		pa, pb = na[i][1], nb[i][1]
	}
	sa.WriteString(a[pa:])
	sb.WriteString(b[pb:])
	ka, kb := sa.String(), sb.String()
	if widths {
		ka, kb = unpad(ka), unpad(kb)
	}
	return ka == kb
}

// sameNumber tells whether x of one run and y of the other are the same
// value, and whether that took their task names.
func sameNumber(x, y string, ta, tb Tasks) (same, byName bool) {
	vx, ex := strconv.Atoi(x)
	vy, ey := strconv.Atoi(y)
	nx, okx := ta[vx]
	ny, oky := tb[vy]
	if ex != nil || ey != nil {
		return x == y, false
	}
	if x == y {
		return !(okx && oky && nx != ny), false
	}
	return okx && oky && nx == ny, true
}

// sameTasks: a line equal in both runs still differs where one number is
// a task in each run, and not the same one.
func sameTasks(a string, ta, tb Tasks) bool {
	for _, n := range reNumber.FindAllString(a, -1) {
		if same, _ := sameNumber(n, n, ta, tb); !same {
			return false
		}
	}
	return true
}

func unpad(s string) string {
	return rePrefix.ReplaceAllString(rePad.ReplaceAllString(s, ") =$1"), "N ")
}
