#!/usr/bin/env bash
# test-deps.sh: install the Debian packages the tests use, those missing
# only, and mount tracefs. `make test` and .ci/run run it first; it is
# idempotent and prints nothing when all is present.
#
# As root it installs what is missing (apt-get update only then) or fails,
# so that no test skips for a missing tool. Not as root, it lists what is
# missing and exits 0: the tests that need root skip without it (except
# under CI=true, where this script fails instead).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

# clang, llvm, libbpf-dev: regenerate the BPF objects (make generate);
# linux-libc-dev: the headers of the KVM tables; gcc, libc6-dev: the test
# programs; strace: the oracle; procps, psmisc, lsof, util-linux: real
# clients of the view; fuse3: fusermount; busybox-static and qemu-system-x86:
# the KVM guest test (cmd/eproc/kvm_test.go; it fetches Debian 12's kernel
# with apt-get download and builds its initramfs itself). qemu-system-arm
# and lld: the arm64 guest test (cmd/eproc/arm64_test.go; clang and lld
# cross-build its program; it fetches Debian 12's arm64 kernel, busybox,
# strace and libc with apt-get download, for which dpkg needs the arm64
# architecture: added below, with an apt-get update). systemd (only its
# systemd-analyze: nothing is started), man-db, groff-base and make: the
# deploy tests (systemd-analyze verify on the installed unit, which looks its
# man page up; groff on docs/eproc.1; make install). util-linux's setpriv
# runs the daemon with the unit's capabilities. prometheus: a real server
# scrapes `eproc mount --metrics` in cmd/eproc/metrics_test.go (its own, on a
# free port: the Debian service, if it runs, keeps :9090).
pkgs=(clang llvm lld libbpf-dev linux-libc-dev gcc libc6-dev python3 strace procps psmisc lsof util-linux fuse3 busybox-static
	systemd man-db groff-base make)
# QEMU without its recommends (GUI, UEFI, block drivers), Prometheus without
# its (node exporter and its collectors): the tests need none.
norec=(qemu-system-x86 qemu-system-arm prometheus)

say() { echo "test-deps: $*" >&2; }

if ! command -v dpkg-query >/dev/null || ! command -v apt-get >/dev/null; then
	say "no dpkg-query/apt-get (not Debian-like): install by hand the equivalents of: ${pkgs[*]} ${norec[*]}"
	if [ "$(id -u)" -ne 0 ] && [ "${CI:-}" != true ]; then exit 0; fi
	exit 1
fi

# The arm64 guest's packages (apt-get download busybox-static:arm64 ...):
# dpkg must know the architecture, and apt its package lists.
if ! dpkg --print-foreign-architectures | grep -qx arm64 && [ "$(dpkg --print-architecture)" != arm64 ]; then
	if [ "$(id -u)" -ne 0 ]; then
		say "dpkg lacks the arm64 architecture (as root: dpkg --add-architecture arm64 && apt-get update)"
		if [ "${CI:-}" = true ]; then exit 1; fi
	else
		say "adding the arm64 architecture to dpkg (the arm64 guest test's packages)"
		dpkg --add-architecture arm64
		apt-get update -qq
	fi
fi

have() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "ok installed"; }
missing() { local p; for p in "$@"; do have "$p" || echo "$p"; done; }

miss=($(missing "${pkgs[@]}")) missnorec=($(missing "${norec[@]}"))
all=("${miss[@]}" "${missnorec[@]}")
if [ ${#all[@]} -gt 0 ]; then
	if [ "$(id -u)" -ne 0 ]; then
		say "missing packages (run as root to install them): ${all[*]}"
		if [ "${CI:-}" = true ]; then exit 1; fi
	else
		say "installing: ${all[*]}"
		apt-get update -qq
		if [ ${#miss[@]} -gt 0 ]; then apt-get install -y -qq "${miss[@]}" >/dev/null; fi
		if [ ${#missnorec[@]} -gt 0 ]; then apt-get install -y -qq --no-install-recommends "${missnorec[@]}" >/dev/null; fi
		still=($(missing "${pkgs[@]}" "${norec[@]}"))
		if [ ${#still[@]} -gt 0 ]; then
			say "still missing after apt-get install: ${still[*]}"
			exit 1
		fi
	fi
fi

# tracefs: the KVM tests count kvm_exit events with it.
t=/sys/kernel/tracing
if ! mountpoint -q "$t" 2>/dev/null; then
	if [ "$(id -u)" -ne 0 ]; then
		say "tracefs is not mounted at $t (as root: mount -t tracefs tracefs $t)"
	elif ! mount -t tracefs tracefs "$t"; then
		say "cannot mount tracefs at $t; the tests that read it will say so"
	fi
fi
exit 0
