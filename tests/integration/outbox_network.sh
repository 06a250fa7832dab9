#!/usr/bin/env bash
# Network faults between the outbox and the insurer simulator (issue 6), on loopback with
# mutual TLS; every count is checked against the simulator's ledger:
#  (a) the server refuses connections for its first seconds while `queue flush` runs: the
#      dispatcher goes offline, probes with backoff, recovers and delivers every sheet once;
#  (b) answers cut in the middle (--drop-mid-response 0.3: the lot was processed, the desk
#      never heard it) and connections refused (server not running), then the server back;
#  (c) `kill -9` of `queue flush` at random points over 200 cycles (new sheets keep coming,
#      ARLs are delayed), then one clean flush: 0 lost, 0 duplicated.
# Usage: outbox_network.sh <cli> <sim>
set -u
CLI=$1
SIM=$2
T=$(mktemp -d)
SERVER_PID=
cleanup() {
  [[ -n $SERVER_PID ]] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
  rm -rf "$T"
}
trap cleanup EXIT
export LANG=C.UTF-8
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

"$SIM" pki practitioner --out "$T/pki" >/dev/null || { echo "FAIL: pki practitioner"; exit 1; }
"$SIM" pki server "$T/tls" >/dev/null || { echo "FAIL: pki server"; exit 1; }
cat >"$T/patient.json" <<'JSON'
{"verdict": "verified",
 "insured": {"nir": "255081416802538", "birth_name": "NETNOM", "first_name": "NETPRENOM",
             "birth_date": "19550814", "birth_rank": 1},
 "amo": {"regime": "01", "caisse": "141", "centre": "0000", "exemption": ""}}
JSON

# start_server <ledger> [flags…]: sets SERVER_PID and PORT.
start_server() {
  local ledger=$1
  shift
  rm -f "$T/server.log"  # never read the port of the previous server
  "$SIM" server --port 0 --tls-dir "$T/tls" --practitioner-ca "$T/pki/ca.pem" --ledger "$ledger" "$@" \
    >"$T/server.log" 2>&1 &
  SERVER_PID=$!
  local i
  for ((i = 0; i < 100; i++)); do
    PORT=$(sed -n 's/^listening on [0-9.]*:\([0-9]*\)$/\1/p' "$T/server.log" 2>/dev/null)
    [[ -n $PORT ]] && return 0
    sleep 0.05
  done
  ko "server did not start"; cat "$T/server.log"; return 1
}
stop_server() {
  kill "$SERVER_PID" 2>/dev/null
  wait "$SERVER_PID" 2>/dev/null
  SERVER_PID=
}
flush() {  # flush <db> [options…]
  local db=$1
  shift
  "$CLI" queue flush --register "$db" --server "https://127.0.0.1:$PORT" --tls-dir "$T/tls" --lang en \
    --timeout-ms 3000 "$@"
}
json_field() { sed -n "s/.*\"$2\": *\([0-9]*\).*/\1/p" <<<"$1" | head -1; }
# delivered_once <name> <db> <ledger> <n>: the ledger accepted exactly n sheets, all acknowledged.
delivered_once() {
  local name=$1 db=$2 ledger=$3 n=$4 counts accepted dups acked
  counts=$("$SIM" ledger "$ledger")
  accepted=$(json_field "$counts" fse_accepted)
  dups=$(json_field "$counts" duplicates_ignored)
  acked=$("$CLI" queue list --register "$db" --state acknowledged --json | grep -c '"ref"')
  [[ $accepted -eq $n ]] && ok || ko "$name: ledger accepted $accepted, expected $n"
  [[ $acked -eq $n ]] && ok || ko "$name: $acked acknowledged, expected $n"
  "$CLI" audit verify --register "$db" >/dev/null 2>&1 && ok || ko "$name: audit verify"
  echo "$name: $n sheets, ledger accepted $accepted once each, $dups replays recognised, $acked acknowledged, lost $((n - accepted < 0 ? 0 : n - accepted)), duplicated $((accepted > n ? accepted - n : 0))"
}

