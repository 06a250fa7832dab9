#!/usr/bin/env bash
# Attacks on the ApCV credential with extracted phone keys, real binaries: `vitaledesk-sim phone
# forge` (TEST ONLY) builds what someone holding the app-instance keys of enrolled phones (never
# the insurer's key) can make; `vitaledesk-cli token verify` (text) and `scan --image` (the QR
# code as a camera sees it) must refuse each one with its reason, exit 1, no identity shown and
# no patient file written. The NFC path of the same forgeries: nfc_pcscd.sh.
# Usage: apcv_attacks.sh <cli> <sim>
set -u
CLI=$1
SIM=$2
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
export LANG=C.UTF-8
check 0 "trust" "$SIM" apcv init "$T/pki"
verify() { "$CLI" token verify --lang en --trust "$T/pki/trust" --replay-cache "$T/replay.txt" "$@"; }
forge() { "$SIM" phone forge --trust-dir "$T/pki" "$@"; }

# kind, reason id, words of the English cause
while read -r kind reason words; do
  text=$(forge --kind "$kind") || ko "phone forge --kind $kind"
  [[ $text == VD2:* ]] && ok || ko "$kind: not a VD2 token: $text"
  check 1 "\"$reason\"" verify "$text"
  check 1 "$words" verify "$text"
  out=$(verify --patient-out "$T/$kind.json" "$text" 2>&1)
  if grep -q '"nir"\|"insured"' <<<"$out" || [[ -e $T/$kind.json ]]; then
    ko "$kind: refused data shown or a patient file written"; echo "$out"
  else ok; fi
  # The same forgery as a QR code on the phone's screen, read by the scanner path.
  forge --kind "$kind" --png "$T/$kind.png" >/dev/null || ko "phone forge --kind $kind --png"
  check 1 "\"$reason\"" "$CLI" scan --json --lang en --image "$T/$kind.png" --trust "$T/pki/trust" \
    --replay-cache "$T/replay.txt"
done <<'KINDS'
other-nir apcv.credential_signature_invalid insurer's signature over the identity and rights does not match
other-rights apcv.credential_signature_invalid insurer's signature over the identity and rights does not match
long-delegation apcv.credential_signature_invalid insurer's signature over the identity and rights does not match
self-issued apcv.unknown_issuer issuer of the carte Vitale code is unknown
foreign-credential apcv.device_key_mismatch not the one the insurer issued this carte Vitale to
KINDS

# In French, the reason a user reads.
check 1 "n'est pas celui auquel l'assurance maladie" "$CLI" token verify --lang fr --trust "$T/pki/trust" \
  --replay-cache "$T/replay.txt" "$(forge --kind foreign-credential)"
# The insurer issued a 45-day delegation by mistake: refused all the same (30 days at most).
check 1 'apcv.delegation_too_long' verify "$("$SIM" phone qr --kit delegated-too-long --trust-dir "$T/pki")"
# The genuine tokens of the same phones still verify (the forgeries burnt nothing).
check 0 '"verdict": "verified"' verify "$("$SIM" phone qr --kit valid --trust-dir "$T/pki")"
check 0 'presented by Sam AIDANT' verify "$("$SIM" phone qr --kit delegated --trust-dir "$T/pki")"
# Usage.
check 2 '' forge --kind nonsense
check 2 '' "$SIM" phone forge --trust-dir "$T/pki"
check 3 '' forge --kind other-nir --trust-dir "$T/nowhere"
check 0 'TEST ONLY' "$SIM" phone forge --help

echo "apcv_attacks: $passes passed, $fails failed"
[[ $fails -eq 0 ]]
