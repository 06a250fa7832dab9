#!/bin/bash
# ApCV over NFC benchmark: private pcscd + vpcd (tests/integration/pcscd_lib.sh) and
# `vitaledesk-sim phone nfc --kit valid` on the second vpcd reader. Prints the markdown rows for
# docs/PERFORMANCE.md. Usage: bench/nfc_bench.sh <build dir>   (root: private /run/pcscd)
set -u
B=$1
source "$(dirname "$0")/bench_lib.sh"
pcscd_enter_ns 120 "$@"
pcscd_setup
SIM=$B/src/sim/vitaledesk-sim
"$SIM" apcv init "$WORK/apcv" >/dev/null || fail "apcv init"
start_pcscd
sleep 0.5
R="Virtual PCD 00 01"
measure_connects "$B/bench/vd_nfc_bench" --tap --reader "$R" --trust "$WORK/apcv/trust" \
  -- "$SIM" phone nfc --kit valid --trust-dir "$WORK/apcv" --port $((PORT + 1))
"$SIM" phone nfc --kit valid --trust-dir "$WORK/apcv" --port $((PORT + 1)) 2>/dev/null & PIDS+=($!)
"$B/bench/vd_nfc_bench" --reader "$R" --trust "$WORK/apcv/trust" --rounds 400 || fail "bench run"
[ "${#LAT[@]}" -gt 0 ] || fail "no tap measured"
echo "| phone emulator connects (tap) → verdict (pcscd polls vpcd every 400 ms), ${#LAT[@]} runs | $(median_max "${LAT[@]}") | — | — |"
