// Command genioctlnames writes, to stdout, the names strace 6.1 gives the
// ioctl requests of some _IOC types (its ioctlent table), from its
// src/linux/64/ioctls_inc.h and src/linux/x86_64/ioctls_arch0.h, sorted
// and deduplicated as its ioctlsort does:
//
//	go run ./strace/internal/genioctlnames TYPES ioctls_inc.h ioctls_arch0.h | gofmt > strace/zioctlnames_a.go
//
// TYPES is a comma-separated list of _IOC types (0x03,0x12,...).
package main

import (
	"bufio"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

type ent struct {
	info, name        string
	dir, typeNr, size uint32
	del               bool
}

var re = regexp.MustCompile(`^\{ "([^"]*)", "([^"]*)", ([^,]*), (0x[0-9a-fA-F]+|0), (0x[0-9a-fA-F]+|0) \},`)

func num(s string) uint32 {
	v, err := strconv.ParseUint(s, 0, 32)
	if err != nil {
		panic(s)
	}
	return uint32(v)
}

func dir(s string) uint32 {
	var d uint32
	for _, p := range strings.Split(s, "|") {
		switch strings.TrimSpace(p) {
		case "0", "_IOC_NONE":
		case "_IOC_READ":
			d |= 2
		case "_IOC_WRITE":
			d |= 1
		default:
			panic(s)
		}
	}
	return d
}

func isPrefix(a, b string) bool { return strings.HasPrefix(b, a) }

func main() {
	var es []ent
	for _, f := range os.Args[2:] {
		fh, err := os.Open(f)
		if err != nil {
			panic(err)
		}
		sc := bufio.NewScanner(fh)
		for sc.Scan() {
			m := re.FindStringSubmatch(sc.Text())
			if m == nil {
				continue
			}
			es = append(es, ent{info: m[1], name: m[2], dir: dir(m[3]), typeNr: num(m[4]), size: num(m[5])})
		}
	}
	sort.SliceStable(es, func(i, j int) bool {
		a, b := es[i], es[j]
		if a.name != b.name {
			return a.name < b.name
		}
		if isPrefix("asm/", a.info) && isPrefix("asm-generic/", b.info) {
			return true
		}
		if isPrefix("asm/", b.info) && isPrefix("asm-generic/", a.info) {
			return false
		}
		return a.info < b.info
	})
	for i := 1; i < len(es); i++ {
		if es[i-1].name == es[i].name {
			es[i].del = true
		}
	}
	code := func(e ent) uint32 { return e.typeNr | e.size<<16 | e.dir<<30 }
	var keep []ent
	for _, e := range es {
		if !e.del {
			keep = append(keep, e)
		}
	}
	sort.SliceStable(keep, func(i, j int) bool {
		a, b := keep[i], keep[j]
		if code(a) != code(b) {
			return code(a) < code(b)
		}
		return a.name < b.name
	})
	types := map[uint32]bool{}
	for _, t := range strings.Split(os.Args[1], ",") {
		types[num(t)] = true
	}
	names := map[uint32][]string{}
	var codes []uint32
	for i, e := range keep {
		if i > 0 && code(keep[i-1]) == code(e) && isPrefix(keep[i-1].name, e.name) {
			continue
		}
		c := code(e)
		if !types[c>>8&0xff] {
			continue
		}
		if names[c] == nil {
			codes = append(codes, c)
		}
		names[c] = append(names[c], e.name)
	}
	fmt.Println("// Code generated from strace 6.1's src/linux/64/ioctls_inc.h and src/linux/x86_64/ioctls_arch0.h, as its ioctlsort orders them; DO NOT EDIT.")
	fmt.Println()
	fmt.Println("package strace")
	fmt.Println()
	fmt.Printf("// ioctlNamesA names the requests of _IOC types %s (strace's ioctlent:\n// a code's names joined by \" or \").\n", os.Args[1])
	fmt.Println("var ioctlNamesA = map[uint32]string{")
	for _, c := range codes {
		fmt.Printf("\t%#x: %q,\n", c, strings.Join(names[c], " or "))
	}
	fmt.Println("}")
}
