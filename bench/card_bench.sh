#!/bin/bash
# Card reader benchmark: private pcscd + vpcd (as tests/integration/card_pcscd.sh) and the
# family kit card. Prints the markdown rows for docs/PERFORMANCE.md.
# Usage: bench/card_bench.sh <build dir>   (root: private mount namespace for /run/pcscd)
set -u
B=$1
source "$(dirname "$0")/../tests/integration/pcscd_lib.sh"
pcscd_enter_ns 120 "$@"
pcscd_setup
"$B/src/sim/vitaledesk-sim" pki init "$WORK/pki" >/dev/null
start_pcscd
sleep 0.5
R="Virtual PCD 00 00"
ins=()
for _ in 1 2 3 4 5 6 7 8 9 10; do
  "$B/bench/vd_card_bench" --insertion --reader "$R" --trust "$WORK/pki" >"$WORK/t" &
  BP=$!
  sleep 0.2
  t0=$(date +%s%N)
  "$B/src/sim/vitaledesk-sim" card --kit family --port "$PORT" --pki "$WORK/pki" 2>/dev/null & SP=$!
  wait $BP && ins+=($(( ($(cat "$WORK/t") - t0) / 1000 )))
  kill -TERM $SP; wait $SP 2>/dev/null; sleep 0.6
done
"$B/src/sim/vitaledesk-sim" card --kit family --port "$PORT" --pki "$WORK/pki" 2>/dev/null & PIDS+=($!)
"$B/bench/vd_card_bench" --reader "$R" --trust "$WORK/pki" --rounds 400
sorted=$(printf '%s\n' "${ins[@]}" | sort -n)
n=${#ins[@]}
echo "| emulator connects → credential verified (pcscd polls vpcd every 400 ms), $n runs | $(echo "$sorted" | sed -n "$(( (n + 1) / 2 ))p") | $(echo "$sorted" | tail -1) | — | — |"
