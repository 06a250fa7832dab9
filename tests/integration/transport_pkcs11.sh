#!/usr/bin/env bash
# TLS to the insurer through the REAL CLI (`queue flush`) and the real insurer simulator:
#  - the desk's client key generated inside a SoftHSM2 token (never on disk), selected with
#    --tls-key pkcs11:… and its PIN from a 0600 file: sheets sent and acknowledged, directly and
#    through a real HTTP CONNECT proxy (tinyproxy started here, stopped by PID);
#  - a wrong PIN (VD_TLS_PIN) and a world-readable PIN file: refused before connecting, the PIN
#    never printed, nothing sent;
#  - --pinned-key: the server's key accepted, another key refused with the pin message;
#  - a server whose certificate chains to a CA of the system store (/etc/ssl/certs replaced by a
#    store built here, in a private mount namespace: the machine's own store is never touched)
#    but not to the configured insurer CA: libcurl's defaults (the curl tool, CAINFO set, CA path
#    left at its default — the old option set) accept it; `queue flush` refuses it.
# The tools come from tools/apt-packages.txt: a missing one is a failure, not a skip.
# Usage: transport_pkcs11.sh <vitaledesk-cli> <vitaledesk-sim>
set -u
CLI=$1
SIM=$2
for tool in softhsm2-util pkcs11-tool openssl tinyproxy python3 curl unshare; do
  command -v "$tool" >/dev/null || { echo "FAIL: $tool missing (install tools/apt-packages.txt)"; exit 1; }
done
[[ -e /usr/lib/softhsm/libsofthsm2.so ]] || { echo "FAIL: libsofthsm2 missing (softhsm2)"; exit 1; }
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
scratch_dir PROXY_PID SERVER_PID ROGUE_PID
export LANG=C.UTF-8
unset VD_TLS_PIN

"$SIM" pki practitioner --out "$T/pki" >/dev/null || { echo "FAIL: pki practitioner"; exit 1; }
"$SIM" pki server "$T/tls" >/dev/null || { echo "FAIL: pki server"; exit 1; }

LABEL="vd-tls-$$"
softhsm_token "$LABEL" tlskey || exit 1
URI="pkcs11:token=$LABEL;object=tlskey;type=private"
# A client certificate for the token key, issued by the simulator's test CA.
OPENSSL_CONF=$T/openssl.cnf openssl req -new -engine pkcs11 -keyform engine \
  -key "$URI;pin-value=1234" -subj "/O=VitaleDesk TEST ONLY/CN=TEST ONLY token desk" -out "$T/token.csr" \
  >/dev/null 2>&1 || { echo "FAIL: token CSR"; exit 1; }
printf 'extendedKeyUsage = clientAuth\nkeyUsage = critical,digitalSignature\n' >"$T/ext.cnf"
openssl x509 -req -in "$T/token.csr" -CA "$T/tls/ca.pem" -CAkey "$T/tls/ca-key.pem" -CAcreateserial \
  -days 30 -extfile "$T/ext.cnf" -out "$T/token.pem" >/dev/null 2>&1 || { echo "FAIL: token certificate"; exit 1; }
printf '1234\n' >"$T/pin"
chmod 600 "$T/pin"

cat >"$T/patient.json" <<'JSON'
{"verdict": "verified",
 "insured": {"nir": "255081416802538", "birth_name": "TLSNOM", "first_name": "TLSPRENOM",
             "birth_date": "19550814", "birth_rank": 1},
 "amo": {"regime": "01", "caisse": "141", "centre": "0000", "exemption": ""}}
