package strace

import (
	"bytes"
	"encoding/base64"
	"strconv"
	"unicode/utf8"
)

// The JSON sink's arguments are the text printers' output, read back as
// values: the one table that prints strace's text decides what JSON says,
// so the two never disagree. strace's notation is regular enough for that:
//
//	"text"              a string (C escapes undone)
//	"text"...           {"string": "text", "truncated": true}
//	123, -1, 0.5        a number
//	0x1f, 0644          a string as printed (addresses, masks and modes)
//	NULL                null
//	O_RDONLY            a string
//	O_RDONLY|O_CLOEXEC  an array of its terms: ["O_RDONLY", "O_CLOEXEC"]
//	{a=1, b=2, ...}     an object; "..." (fields left out) as "...": true
//	[1, 2], [INT TERM]  an array; a trailing ... as the string "..."
//	~[INT]              {"not": ["INT"]}
//	f(a, b)             {"f": [a, b]} (makedev, htons, inet_addr...)
//	v /* note */        {"value": v, "comment": "note"}
//	a => b              {"in": a, "out": b}
//
// Text that fits none of these (wait4's status expressions, say) is kept
// whole as a JSON string.

// appendNotation appends the JSON value of one argument's strace text. It
// reports false when the text did not parse and was appended as a string.
func appendNotation(b []byte, text []byte) ([]byte, bool) {
	n := notation{in: text, out: b}
	if n.value() && n.skipSpace() && n.i == len(n.in) {
		return n.out, true
	}
	return appendJSONString(b, text), false
}

// appendNotationList appends the values of a list's strace text ("a, b":
// a printer that prints several arguments, as futex's operation does) as
// elements of a JSON array, each after a comma (none before the first
// element of the array: *first). Text that does not parse is one string.
func appendNotationList(b []byte, text []byte, first *bool) ([]byte, bool) {
	if len(text) == 0 {
		return b, true
	}
	start := len(b)
	n := notation{in: text, out: b}
	if n.fieldName() != nil {
		// Named arguments, clone's child_stack=NULL, flags=...: an object.
		n.in = append(append([]byte{'{'}, text...), '}')
		n.i = 0
	}
	f := *first
	for k := 0; ; k++ {
		if !f {
			n.out = append(n.out, ',')
		}
		f = false
		if !n.value() {
			break
		}
		if n.i == len(n.in) {
			*first = false
			return n.out, true
		}
		if !n.has(", ") {
			break
		}
		n.i += 2
	}
	b = b[:start]
	if !*first {
		b = append(b, ',')
	}
	*first = false
	return appendJSONString(b, text), false
}

// notation is a recursive-descent reader of strace's notation that writes
// JSON as it goes; on failure the caller discards what it wrote.
type notation struct {
	in  []byte
	i   int
	out []byte
}

func (n *notation) peek() byte {
	if n.i < len(n.in) {
		return n.in[n.i]
	}
	return 0
}

func (n *notation) has(s string) bool {
	return len(n.in)-n.i >= len(s) && string(n.in[n.i:n.i+len(s)]) == s
}

func (n *notation) skipSpace() bool {
	for n.peek() == ' ' {
		n.i++
	}
	return true
}

// value reads a value with what may follow it: a comment, or " => " and
// the value the kernel wrote back.
func (n *notation) value() bool {
	start := len(n.out)
	if !n.term() {
		return false
	}
	if n.has(" /* ") {
		end := indexFrom(n.in, n.i+4, "*/")
		if end < 0 {
			return false
		}
		v := append([]byte(nil), n.out[start:]...)
		n.out = append(n.out[:start], `{"value":`...)
		n.out = append(n.out, v...)
		n.out = append(n.out, `,"comment":`...)
		n.out = appendJSONString(n.out, trimSpaces(n.in[n.i+4:end]))
		n.out = append(n.out, '}')
		n.i = end + 2
	}
	if n.has(" => ") {
		v := append([]byte(nil), n.out[start:]...)
		n.out = append(n.out[:start], `{"in":`...)
		n.out = append(n.out, v...)
		n.out = append(n.out, `,"out":`...)
		n.i += 4
		if !n.term() {
			return false
		}
		n.out = append(n.out, '}')
	}
	return true
}

