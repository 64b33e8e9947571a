package strace

import "github.com/eproc/eproc/loader/wire"

// printArray prints argument i, an array of count elements of size bytes
// each, as strace's print_array does: "[e0, e1]"; abbreviated after
// strsize elements ("...", unless -v); up to the first element that could not be
// read ("[e0, ... /* 0xADDR */]", the capture being partial: wire.CapPart);
// its address when not even the first could be, when count elements
// overrun the address space, or when the call is not verbose (-e
// verbose=); NULL as NULL, no elements as "[]". elem
// prints element k's bytes, or returns false to end the array there (it
// printed why, as strace's print functions do); the capture must hold the
// elements (and the one past the abbreviation, which strace reads before
// it abbreviates).
func printArray(p *printer, c *Call, i int, size, count uint64, elem func(p *printer, k uint64, b []byte) bool) {
	printArrayAt(p, c.Args[i], c.Cap(i, 0), size, count, elem)
}

// printArrayAt is printArray of the array at addr, captured as cp (nil:
// not captured), wherever its address and capture come from. It returns
// what print_array returns: whether the array was printed to its end (or
// abbreviated, or ended by elem), not NULL, empty, an address or cut
// before an element that could not be read.
func printArrayAt(p *printer, addr uint64, cp *wire.Cap, size, count uint64, elem func(p *printer, k uint64, b []byte) bool) bool {
	switch {
	case addr == 0:
		p.s("NULL")
		return false
	case count == 0:
		p.s("[]")
		return false
	case size == 0 || count > ^uint64(0)/size || addr+count*size <= addr, !p.verbose():
		// Not verbose (-e verbose=): strace's fetch (tfetch_mem) reads
		// nothing, and print_array prints the address.
		p.ptr(addr)
		return false
	}
	if cp == nil || cp.Fault() && !cp.Part() || uint64(len(cp.Data)) < size {
		p.ptr(addr)
		return false
	}
	d := cp.Data
	whole := true
	p.c('[')
	for k := uint64(0); k < count; k++ {
		if k > 0 {
			p.s(", ")
		}
		if (k+1)*size > uint64(len(d)) {
			if cp.Part() {
				p.s("... /* ")
				p.x(addr + k*size)
				p.s(" */")
				whole = false
			} else {
				p.s("...") // not captured (strace would have read it)
			}
			break
		}
		if k == uint64(p.strsize) && p.abbrev() {
			p.s("...")
			break
		}
		if !elem(p, k, d[k*size:(k+1)*size]) {
			break
		}
	}
	p.c(']')
	return whole
}
