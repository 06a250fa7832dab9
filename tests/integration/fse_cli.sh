#!/usr/bin/env bash
# The billing issue's "done when", through the real binaries: an FSE made by the CLI
# verifies with `fse verify` and fails it after one byte is changed; signing works with a
# key file and with a SoftHSM2 token created here (PIN given on stdin, never stored);
# invoice numbers follow each other per practitioner. Usage: fse_cli.sh <cli> <sim>
set -u
CLI=$1
SIM=$2
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export LANG=C.UTF-8
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

pki_and_patient "$SIM" TESTVITALE CAMILLE ',
 "amc": {"organisation": "99999997", "contract": "TEST", "covers_ticket_moderateur": true, "tiers_payant": false}'
NEW=(fse new --practitioner "$T/pki/practitioner.json" --patient "$T/patient.json" --date 2025-01-15
     --register "$T/register.db")

# Key file: the worked example.
expect 0 "fse new (key file)" "$CLI" "${NEW[@]}" --act G --out "$T/a.fse"
grep -q "19.00" "$T/out" && grep -q "AMC 9.00" "$T/out" && ok || ko "summary lacks AMO 19.00 / AMC 9.00"
expect 0 "fse verify" "$CLI" fse verify --trust "$T/pki/ca.pem" "$T/a.fse"
expect 0 "fse show" "$CLI" fse show --lang en "$T/a.fse"
grep -q "Care sheet no. 1" "$T/out" && ok || ko "show lacks number 1"

# One byte changed in the signed content (a digit of an amount, inside the base64) → refused.
sed '2s/./X/10' "$T/a.fse" >"$T/tampered.fse"
expect 1 "verify tampered" "$CLI" fse verify --trust "$T/pki/ca.pem" "$T/tampered.fse"
# Another authority → refused.
"$SIM" pki practitioner --out "$T/other" >/dev/null
expect 1 "verify against another CA" "$CLI" fse verify --trust "$T/other/ca.pem" "$T/a.fse"
expect 1 "verify without a trust anchor (signer unchecked)" "$CLI" fse verify "$T/a.fse"

# Only a verified credential is billed: a patient file without the verdict, or refused, is
# turned down (exit 1, the cause and action in the chosen language) and consumes no number.
sed 's/"verdict": "verified",//' "$T/patient.json" >"$T/unverified.json"
sed 's/"verdict": "verified"/"verdict": "refused"/' "$T/patient.json" >"$T/refused.json"
for f in unverified refused; do
  "$CLI" fse new --practitioner "$T/pki/practitioner.json" --patient "$T/$f.json" --date 2025-01-15 \
    --register "$T/register.db" --act G --lang fr >"$T/out" 2>&1
  [[ $? -eq 1 ]] && grep -q "verdict : " "$T/out" && ok || { ko "$f patient file billed"; cat "$T/out"; }
done
"$CLI" fse new --practitioner "$T/pki/practitioner.json" --patient "$T/refused.json" --date 2025-01-15 \
  --register "$T/register.db" --act G --lang en >"$T/out" 2>&1
grep -q 'verdict: refused' "$T/out" && ok || ko "English refusal lacks the verdict"

# The patient file made by the real commands: an ApCV token verified by `token verify
# --patient-out` (TEST-ONLY issuer and phone of vitaledesk-sim) is billed; a refused token
# writes no file; --beneficiary picks who is billed.
"$SIM" apcv init "$T/apcv" >/dev/null || ko "apcv init"
TODAY=$(date -u +%F)
verify_out() { "$CLI" token verify --trust "$T/apcv/trust" --replay-cache "$T/replay.txt" "$@"; }
expect 0 "token verify --patient-out" verify_out --patient-out "$T/token-patient.json" \
  "$("$SIM" phone qr --kit valid --trust-dir "$T/apcv")"
[[ $(stat -c %a "$T/token-patient.json" 2>/dev/null) == 600 ]] && ok || ko "patient file is not mode 0600"
expect 0 "fse new from the token's patient file" "$CLI" fse new --practitioner "$T/pki/practitioner.json" \
  --patient "$T/token-patient.json" --date "$TODAY" --act G --register "$T/token-register.db" --json