// term reads one value: a primary, or flags joined by |.
func (n *notation) term() bool {
	start := len(n.out)
	if !n.primary() {
		return false
	}
	if n.peek() != '|' {
		return true
	}
	first := append([]byte(nil), n.out[start:]...)
	n.out = append(n.out[:start], '[')
	n.out = append(n.out, first...)
	for n.peek() == '|' {
		n.i++
		n.out = append(n.out, ',')
		if !n.primary() {
			return false
		}
	}
	n.out = append(n.out, ']')
	return true
}

func (n *notation) primary() bool {
	switch c := n.peek(); {
	case c == '"':
		return n.str()
	case c == '{':
		i, o := n.i, len(n.out)
		if n.object() {
			return true
		}
		// Not fields: an expression strace puts in braces, wait4's
		// {WIFEXITED(s) && WEXITSTATUS(s) == 0}, as a string.
		n.i, n.out = i, n.out[:o]
		return n.braced()
	case c == '[':
		return n.array()
	case c == '~' && n.has("~["):
		n.i++
		n.out = append(n.out, `{"not":`...)
		if !n.array() {
			return false
		}
		n.out = append(n.out, '}')
		return true
	case c == '-' || isDigit(c):
		return n.number()
	case isIdentStart(c) || c == '&' || c == '@':
		return n.ident()
	}
	return false
}

// str reads a quoted string and a "..." after it.
func (n *notation) str() bool {
	n.i++ // "
	var data []byte
	for {
		if n.i >= len(n.in) {
			return false
		}
		c := n.in[n.i]
		n.i++
		if c == '"' {
			break
		}
		if c != '\\' {
			data = append(data, c)
			continue
		}
		if n.i >= len(n.in) {
			return false
		}
		var ok bool
		data, ok = n.unescape(data)
		if !ok {
			return false
		}
	}
	trunc := n.has("...")
	if trunc {
		n.i += 3
	}
	valid := utf8.Valid(data)
	switch {
	case valid && !trunc:
		n.out = appendJSONString(n.out, data)
	case valid:
		n.out = append(n.out, `{"string":`...)
		n.out = appendJSONString(n.out, data)
		n.out = append(n.out, `,"truncated":true}`...)
	default:
		n.out = append(n.out, `{"base64":"`...)
		n.out = base64.StdEncoding.AppendEncode(n.out, data)
		n.out = append(n.out, '"')
		if trunc {
			n.out = append(n.out, `,"truncated":true`...)
		}
		n.out = append(n.out, '}')
	}
	return true
}

// unescape undoes one C escape after its backslash.
func (n *notation) unescape(data []byte) ([]byte, bool) {
	c := n.in[n.i]
	n.i++
	switch c {
	case 't':
		return append(data, '\t'), true
	case 'n':
		return append(data, '\n'), true
	case 'v':
		return append(data, '\v'), true
	case 'f':
		return append(data, '\f'), true
	case 'r':
		return append(data, '\r'), true
	case '"', '\\':
		return append(data, c), true
	case 'x':
		if n.i+2 > len(n.in) {
			return data, false
		}
		v, err := strconv.ParseUint(string(n.in[n.i:n.i+2]), 16, 8)
		n.i += 2
		return append(data, byte(v)), err == nil
	}
	if c < '0' || c > '7' {
		return data, false
	}
	v := int(c - '0')
	for k := 0; k < 2 && n.i < len(n.in) && n.in[n.i] >= '0' && n.in[n.i] <= '7'; k++ {
		v = v*8 + int(n.in[n.i]-'0')
		n.i++
	}
	return append(data, byte(v)), v < 256
}

