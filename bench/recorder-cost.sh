#!/bin/bash
# bench/recorder-cost.sh MNT [REPS]: the flight recorder's cost against
# tracing, on a view mounted at MNT (eproc mount MNT, as root).
# dd if=/dev/zero of=/dev/null bs=1 count=500000 (1,000,000 calls), its
# own time (dd's report), in four modes interleaved, REPS times: untraced;
# straceall with a cat reading the stream; recordall (the recorder, no
# reader); straceall with no reader (the ring fills, calls dropped and
# counted). Prints dd's seconds per mode per round; take the medians.
M=$1; R=${2:-5}
run() { # mode
  rm -f ${TMPDIR:-/tmp}/eproc-reccost-fifo; mkfifo ${TMPDIR:-/tmp}/eproc-reccost-fifo
  sh -c 'read x < ${TMPDIR:-/tmp}/eproc-reccost-fifo; exec dd if=/dev/zero of=/dev/null bs=1 count=500000 2>&1 | tail -1' > ${TMPDIR:-/tmp}/eproc-reccost-dd.out &
  sleep 0.2; P=$(pgrep -n -f "read x < ${TMPDIR:-/tmp}/eproc-reccost-fifo")
  case $1 in
    strace) echo straceall > $M/$P/ctl; (cat $M/$P/strace > /dev/null &) ;;
    record) echo recordall > $M/$P/ctl ;;
    noreader) echo straceall > $M/$P/ctl ;;
  esac
  echo go > ${TMPDIR:-/tmp}/eproc-reccost-fifo; wait
  awk '{print $(NF-3)}' ${TMPDIR:-/tmp}/eproc-reccost-dd.out
}
for i in $(seq $R); do
  a=$(run none); b=$(run strace); c=$(run record); d=$(run noreader)
  echo "none $a strace+cat $b record $c strace-noreader $d"
done
