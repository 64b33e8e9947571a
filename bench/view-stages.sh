#!/usr/bin/env bash
# view-stages: dd bs=1 through the proc view, read by one cat, REPS times;
# prints each stage's rate: the tracee (calls/s), the ring (records and
# bytes per pass, wake-ups), the daemon (CPU per record, share of the run
# it was draining), the readers (FUSE reads and their size), and the
# losses. Usage: bench/view-stages.sh [EPROC] [COUNT] [REPS]
set -euo pipefail
E=$(readlink -f "${1:-./eproc}") N=${2:-500000} REPS=${3:-5}
W=$(mktemp -d /tmp/eproc-stages.XXXXXX)
MNT=$W/mnt
mkdir -p "$MNT"
"$E" mount -q "$MNT" 2>"$W/daemon.log" & DP=$!
trap 'kill $DP 2>/dev/null; wait $DP 2>/dev/null; rm -rf "$W"' EXIT
for _ in $(seq 100); do [ -e "$MNT/self" ] && break; sleep 0.05; done
clk=$(getconf CLK_TCK)
cpu() { awk '{print $14+$15}' "/proc/$1/stat"; }
# f KEY LINE: the value of KEY in a zap log line.
f() { sed -n "s/.*\"$1\": \"\{0,1\}\([0-9.a-zµ]*\).*/\1/p" <<<"$2"; }
echo "# $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) CPUs; dd bs=1 count=$N through $MNT, one cat"
printf '%-4s %8s %9s %8s %9s %9s %7s %7s %8s %8s %7s %9s %9s %9s %9s\n' run dd_s calls/s dropped lines ns/rec busy% passes rec/pass woken reads KiB/read maxpass backlog qwait
for r in $(seq "$REPS"); do
	rm -f "$W/go"; mkfifo "$W/go"
	sh -c "read x < $W/go; exec dd if=/dev/zero of=/dev/null bs=1 count=$N status=none" & TP=$!
	sleep 0.2
	echo straceme > "$MNT/$TP/ctl"
	cat "$MNT/$TP/strace" > "$W/out" & CP=$!
	sleep 0.1
	c0=$(cpu $DP)
	s=$(date +%s%N)
	echo go > "$W/go"
	wait $TP
	e=$(date +%s%N)
	wait $CP
	c1=$(cpu $DP)
	sleep 0.1
	end=$(grep 'session end' "$W/daemon.log" | tail -1)
	rd=$(grep 'stream read' "$W/daemon.log" | tail -1)
	seen=$(f syscalls "$end") dropped=$(f dropped "$end") recs=$(f records "$end") passes=$(f passes "$end")
	woken=$(f woken "$end") busy=$(f busy "$end") reads=$(f reads "$rd") bytes=$(f bytes "$rd")
	maxpass=$(f maxPass "$end") maxgap=$(f maxBacklog "$end") qwait=$(f queueWait "$end")
	lines=$(grep -c '^[0-9]* *read(0, "\\0", 1) *= 1$' "$W/out" || true)
	awk -v r="$r" -v s="$s" -v e="$e" -v seen="$seen" -v dr="$dropped" -v lines="$lines" -v c0="$c0" -v c1="$c1" \
		-v clk="$clk" -v recs="$recs" -v passes="$passes" -v woken="$woken" -v busy="$busy" -v reads="$reads" -v bytes="$bytes" \
		-v maxpass="$maxpass" -v maxgap="$maxgap" -v qwait="$qwait" 'BEGIN {
		dd = (e - s) / 1e9
		b = busy + 0; if (busy ~ /ms$/) b /= 1e3; else if (busy ~ /µs$/) b /= 1e6
		printf "%-4d %8.3f %9.0f %8d %9d %9.0f %6.0f%% %7d %8.0f %8d %7d %9.1f %9s %9s %9s\n", r, dd, seen / dd, dr, lines,
			(c1 - c0) / clk * 1e9 / (recs ? recs : 1), 100 * b / dd, passes, recs / (passes ? passes : 1), woken, reads, bytes / 1024 / (reads ? reads : 1), maxpass, maxgap, qwait
	}'
done
