#!/bin/bash
# The appli carte Vitale over NFC through a PRIVATE pcscd + vpcd (docs/formats/apcv-nfc.md):
# `vitaledesk-sim phone nfc` is the phone in host card emulation on the second vpcd reader
# (contactless ATR); `vitaledesk-cli nfc read --json` must give each kit's verdict and exit
# code, refuse a replayed token and a stale challenge, end cleanly (exit 3, no data) when the
# phone is lifted mid-exchange, and say so when there is no contactless reader.
# Usage: nfc_pcscd.sh <vitaledesk-cli> <vitaledesk-sim>
set -u
CLI=$1 SIM=$2
source "$(dirname "$0")/pcscd_lib.sh"
pcscd_enter_ns 170 "$@"
pcscd_setup
export LANG=C.UTF-8
"$SIM" apcv init "$WORK/apcv" >/dev/null || fail "apcv init"
"$SIM" pki init "$WORK/pki" >/dev/null || fail "pki init"
PHONE_PORT=$((PORT + 1))
nfc() { "$CLI" nfc read --json --lang en --trust "$WORK/apcv/trust" --replay-cache "$WORK/replay.txt" "$@"; }
verdict() { sed -n 's/^  "verdict": "\([a-z_]*\)",\{0,1\}$/\1/p' "$WORK/out.json"; }
start_phone() {  # start_phone SIM-OPTIONS…
  "$SIM" phone nfc --trust-dir "$WORK/apcv" --port "$PHONE_PORT" "$@" 2>>"$WORK/sim.log" &
  PHONE=$!
  PIDS+=("$PHONE")
}
stop_phone() {  # and wait until pcscd saw the phone go
  kill -TERM "$PHONE" 2>/dev/null; wait "$PHONE" 2>/dev/null
  for _ in $(seq 1 40); do
    nfc --wait-ms 0 --reader "Virtual PCD 00 01" 2>/dev/null | grep -q '"nfc.no_phone"' && return 0; sleep 0.1
  done
  fail "the phone did not leave the reader"
}

# Usage errors: no trust directory, a bad --at.
env -u VITALEDESK_TRUST_DIR "$CLI" nfc read --json >/dev/null 2>&1; rc=$?
[ $rc -eq 2 ] || fail "no --trust: rc=$rc"
nfc --at 2026-13-01 >/dev/null 2>&1; rc=$?
[ $rc -eq 2 ] || fail "bad --at: rc=$rc"
echo "ok usage errors -> exit 2"

# No service: exit 3 at once.
nfc >"$WORK/out.json"; rc=$?
[ $rc -eq 3 ] && grep -q '"pcsc.no_service"' "$WORK/out.json" || fail "no service: rc=$rc $(cat "$WORK/out.json")"
echo "ok no service -> exit 3"

start_pcscd
# No phone on any reader: exit 3 after the wait budget.
nfc --wait-ms 500 >"$WORK/out.json"; rc=$?
[ $rc -eq 3 ] && grep -q '"nfc.no_phone"' "$WORK/out.json" || fail "no phone: rc=$rc $(cat "$WORK/out.json")"
echo "ok no phone -> exit 3"

