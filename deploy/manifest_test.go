package deploy

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// get walks a YAML document parsed into generic maps and lists: each key is
// a map key, or "[i]" for a list index. It fails the test when a step is
// missing or of the wrong type.
func get(t *testing.T, v any, path ...string) any {
	t.Helper()
	for i, k := range path {
		switch c := v.(type) {
		case map[string]any:
			var ok bool
			if v, ok = c[k]; !ok {
				t.Fatalf("%s: no such key", strings.Join(path[:i+1], "."))
			}
		case []any:
			var n int
			if _, err := fmt.Sscanf(k, "[%d]", &n); err != nil || n >= len(c) {
				t.Fatalf("%s: not an index of a list of %d", strings.Join(path[:i+1], "."), len(c))
			}
			v = c[n]
		default:
			t.Fatalf("%s: %T is not a map or list", strings.Join(path[:i], "."), v)
		}
	}
	return v
}

func strs(t *testing.T, v any) []string {
	t.Helper()
	l, ok := v.([]any)
	if !ok {
		t.Fatalf("%v is not a list", v)
	}
	var s []string
	for _, e := range l {
		s = append(s, fmt.Sprint(e))
	}
	return s
}

// byName finds the element of a list of maps whose "name" is name.
func byName(t *testing.T, list any, name string) map[string]any {
	t.Helper()
	l, _ := list.([]any)
	for _, e := range l {
		if m, ok := e.(map[string]any); ok && m["name"] == name {
			return m
		}
	}
	t.Fatalf("no element named %q in %v", name, list)
	return nil
}

// unitCaps is the unit's CapabilityBoundingSet, as Kubernetes names
// capabilities (no CAP_ prefix).
func unitCaps(t *testing.T) []string {
	t.Helper()
	var caps []string
	for _, f := range strings.Fields(unitKey(t, "CapabilityBoundingSet")) {
		caps = append(caps, strings.TrimPrefix(f, "CAP_"))
	}
	return caps
}

// unitKey is the value of key in deploy/eproc.service (the last one set).
func unitKey(t *testing.T, key string) string {
	t.Helper()
	b, err := os.ReadFile("eproc.service")
	if err != nil {
		t.Fatal(err)
	}
	val, found := "", false
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, key+"="); ok {
			val, found = v, true
		}
	}
	if !found {
		t.Fatalf("eproc.service sets no %s", key)
	}
	return val
}

// TestUnitFile checks what eproc.service must say, without systemd: how it
// starts, stops and restarts, the capabilities, and that nothing gives it
// a mount namespace of its own (the view would not reach the host).
func TestUnitFile(t *testing.T) {
	for key, want := range map[string]string{
		"Type":            "notify",
		"Restart":         "on-failure",
		"ExecStart":       "/usr/local/bin/eproc mount -q $EPROC_OPTS /run/eproc",
		"ExecStartPre":    "/bin/mkdir -p /run/eproc",
		"KillSignal":      "SIGTERM",
		"LimitMEMLOCK":    "infinity",
		"WantedBy":        "multi-user.target",
		"EnvironmentFile": "-/etc/default/eproc",
	} {
		if got := unitKey(t, key); got != want {
			t.Errorf("%s=%s, want %s", key, got, want)
		}
	}
	caps := unitCaps(t)
	for _, c := range []string{"BPF", "PERFMON", "SYS_ADMIN", "SYS_PTRACE", "SETUID", "SETGID", "KILL"} {
		if !slices.Contains(caps, c) {
			t.Errorf("CapabilityBoundingSet lacks CAP_%s", c)
		}
	}
	b, _ := os.ReadFile("eproc.service")
	for _, l := range strings.Split(string(b), "\n") {
		k, _, ok := strings.Cut(l, "=")
		if !ok || strings.HasPrefix(l, "#") {
			continue
		}
		for _, ns := range []string{"ProtectSystem", "ProtectHome", "PrivateTmp", "PrivateDevices", "PrivateMounts",
			"ProtectKernelTunables", "ProtectKernelModules", "ProtectKernelLogs", "ProtectControlGroups", "ProtectProc",
			"ReadWritePaths", "ReadOnlyPaths", "InaccessiblePaths", "TemporaryFileSystem", "BindPaths", "RootDirectory", "User", "DynamicUser"} {
			if k == ns {
				t.Errorf("eproc.service sets %s: the view would be mounted in the service's own namespace, or not as root", k)
			}
		}
	}
}

