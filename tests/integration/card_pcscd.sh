#!/bin/bash
# Carte Vitale through a PRIVATE pcscd + vpcd (RECIPES.md, PC/SC with virtual cards):
# every kit card gives its expected verdict with `vitaledesk-cli card read --json`, a card
# pulled mid-read gives a clean "card removed" error, no card / no service give exit 3.
# The script re-runs itself in a private mount namespace with its own /run/pcscd, and a
# vpcd port of its own, so it never meets another pcscd. Everything it starts is stopped
# by PID. Usage: card_pcscd.sh <vitaledesk-cli> <vitaledesk-sim>
set -u
CLI=$1 SIM=$2
source "$(dirname "$0")/pcscd_lib.sh"
pcscd_enter_ns 60 "$@"
pcscd_setup
"$SIM" pki init "$WORK/pki" >/dev/null || fail "pki init"
export VITALEDESK_CARD_TRUST=$WORK/pki VITALEDESK_CARD_PKI=$WORK/pki

# No service: exit 3 at once.
"$CLI" card read --json --lang en >"$WORK/out.json"; rc=$?
[ $rc -eq 3 ] && grep -q '"pcsc.no_service"' "$WORK/out.json" || fail "no service: rc=$rc $(cat "$WORK/out.json")"
echo "ok no service -> exit 3"

# No reader: a pcscd with no reader configured.
mkdir -p "$WORK/empty-conf"
start_pcscd "$WORK/empty-conf"
"$CLI" card read --json >"$WORK/out.json"; rc=$?
[ $rc -eq 3 ] && grep -q '"pcsc.no_reader"' "$WORK/out.json" || fail "no reader: rc=$rc $(cat "$WORK/out.json")"
echo "ok no reader -> exit 3"
stop_pcscd

# The vpcd entry gives two readers: "Virtual PCD 00 00" on PORT and "Virtual PCD 00 01" on PORT+1.
start_pcscd

# No card: exit 3 after the wait budget.
"$CLI" card read --json --wait-ms 500 >"$WORK/out.json"; rc=$?
[ $rc -eq 3 ] && grep -q '"pcsc.no_card"' "$WORK/out.json" || fail "no card: rc=$rc $(cat "$WORK/out.json")"
echo "ok no card -> exit 3"

AT=2026-06-15
while IFS=$'\t' read -r kit expected _; do
  "$SIM" card --kit "$kit" --port "$PORT" 2>>"$WORK/sim.log" &
  SIMPID=$!
  PIDS+=("$SIMPID")
  t0=$(date +%s%N)
  "$CLI" card read --json --at "$AT" --wait-ms 3000 --patient-out "$WORK/patient-$kit.json" >"$WORK/out.json"; rc=$?
  t1=$(date +%s%N)
  verdict=$(sed -n 's/^  "verdict": "\([a-z_]*\)",\{0,1\}$/\1/p' "$WORK/out.json")
  want_rc=1; [ "$expected" = verified ] && want_rc=0
  [ "$verdict" = "$expected" ] && [ $rc -eq $want_rc ] || fail "kit $kit: verdict '$verdict' rc=$rc, expected $expected: $(cat "$WORK/out.json")"
  # --patient-out: the `fse new --patient` file of a verified card only.
  if [ "$expected" = verified ]; then
    grep -q '"verdict": "verified"' "$WORK/patient-$kit.json" || fail "kit $kit: no verified patient file"
  else
    [ ! -e "$WORK/patient-$kit.json" ] || fail "kit $kit: patient file written for a $expected card"
  fi
  ms=$(sed -n 's/^  "elapsed_ms": \([0-9.]*\),\{0,1\}$/\1/p' "$WORK/out.json")
  echo "ok kit $kit -> $verdict (read ${ms} ms, command $(( (t1 - t0) / 1000000 )) ms)"
  kill -TERM "$SIMPID"; wait "$SIMPID" 2>/dev/null
  # Wait until pcscd saw the removal before inserting the next card.
  for _ in $(seq 1 40); do
    "$CLI" card read --json --wait-ms 0 2>/dev/null | grep -q '"pcsc.no_card"' && break; sleep 0.1
  done
