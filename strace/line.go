package strace

// LineFormatter prints one event at a time as a line of its own, strace's
// line for it with nothing carried over from the events before: a call
// that returned is its whole line (never `<... resumed>`), a call only
// entered is its entry ending in " <unfinished ...>". It is for sinks that
// ship each event apart from the others (OTLP's log records); Text, the
// stream's own text, is not changed by it. Not safe for concurrent use.
type LineFormatter struct {
	t *Text
}

// NewLineFormatter returns a formatter with strace's options opt (-c's
// Summary is ignored: every event gets its line).
func NewLineFormatter(opt Options) *LineFormatter {
	opt.Summary = false
	return &LineFormatter{t: NewText(opt, nil)}
}

// AppendLine appends ev's line, without a newline, to dst. An event that
// has no line of its own (a fork, an exec: the execve's call has it)
// appends nothing; a mark of several lines appends them joined by '\n'.
func (f *LineFormatter) AppendLine(dst []byte, ev *Event) []byte {
	t := f.t
	t.reset()
	t.Event(ev)
	t.closeOpen()
	b := t.p.b
	if n := len(b); n > 0 && b[n-1] == '\n' {
		b = b[:n-1]
	}
	dst = append(dst, b...)
	t.reset()
	return dst
}

// reset forgets every line and what they left to follow.
func (t *Text) reset() {
	t.p.b = t.p.b[:0]
	t.p.lineStart = 0
	t.open = false
	if len(t.unfinished) > 0 {
		clear(t.unfinished)
	}
	t.shownCalls, t.shownOther = 0, 0
}
