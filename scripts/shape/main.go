// Command shape checks the codebase's shape (issue 15): no hand-written Go
// file over 700 lines and no function over 80, unless it is a table. A
// function that is a table says so with a "shape: table" comment in its doc.
// Generated files ("Code generated ... DO NOT EDIT.") are left out.
//
//	go run ./scripts/shape [dir]
//
// It prints each offender and exits 1 when there is one.
package main

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

const (
	maxFile = 700
	maxFunc = 80
)

var generated = regexp.MustCompile(`(?m)^// Code generated .* DO NOT EDIT\.$`)

func main() {
	root := "."
	if len(os.Args) > 1 {
		root = os.Args[1]
	}
	var bad []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") && path != root || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if generated.Match(b) {
			return nil
		}
		bad = append(bad, check(path, b)...)
		return nil
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "shape:", err)
		os.Exit(2)
	}
	for _, b := range bad {
		fmt.Println(b)
	}
	if len(bad) > 0 {
		fmt.Printf("shape: %d over the bounds (files %d lines, functions %d)\n", len(bad), maxFile, maxFunc)
		os.Exit(1)
	}
}

func check(path string, src []byte) []string {
	var bad []string
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, src, parser.ParseComments)
	if err != nil {
		return []string{fmt.Sprintf("%s: %v", path, err)}
	}
	if n := fset.Position(f.End()).Line; n > maxFile {
		bad = append(bad, fmt.Sprintf("%s: %d lines", path, n))
	}
	for _, decl := range f.Decls {
		fn, ok := decl.(*ast.FuncDecl)
		if !ok || fn.Body == nil {
			continue
		}
		if fn.Doc != nil && strings.Contains(fn.Doc.Text(), "shape: table") {
			continue
		}
		start, end := fset.Position(fn.Pos()).Line, fset.Position(fn.End()).Line
		if n := end - start + 1; n > maxFunc {
			bad = append(bad, fmt.Sprintf("%s:%d: func %s: %d lines", path, start, fn.Name.Name, n))
		}
	}
	return bad
}