// object reads {name=value, value, ...}.
func (n *notation) object() bool {
	n.i++ // {
	n.out = append(n.out, '{')
	for field := 0; n.peek() != '}'; field++ {
		if field > 0 {
			if !n.has(", ") {
				return false
			}
			n.i += 2
			n.out = append(n.out, ',')
		}
		if n.has("...") {
			n.i += 3
			n.out = append(n.out, `"...":true`...)
			continue
		}
		name := n.fieldName()
		if name == nil {
			name = strconv.AppendInt(nil, int64(field), 10)
		}
		n.out = appendJSONString(n.out, name)
		n.out = append(n.out, ':')
		if !n.value() {
			return false
		}
	}
	n.i++ // }
	n.out = append(n.out, '}')
	return true
}

// braced reads {text} with balanced braces (strings skipped) and writes
// the text inside as a string.
func (n *notation) braced() bool {
	depth, quoted := 0, false
	for j := n.i; j < len(n.in); j++ {
		switch c := n.in[j]; {
		case quoted && c == '\\':
			j++
		case c == '"':
			quoted = !quoted
		case quoted:
		case c == '{':
			depth++
		case c == '}':
			if depth--; depth == 0 {
				n.out = appendJSONString(n.out, n.in[n.i+1:j])
				n.i = j + 1
				return true
			}
		}
	}
	return false
}

// fieldName reads "name=" and returns name, or returns nil and reads
// nothing when the field has no name.
func (n *notation) fieldName() []byte {
	j := n.i
	for j < len(n.in) && (isIdentStart(n.in[j]) || isDigit(n.in[j]) || n.in[j] == '.') {
		j++
	}
	if j == n.i || j >= len(n.in) || n.in[j] != '=' || (j+1 < len(n.in) && n.in[j+1] == '=') {
		return nil
	}
	name := n.in[n.i:j]
	n.i = j + 1
	return name
}

// array reads [a, b, ...] or a set, [INT TERM].
func (n *notation) array() bool {
	n.i++ // [
	n.out = append(n.out, '[')
	for k := 0; n.peek() != ']'; k++ {
		if k > 0 {
			switch {
			case n.has(", "):
				n.i += 2
			case n.peek() == ' ':
				n.i++
			default:
				return false
			}
			n.out = append(n.out, ',')
		}
		if n.has("...") {
			n.i += 3
			n.out = append(n.out, `"..."`...)
			continue
		}
		if !n.value() {
			return false
		}
	}
	n.i++ // ]
	n.out = append(n.out, ']')
	return true
}

// number reads a decimal (a JSON number) or a hex or octal one (a string).
func (n *notation) number() bool {
	j := n.i
	if n.in[j] == '-' {
		j++
	}
	start := j
	for j < len(n.in) && (isDigit(n.in[j]) || isHexLetter(n.in[j]) || n.in[j] == 'x' || n.in[j] == '.') {
		j++
	}
	tok := n.in[n.i:j]
	digits := n.in[start:j]
	if len(digits) == 0 {
		return false
	}
	n.i = j
	if len(digits) > 1 && digits[0] == '0' && digits[1] != '.' {
		if !validRadix(digits) {
			return false
		}
		n.out = appendJSONString(n.out, tok)
		return true
	}
	if !jsonNumber(tok) {
		return false
	}
	if n.peek() == '*' {
		return n.product(tok)
	}
	n.out = append(n.out, tok...)
	return true
}

// product reads the rest of a product strace prints for a round number,
// rlim_cur=8192*1024, and writes its value.
func (n *notation) product(first []byte) bool {
	v, err := strconv.ParseUint(string(first), 10, 64)
	if err != nil {
		return false
	}
	for n.peek() == '*' {
		n.i++
		j := n.i
		for j < len(n.in) && isDigit(n.in[j]) {
			j++
		}
		f, err := strconv.ParseUint(string(n.in[n.i:j]), 10, 64)
		if err != nil {
			return false
		}
		v *= f
		n.i = j
	}
	n.out = strconv.AppendUint(n.out, v, 10)
	return true
}

