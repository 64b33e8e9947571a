package strace

import "testing"

func TestParseQuiet(t *testing.T) {
	for in, want := range map[string]uint8{
		"attach":                 QuietAttach,
		"exit,personality":       QuietExit | QuietPersonality,
		"exits,superseded":       QuietExit | QuietThreadExecve,
		"thread-execve":          QuietThreadExecve,
		"path-resolution,Attach": QuietPathResolve | QuietAttach,
		"all":                    QuietQQQ,
		"none":                   0,
		"!exit":                  QuietQQQ &^ QuietExit,
		"!all":                   0,
	} {
		got, err := ParseQuiet(in)
		if err != nil || got != want {
			t.Errorf("ParseQuiet(%q) = %#x, %v; want %#x", in, got, err, want)
		}
	}
	if _, err := ParseQuiet("bogus"); err == nil || err.Error() != "invalid quiet 'bogus'" {
		t.Errorf("ParseQuiet(bogus): %v", err)
	}
	if QuietLevel(1) != QuietAttach|QuietPersonality || QuietLevel(2) != QuietLevel(1)|QuietExit || QuietLevel(5) != QuietQQQ {
		t.Error("QuietLevel: not strace's -q, -qq, -qqq sets")
	}
}