// TestDaemonSet parses deploy/k8s/daemonset.yaml into generic maps and
// checks what the view needs on a node: the node's processes, the mount
// that exposes /run/eproc on the node, /dev/fuse, BTF, tracefs, the
// capabilities (as the unit's), the command, and the metrics port.
func TestDaemonSet(t *testing.T) {
	b, err := os.ReadFile("k8s/daemonset.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := yaml.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if get(t, doc, "kind") != "DaemonSet" || get(t, doc, "apiVersion") != "apps/v1" {
		t.Errorf("kind %v, apiVersion %v; want DaemonSet, apps/v1", doc["kind"], doc["apiVersion"])
	}
	pod := get(t, doc, "spec", "template", "spec")
	if get(t, pod, "hostPID") != true {
		t.Errorf("hostPID is not true: the view would show the pod's processes, not the node's")
	}
	selector := get(t, doc, "spec", "selector", "matchLabels").(map[string]any)
	labels := get(t, doc, "spec", "template", "metadata", "labels").(map[string]any)
	for k, v := range selector {
		if labels[k] != v {
			t.Errorf("selector %s=%v does not match the template's labels", k, v)
		}
	}
	c := byName(t, get(t, pod, "containers"), "eproc")
	cmd := strs(t, get(t, c, "command"))
	if len(cmd) < 3 || !strings.HasSuffix(cmd[0], "/eproc") || cmd[1] != "mount" || cmd[len(cmd)-1] != "/run/eproc" {
		t.Errorf("command %q: want eproc mount ... /run/eproc", cmd)
	}
	sc := get(t, c, "securityContext")
	// Bidirectional propagation is allowed for privileged containers only.
	if get(t, sc, "privileged") != true {
		t.Errorf("privileged is not true, which mountPropagation: Bidirectional requires")
	}
	added := strs(t, get(t, sc, "capabilities", "add"))
	for _, cp := range unitCaps(t) {
		if !slices.Contains(added, cp) {
			t.Errorf("capabilities.add lacks %s, which eproc.service has", cp)
		}
	}
	for _, cp := range []string{"BPF", "PERFMON"} {
		if !slices.Contains(added, cp) {
			t.Errorf("capabilities.add lacks %s", cp)
		}
	}

	checkMounts(t, get(t, pod, "volumes"), get(t, c, "volumeMounts"))

	port := byName(t, get(t, c, "ports"), "metrics")
	i := slices.Index(cmd, "--metrics")
	if i < 0 || i+1 >= len(cmd) || cmd[i+1] != fmt.Sprintf(":%v", port["containerPort"]) {
		t.Errorf("command %q does not serve --metrics on the metrics port %v", cmd, port["containerPort"])
	}
	if ann := get(t, doc, "spec", "template", "metadata", "annotations", "prometheus.io/port"); ann != fmt.Sprint(port["containerPort"]) {
		t.Errorf("prometheus.io/port %v, metrics port %v", ann, port["containerPort"])
	}
	for _, k := range []string{"requests", "limits"} {
		r := get(t, c, "resources", k).(map[string]any)
		if r["cpu"] == nil || r["memory"] == nil {
			t.Errorf("resources.%s sets no cpu or memory: %v", k, r)
		}
	}
}

// checkMounts checks the container's mounts of the node's paths: the view's
// directory with Bidirectional propagation, /dev/fuse, BTF (read-only),
// tracefs and the cgroup tree.
func checkMounts(t *testing.T, vols, mounts any) {
	t.Helper()
	mountOf := func(path string) (mount, hostPath map[string]any) {
		t.Helper()
		l, _ := mounts.([]any)
		for _, e := range l {
			m := e.(map[string]any)
			if m["mountPath"] == path {
				v := byName(t, vols, fmt.Sprint(m["name"]))
				return m, get(t, v, "hostPath").(map[string]any)
			}
		}
		t.Fatalf("nothing mounted at %s", path)
		return nil, nil
	}
	m, hp := mountOf("/run/eproc")
	if m["mountPropagation"] != "Bidirectional" || hp["path"] != "/run/eproc" {
		t.Errorf("/run/eproc: propagation %v from host %v; want Bidirectional from the node's /run/eproc", m["mountPropagation"], hp["path"])
	}
	if _, hp := mountOf("/dev/fuse"); hp["path"] != "/dev/fuse" || hp["type"] != "CharDevice" {
		t.Errorf("/dev/fuse comes from %v (%v), want the node's character device", hp["path"], hp["type"])
	}
	if m, hp := mountOf("/sys/kernel/btf"); m["readOnly"] != true || hp["path"] != "/sys/kernel/btf" {
		t.Errorf("/sys/kernel/btf: readOnly %v from %v; want the node's, read-only", m["readOnly"], hp["path"])
	}
	if _, hp := mountOf("/sys/kernel/tracing"); hp["path"] != "/sys/kernel/tracing" {
		t.Errorf("/sys/kernel/tracing comes from %v", hp["path"])
	}
	if _, hp := mountOf("/sys/fs/cgroup"); hp["path"] != "/sys/fs/cgroup" {
		t.Errorf("/sys/fs/cgroup comes from %v", hp["path"])
	}

}
