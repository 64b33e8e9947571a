module github.com/eproc/eproc

go 1.26.0

require (
	github.com/cilium/ebpf v0.22.0
	github.com/hanwen/go-fuse/v2 v2.12.1
	go.uber.org/zap v1.28.0
	go.yaml.in/yaml/v3 v3.0.4
	golang.org/x/sys v0.49.0
)

require go.uber.org/multierr v1.10.0 // indirect

tool github.com/cilium/ebpf/cmd/bpf2go
