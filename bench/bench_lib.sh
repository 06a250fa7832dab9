# Shared by the pcscd benchmarks (card_bench.sh, nfc_bench.sh): sources
# tests/integration/pcscd_lib.sh (private pcscd + vpcd) and adds the latency measure.
source "$(dirname "${BASH_SOURCE[0]}")/../tests/integration/pcscd_lib.sh"

# measure_connects <bench command…> -- <emulator command…>: 10 runs of: the bench command
# waiting for the first card/phone (it prints the Unix time in ns of the verdict on stdout),
# the emulator started 0.2 s later and stopped after the verdict. Sets LAT: one latency in µs
# (emulator start → verdict) per run whose bench command succeeded.
measure_connects() {
  local bench=() bp sp t0
  while [[ $1 != -- ]]; do bench+=("$1"); shift; done
  shift
  LAT=()
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    "${bench[@]}" >"$WORK/t" &
    bp=$!
    sleep 0.2
    t0=$(date +%s%N)
    "$@" 2>/dev/null & sp=$!
    wait $bp && LAT+=($(( ($(cat "$WORK/t") - t0) / 1000 )))
    kill -TERM $sp; wait $sp 2>/dev/null; sleep 0.6
  done
}

# median_max <whole numbers…>: "<median> | <max>" (the upper median for an even count).
median_max() {
  local n=$# sorted
  sorted=$(printf '%s\n' "$@" | sort -n)
  echo "$(echo "$sorted" | sed -n "$(( (n + 1) / 2 ))p") | $(echo "$sorted" | tail -1)"
}
