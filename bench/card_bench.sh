#!/bin/bash
# Card reader benchmark: private pcscd + vpcd (as tests/integration/card_pcscd.sh) and the
# family kit card. Prints the markdown rows for docs/PERFORMANCE.md.
# Usage: bench/card_bench.sh <build dir>   (root: private mount namespace for /run/pcscd)
set -u
B=$1
source "$(dirname "$0")/bench_lib.sh"
pcscd_enter_ns 120 "$@"
pcscd_setup
"$B/src/sim/vitaledesk-sim" pki init "$WORK/pki" >/dev/null
start_pcscd
sleep 0.5
R="Virtual PCD 00 00"
measure_connects "$B/bench/vd_card_bench" --insertion --reader "$R" --trust "$WORK/pki" \
  -- "$B/src/sim/vitaledesk-sim" card --kit family --port "$PORT" --pki "$WORK/pki"
"$B/src/sim/vitaledesk-sim" card --kit family --port "$PORT" --pki "$WORK/pki" 2>/dev/null & PIDS+=($!)
"$B/bench/vd_card_bench" --reader "$R" --trust "$WORK/pki" --rounds 400
echo "| emulator connects → credential verified (pcscd polls vpcd every 400 ms), ${#LAT[@]} runs | $(median_max "${LAT[@]}") | — | — |"
