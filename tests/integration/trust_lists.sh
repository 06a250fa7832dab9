#!/usr/bin/env bash
# Signed trust lists through the real binaries: `vitaledesk-sim server --apcv-dir` serves the
# insurer-signed lists over mutual TLS, `vitaledesk-cli trust refresh` verifies and installs
# them as one file. A good list is installed (sequence shown); an older one replayed, one signed
# by an unknown key, an altered one, an unsigned one and a truncated one are each refused with
# the CLI's message, the installed lists kept. Then tokens of an expired issuer and of a revoked
# issuer (its kid in the lists) are refused by `token verify` with the reason.
# Usage: trust_lists.sh <vitaledesk-cli> <vitaledesk-sim>
set -u
CLI=$1
SIM=$2
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
scratch_dir SERVER_PID
export LANG=C.UTF-8

expect 0 "pki server" "$SIM" pki server "$T/tls"
expect 0 "apcv init" "$SIM" apcv init "$T/apcv"
# The desk's folders: the issuers and the trust-list signer certificate, lists to come.
mkdir -p "$T/desk/card"
cp -r "$T/apcv/trust" "$T/desk/apcv"
rm -f "$T/desk/apcv/trust-lists.cose"
[[ -s $T/desk/apcv/trust-list-signer.pem ]] && ok || ko "apcv init wrote no trust-list-signer.pem"

# serve MODE SEQ: (re)starts the insurer serving MODE lists numbered SEQ; sets PORT.
serve() {
  [[ -n $SERVER_PID ]] && { kill -TERM "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null; SERVER_PID=; }
  "$SIM" server --port 0 --tls-dir "$T/tls" --apcv-dir "$T/apcv" --trust-list "$1" --trust-list-seq "$2" \
    >"$T/server.out" 2>"$T/server.err" &
  SERVER_PID=$!
  wait_listening "$T/server.out"
  [[ -n $PORT ]] || { ko "no 'listening on' line"; cat "$T/server.err"; exit 1; }
}
refresh() {
  "$CLI" trust refresh --lang en --server "https://127.0.0.1:$PORT" --tls-dir "$T/tls" --trust "$T/desk/apcv" \
    --card-trust "$T/desk/card" "$@"
}

serve good 5000
check 0 'Trust lists installed: number 5000' refresh
check 0 '1 revoked issuers' refresh  # the same document again: accepted, nothing changes
cp "$T/desk/apcv/trust-lists.cose" "$T/installed.cose"
cp "$T/desk/card/opposition.txt" "$T/installed-opposition.txt"
kept() {
  cmp -s "$T/desk/apcv/trust-lists.cose" "$T/installed.cose" && cmp -s "$T/desk/card/opposition.txt" \
    "$T/installed-opposition.txt" && ok || ko "$1: the installed lists changed"
}
serve good 4999
check 1 'number 4999) are older than the installed ones (number 5000)' refresh
kept "older"
serve unknown-key 6000
check 1 'signed by an unknown key' refresh
kept "unknown key"
serve bad-signature 6000
check 1 'does not match (lists altered)' refresh
kept "bad signature"
serve unsigned 6000
check 1 'not signed by the insurer' refresh
kept "unsigned"
serve truncated 6000
check 1 'incomplete or malformed (truncated)' refresh
kept "truncated"
# French by default, with the action.
serve good 4000
check 1 'plus anciennes que celles installées' "$CLI" trust refresh --server "https://127.0.0.1:$PORT" \
  --tls-dir "$T/tls" --trust "$T/desk/apcv"
kept "older (fr)"
check 2 '' "$CLI" trust refresh --server "https://127.0.0.1:$PORT" --tls-dir "$T/tls"
# A newer one replaces it.
serve good 7000
check 0 'number 7000 (replaces 5000)' refresh

# Issuer certificates: the token of an expired issuer and of a revoked one, refused with why.
verify() { "$CLI" token verify --lang en --trust "$T/desk/apcv" --replay-cache "$T/replay.txt" "$@"; }
qr() { "$SIM" phone qr --kit "$1" --trust-dir "$T/apcv"; }
check 0 '"verdict": "verified"' verify "$(qr valid)"
check 1 'apcv.issuer_expired' verify "$(qr expired-issuer)"
check 1 'expired on' verify "$(qr expired-issuer)"
check 1 'apcv.issuer_revoked' verify "$(qr revoked-issuer)"
check 1 'revoked by the insurer' verify "$(qr revoked-issuer)"
check 1 'apcv.issuer_mismatch' verify "$(qr wrong-iss)"
check 1 "claims to be issued by 'OTHER-ISSUER'" verify "$(qr wrong-iss)"
# Without the signed lists the revoked issuer is only an issuer: the list is what revokes it.
mkdir -p "$T/nolists" && cp -r "$T/desk/apcv/issuers" "$T/nolists/issuers"
check 0 '"verdict": "verified"' "$CLI" token verify --lang en --trust "$T/nolists" --replay-cache "$T/r2.txt" \
  "$(qr revoked-issuer)"
# The desk refuses a trust folder whose installed lists were altered on disk.
printf 'x' >>"$T/desk/apcv/trust-lists.cose"
check 3 '' verify "$(qr valid)"

echo "trust_lists: $passes passed, $fails failed"
[[ $fails -eq 0 ]]