done < <("$SIM" kit list)

# Card pulled mid-read: stop the emulator while the reader is waiting for an answer.
"$SIM" card --kit family --port "$PORT" 2>>"$WORK/sim.log" &
SIMPID=$!
PIDS+=("$SIMPID")
"$CLI" card read --json --wait-ms 3000 >/dev/null || fail "family card not read before the removal test"
kill -STOP "$SIMPID"
"$CLI" card read --json --wait-ms 3000 >"$WORK/out.json" &
CLIPID=$!
sleep 0.3
kill -KILL "$SIMPID"; wait "$SIMPID" 2>/dev/null
wait "$CLIPID"; rc=$?
[ $rc -eq 3 ] && grep -q '"card.removed"' "$WORK/out.json" && ! grep -q '"beneficiaries"' "$WORK/out.json" \
  || fail "card removed: rc=$rc $(cat "$WORK/out.json")"
echo "ok card removed during reading -> exit 3, no data"
kill -TERM "$SIMPID" 2>/dev/null; wait "$SIMPID" 2>/dev/null

# Two readers with two cards at once.
"$SIM" card --kit family --port "$PORT" 2>>"$WORK/sim.log" &
SIM1=$!
"$SIM" card --kit twins --port $((PORT + 1)) 2>>"$WORK/sim.log" &
SIM2=$!
PIDS+=("$SIM1" "$SIM2")
"$CLI" card read --json --reader "Virtual PCD 00 01" --wait-ms 3000 >"$WORK/out2.json" || fail "second reader: $(cat "$WORK/out2.json")"
"$CLI" card read --json --reader "Virtual PCD 00 00" --wait-ms 3000 >"$WORK/out1.json" || fail "first reader: $(cat "$WORK/out1.json")"
grep -q TESTJUMEAUX "$WORK/out2.json" && grep -q DEMOVITALE "$WORK/out1.json" || fail "two readers mixed up"
echo "ok two readers, two cards at once"
kill -TERM "$SIM1" "$SIM2"; wait "$SIM1" "$SIM2" 2>/dev/null
for _ in $(seq 1 40); do
  "$CLI" card read --json --wait-ms 0 2>/dev/null | grep -q '"pcsc.no_card"' && break; sleep 0.1
done

# Monitor: card in/out, then pcscd killed and restarted: `card watch` recovers by itself.
wait_for() {  # wait_for PATTERN COUNT: until the watch log holds COUNT lines matching PATTERN
  for _ in $(seq 1 60); do [ "$(grep -c "$1" "$WORK/watch.log")" -ge "$2" ] && return 0; sleep 0.1; done
  fail "watch: no $2 x $1: $(cat "$WORK/watch.log")"
}
"$CLI" card watch --json --duration-ms 20000 >"$WORK/watch.log" &
WATCH=$!
PIDS+=("$WATCH")
wait_for reader_added 2
"$SIM" card --kit twins --port "$PORT" 2>>"$WORK/sim.log" &
SIMPID=$!
PIDS+=("$SIMPID")
wait_for '"vitale":true' 1
kill -TERM "$SIMPID"; wait "$SIMPID" 2>/dev/null
wait_for card_removed 1
echo "ok watch: card inserted and removed"
kill -TERM "$PCSCD"; wait "$PCSCD" 2>/dev/null
wait_for service_lost 1
# An emulator started while pcscd is down keeps retrying and connects once pcscd is back.
"$SIM" card --kit family --port $((PORT + 1)) 2>>"$WORK/sim.log" &
SIMPID=$!
PIDS+=("$SIMPID")
sleep 0.3
start_pcscd
wait_for service_back 1
wait_for reader_added 4
wait_for '"vitale":true' 2
echo "ok watch: pcscd restarted, monitor and emulator recovered without restarting the programs"
"$CLI" card read --json --reader "Virtual PCD 00 01" --wait-ms 3000 >"$WORK/out.json" \
  || fail "read after pcscd restart: $(cat "$WORK/out.json")"
echo "ok read after pcscd restart"
kill -TERM "$WATCH"; wait "$WATCH" 2>/dev/null
echo "PASS"
