package main

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/eproc/eproc/strace"
)

// resolvePaths adds to -P's paths what realpath(3) makes of each, as
// strace does (src/pathtrace.c's pathtrace_select_set): a path that exists
// is matched by its canonical name too (a descriptor's /proc link gives
// that), and strace says so on standard error (tellResolved).
func (o *traceOpts) resolvePaths() {
	for _, p := range o.paths {
		r, err := filepath.EvalSymlinks(p)
		if err != nil {
			continue
		}
		if r, err = filepath.Abs(r); err != nil || r == p {
			continue
		}
		o.resolved = append(o.resolved, [2]string{p, r})
	}
}

// pathSet is the paths -P matches: those given and what they resolved to.
func (o *traceOpts) pathSet() []string {
	if len(o.paths) == 0 {
		return nil
	}
	set := append([]string(nil), o.paths...)
	for _, r := range o.resolved {
		set = append(set, r[1])
	}
	return set
}

// tellResolved says which of -P's paths resolved into another name,
// unless -e quiet=path-resolution (-qqq), as strace does.
func (o *traceOpts) tellResolved() {
	if o.quiet&strace.QuietPathResolve != 0 {
		return
	}
	for _, r := range o.resolved {
		warnf("Requested path %s resolved into %s\n", quotePath(r[0]), quotePath(r[1]))
	}
}

// relativePaths: some -P path is relative, and would resolve otherwise in
// eproc mount's directory than here.
func (o *traceOpts) relativePaths() bool {
	for _, p := range o.paths {
		if !strings.HasPrefix(p, "/") {
			return true
		}
	}
	return false
}

// quotePath quotes a path as strace's string_quote does: between double
// quotes, with C's escapes for what is not printable ASCII.
func quotePath(p string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(p); i++ {
		switch c := p[i]; {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c == '\t':
			b.WriteString(`\t`)
		case c == '\n':
			b.WriteString(`\n`)
		case c == '\v':
			b.WriteString(`\v`)
		case c == '\f':
			b.WriteString(`\f`)
		case c == '\r':
			b.WriteString(`\r`)
		case c < ' ' || c >= 0x7f:
			fmt.Fprintf(&b, `\%o`, c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}
