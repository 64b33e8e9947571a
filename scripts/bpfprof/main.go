// Command bpfprof maps sampled instruction addresses to the source lines of
// the loaded BPF programs, for profiling eproc's programs on the syscall
// path (perf cannot annotate JITed BPF without libopcodes). Run it while
// the programs are loaded, with perf's sample addresses on stdin:
//
//	perf record -a -o p.data -- sleep 2   # while a traced workload runs
//	perf script -i p.data --comm dd -F ip | go run ./scripts/bpfprof
//
// It prints the lines that took the most samples, as a share of all the
// samples read (those outside BPF included). The attribution is perf's:
// a sample often lands on the instruction after a slow one (a call's
// return, a cache miss). With -xl NAME it prints program NAME's
// instructions as the kernel translated them (helpers inlined or called).
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"sort"
	"strconv"
	"strings"

	"github.com/cilium/ebpf"
)

// span: from addr to the next span's start, a source line of function fn
// ("" with line "END": past a function's JITed code).
type span struct {
	addr uint64
	fn   string
	line string
}

func main() {
	xl := flag.String("xl", "", "print this program's translated instructions instead")
	top := flag.Int("n", 60, "lines to print")
	flag.Parse()
	if *xl != "" {
		if err := translated(*xl, os.Stdout); err != nil {
			log.Fatal(err)
		}
		return
	}
	spans, err := loadedSpans()
	if err != nil {
		log.Fatal(err)
	}
	counts, total := attribute(spans, os.Stdin)
	report(os.Stdout, counts, total, *top)
}

// eachProgram calls f with every loaded program's info until f says stop.
func eachProgram(f func(*ebpf.ProgramInfo) bool) error {
	var id ebpf.ProgramID
	for {
		next, err := ebpf.ProgramGetNextID(id)
		if errors.Is(err, os.ErrNotExist) {
			return nil
		}
		if err != nil {
			return err
		}
		id = next
		p, err := ebpf.NewProgramFromID(id)
		if err != nil {
			continue // gone meanwhile
		}
		info, err := p.Info()
		p.Close()
		if err == nil && !f(info) {
			return nil
		}
	}
}

// loadedSpans: the JITed address of every line info of every loaded
// program, and each function's end, sorted.
func loadedSpans() ([]span, error) {
	var spans []span
	err := eachProgram(func(info *ebpf.ProgramInfo) bool {
		addrs, _ := info.JitedLineInfos()
		lines, err := info.LineInfos()
		if err != nil || len(addrs) == 0 {
			return true
		}
		for i, lo := range lines {
			if i >= len(addrs) {
				break
			}
			txt := "?"
			if lo.Line != nil {
				txt = fmt.Sprintf("%d: %s", lo.Line.LineNumber(), strings.TrimSpace(lo.Line.Line()))
			}
			spans = append(spans, span{addrs[i], info.Name, txt})
		}
		syms, _ := info.JitedKsymAddrs()
		lens, _ := info.JitedFuncLens()
		for k := range syms {
			if k < len(lens) {
				spans = append(spans, span{uint64(syms[k]) + uint64(lens[k]), "", "END"})
			}
		}
		return true
	})
	sort.Slice(spans, func(a, b int) bool { return spans[a].addr < spans[b].addr })
	return spans, err
}

// attribute counts the addresses read from r (hex, one per line) by the
// source line they fall in; total counts them all.
func attribute(spans []span, r io.Reader) (map[string]int, int) {
	counts := map[string]int{}
	total := 0
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) == 0 {
			continue
		}
		ip, err := strconv.ParseUint(f[0], 16, 64)
		if err != nil {
			continue
		}
		total++
		k := sort.Search(len(spans), func(j int) bool { return spans[j].addr > ip }) - 1
		if k < 0 || spans[k].line == "END" || ip-spans[k].addr > 4096 {
			continue
		}
		counts[spans[k].fn+" "+spans[k].line]++
	}
	return counts, total
}

func report(w io.Writer, counts map[string]int, total, top int) {
	type line struct {
		key string
		n   int
	}
	var lines []line
	inBPF := 0
	for k, n := range counts {
		lines = append(lines, line{k, n})
		inBPF += n
	}
	sort.Slice(lines, func(a, b int) bool { return lines[a].n > lines[b].n })
	fmt.Fprintf(w, "samples %d, in BPF %d\n", total, inBPF)
	for i, l := range lines {
		if i >= top {
			break
		}
		fmt.Fprintf(w, "%5d %5.2f%% %s\n", l.n, 100*float64(l.n)/float64(max(total, 1)), l.key)
	}
}

// translated prints program name's instructions as the kernel holds them.
func translated(name string, w io.Writer) error {
	found := false
	err := eachProgram(func(info *ebpf.ProgramInfo) bool {
		if info.Name != name {
			return true
		}
		found = true
		insns, err := info.Instructions()
		if err != nil {
			fmt.Fprintln(w, err)
			return false
		}
		for i, ins := range insns {
			fmt.Fprintf(w, "%d: %v\n", i, ins)
		}
		return false
	})
	if err == nil && !found {
		err = fmt.Errorf("no loaded program %q", name)
	}
	return err
}
