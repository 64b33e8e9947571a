package strace

// strace -k: a call's stack trace follows its line, a frame a line, as
// strace prints it (unwind.Frame.AppendLine), without the pid prefix.
// The decoder turns an EV_STACK record into the frames (strace/unwind);
// the record comes after its call's, and another thread's line may come
// between them (its record reached the ring first): the trace then
// follows that line, as it would in strace -f's output had that thread's
// line been printed first.

// stacked prints the frames of the call (or signal: wire.StackSignal)
// tid printed last, if it is the one they are of: a call left out (a
// status filter, -P) prints none.
func (t *Text) stacked(s *Stack) {
	nr, ok := t.stackDue[s.Tid]
	if !ok || nr != s.Nr {
		return
	}
	delete(t.stackDue, s.Tid)
	t.closeOpen()
	for i := range s.Frames {
		t.p.b = s.Frames[i].AppendLine(t.p.b)
		t.p.lineStart = len(t.p.b)
	}
}