// jsonNumber reports whether tok is a number as JSON writes one (no
// exponent: strace prints none): -?(0|[1-9][0-9]*)(.[0-9]+)?
func jsonNumber(tok []byte) bool {
	if len(tok) > 0 && tok[0] == '-' {
		tok = tok[1:]
	}
	i := 0
	for i < len(tok) && isDigit(tok[i]) {
		i++
	}
	if i == 0 || i > 1 && tok[0] == '0' {
		return false
	}
	if i == len(tok) {
		return true
	}
	if tok[i] != '.' || i+1 == len(tok) {
		return false
	}
	for _, c := range tok[i+1:] {
		if !isDigit(c) {
			return false
		}
	}
	return true
}

// validRadix reports whether digits (with a leading 0) is hex or octal.
func validRadix(d []byte) bool {
	base := 8
	if d[1] == 'x' {
		base, d = 16, d[2:]
	}
	_, err := strconv.ParseUint(string(d), base, 64)
	return err == nil || len(d) == 0 && base == 8
}

// ident reads a name (a string; NULL is null), or a call of a name:
// makedev(8, 1), htons(80).
func (n *notation) ident() bool {
	j := n.i + 1
	for j < len(n.in) && (isIdentStart(n.in[j]) || isDigit(n.in[j]) || n.in[j] == '.') {
		j++
	}
	name := n.in[n.i:j]
	n.i = j
	if n.peek() != '(' {
		if string(name) == "NULL" {
			n.out = append(n.out, "null"...)
		} else {
			n.out = appendJSONString(n.out, name)
		}
		return true
	}
	n.i++
	n.out = append(n.out, '{')
	n.out = appendJSONString(n.out, name)
	n.out = append(n.out, ":["...)
	for k := 0; n.peek() != ')'; k++ {
		if k > 0 {
			if !n.has(", ") {
				return false
			}
			n.i += 2
			n.out = append(n.out, ',')
		}
		if !n.value() {
			return false
		}
	}
	n.i++ // )
	n.out = append(n.out, "]}"...)
	return true
}

func isDigit(c byte) bool      { return c >= '0' && c <= '9' }
func isHexLetter(c byte) bool  { return c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' }
func isIdentStart(c byte) bool { return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func indexFrom(b []byte, from int, s string) int {
	for i := from; i+len(s) <= len(b); i++ {
		if string(b[i:i+len(s)]) == s {
			return i
		}
	}
	return -1
}

func trimSpaces(b []byte) []byte {
	for len(b) > 0 && b[0] == ' ' {
		b = b[1:]
	}
	for len(b) > 0 && b[len(b)-1] == ' ' {
		b = b[:len(b)-1]
	}
	return b
}

// appendJSONString appends s as a JSON string; bytes that are not UTF-8
// become U+FFFD (strace's text is ASCII, and decoded strings that are not
// UTF-8 go out as base64 instead, so only marks can have them).
func appendJSONString(b []byte, s []byte) []byte {
	const hx = "0123456789abcdef"
	if !utf8.Valid(s) {
		s = bytes.ToValidUTF8(s, []byte("\uFFFD"))
	}
	b = append(b, '"')
	for _, c := range s {
		switch {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c == '\n':
			b = append(b, '\\', 'n')
		case c == '\t':
			b = append(b, '\\', 't')
		case c == '\r':
			b = append(b, '\\', 'r')
		case c < 0x20 || c == 0x7f:
			b = append(b, '\\', 'u', '0', '0', hx[c>>4], hx[c&15])
		default:
			b = append(b, c)
		}
	}
	return append(b, '"')
}
