#!/usr/bin/env bash
# QR images end to end, real binaries: `vitaledesk-sim phone qr --png` at several sizes,
# rotations, blur and noise (seeded), ImageMagick re-encodings (palette, Adam7 interlace, 16-bit,
# 1-bit), then `vitaledesk-cli token verify --image`; and two CLI processes presenting the same
# token at once on one replay cache: exactly one is verified.
# Usage: qr_image_cli.sh <cli> <sim>
set -u
CLI=$1
SIM=$2
T=$(mktemp -d)
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done; rm -rf "$T"' EXIT
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
export LANG=C.UTF-8
command -v convert >/dev/null || { echo "SKIP: ImageMagick (convert) missing"; exit 77; }
check 0 "trust" "$SIM" apcv init "$T/pki"
verify() { "$CLI" token verify --lang en --trust "$T/pki/trust" --replay-cache "$T/replay.txt" "$@"; }
png() {  # png <file> <phone qr options…>: a fresh valid token as an image
  local f=$1
  shift
  "$SIM" phone qr --kit valid --trust-dir "$T/pki" --png "$f" "$@" >/dev/null
}

n=0
for opts in "--size 300" "--size 700" "--size 400 --rotate 30" "--size 400 --rotate 45 --noise 10 --seed 3" \
            "--size 500 --blur 1.2" "--size 500 --rotate -20 --blur 0.8 --noise 12 --seed 9"; do
  n=$((n + 1))
  # shellcheck disable=SC2086
  png "$T/q$n.png" $opts || ko "phone qr $opts"
  check 0 '"verdict": "verified"' verify --image "$T/q$n.png"
done
# An over-blurred code is no code: a refusal, not a crash.
png "$T/blurred.png" --size 300 --blur 6
check 1 'image.no_code' verify --image "$T/blurred.png"
# Re-encoded by ImageMagick as a screenshot tool may: palette + Adam7, 16-bit RGB + Adam7, 1-bit grey.
png "$T/src.png" --size 400 --rotate 10
convert "$T/src.png" -interlace PNG PNG8:"$T/pal.png"
check 0 '"verdict": "verified"' verify --image "$T/pal.png"
png "$T/src.png" --size 400
convert "$T/src.png" -interlace PNG -depth 16 PNG48:"$T/rgb16.png"
check 0 '"verdict": "verified"' verify --image "$T/rgb16.png"
png "$T/src.png" --size 400
convert "$T/src.png" -depth 1 -type bilevel PNG:"$T/grey1.png"
check 0 '"verdict": "verified"' verify --image "$T/grey1.png"
# Bad options: usage.
check 2 'Usage' "$SIM" phone qr --kit valid --trust-dir "$T/pki" --png "$T/x.png" --blur abc
check 2 'Usage' "$SIM" phone qr --kit valid --trust-dir "$T/pki" --png "$T/x.png" --rotate 400
check 2 'Usage' "$SIM" phone qr --kit valid --trust-dir "$T/pki" --png "$T/x.png" --noise -1

# One token, two tills at the same instant, one replay cache: exactly one verified.
for round in 1 2 3; do
  text=$("$SIM" phone qr --kit replayed --trust-dir "$T/pki")
  verify "$text" >"$T/a$round" 2>&1 & PIDS+=($!)
  verify "$text" >"$T/b$round" 2>&1 & PIDS+=($!)
  wait "${PIDS[@]}"
  PIDS=()
  got=$(cat "$T/a$round" "$T/b$round" | grep -c '"verdict": "verified"')
  if [[ $got -eq 1 ]] && grep -q apcv.replay "$T/a$round" "$T/b$round"; then ok; else ko "round $round: $got verified"; fi
done

echo "qr_image_cli: $passes passed, $fails failed"
[[ $fails -eq 0 ]]
