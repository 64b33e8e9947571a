package kvmguest

// The guest's kernel modules, taken from the kernel's .deb with their
// dependencies and kept uncompressed in the cache.

import (
	"bytes"
	"debug/elf"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
)

// modules returns the named modules and everything they depend on, in load
// order, as uncompressed .ko files in the cache (taken from the .deb once).
func (l *Lab) modules(k *Kernel, names ...string) []Module {
	t := l.t
	t.Helper()
	unlock := lock(t, filepath.Join(k.Dir, "lock"))
	defer unlock()
	modDir := filepath.Join(k.Dir, "modules")
	var order []Module
	seen := map[string]bool{}
	var visit func(name string, stack []string)
	var index map[string]string
	visit = func(name string, stack []string) {
		name = strings.ReplaceAll(name, "-", "_")
		if seen[name] {
			return
		}
		if len(stack) > 20 {
			t.Fatalf("module dependency loop: %v", stack)
		}
		path := filepath.Join(modDir, name+".ko")
		if !exists(path) {
			if index == nil {
				index = moduleIndex(l.unpack(k))
			}
			src, ok := index[name]
			if !ok {
				t.Fatalf("module %s is not in %s", name, k.Pkg)
			}
			if err := os.MkdirAll(modDir, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := decompressModule(l.Tools, src, path); err != nil {
				t.Fatal(err)
			}
		}
		deps, err := moduleDeps(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range deps {
			visit(d, append(stack, name))
		}
		seen[name] = true
		order = append(order, Module{Name: name, Path: path})
	}
	for _, n := range names {
		visit(n, nil)
	}
	return order
}

// moduleIndex maps module names to their files under an unpacked root.
func moduleIndex(root string) map[string]string {
	index := map[string]string{}
	filepath.WalkDir(filepath.Join(root, "lib", "modules"), func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		base := d.Name()
		for _, ext := range []string{".ko", ".ko.xz", ".ko.zst", ".ko.gz"} {
			if strings.HasSuffix(base, ext) {
				index[strings.ReplaceAll(strings.TrimSuffix(base, ext), "-", "_")] = p
			}
		}
		return nil
	})
	return index
}

// decompressModule writes the module at src to dst uncompressed
// (busybox's insmod takes plain .ko files only).
func decompressModule(tools map[string]string, src, dst string) error {
	var cmd *exec.Cmd
	switch {
	case strings.HasSuffix(src, ".ko"):
		return copyFile(src, dst)
	case strings.HasSuffix(src, ".xz"):
		cmd = exec.Command(tools["busybox"], "xz", "-dc", src)
	case strings.HasSuffix(src, ".gz"):
		cmd = exec.Command(tools["busybox"], "gzip", "-dc", src)
	case strings.HasSuffix(src, ".zst"):
		cmd = exec.Command("zstd", "-dc", src)
	}
	out, err := cmd.Output()
	if err != nil {
		return fmt.Errorf("decompressing %s: %v", src, err)
	}
	return writeFileAtomic(dst, out, 0o644)
}

// moduleDeps reads the depends= entry of a module's .modinfo section.
func moduleDeps(path string) ([]string, error) {
	f, err := elf.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sec := f.Section(".modinfo")
	if sec == nil {
		return nil, fmt.Errorf("%s: no .modinfo section", path)
	}
	data, err := sec.Data()
	if err != nil {
		return nil, err
	}
	for _, kv := range bytes.Split(data, []byte{0}) {
		if v, ok := bytes.CutPrefix(kv, []byte("depends=")); ok {
			if len(v) == 0 {
				return nil, nil
			}
			return strings.Split(string(v), ","), nil
		}
	}
	return nil, nil
}

func copyFile(src, dst string) error {
	data, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	return writeFileAtomic(dst, data, 0o644)
}

func writeFileAtomic(dst string, data []byte, mode os.FileMode) error {
	tmp := dst + ".tmp" + strconv.Itoa(os.Getpid())
	if err := os.WriteFile(tmp, data, mode); err != nil {
		return err
	}
	return os.Rename(tmp, dst)
}
