#!/usr/bin/env bash
# ApCV token on the text path, real binaries: vitaledesk-sim makes the TEST-ONLY issuer, phones
# and trust directory, then the QR text of each kit; vitaledesk-cli token verify must give the
# kit's verdict, reason and exit code. Usage: token_cli.sh <cli> <sim>
set -u
CLI=$1
SIM=$2
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
export LANG=C.UTF-8
check 0 "trust" "$SIM" apcv init "$WORK/pki"
TRUST=$WORK/pki/trust
CACHE=$WORK/replay.txt
qr() { "$SIM" phone qr --kit "$1" --trust-dir "$WORK/pki"; }
verify() { "$CLI" token verify --lang en --trust "$TRUST" --replay-cache "$CACHE" "$@"; }

check 0 '"verdict": "verified"' verify "$(qr valid)"
check 0 '"nir": "' verify "$(qr valid)"
check 0 'trust material is 0 days old' verify "$(qr valid)"
check 1 'apcv.expired' verify "$(qr expired)"
check 1 'apcv.not_yet_valid' verify "$(qr not-yet-valid)"
check 1 'apcv.unknown_issuer' verify "$(qr unknown-issuer)"
check 1 'apcv.credential_signature_invalid' verify "$(qr tampered)"
check 1 'apcv.app_revoked' verify "$(qr revoked-phone)"
check 0 'presented by Sam AIDANT on behalf of' verify "$(qr delegated)"
# The same in French (--lang fr), and the parts in a fixed form whatever the language.
check 0 'présentée par Sam AIDANT pour le compte de' verify --lang fr "$(qr delegated)"
check 0 '"holder": "' verify --lang fr "$(qr delegated)"
check 1 'apcv.delegation_too_long' verify "$(qr delegated-too-long)"
REPLAYED=$(qr replayed)
check 0 '"verdict": "verified"' verify "$REPLAYED"
check 1 'apcv.replay' verify "$REPLAYED"
# A refused token does not show identity data.
out=$(verify "$(qr tampered)")
if grep -q '"nir"' <<<"$out"; then echo "FAIL: refused token shows a NIR"; fails=$((fails + 1)); else passes=$((passes + 1)); fi
# --at: the valid token seen 10 minutes later has expired.
check 1 'apcv.expired' verify --at "$(date -u -d '+10 minutes' +%Y-%m-%dT%H:%M:%SZ)" "$(qr valid)"
# Envelope only: signatures checked, claims printed raw; the tampered one still fails.
check 0 '"envelope": "verified"' verify --envelope-only "$(qr expired)"
check 0 'claims_diagnostic' verify --envelope-only "$(qr revoked-phone)"
check 0 'presentation.*cdg' verify --envelope-only "$(qr valid)"
check 1 'apcv.credential_signature_invalid' verify --envelope-only "$(qr tampered)"
check 1 'apcv.prefix' verify --prefix 'HC1:' "$(qr valid)"
check 1 'base45.character' verify 'VD2:abc'
# A token of the old format (VD1: identity signed by the phone only): refused, update the app.
check 1 'apcv.format_outdated' verify 'VD1:6BFOXN%TS'
check 1 'update the carte Vitale app' verify 'VD1:6BFOXN%TS'
# PNG of the phone's screen (ZXing writer); decoded by the external ZXingReader when installed.
check 0 'VD2:' "$SIM" phone qr --kit valid --trust-dir "$WORK/pki" --png "$WORK/valid.png" --size 480
check 0 'PNG' head -c 4 "$WORK/valid.png"
if command -v ZXingReader >/dev/null; then
  FROM_PNG=$(ZXingReader "$WORK/valid.png" | sed -n 's/^Text: *"\(.*\)"$/\1/p')
  check 0 '"verdict": "verified"' verify "$FROM_PNG"
fi
check 2 '' "$SIM" phone qr --kit valid --trust-dir "$WORK/pki" --png "$WORK/x.png" --size 10
# The image path: the same verdicts from the PNG through the CLI's own decoder (ZXing).
"$SIM" phone qr --kit valid --trust-dir "$WORK/pki" --png "$WORK/valid2.png" --size 400 >/dev/null
check 0 '"verdict": "verified"' verify --image "$WORK/valid2.png"
check 1 'apcv.replay' verify --image "$WORK/valid2.png"
"$SIM" phone qr --kit revoked-phone --trust-dir "$WORK/pki" --png "$WORK/revoked.png" --size 300 >/dev/null
check 1 'apcv.app_revoked' verify --image "$WORK/revoked.png"
"$SIM" phone qr --kit delegated --trust-dir "$WORK/pki" --png "$WORK/delegated.png" --size 800 >/dev/null
check 0 'presented by Sam AIDANT' verify --image "$WORK/delegated.png"
if command -v convert >/dev/null; then  # rotated, resized, RGBA with PNG filters
  convert "$WORK/delegated.png" -rotate 90 -resize 60% -define png:color-type=6 -depth 8 "$WORK/rgba.png"
  check 1 'apcv.replay' verify --image "$WORK/rgba.png"
fi
printf 'not a png' >"$WORK/bad.png"
check 1 'image.malformed' verify --image "$WORK/bad.png"
check 3 '' verify --image "$WORK/missing.png"
check 2 '' verify --image "$WORK/valid.png" "$(qr valid)"
# Usage and environment.
check 2 '' "$CLI" token verify --trust "$TRUST"
check 2 '' verify --at yesterday "$(qr valid)"
check 2 '' "$SIM" phone qr --kit nonsense --trust-dir "$WORK/pki"
check 3 '' "$CLI" token verify --trust "$WORK/nowhere" "$(qr valid)"
check 3 '' "$CLI" token verify --trust "$TRUST" --replay-cache "$WORK/no/such/dir/r.txt" "$(qr valid)"
# French by default.
check 1 'déjà été présenté' "$CLI" token verify --trust "$TRUST" --replay-cache "$CACHE" "$REPLAYED"
# No key material outside the work directory's keys/ (0600).
check 0 '600' stat -c %a "$WORK/pki/keys/phone-key.pem"

echo "token_cli: $passes passed, $fails failed"
[[ $fails -eq 0 ]]
