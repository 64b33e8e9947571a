package main

// TestKVMGuest boots a Debian 12 kernel in QEMU (software emulation, with
// SVM exposed to the guest, so KVM works inside it), runs a tiny VMM
// (testdata/kvm/guest.c) that makes a known number of KVM exits, and checks
// what eproc reports about them (the vmstatus file and the KVM_EXIT lines of
// the strace stream) against the guest's own count and against tracefs.
//
// The helpers in kvm_harness_test.go are generic: kvmKernel fetches a packaged kernel and
// modules, kvmInitramfs packs files and an init script, kvmBoot runs QEMU with
// a hard timeout, kvmSections extracts what the init script printed between
// marker lines. The scenario lives in kvmScenario and TestKVMGuest.
//
// Environment: EPROC_KVM_CACHE (cache directory), EPROC_KVM_KERNEL (a
// linux-image-6.1.0-N-amd64 package to boot instead of the newest),
// EPROC_KVM_TIMEOUT (bound on the QEMU run, 6m by default).
//
// Everything reusable is cached in /var/cache/eproc-kvm (EPROC_KVM_CACHE):
// the kernel .deb and the files taken from it, per kernel version. eproc, the
// guest program and the initramfs are rebuilt on every run.

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
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
`

func TestKVMGuest(t *testing.T) {
	tools := kvmNeed(t)
	cache := kvmCacheDir(t)
	repo, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}

	t0 := time.Now()
	k := kvmKernel(t, tools, cache)
	mods := k.modules(t, tools, kvmModules...)
	t.Logf("kernel %s (%s) and modules %v ready in %v", k.pkg, filepath.Base(k.deb(t, tools)), kvmModNames(mods), time.Since(t0).Round(time.Millisecond))

	run, err := os.MkdirTemp(cache, "run-")
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if t.Failed() {
			// Keep the last failed run's logs for a look.
			last := filepath.Join(cache, "last-failed")
			os.RemoveAll(last)
			os.MkdirAll(last, 0o755)
			for _, f := range []string{"console.log", "results.txt", "init"} {
				kvmCopyFile(filepath.Join(run, f), filepath.Join(last, f))
			}
			t.Logf("console and results kept in %s", last)
		}
		os.RemoveAll(run)
	}()

	t1 := time.Now()
	eproc := filepath.Join(run, "eproc")
	kvmRun(t, repo, []string{"CGO_ENABLED=0"}, tools["go"], "build", "-o", eproc, "./cmd/eproc")
	guest := filepath.Join(run, "guest")
	kvmRun(t, "", nil, tools["gcc"], "-static", "-O2", "-Wall", "-o", guest, filepath.Join("testdata", "kvm", "guest.c"))
	init := kvmInit(mods, "N="+strconv.Itoa(kvmGuestIO)+"\n"+kvmScenario)
	os.WriteFile(filepath.Join(run, "init"), []byte(init), 0o755)
	files := []kvmFile{
		{name: "init", mode: 0o755, data: []byte(init)},
		{name: "bin/busybox", mode: 0o755, src: tools["busybox"]},
		{name: "eproc", mode: 0o755, src: eproc},
		{name: "guest", mode: 0o755, src: guest},
	}
	for _, d := range []string{"proc", "sys", "tmp", "mnt", "root"} {
		files = append(files, kvmFile{name: d, mode: syscall.S_IFDIR | 0o755})
	}
	for _, m := range mods {
		files = append(files, kvmFile{name: "lib/modules/" + m.name + ".ko", mode: 0o644, src: m.path})
	}
	initrd := filepath.Join(run, "initramfs.cpio")
	if err := kvmInitramfs(initrd, files); err != nil {
		t.Fatal(err)
	}
	t.Logf("eproc, guest and initramfs built in %v", time.Since(t1).Round(time.Millisecond))

	timeout := kvmBootTimeout
	if d, err := time.ParseDuration(os.Getenv("EPROC_KVM_TIMEOUT")); err == nil {
		timeout = d
	}
	console, results, err := kvmBoot(t, tools["qemu-system-x86_64"], run, filepath.Join(k.dir, "vmlinuz"), initrd, timeout)
	secs := kvmSections(results)
	if err != nil || !strings.Contains(results, "==== DONE ====") {
		t.Errorf("the guest did not finish (err %v); console tail:\n%s", err, kvmTail(console, 60))
	}
	if n := secs["notes"]; n != "" {
		t.Logf("init notes:\n%s", n)
	}
	if m := regexp.MustCompile(`(?m)^init: (\S+)s after boot`).FindStringSubmatch(console); m != nil {
		t.Logf("init started %ss after the kernel", m[1])
	}
	t.Logf("kernel in the guest: %s", strings.TrimSpace(secs["uname"]))
	t.Logf("kvm:kvm_exit format in the guest:\n%s", secs["kvm_exit_format"])

	t.Logf("kvm_exit events in tracefs, a sample:\n%s", secs["a_trace_sample"])
	t.Run("a_tracefs", func(t *testing.T) { kvmCheckA(secs).report(t) })
	t.Run("b_eproc", func(t *testing.T) { kvmCheckB(secs).report(t) })
}

func kvmModNames(mods []kvmModule) []string {
	var n []string
	for _, m := range mods {
		n = append(n, m.name)
	}
	return n
}

var kvmGuestLineRE = regexp.MustCompile(`(?m)^guest: io=(\d+) hlt=(\d+)$`)

// kvmCheck collects the problems of one part of the scenario, and notes to
// log.
type kvmCheck struct {
	problems, notes []string
}

func (c *kvmCheck) errorf(format string, args ...any) {
	c.problems = append(c.problems, fmt.Sprintf(format, args...))
}

func (c *kvmCheck) logf(format string, args ...any) {
	c.notes = append(c.notes, fmt.Sprintf(format, args...))
}

// report logs the notes and fails t with the problems.
func (c *kvmCheck) report(t *testing.T) {
	t.Helper()
	for _, n := range c.notes {
		t.Log(n)
	}
	for _, p := range c.problems {
		t.Error(p)
	}
}

// guestOut checks the guest program's output (its line and exit=0) and
// returns its io count.
func (c *kvmCheck) guestOut(out string) int {
	m := kvmGuestLineRE.FindStringSubmatch(out)
	if m == nil {
		c.errorf("guest output has no 'guest: io=N hlt=1' line:\n%s", out)
		return -1
	}
	if !strings.Contains(out, "exit=0") {
		c.errorf("guest did not exit 0:\n%s", out)
	}
	io, _ := strconv.Atoi(m[1])
	if io != kvmGuestIO || m[2] != "1" {
		c.errorf("guest counted io=%s hlt=%s, want io=%d hlt=1", m[1], m[2], kvmGuestIO)
	}
	return io
}

// kvmCheckA checks part a: the guest alone, tracefs counting its exits.
func kvmCheckA(secs map[string]string) *kvmCheck {
	c := &kvmCheck{}
	out, ok := secs["a_guest"]
	if !ok {
		c.errorf("part a did not run: no a_guest section")
		return c
	}
	c.guestOut(out)
	tr := kvmCounts(secs["a_trace"])
	c.logf("tracefs kvm_exit counts: %v", tr)
	if tr["io"] != kvmGuestIO {
		c.errorf("tracefs counted %d io exits, want %d", tr["io"], kvmGuestIO)
	}
	if tr["hlt"] != 1 {
		c.errorf("tracefs counted %d hlt exits, want 1", tr["hlt"])
	}
	return c
}

var (
	kvmExitLineRE = regexp.MustCompile(`^(\d+)\s+--- KVM_EXIT \{(.*)\} ---$`)
	kvmFieldRE    = regexp.MustCompile(`(?:^|, )(\w+)=("(?:[^"\\]|\\.)*"|[^,]*)`)
	kvmHangupRE   = regexp.MustCompile(`(?m)^Traced ~(\d+) syscs, Dropped (\d+)$`)
	kvmRunRE      = regexp.MustCompile(`ioctl\(\d+, (KVM_RUN|_IOC\(_IOC_NONE, 0xae, 0x80, 0\))`)
)