expect 0 "token verify --beneficiary 1" verify_out --patient-out "$T/child.json" --beneficiary 1 \
  "$("$SIM" phone qr --kit valid --trust-dir "$T/apcv")"
grep -q '"qualite": "enfant"' "$T/child.json" && ok || { ko "beneficiary 1 is not the child"; cat "$T/child.json"; }
expect 1 "token verify --beneficiary 5" verify_out --patient-out "$T/none.json" --beneficiary 5 \
  "$("$SIM" phone qr --kit valid --trust-dir "$T/apcv")"
expect 1 "tampered token" verify_out --patient-out "$T/tampered.json" "$("$SIM" phone qr --kit tampered --trust-dir "$T/apcv")"
[[ ! -e $T/tampered.json && ! -e $T/none.json ]] && ok || ko "a patient file was written for a refused credential"

# Numbers follow each other; a refused sheet consumes none.
expect 1 "MD without a visit is refused" "$CLI" "${NEW[@]}" --act G --act MD --out "$T/bad.fse"
grep -q "line 2\|ligne 2" "$T/out" && ok || ko "error does not name line 2"
expect 0 "second fse" "$CLI" "${NEW[@]}" --act G --json
grep -q '"invoice_number": 2' "$T/out" && ok || ko "second FSE is not number 2"

# PKCS#11: a SoftHSM2 token standing for the CPS card.
LABEL="vd-test-$$"
softhsm_token "$LABEL" sigkey || ko "token"
OPENSSL_CONF=$T/openssl.cnf openssl req -new -x509 -engine pkcs11 -keyform engine \
  -key "pkcs11:token=$LABEL;object=sigkey;type=private;pin-value=1234" \
  -subj "/O=VitaleDesk TEST ONLY/CN=TEST ONLY token practitioner" -days 30 -out "$T/token.pem" >/dev/null 2>&1 \
  || ko "token certificate"
cat >"$T/token.json" <<JSON
{"rpps": "10099999996", "am_number": "141999995", "name": "Dr TOKEN (TEST ONLY)", "specialty": "01",
 "sector": 1, "optam": false, "situation": "cabinet principal",
 "signing": {"kind": "pkcs11", "module": "$MODULE", "key_uri": "pkcs11:token=$LABEL;object=sigkey;type=private",
             "certificate": "token.pem"}}
JSON
TOKEN_NEW=(fse new --practitioner "$T/token.json" --patient "$T/patient.json" --date 2025-01-15
           --register "$T/register.db" --pin-stdin)
# MEG is for children under 6: refused for this adult, naming the line; then a valid one.
expect 1 "MEG for an adult" bash -c 'echo 1234 | "$0" "$@"' "$CLI" "${TOKEN_NEW[@]}" --act G --act MEG --out "$T/t.fse"
grep -q "line 2\|ligne 2" "$T/out" && ok || ko "MEG error does not name line 2"
expect 0 "fse new (token, valid)" bash -c 'echo 1234 | "$0" "$@"' "$CLI" "${TOKEN_NEW[@]}" --act G --out "$T/t.fse"
expect 0 "verify token-signed FSE" "$CLI" fse verify --trust "$T/token.pem" "$T/t.fse"
grep -q "TEST ONLY token practitioner" "$T/out" && ok || ko "signer is not the token certificate"
# The daily PF cap (4 per day and practitioner) holds across runs: the register keeps the
# local counters. Three sheets with a PF exist for this patient on 2025-01-15 (numbers 1–3).
expect 0 "fourth consultation" "$CLI" "${NEW[@]}" --act G --out "$T/fourth.fse"
grep -q "PF 2.00" "$T/out" && ok || ko "4th consultation of the day should still carry a PF"
grep -q "compteur local" "$T/out" && ok || ko "the summary must say the caps are counted locally"
expect 0 "fifth consultation" "$CLI" "${NEW[@]}" --act G --out "$T/fifth.fse"
grep -q "PF 0.00" "$T/out" && ok || { ko "5th consultation of the day must carry no PF"; cat "$T/out"; }
expect 3 "wrong PIN" bash -c 'echo 0000 | "$0" "$@"' "$CLI" "${TOKEN_NEW[@]}" --act G --out "$T/w.fse"

echo "fse cli: $passes passed, $fails failed"
[[ $fails -eq 0 ]]