JSON
DB=$T/register.db
# start_sim <tls dir> <log>: prints the port.
start_sim() {
  "$SIM" server --port 0 --tls-dir "$1" --practitioner-ca "$T/pki/ca.pem" >"$2" 2>&1 &
  LAST_PID=$!
  local i port
  for ((i = 0; i < 100; i++)); do
    port=$(sed -n 's/^listening on [0-9.]*:\([0-9]*\)$/\1/p' "$2" 2>/dev/null)
    [[ -n $port ]] && { echo "$port"; return 0; }
    sleep 0.05
  done
  return 1
}
start_sim "$T/tls" "$T/server.log" >"$T/port" || { echo "FAIL: server did not start"; cat "$T/server.log"; exit 1; }
SERVER_PID=$LAST_PID
PORT=$(cat "$T/port")
TOKEN=(--tls-key "$URI" --tls-cert "$T/token.pem" --pkcs11-module "$MODULE")
flush() {
  "$CLI" queue flush --register "$DB" --server "https://127.0.0.1:$PORT" --tls-dir "$T/tls" --lang en \
    --timeout-ms 5000 --json "$@"
}
field() { sed -n "s/.*\"$1\": *\([0-9]*\).*/\1/p" "$T/out" | head -1; }
no_pin_shown() {  # no_pin_shown <pin> <what>
  if grep -q -- "$1" "$T/out"; then ko "$2: the PIN is printed"; cat "$T/out"; else ok; fi
}

# 1. The token key, PIN from a 0600 file: sent and acknowledged.
enqueue "$DB" 2
expect 0 "flush with the token key" flush "${TOKEN[@]}" --pin-file "$T/pin" --wait-arl 5
[[ $(field sent) == 2 && $(field acknowledged) == 2 ]] && ok || { ko "token key: not 2 sent and acknowledged"; cat "$T/out"; }

# 2. A wrong PIN from the environment: refused before connecting, not shown, nothing sent.
enqueue "$DB" 1
VD_TLS_PIN=9876 expect 3 "wrong PIN" flush "${TOKEN[@]}"
grep -q "refused the PIN" "$T/out" && grep -q "$LABEL" "$T/out" && ok || { ko "wrong PIN message"; cat "$T/out"; }
no_pin_shown 9876 "wrong PIN"
VD_TLS_PIN=9876 expect 3 "wrong PIN (fr)" flush "${TOKEN[@]}" --lang fr
grep -q "a refusé le code PIN" "$T/out" && ok || { ko "wrong PIN message (fr)"; cat "$T/out"; }
no_pin_shown 9876 "wrong PIN (fr)"
printf '1234\n' >"$T/pin-open"
chmod 644 "$T/pin-open"
expect 3 "PIN file readable by others" flush "${TOKEN[@]}" --pin-file "$T/pin-open"
grep -q "readable by others" "$T/out" && ok || { ko "open PIN file message"; cat "$T/out"; }
expect 3 "no PIN at all" flush "${TOKEN[@]}" --pin-stdin </dev/null
grep -q "No PIN was given" "$T/out" && ok || { ko "missing PIN message"; cat "$T/out"; }
expect 3 "PIN inside the URI" flush --tls-key "$URI?pin-value=1234" --tls-cert "$T/token.pem" \
  --pkcs11-module "$MODULE" --pin-file "$T/pin"
no_pin_shown "pin-value=1234" "PIN inside the URI"
"$CLI" queue stats --register "$DB" --json >"$T/out" 2>&1
[[ $(field pending) == 1 ]] && ok || { ko "the refused sheet is not pending"; cat "$T/out"; }

# 3. Through tinyproxy (CONNECT), PIN on standard input.
PPORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
printf 'Port %s\nListen 127.0.0.1\nTimeout 30\nLogFile "%s"\nLogLevel Connect\nMaxClients 10\nAllow 127.0.0.1\n' \
  "$PPORT" "$T/tinyproxy.log" >"$T/tinyproxy.conf"
tinyproxy -d -c "$T/tinyproxy.conf" >"$T/tinyproxy.out" 2>&1 &
PROXY_PID=$!
for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$PPORT") 2>/dev/null && break; sleep 0.1; done
expect 0 "flush through the proxy" flush "${TOKEN[@]}" --pin-stdin --proxy "http://127.0.0.1:$PPORT" <"$T/pin"
[[ $(field sent) == 1 ]] && ok || { ko "proxy: not 1 sent"; cat "$T/out"; }
grep -q "CONNECT" "$T/tinyproxy.log" && ok || { ko "tinyproxy saw no CONNECT"; cat "$T/tinyproxy.log"; }