# Each kit, as `token verify` judges the same kit's QR text.
while read -r kit expected reason; do
  start_phone --kit "$kit"
  t0=$(date +%s%N)
  rm -f "$WORK/patient.json"
  nfc --wait-ms 3000 --patient-out "$WORK/patient.json" >"$WORK/out.json"; rc=$?
  t1=$(date +%s%N)
  # --patient-out: the `fse new --patient` file of a verified phone only, mode 0600.
  if [ "$expected" = verified ]; then
    grep -q '"verdict": *"verified"' "$WORK/patient.json" && [ "$(stat -c %a "$WORK/patient.json")" = 600 ] ||
      fail "kit $kit: no verified patient file"
  else
    [ ! -e "$WORK/patient.json" ] || fail "kit $kit: a patient file was written for a refused phone"
  fi
  want_rc=1; [ "$expected" = verified ] && want_rc=0
  [ "$(verdict)" = "$expected" ] && [ $rc -eq $want_rc ] ||
    fail "kit $kit: verdict '$(verdict)' rc=$rc, expected $expected: $(cat "$WORK/out.json")"
  if [ "$expected" = verified ]; then
    grep -q '"insured"' "$WORK/out.json" && grep -q '"reader": "Virtual PCD 00 01"' "$WORK/out.json" ||
      fail "kit $kit: no identity or wrong reader: $(cat "$WORK/out.json")"
  else
    grep -q "\"$reason\"" "$WORK/out.json" && ! grep -q '"nir"' "$WORK/out.json" ||
      fail "kit $kit: reason $reason missing or identity shown: $(cat "$WORK/out.json")"
  fi
  [ "$kit" = delegated ] && { grep -q 'presented by Sam AIDANT on behalf of' "$WORK/out.json" || fail "delegation not shown"; }
  ms=$(sed -n 's/^  "elapsed_ms": \([0-9.]*\),\{0,1\}$/\1/p' "$WORK/out.json")
  apdus=$(sed -n 's/^  "apdu_commands": \([0-9]*\),\{0,1\}$/\1/p' "$WORK/out.json")
  echo "ok kit $kit -> $expected ${reason} (exchange ${ms} ms, $apdus APDUs, command $(( (t1 - t0) / 1000000 )) ms)"
  stop_phone
done <<'KITS'
valid verified
expired refused apcv.expired
not-yet-valid refused apcv.not_yet_valid
unknown-issuer refused apcv.unknown_issuer
tampered refused apcv.credential_signature_invalid
revoked-phone refused apcv.app_revoked
delegated verified
delegated-too-long refused apcv.delegation_too_long
KITS

# TEST-ONLY attacker (`phone nfc --forge`): tokens built with extracted phone keys, signed for the
# reader's challenge; each refused with its reason, nothing of the identity shown.
while read -r kind reason; do
  start_phone --forge "$kind"
  nfc --wait-ms 3000 >"$WORK/out.json"; rc=$?
  [ $rc -eq 1 ] && grep -q "\"$reason\"" "$WORK/out.json" && ! grep -q '"nir"' "$WORK/out.json" ||
    fail "forge $kind: rc=$rc, expected $reason: $(cat "$WORK/out.json")"
  echo "ok forge $kind -> $reason"
  stop_phone
done <<'FORGED'
other-nir apcv.credential_signature_invalid
other-rights apcv.credential_signature_invalid
long-delegation apcv.credential_signature_invalid
self-issued apcv.unknown_issuer
foreign-credential apcv.device_key_mismatch
FORGED

# A phone with the old app (NFC protocol version 1, VD1 tokens): refused, "update the app".
start_phone --kit valid --outdated
nfc --wait-ms 3000 >"$WORK/out.json"; rc=$?
[ $rc -eq 1 ] && grep -q '"apcv.format_outdated"' "$WORK/out.json" && grep -q 'update the carte Vitale app' "$WORK/out.json" ||
  fail "outdated app: rc=$rc $(cat "$WORK/out.json")"
echo "ok outdated app -> apcv.format_outdated"
stop_phone

# Without --json, in French: the verdict line and the holder; lifted: the cause and the action.
start_phone --kit delegated
"$CLI" nfc read --lang fr --trust "$WORK/apcv/trust" --replay-cache "$WORK/replay.txt" --wait-ms 3000 >"$WORK/out.txt" 2>&1 ||
  fail "text output: $(cat "$WORK/out.txt")"
grep -q '^Appli carte Vitale (NFC) : vérifiée (Virtual PCD 00 01)$' "$WORK/out.txt" && grep -q 'présentée par Sam AIDANT pour le compte de' "$WORK/out.txt" ||
  fail "text output: $(cat "$WORK/out.txt")"
stop_phone
start_phone --kit valid --lift-after 1
"$CLI" nfc read --lang fr --trust "$WORK/apcv/trust" --replay-cache "$WORK/replay.txt" --wait-ms 3000 >"$WORK/out.txt" 2>&1; rc=$?
[ $rc -eq 3 ] && grep -q "retiré du lecteur pendant l'échange" "$WORK/out.txt" || fail "text lifted: rc=$rc $(cat "$WORK/out.txt")"
wait "$PHONE"
for _ in $(seq 1 40); do nfc --wait-ms 0 2>/dev/null | grep -q '"nfc.no_phone"' && break; sleep 0.1; done
echo "ok text output (fr): verdict, delegation, phone lifted"

