package stracetest

import "testing"

func TestSameLine(t *testing.T) {
	ta := Tasks{832: "TRACER", 900: "P1", 901: "P1.1", 1200: "P3"}
	tb := Tasks{1000: "TRACER", 1100: "P1", 11001: "P1.1", 784: "P2", 1300: "P3"}
	for _, tc := range []struct {
		a, b string
		want bool
	}{
		// A size that is a task id in one run only.
		{`read(3, "\177ELF", 832) = 832`, `read(3, "\177ELF", 832) = 832`, true},
		{`pread64(3, "", 784, 64) = 784`, `pread64(3, "", 784, 64) = 784`, true},
		{`read(3, "", 832) = 832`, `read(3, "", 832) = 831`, false},
		// Task ids told apart by name, the padding by their digits.
		{`getppid()     = 832`, `getppid()    = 1000`, true},
		{`wait4(901, NULL, 0, NULL) = 901`, `wait4(11001, NULL, 0, NULL) = 11001`, true},
		{`wait4(901, NULL, 0, NULL)  = 901`, `wait4(11001, NULL, 0, NULL) = 11001`, true},
		{`kill(1200, SIGTERM)  = 0`, `kill(1300, SIGTERM) = 0`, false},
		{`kill(1200, SIGTERM) = 0`, `kill(1300, SIGTERM) = 0`, true},
		{`900   exit(0) = ?`, `11001 exit(0) = ?`, false},
		{`901   exit(0) = ?`, `11001 exit(0) = ?`, true},
		{`901   exit(0)  = ?`, `11001 exit(0) = ?`, true},
		{`wait4(900, NULL, 0, NULL) = 900`, `wait4(11001, NULL, 0, NULL) = 11001`, false},
		{`kill(900, SIGKILL) = 0`, `kill(1000, SIGKILL) = 0`, false},
		// Equal text, but the same number is two different tasks.
		{`kill(784, SIGTERM) = 0`, `kill(784, SIGTERM) = 0`, true},
		{`kill(900, SIGTERM) = 0`, `kill(900, SIGTERM) = 0`, true},
		{`kill(901, SIGTERM) = 0`, `kill(901, SIGTERM) = 0`, true},
		// Padding without a renamed task is compared.
		{`close(3)   = 0`, `close(3) = 0`, false},
		{`close(3, 832)   = 0`, `close(3, 832) = 0`, false},
		{`x(1) = 0`, `x(1, 2) = 0`, false},
	} {
		if got := SameLine(tc.a, tc.b, ta, tb); got != tc.want {
			t.Errorf("SameLine(%q, %q) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
	tb[901] = "P2"
	if SameLine(`kill(901, SIGTERM) = 0`, `kill(901, SIGTERM) = 0`, ta, tb) {
		t.Error("901 is P1.1 in one run and P2 in the other: not the same line")
	}
}