# (a) server down for its first 4 s while the flush runs.
DB="$T/a.db"
enqueue "$DB" 24
start_server "$T/a.ledger" --down-for 4 || exit 1
t0=$(date +%s)
out=$(flush "$DB" --lot-size 5 --wait-online 40 --retry-min 1 --retry-max 2 --json 2>"$T/err")
rc=$?
[[ $rc -eq 0 ]] && ok || { ko "(a) flush exit $rc"; cat "$T/err"; }
[[ $(json_field "$out" sent) -eq 24 && $(json_field "$out" acknowledged) -eq 24 ]] && ok || { ko "(a) counts"; echo "$out"; }
echo "(a) outage: recovered after $(($(date +%s) - t0)) s"
stop_server
delivered_once "(a) down then up" "$DB" "$T/a.ledger" 24

# (b1) answers dropped in the middle of the response (30 %).
DB="$T/b.db"
enqueue "$DB" 24
start_server "$T/b.ledger" --drop-mid-response 0.3 --seed 11 || exit 1
out=$(flush "$DB" --lot-size 3 --wait-online 60 --retry-min 1 --retry-max 1 --wait-arl 10 --json 2>"$T/err")
rc=$?
[[ $rc -eq 0 ]] && ok || { ko "(b) flush exit $rc"; cat "$T/err"; }
stop_server
held=$("$CLI" queue list --register "$DB" --state held --json | grep -c '"ref"')
[[ $held -eq 0 ]] && ok || { ko "(b) $held sheets held after a dropped answer:"; "$CLI" queue list --register "$DB" --state held --lang en | head -3; }
delivered_once "(b) dropped mid-response" "$DB" "$T/b.ledger" 24

# (b2) connection refused: nobody listens (the port of the server just stopped).
DB="$T/b2.db"
enqueue "$DB" 6
out=$(flush "$DB" --lot-size 3 --json 2>"$T/err")
rc=$?
[[ $rc -eq 3 ]] && ok || { ko "(b) refused: exit $rc, expected 3"; cat "$T/err"; }
[[ $(json_field "$out" deferred) -ge 3 && $(json_field "$out" sent) -eq 0 ]] && ok || { ko "(b) refused counts"; echo "$out"; }
grep -q "transport\|network\|réseau\|connect" "$T/err" && ok || { ko "(b) refused: unclear error"; cat "$T/err"; }
start_server "$T/b2.ledger" || exit 1
flush "$DB" --lot-size 3 --wait-arl 10 >/dev/null 2>"$T/err" && ok || { ko "(b) flush after refusal"; cat "$T/err"; }
stop_server
delivered_once "(b) refused then up" "$DB" "$T/b2.ledger" 6

# (b3) in a private network namespace: iptables REJECT (tcp-reset) for 2 s, then DROP (timeouts)
# for 2 s, then open, while the flush probes. Needs root, unshare and iptables (else skipped).
if [[ $(id -u) -eq 0 ]] && command -v iptables >/dev/null && unshare -n true 2>/dev/null; then
  DB="$T/n.db"
  enqueue "$DB" 12
  cat >"$T/netns.sh" <<NETNS
set -u
ip link set lo up
"$SIM" server --port 0 --tls-dir "$T/tls" --practitioner-ca "$T/pki/ca.pem" --ledger "$T/n.ledger" >"$T/n-server.log" 2>&1 &
srv=\$!
for i in \$(seq 1 100); do port=\$(sed -n 's/^listening on [0-9.]*:\([0-9]*\)\$/\1/p' "$T/n-server.log"); [[ -n \$port ]] && break; sleep 0.05; done
iptables -A INPUT -p tcp --dport "\$port" -j REJECT --reject-with tcp-reset
( sleep 2; iptables -D INPUT -p tcp --dport "\$port" -j REJECT --reject-with tcp-reset
  iptables -A INPUT -p tcp --dport "\$port" -j DROP; sleep 2; iptables -D INPUT -p tcp --dport "\$port" -j DROP ) &