# Replayed: the phone signs each fresh challenge but reuses one token id: second tap refused.
start_phone --kit replayed
nfc --wait-ms 3000 >"$WORK/out.json" || fail "replayed, first tap: $(cat "$WORK/out.json")"
nfc --wait-ms 3000 >"$WORK/out.json"; rc=$?
[ $rc -eq 1 ] && grep -q '"apcv.replay"' "$WORK/out.json" && ! grep -q '"nir"' "$WORK/out.json" ||
  fail "replayed: rc=$rc $(cat "$WORK/out.json")"
echo "ok replayed token id refused on the second tap"
stop_phone

# A signed answer for another challenge (a recorded answer played back): refused, every time.
start_phone --kit valid --echo-stale-challenge
for tap in 1 2; do
  nfc --wait-ms 3000 >"$WORK/out.json"; rc=$?
  [ $rc -eq 1 ] && grep -q '"apcv.challenge_mismatch"' "$WORK/out.json" ||
    fail "stale challenge, tap $tap: rc=$rc $(cat "$WORK/out.json")"
done
echo "ok stale challenge refused"
stop_phone

# A phone (or card) without the ApCV HCE service: SELECT 6A82.
start_phone --kit valid --no-service
nfc --wait-ms 3000 >"$WORK/out.json"; rc=$?
[ $rc -eq 1 ] && grep -q '"nfc.service_absent"' "$WORK/out.json" || fail "no HCE service: rc=$rc $(cat "$WORK/out.json")"
echo "ok no HCE service -> refused"
stop_phone

# Lifted mid-exchange: after SELECT and GET TOKEN, during the chained answer.
for n in 1 2; do
  start_phone --kit valid --lift-after "$n"
  nfc --wait-ms 3000 >"$WORK/out.json"; rc=$?
  [ $rc -eq 3 ] && grep -q '"nfc.phone_lifted"' "$WORK/out.json" && grep -q 'lifted from the reader' "$WORK/out.json" &&
    ! grep -q '"insured"\|"nir"' "$WORK/out.json" || fail "lifted after $n APDUs: rc=$rc $(cat "$WORK/out.json")"
  wait "$PHONE"; src=$?
  [ $src -eq 0 ] || fail "the lifted phone's simulator exited $src"
  for _ in $(seq 1 40); do
    nfc --wait-ms 0 2>/dev/null | grep -q '"nfc.no_phone"' && break; sleep 0.1
  done
  echo "ok phone lifted after $n APDUs -> exit 3, no data"
done

# A carte Vitale (contact ATR) in the first reader, a phone on the second: the phone is chosen.
"$SIM" card --kit family --port "$PORT" --pki "$WORK/pki" 2>>"$WORK/sim.log" &
CARD=$!
PIDS+=("$CARD")
start_phone --kit valid
nfc --wait-ms 3000 >"$WORK/out.json" && grep -q '"reader": "Virtual PCD 00 01"' "$WORK/out.json" ||
  fail "phone next to a contact card: $(cat "$WORK/out.json")"
echo "ok the phone's reader is chosen next to a contact card"
stop_phone
# The chosen reader holds a contact card: no contactless reader, exit 3, at once.
nfc --wait-ms 3000 --reader "Virtual PCD 00 00" >"$WORK/out.json"; rc=$?
[ $rc -eq 3 ] && grep -q '"nfc.no_contactless_reader"' "$WORK/out.json" ||
  fail "contact card in the chosen reader: rc=$rc $(cat "$WORK/out.json")"
# Both readers hold contact cards: nowhere to tap a phone.
"$SIM" card --kit twins --port "$PHONE_PORT" --pki "$WORK/pki" 2>>"$WORK/sim.log" &
PIDS+=("$!")
for _ in $(seq 1 40); do
  nfc --wait-ms 0 >"$WORK/out.json" 2>/dev/null; grep -q '"nfc.no_contactless_reader"' "$WORK/out.json" && break; sleep 0.1
done
grep -q '"nfc.no_contactless_reader"' "$WORK/out.json" && grep -q 'No contactless reader' "$WORK/out.json" ||
  fail "only contact cards: $(cat "$WORK/out.json")"
echo "ok no contactless reader -> exit 3 with its message"
echo "PASS"