# 4. Pinned server key.
spki() { openssl x509 -in "$1" -pubkey -noout | openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | base64; }
RIGHT="sha256//$(spki "$T/tls/server.pem")"
WRONG="sha256//$(spki "$T/tls/client.pem")"
enqueue "$DB" 1
expect 3 "wrong pinned key" flush --pinned-key "$WRONG"
grep -q "is not the one pinned" "$T/out" && grep -q '"sent": 0' "$T/out" && ok || { ko "pin mismatch"; cat "$T/out"; }
"$CLI" queue list --register "$DB" --state held --json >"$T/held" 2>&1
REF=$(sed -n 's/.*"ref": *"\([^"]*\)".*/\1/p' "$T/held" | head -1)
[[ -n $REF ]] && "$CLI" queue release "$REF" --register "$DB" >/dev/null 2>&1 && ok || { ko "release"; cat "$T/held"; }
expect 3 "malformed pinned key" flush --pinned-key "sha256//nope"
grep -q "not in the form" "$T/out" && ok || { ko "invalid pin message"; cat "$T/out"; }
expect 0 "right pinned key" flush --pinned-key "$WRONG;$RIGHT"
[[ $(field sent) == 1 ]] && ok || { ko "right pin: not 1 sent"; cat "$T/out"; }

# 5. A server of a "system" CA, not of the insurer CA.
# Its CA has a subject of its own (OpenSSL picks issuers by name); the rogue server keeps the
# insurer's ca.pem to accept the desk's client certificate.
cp -r "$T/tls" "$T/rogue"
mkdir -p "$T/store"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$T/rogue-ca.key" \
  -out "$T/store/rogue-ca.pem" -subj "/O=TEST ONLY/CN=TEST ONLY public CA" -days 30 \
  -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign >/dev/null 2>&1 \
  && openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$T/rogue/server.key" \
    -out "$T/rogue.csr" -subj /CN=127.0.0.1 >/dev/null 2>&1 \
  && printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n' >"$T/rogue.ext" \
  && openssl x509 -req -in "$T/rogue.csr" -CA "$T/store/rogue-ca.pem" -CAkey "$T/rogue-ca.key" -CAcreateserial \
    -days 30 -extfile "$T/rogue.ext" -out "$T/rogue/server.pem" >/dev/null 2>&1 \
  && openssl rehash "$T/store" || { echo "FAIL: rogue PKI"; exit 1; }
start_sim "$T/rogue" "$T/rogue.log" >"$T/rport" || { ko "rogue server"; cat "$T/rogue.log"; }
ROGUE_PID=$LAST_PID
RPORT=$(cat "$T/rport")
enqueue "$DB" 1
# In a private mount namespace, /etc/ssl/certs is the store built here.
in_store() { unshare --mount --propagation private bash -c 'mount --bind "$0" /etc/ssl/certs && exec "$@"' "$T/store" "$@"; }
if in_store true 2>"$T/unshare.err"; then
  OLD=$(in_store curl -s -o /dev/null -w '%{http_code}' --cacert "$T/tls/ca.pem" --cert "$T/tls/client.pem" \
    --key "$T/tls/client.key" "https://127.0.0.1:$RPORT/v1/lots/none/arl")
  [[ $OLD == 404 ]] && ok || ko "control: libcurl's default CA path does not accept the rogue server ($OLD)"
  in_store "$CLI" queue flush --register "$DB" --server "https://127.0.0.1:$RPORT" --tls-dir "$T/tls" --lang en \
    --timeout-ms 5000 --json >"$T/out" 2>&1
  rc=$?
  [[ $rc -eq 3 ]] && grep -q '"sent": 0' "$T/out" && grep -q "transport.tls\|secure connection was refused" "$T/out" \
    && ok || { ko "rogue server accepted by queue flush (exit $rc)"; cat "$T/out"; }
  enqueue "$DB" 1
  SSL_CERT_DIR=$T/store SSL_CERT_FILE=$T/store/rogue-ca.pem expect 3 "rogue server, SSL_CERT_* set" \
    "$CLI" queue flush --register "$DB" --server "https://127.0.0.1:$RPORT" --tls-dir "$T/tls" --timeout-ms 5000
else
  ko "unshare --mount: $(cat "$T/unshare.err")"
fi

echo "transport pkcs11: $passes passed, $fails failed"
[[ $fails -eq 0 ]]
