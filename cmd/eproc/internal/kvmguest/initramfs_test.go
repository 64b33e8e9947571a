package kvmguest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestKVMInitramfs checks the cpio writer with busybox's cpio.
func TestKVMInitramfs(t *testing.T) {
	bb, err := exec.LookPath("busybox")
	if err != nil {
		t.Skip("no busybox")
	}
	dir := t.TempDir()
	src := filepath.Join(dir, "src")
	os.WriteFile(src, []byte("hello"), 0o644)
	path := filepath.Join(dir, "initramfs.cpio")
	err = WriteInitramfs(path, []File{
		{Name: "init", Mode: 0o755, Data: []byte("#!/bin/sh\n")},
		{Name: "lib/modules/x.ko", Mode: 0o644, Src: src},
		{Name: "proc", Mode: syscall.S_IFDIR | 0o755},
	})
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bb, "cpio", "-tv", "-F", path).CombinedOutput()
	if err != nil {
		t.Fatalf("busybox cpio -t: %v\n%s", err, out)
	}
	for _, want := range []string{"crw------- ", " dev/console", "-rwxr-xr-x ", " init", "drwxr-xr-x ", " lib/modules", " 5 ", " lib/modules/x.ko", " proc"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("cpio listing lacks %q:\n%s", want, out)
		}
	}
	x := filepath.Join(dir, "x")
	os.Mkdir(x, 0o755)
	cmd := exec.Command(bb, "cpio", "-i", "-d", "-F", path, "lib/modules/x.ko")
	cmd.Dir = x
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("busybox cpio -i: %v\n%s", err, out)
	}
	if b, _ := os.ReadFile(filepath.Join(x, "lib/modules/x.ko")); string(b) != "hello" {
		t.Errorf("x.ko unpacked as %q", b)
	}
}
