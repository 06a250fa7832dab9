#!/usr/bin/env bash
# Builds and runs the benchmarks and writes docs/PERFORMANCE.md. Usage: bench/run.sh
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${VD_BUILD_DIR:-$ROOT/build}
cmake --build "$BUILD" --target vd_bench vd_drain_bench -j2 >/dev/null
OUT=$ROOT/docs/PERFORMANCE.md
{
  sed -n '1,/^<!-- tables -->$/p' "$OUT"
  echo
  echo "Measured on $(date -u +%Y-%m-%d), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'),"
  echo "build type $(grep -m1 CMAKE_BUILD_TYPE "$BUILD/CMakeCache.txt" | cut -d= -f2), by \`bench/run.sh\`."
  echo
  "$BUILD/bench/vd_bench"
  "$BUILD/bench/vd_drain_bench"  # outbox drain after an outage (bench/drain_bench.cpp)
} >"$OUT.tmp"
mv "$OUT.tmp" "$OUT"
echo "wrote $OUT"
