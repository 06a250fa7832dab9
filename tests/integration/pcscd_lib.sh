# A private pcscd + vpcd for the integration scripts (RECIPES.md, "PC/SC with virtual cards").
# Sourced by card_pcscd.sh and nfc_pcscd.sh (and bench/*_bench.sh):
#   source "$(dirname "$0")/pcscd_lib.sh"
#   pcscd_enter_ns SECONDS "$@"   # root + pcscd + vpcd or exit 77; re-runs the script in a private
#                                 # mount namespace under `timeout SECONDS`
#   pcscd_setup                   # $WORK, $PIDS, EXIT trap, private /run/pcscd, $PORT, $WORK/conf/vpcd
#   start_pcscd [CONF_DIR]        # $PCSCD; waits for the socket
#   stop_pcscd                    # kill by PID, waits until the socket is gone
# The vpcd entry gives two readers: "Virtual PCD 00 00" on $PORT and "Virtual PCD 00 01" on
# $PORT+1, a port of the script's own so it never meets another pcscd. Everything started is
# added to PIDS and stopped by PID on exit.

pcscd_enter_ns() {
  local seconds=$1
  shift
  if [ "$(id -u)" != 0 ] || ! command -v pcscd >/dev/null || ! command -v unshare >/dev/null ||
     [ ! -e /usr/lib/pcsc/drivers/serial/libifdvpcd.so ]; then
    echo "SKIP: needs root, pcscd, unshare and vsmartcard-vpcd"; exit 77
  fi
  if [ -z "${VD_PCSCD_NS:-}" ]; then
    exec env VD_PCSCD_NS=1 timeout "$seconds" unshare --mount --propagation private "$0" "$@"
  fi
}

pcscd_cleanup() {
  for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null; done
  umount /run/pcscd 2>/dev/null
  rm -rf "$WORK"
}

fail() { echo "FAIL: $*"; [ -f "$WORK/pcscd.log" ] && tail -5 "$WORK/pcscd.log"; exit 1; }

pcscd_setup() {
  WORK=$(mktemp -d)
  PIDS=()
  trap pcscd_cleanup EXIT
  mkdir -p /run/pcscd "$WORK/run" "$WORK/conf"
  mount --bind "$WORK/run" /run/pcscd || fail "cannot bind-mount a private /run/pcscd"
  # Two ports (PORT, PORT+1) per script: an even base from the PID, so scripts started one
  # after the other (adjacent PIDs) never share one, moved on while either is already listening
  # (the mount namespace is private, the network is not).
  PORT=$((30000 + ($$ % 10000) * 2))
  while ss -Hltn "( sport = :$PORT or sport = :$((PORT + 1)) )" 2>/dev/null | grep -q .; do
    PORT=$((PORT + 2)); [ $PORT -lt 60000 ] || PORT=30000
  done
  printf 'FRIENDLYNAME "Virtual PCD"\nDEVICENAME   /dev/null:0x%X\nLIBPATH      /usr/lib/pcsc/drivers/serial/libifdvpcd.so\nCHANNELID    0x%X\n' \
    "$PORT" "$PORT" >"$WORK/conf/vpcd"
}

start_pcscd() {  # start_pcscd [CONF_DIR]
  pcscd -f -c "${1:-$WORK/conf}" >"$WORK/pcscd.log" 2>&1 &
  PCSCD=$!
  PIDS+=("$PCSCD")
  for _ in $(seq 1 100); do [ -S /run/pcscd/pcscd.comm ] && return 0; sleep 0.05; done
  fail "pcscd did not start"
}

stop_pcscd() {
  kill -TERM "$PCSCD"; wait "$PCSCD" 2>/dev/null
  for _ in $(seq 1 50); do [ -S /run/pcscd/pcscd.comm ] || break; sleep 0.05; done
}