"$CLI" queue flush --register "$DB" --server "https://127.0.0.1:\$port" --tls-dir "$T/tls" --lang en \
  --timeout-ms 1000 --lot-size 4 --wait-online 40 --retry-min 1 --retry-max 2 --json >"$T/n-out" 2>&1
echo "flush exit \$?" >>"$T/n-out"
wait \$!
kill \$srv; wait \$srv
NETNS
  t0=$(date +%s)
  timeout 90 unshare -n bash "$T/netns.sh"
  grep -q "flush exit 0" "$T/n-out" && ok || { ko "(b3) flush under iptables"; cat "$T/n-out"; }
  echo "(b3) iptables REJECT then DROP: recovered after $(($(date +%s) - t0)) s"
  delivered_once "(b3) iptables reject/drop" "$DB" "$T/n.ledger" 12
else
  echo "(b3) SKIP: iptables in a network namespace needs root, unshare and iptables"
fi

# (d) SIGTERM while the flush waits for late ARLs: it stops at once, cleanly, nothing left sending.
DB="$T/d.db"
enqueue "$DB" 4
start_server "$T/d.ledger" --arl-delay 60 || exit 1
"$CLI" queue flush --register "$DB" --server "https://127.0.0.1:$PORT" --tls-dir "$T/tls" --lang en \
  --wait-arl 60 --json >"$T/d-out" 2>&1 &
pid=$!
sleep 1.5
t0=$(date +%s%N)
kill -TERM "$pid"
wait "$pid"
rc=$?
ms=$((($(date +%s%N) - t0) / 1000000))
stop_server
[[ $rc -eq 0 ]] && ok || { ko "(d) SIGTERM: exit $rc"; cat "$T/d-out"; }
((ms < 3000)) && ok || ko "(d) SIGTERM: took $ms ms"
[[ $(json_field "$(cat "$T/d-out")" awaiting_arl) -eq 4 ]] && ok || { ko "(d) counts"; cat "$T/d-out"; }
sending=$("$CLI" queue list --register "$DB" --state sending --json | grep -c '"ref"')
[[ $sending -eq 0 ]] && ok || ko "(d) $sending sheets left sending"
echo "(d) SIGTERM during the ARL wait: stopped in $ms ms, 4 awaiting their ARL, 0 sending"

# (c) kill -9 of the flush at random points, 200 cycles; sheets keep coming, ARLs 1 s late.
DB="$T/c.db"
# A 15 ms answer latency widens the window where the insurer has the lot and the desk does not know yet.
start_server "$T/c.ledger" --arl-delay 1 --latency 15 --seed 3 || exit 1
total=0
killed=0
for ((cycle = 1; cycle <= 200; cycle++)); do
  if ((cycle % 2 == 1)); then enqueue "$DB" 1; total=$((total + 1)); fi
  # The CLI itself in the background (not a subshell running it): kill -9 must hit the sender.
  "$CLI" queue flush --register "$DB" --server "https://127.0.0.1:$PORT" --tls-dir "$T/tls" --timeout-ms 3000 \
    --lot-size 2 >/dev/null 2>&1 &
  pid=$!
  sleep "$(printf '0.%03d' $((RANDOM % 60)))"
  kill -9 "$pid" 2>/dev/null && killed=$((killed + 1))
  wait "$pid" 2>/dev/null
done
flush "$DB" --lot-size 10 --wait-arl 15 >"$T/out" 2>"$T/err" && ok || { ko "(c) final flush"; cat "$T/out" "$T/err"; }
stop_server
sending=$("$CLI" queue list --register "$DB" --state sending --json | grep -c '"ref"')
[[ $sending -eq 0 ]] && ok || ko "(c) $sending sheets left sending"
restarted=$(sqlite3 "$DB" "SELECT count(*) FROM audit WHERE reason='sender_restarted';" 2>/dev/null || echo "?")
echo "(c) kill -9: 200 cycles, $killed flushes killed mid-way, $restarted claims of a killed sender returned to the queue"
delivered_once "(c) kill -9" "$DB" "$T/c.ledger" "$total"

echo "outbox network: $passes passed, $fails failed"
[[ $fails -eq 0 ]]
