package main

// TestKVMGuest boots a Debian 12 kernel in QEMU (software emulation, with
// SVM exposed to the guest, so KVM works inside it), runs a tiny VMM
// (testdata/kvm/guest.c) that makes a known number of KVM exits, and checks
// what eproc reports about them (the vmstatus file and the KVM_EXIT lines of
// the strace stream) against the guest's own count and against tracefs.
//
// The guest lab is internal/kvmguest (kernel and modules, initramfs, QEMU,
// the results' sections; its doc lists the environment variables). The
// scenario lives here, in kvmScenario and TestKVMGuest; its checks in
// kvm_check_test.go. eproc, the guest program and the initramfs are rebuilt
// on every run.

import (
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/eproc/eproc/cmd/eproc/internal/kvmguest"
)

const (
	// kvmGuestIO is the number of `out` instructions the guest executes.
	kvmGuestIO = 1000
)

// kvmModules are loaded in the guest, after their dependencies.
var kvmModules = []string{"kvm_amd", "fuse"}

// kvmScenario is the body of /init. Part a runs the guest without eproc and
// counts kvm_exit events with tracefs; part b runs it traced by eproc's view
// while tracefs counts again, as the oracle.
const kvmScenario = `
section uname uname -a
section btf ls /sys/kernel/btf
section kvm_exit_format cat $T/events/kvm/kvm_exit/format
tracecounts() {
	grep -c ' kvm_exit: ' $T/trace | sed 's/^/total /'
	sed -n 's/.* kvm_exit: .* reason \(.*\) rip 0x.*/\1/p' $T/trace | sort | uniq -c
}
[ -e /dev/kvm ] || note "no /dev/kvm"
echo 1 > $T/events/kvm/kvm_exit/enable || note "cannot enable kvm:kvm_exit"

# a: the guest alone; tracefs counts its exits.
echo > $T/trace
/guest $N > /tmp/a.out 2>&1 &
pid=$!
waitfor 60 grep -q '^guest:' /tmp/a.out || note "a: no guest: line after 60 s"
kill -USR1 $pid; wait $pid; echo "exit=$?" >> /tmp/a.out
section a_guest cat /tmp/a.out
section a_trace tracecounts
section a_trace_sample sh -c "grep ' kvm_exit: ' $T/trace | head -5; grep ' kvm_exit: .* reason io ' $T/trace | tail -2"

# b: the guest traced by eproc (straceall in its directory, then exec).
mkdir -p /mnt/eproc
t0=$(cut -d' ' -f1 /proc/uptime)
/eproc mount /mnt/eproc > /tmp/eproc.log 2>&1 &
eproc=$!
if waitfor 240 test -e /mnt/eproc/self; then
	echo "eproc mount ready: $t0 -> $(cut -d' ' -f1 /proc/uptime) s" > /tmp/b.times
	echo > $T/trace
	sh -c 'echo straceall > /mnt/eproc/$$/ctl && exec /guest '$N > /tmp/b.out 2>&1 &
	pid=$!
	echo $pid > /tmp/b.pid
	waitfor 30 grep -q StraceSession /mnt/eproc/$pid/status || note "b: no StraceSession in /mnt/eproc/$pid/status after 30 s"
	cat /mnt/eproc/$pid/strace > /tmp/strace.out 2>/tmp/strace.err &
	cat=$!
	waitfor 120 grep -q '^guest:' /tmp/b.out || note "b: no guest: line after 120 s"
	cat /mnt/eproc/$pid/vmstatus > /tmp/vmstatus 2>&1 || echo "exit=$?" >> /tmp/vmstatus
	kill -USR1 $pid; wait $pid; echo "exit=$?" >> /tmp/b.out
	waitfor 120 sh -c "! kill -0 $cat" || { note "b: cat strace still running 120 s after the guest exited"; kill $cat; }
	wait $cat; echo "cat exit=$?" >> /tmp/strace.err
	echo "guest done: $(cut -d' ' -f1 /proc/uptime) s" >> /tmp/b.times
	section b_pid cat /tmp/b.pid
	section b_vmstatus cat /tmp/vmstatus
	section b_guest cat /tmp/b.out
	section b_trace tracecounts
	section b_strace_err cat /tmp/strace.err
	section b_strace_size wc -lc /tmp/strace.out
	# All of it unless huge; then only the lines the checks read.
	if [ "$(wc -c < /tmp/strace.out)" -gt 8000000 ]; then
		section b_strace grep -E 'KVM_EXIT|ioctl\(|^Traced|\+\+\+' /tmp/strace.out
	else
		section b_strace cat /tmp/strace.out
	fi
	section b_times cat /tmp/b.times
else
	note "b: eproc mount not ready after 240 s"
fi
kill $eproc 2>/dev/null
waitfor 20 sh -c "! kill -0 $eproc" || note "eproc did not exit on SIGTERM"
section eproc_log cat /tmp/eproc.log

# k: -k's program (stack_exit, loaded when a session first asks) and -T's
# (sys_enter, with the entry captures in it) verify on this kernel too.
/eproc trace --no-daemon -k -T -e trace=write -o /tmp/k.out /bin/sh -c 'echo stack' > /dev/null 2> /tmp/k.err
echo "exit=$?" >> /tmp/k.err
section k_stack cat /tmp/k.out /tmp/k.err
`

func TestKVMGuest(t *testing.T) {
	lab := kvmguest.New(t, kvmguest.AMD64)
	repo, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	k := lab.Kernel(kvmModules...)

	t1 := time.Now()
	run := lab.RunDir()
	eproc := filepath.Join(run, "eproc")
	kvmguest.Run(t, repo, []string{"CGO_ENABLED=0"}, lab.Tools["go"], "build", "-o", eproc, "./cmd/eproc")
	guest := filepath.Join(run, "guest")
	kvmguest.Run(t, "", nil, lab.Tools["gcc"], "-static", "-O2", "-Wall", "-o", guest, filepath.Join("testdata", "kvm", "guest.c"))
	initrd := lab.Initramfs(k, "N="+strconv.Itoa(kvmGuestIO)+"\n"+kvmScenario,
		kvmguest.File{Name: "eproc", Mode: 0o755, Src: eproc},
		kvmguest.File{Name: "guest", Mode: 0o755, Src: guest})
	t.Logf("eproc, guest and initramfs built in %v", time.Since(t1).Round(time.Millisecond))

	res := lab.Boot(k, initrd)
	if !res.Done() {
		t.Errorf("the guest did not finish (err %v); console tail:\n%s", res.Err, kvmguest.Tail(res.Console, 60))
	}
	secs := res.Sections
	t.Logf("kernel in the guest: %s", strings.TrimSpace(secs["uname"]))
	t.Logf("kvm:kvm_exit format in the guest:\n%s", secs["kvm_exit_format"])

	t.Logf("kvm_exit events in tracefs, a sample:\n%s", secs["a_trace_sample"])
	t.Run("a_tracefs", func(t *testing.T) { kvmCheckA(secs).Report(t) })
	t.Run("b_eproc", func(t *testing.T) { kvmCheckB(secs).Report(t) })
	t.Run("k_stack", func(t *testing.T) {
		k := secs["k_stack"]
		t.Logf("eproc trace -k -T in the guest (Linux 6.1's verifier loaded stack_exit and sys_enter):\n%s", k)
		if !strings.Contains(k, `write(1, "stack\n", 6)`) || !strings.Contains(k, "= 6 <0.") || !strings.Contains(k, "\n > ") || !strings.Contains(k, "exit=0") {
			t.Errorf("eproc trace -k in the guest:\n%s", k)
		}
	})
}
