package loader

import (
	"bytes"
	"os"
	"testing"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"
)

// TestStackDepth61 checks, without a Linux 6.1 guest, what 6.1's verifier
// refuses and newer ones accept: a program whose call chain (the program
// and the BPF functions it calls, global ones included) needs more than
// 512 bytes of stack, each function's stack rounded up to 32 bytes
// (check_max_stack_depth: "combined stack size of N calls is M. Too
// large"). sys_exit -> capture_at -> put_msghdr -> put_mem is the deepest.
// bpf_loop callbacks are counted as calls (6.1 does not; newer kernels may).
// Both architectures' objects, as committed.
func TestStackDepth61(t *testing.T) {
	for obj, spec := range committedSpecs(t) {
		for name, p := range spec.Programs {
			depth, chain := maxChain(p.Instructions)
			if depth > 512 {
				t.Errorf("%s: program %s: call chain %v needs %d bytes of stack (Linux 6.1: at most 512)", obj, name, chain, depth)
			}
			if name == "sys_exit" {
				t.Logf("%s: sys_exit's deepest chain %v: %d bytes", obj, chain, depth)
			}
		}
	}
}

// TestSmallFrames: the functions that read user memory for sys_exit's
// commonest captures, put_mem and capture_mem, keep their frames under 64
// bytes as the verifier counts them (rounded up to 16). From Linux 6.13 a
// tracing program's function with a larger frame runs on a per-CPU stack
// of its own, and hardened usercopy checks a read into it as a heap
// object: ~20 ns a read more (bpf/eproc.c, put_mem).
func TestSmallFrames(t *testing.T) {
	for obj, spec := range committedSpecs(t) {
		fns, _ := frames(spec.Programs["sys_exit"].Instructions)
		for _, name := range []string{"put_mem", "capture_mem"} {
			f := fns[name]
			if f == nil {
				t.Fatalf("%s: sys_exit calls no %s", obj, name)
			}
			if n := (f.stack + 15) &^ 15; n >= 64 {
				t.Errorf("%s: %s's frame is %d bytes (%d as the verifier counts it): a read into it costs a heap object's check", obj, name, f.stack, n)
			}
		}
	}
}

// committedSpecs are both architectures' objects, as committed, by file.
func committedSpecs(t *testing.T) map[string]*ebpf.CollectionSpec {
	specs := map[string]*ebpf.CollectionSpec{}
	for _, obj := range []string{"eproc_x86_bpfel.o", "eproc_arm64_bpfel.o"} {
		b, err := os.ReadFile(obj)
		if err != nil {
			t.Fatal(err)
		}
		if specs[obj], err = ebpf.LoadCollectionSpecFromReader(bytes.NewReader(b)); err != nil {
			t.Fatal(err)
		}
	}
	return specs
}

// frame is a function's own stack and the functions it calls.
type frame struct {
	stack int
	calls []string
}

// maxChain is the deepest stack of insns' call chains, as 6.1 counts it,
// and the functions on it.
func maxChain(insns asm.Instructions) (int, []string) {
	fns, order := frames(insns)
	var walk func(name string, seen map[string]bool) (int, []string)
	walk = func(name string, seen map[string]bool) (int, []string) {
		f := fns[name]
		if f == nil || seen[name] {
			return 0, nil
		}
		seen[name] = true
		defer delete(seen, name)
		best, bestChain := 0, []string(nil)
		for _, c := range f.calls {
			if d, ch := walk(c, seen); d > best {
				best, bestChain = d, ch
			}
		}
		own := (max(f.stack, 1) + 31) &^ 31
		return own + best, append([]string{name}, bestChain...)
	}
	if len(order) == 0 {
		return 0, nil
	}
	return walk(order[0], map[string]bool{})
}

// frames splits insns into functions at their symbols: each one's own
// stack (the deepest slot it touches) and calls, and their order.
func frames(insns asm.Instructions) (map[string]*frame, []string) {
	fns := map[string]*frame{}
	var order []string
	var cur *frame
	fromFP := map[asm.Register]bool{}
	for _, ins := range insns {
		if sym := ins.Symbol(); sym != "" {
			cur = &frame{}
			fns[sym] = cur
			order = append(order, sym)
			fromFP = map[asm.Register]bool{}
		}
		if cur == nil {
			continue
		}
		// A bpf_loop callback counts as a call from where its address
		// is taken: 6.1 does not count it, newer kernels may (its frame
		// is on the stack below the helper's caller's).
		if ins.IsFunctionReference() && ins.Reference() != "" {
			cur.calls = append(cur.calls, ins.Reference())
		}
		var off int
		switch {
		case ins.OpCode.Class().IsLoad() && ins.Src == asm.R10,
			ins.OpCode.Class().IsStore() && ins.Dst == asm.R10:
			off = -int(ins.Offset)
		case ins.OpCode.Class().IsALU() && ins.OpCode.ALUOp() == asm.Mov && ins.OpCode.Source() == asm.RegSource:
			fromFP[ins.Dst] = ins.Src == asm.R10
		case ins.OpCode.Class().IsALU() && ins.OpCode.ALUOp() == asm.Add && ins.OpCode.Source() == asm.ImmSource && fromFP[ins.Dst]:
			off = -int(ins.Constant)
		default:
			if ins.OpCode.Class().IsALU() || ins.OpCode.Class().IsLoad() {
				delete(fromFP, ins.Dst)
			}
		}
		cur.stack = max(cur.stack, off)
	}
	return fns, order
}
