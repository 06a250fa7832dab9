#!/usr/bin/env bash
# The insurer simulator through its CLI: `pki server`, `server` (ready line, mutual TLS,
# idempotent lots, clean stop on SIGTERM, ledger reloaded after a restart) and `ledger`.
# Usage: insurer_sim.sh <vitaledesk-sim>
set -u
SIM=$1
command -v curl >/dev/null || { echo "SKIP: curl missing"; exit 77; }
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
scratch_dir SERVER_PID
export LANG=C.UTF-8

expect 0 "pki server" "$SIM" pki server "$T/pki"
for f in ca.pem server.pem server.key client.pem client.key arl-signer.pem arl-signer.key; do
  [[ -s $T/pki/$f ]] && ok || ko "pki server did not write $f"
done
expect 2 "server without --port" "$SIM" server --tls-dir "$T/pki"
expect 3 "server without TLS files" "$SIM" server --port 0 --tls-dir "$T/missing"

# start_server: runs the server in the background, waits (≤ 10 s) for its ready line, sets PORT.
start_server() {
  "$SIM" server --port 0 --tls-dir "$T/pki" --ledger "$T/ledger.jsonl" >"$T/server.out" 2>"$T/server.err" &
  SERVER_PID=$!
  wait_listening "$T/server.out"
  [[ -n $PORT ]] && ok || { ko "no 'listening on' line"; cat "$T/server.err"; exit 1; }
}
# stop_server: SIGTERM, then the process must be gone within 5 s with exit status 0.
stop_server() {
  kill -TERM "$SERVER_PID"
  local waited=0
  while kill -0 "$SERVER_PID" 2>/dev/null && [[ $waited -lt 50 ]]; do sleep 0.1; waited=$((waited + 1)); done
  wait "$SERVER_PID"
  local code=$?
  SERVER_PID=
  [[ $code -eq 0 ]] && ok || ko "server exited $code after SIGTERM"
}

CURL=(curl -sS --max-time 10 --cacert "$T/pki/ca.pem" --cert "$T/pki/client.pem" --key "$T/pki/client.key")
LOT='{"lotId":"L1","destination":"CPAM-751","members":[{"ref":"10099999996/1","idempotencyKey":"k1","fse":"not a CMS"},{"ref":"10099999996/2","idempotencyKey":"k2","fse":"x"}]}'

start_server
# No client certificate: the TLS layer refuses.
curl -sS --max-time 10 --cacert "$T/pki/ca.pem" "https://127.0.0.1:$PORT/v1/apcv/revocations" >"$T/out" 2>&1 \
  && ko "a client without certificate was served" || ok
check 0 '"duplicate":false,"lotId":"L1","members":2.*}201$' "${CURL[@]}" -w '%{http_code}' -H 'Content-Type: application/json' \
  -H 'Idempotency-Key: lot-1' --data "$LOT" "https://127.0.0.1:$PORT/v1/lots"
check 0 '"duplicate":true' "${CURL[@]}" -H 'Idempotency-Key: lot-1' --data "$LOT" "https://127.0.0.1:$PORT/v1/lots"
check 0 '"code":"missing_idempotency_key"' "${CURL[@]}" --data "$LOT" "https://127.0.0.1:$PORT/v1/lots"
# Without --apcv-dir there is no trust-list signer: 503 (trust_lists.sh tests the signed lists).
check 0 '"code":"trust_lists_unavailable"' "${CURL[@]}" "https://127.0.0.1:$PORT/v1/apcv/revocations"
stop_server
check 0 '"duplicates_ignored":1,"fse_accepted":0,"fse_rejected":2,"lots":1' "$SIM" ledger "$T/ledger.jsonl"

# After a restart the ledger is reloaded: the same lot is still a replay, counted once.
start_server
check 0 '"duplicate":true' "${CURL[@]}" -H 'Idempotency-Key: lot-1' --data "$LOT" "https://127.0.0.1:$PORT/v1/lots"
stop_server
check 0 '"duplicates_ignored":2,"fse_accepted":0,"fse_rejected":2,"lots":1' "$SIM" ledger "$T/ledger.jsonl"
expect 3 "ledger of a missing file" "$SIM" ledger "$T/none.jsonl"

echo "insurer sim: $passes passed, $fails failed"
[[ $fails -eq 0 ]]
