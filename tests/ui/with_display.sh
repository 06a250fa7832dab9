#!/usr/bin/env bash
# Runs a command with an X display: the current one if it answers, else a private Xvfb
# started here (it picks a free display itself with -displayfd) and stopped by PID on exit.
# Usage: with_display.sh <command> [args…]
set -euo pipefail
if [[ -n ${DISPLAY:-} ]] && xdpyinfo >/dev/null 2>&1; then exec "$@"; fi
export NO_AT_BRIDGE=1 GDK_BACKEND=x11
fdfile=$(mktemp)
Xvfb -displayfd 5 -screen 0 1280x1024x24 -nolisten tcp 5>"$fdfile" 2>/dev/null &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null || true; rm -f "$fdfile"' EXIT
for _ in $(seq 200); do
  [[ -s $fdfile ]] && break
  kill -0 $pid 2>/dev/null || { echo "with_display.sh: Xvfb did not start" >&2; exit 3; }
  sleep 0.05
done
[[ -s $fdfile ]] || { echo "with_display.sh: Xvfb gave no display" >&2; exit 3; }
DISPLAY=":$(head -1 "$fdfile")" "$@"