// kvmCheckB checks part b: eproc's vmstatus and stream against the guest's
// own count and tracefs's.
func kvmCheckB(secs map[string]string) *kvmCheck {
	c := &kvmCheck{}
	if _, ok := secs["b_guest"]; !ok {
		c.errorf("part b did not run (eproc mount not ready?); eproc log:\n%s", secs["eproc_log"])
		return c
	}
	c.logf("times (guest uptime): %s", strings.TrimSpace(secs["b_times"]))
	pid := strings.TrimSpace(secs["b_pid"])
	guestIO := c.guestOut(secs["b_guest"])

	tr := kvmCounts(secs["b_trace"])
	delete(tr, "total")
	c.logf("tracefs kvm_exit counts: %v", tr)
	if tr["io"] != kvmGuestIO {
		c.errorf("tracefs counted %d io exits, want %d", tr["io"], kvmGuestIO)
	}
	trN := kvmNormCounts(tr)

	// vmstatus: a JSON object from exit reason to count.
	raw := strings.TrimSpace(secs["b_vmstatus"])
	var vm map[string]int
	if err := json.Unmarshal([]byte(raw), &vm); err != nil {
		c.errorf("vmstatus is not a JSON object of counts (%v): %q", err, raw)
	} else {
		c.logf("vmstatus: %s", raw)
		vmN := kvmNormCounts(vm)
		if vmN["io"] != kvmGuestIO || vmN["io"] != guestIO {
			c.errorf("vmstatus io = %d, want %d (the guest counted %d)", vmN["io"], kvmGuestIO, guestIO)
		}
		for _, r := range kvmSortedKeys(vmN, trN) {
			if vmN[r] != trN[r] {
				c.errorf("exit reason %s: vmstatus %d, tracefs %d", r, vmN[r], trN[r])
			}
		}
	}

	// The stream: KVM_EXIT lines per reason, KVM_RUN ioctls, the hang-up line.
	stream := secs["b_strace"]
	c.logf("strace stream (lines, bytes): %s; cat: %s", strings.TrimSpace(secs["b_strace_size"]), strings.TrimSpace(secs["b_strace_err"]))
	if ls := strings.Split(stream, "\n"); len(ls) > 0 {
		// An excerpt: the first exits, and the end.
		first := 0
		for i, l := range ls {
			if strings.Contains(l, "KVM_EXIT") {
				first = max(0, i-4)
				break
			}
		}
		c.logf("stream excerpt:\n%s\n...\n%s", strings.Join(ls[first:min(len(ls), first+12)], "\n"), strings.Join(ls[max(0, len(ls)-8):], "\n"))
	}
	exits := map[string]int{}
	runs, badPid, malformed := 0, 0, 0
	// The exit that returns to the VMM (io, hlt) comes right before the
	// KVM_RUN it ends: one per KVM_RUN line.
	userExits, misordered := 0, 0
	// The guest's io exits, as SVM reports them: `out dx, ax` at 0x100a,
	// info1 = port 0x10 << 16 | 16-bit (0x20) | out (0), info2 = next rip.
	wantIO := map[string]string{"vcpu": "0", "isa": "svm", "rip": "0x100a", "info1": "0x100020", "info2": "0x100b"}
	badFields := 0
	for _, line := range strings.Split(stream, "\n") {
		if m := kvmExitLineRE.FindStringSubmatch(line); m != nil {
			if m[1] != pid {
				badPid++
			}
			f := kvmExitFields(m[2])
			if r, ok := f["reason"]; ok {
				exits[r]++
				switch kvmReason(r) {
				case "io":
					userExits++
					for k, v := range wantIO {
						if f[k] != v {
							if badFields++; badFields <= 3 {
								c.errorf("io KVM_EXIT line: %s=%s, want %s (tracefs shows %s): %s", k, f[k], v, v, line)
							}
						}
					}
				case "hlt":
					userExits++
					if f["rip"] != "0x100e" {
						c.errorf("hlt KVM_EXIT line: rip=%s, want 0x100e: %s", f["rip"], line)
					}
				}
				continue
			}
		}
		if strings.Contains(line, "KVM_EXIT") {
			if malformed++; malformed <= 5 {
				c.errorf("malformed KVM_EXIT line: %q", line)
			}
		}
		if kvmRunRE.MatchString(line) && !strings.Contains(line, "resumed>") {
			runs++
			if userExits != 1 {
				if misordered++; misordered <= 3 {
					c.errorf("KVM_RUN line #%d follows %d io/hlt KVM_EXIT lines since the previous one, want 1: %s", runs, userExits, line)
				}
			}
			userExits = 0
		}
	}
	if misordered > 3 {
		c.errorf("%d KVM_RUN lines in all not preceded by exactly one io/hlt KVM_EXIT line", misordered)
	}
	if badFields > 3 {
		c.errorf("%d wrong fields in io KVM_EXIT lines in all", badFields)
	}
	c.logf("stream: KVM_EXIT lines per reason %v, KVM_RUN ioctls %d", exits, runs)
	if malformed > 5 {
		c.errorf("%d malformed KVM_EXIT lines in all", malformed)
	}
	if badPid > 0 {
		c.errorf("%d KVM_EXIT lines do not carry the guest's pid %s", badPid, pid)
	}
	exN := kvmNormCounts(exits)
	if exN["io"] != kvmGuestIO {
		c.errorf("stream has %d KVM_EXIT lines with reason=io, want %d", exN["io"], kvmGuestIO)
	}
	for _, r := range kvmSortedKeys(exN, trN) {
		if exN[r] != trN[r] {
			c.errorf("exit reason %s: %d KVM_EXIT lines in the stream, tracefs %d", r, exN[r], trN[r])
		}
	}
	// Every io exit and the hlt exit return to the VMM: one KVM_RUN each.
	if runs < kvmGuestIO+1 {
		c.errorf("stream has %d ioctl KVM_RUN lines, want at least %d", runs, kvmGuestIO+1)
	}
	if m := kvmHangupRE.FindStringSubmatch(stream); m == nil {
		c.errorf("stream has no 'Traced ~N syscs, Dropped M' line; its tail:\n%s", kvmTail(stream, 20))
	} else if m[2] != "0" {
		c.errorf("stream: Dropped %s, want 0", m[2])
	}
	if len(c.problems) > 0 {
		c.logf("eproc log:\n%s", kvmTail(secs["eproc_log"], 40))
		var ex []string
		for _, line := range strings.Split(stream, "\n") {
			if strings.Contains(line, "KVM_EXIT") && len(ex) < 10 {
				ex = append(ex, line)
			}
		}
		c.logf("stream head:\n%s\nfirst KVM_EXIT lines:\n%s\nstream tail:\n%s",
			kvmHead(stream, 20), strings.Join(ex, "\n"), kvmTail(stream, 10))
	}
	return c
}

// kvmExitFields parses the key=value list of a KVM_EXIT line; quoted values
// ("PF excp") are unquoted.
func kvmExitFields(s string) map[string]string {
	f := map[string]string{}
	for _, m := range kvmFieldRE.FindAllStringSubmatch(s, -1) {
		v := m[2]
		if u, err := strconv.Unquote(v); err == nil && strings.HasPrefix(v, `"`) {
			v = u
		}
		f[m[1]] = v
	}
	return f
}

func kvmHead(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	if len(lines) > n {
		lines = lines[:n]
	}
	return strings.Join(lines, "\n")
}

func kvmTail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
