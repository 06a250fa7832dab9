#!/usr/bin/env bash
# USB and serial QR scanners, real binaries, no hardware: vitaledesk-sim writes the usbmon capture
# of a scanner typing each kit's token (keyboard in fr and us layouts, HID POS) and its umockdev
# description; `umockdev-run` replays it to libusb under `vitaledesk-cli scan --usb`, which must
# give the kit's verdict. A wrong layout must give a clear refusal, not a crash. The serial
# scanner is a socat pty pair (codes ended by CR, then by silence).
# Usage: scanner_umockdev.sh <cli> <sim>   (exit 77 when umockdev-run or socat is missing)
set -u
CLI=$1
SIM=$2
for tool in umockdev-run socat; do
  command -v "$tool" >/dev/null || { echo "scanner_umockdev: $tool missing, skipped"; exit 77; }
done
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
scratch_dir SOCAT_PID
export LANG=C.UTF-8
SYSFS=/sys/devices/pci0000:00/0000:00:14.0/usb1/1-1
check 0 "" "$SIM" apcv init "$T/pki"
TRUST=$T/pki/trust

# capture <name> <sim options…>: $T/<name>.pcap and $T/<name>.umockdev
capture() {
  local name=$1
  shift
  "$SIM" phone usb-capture --out "$T/$name.pcap" --device-out "$T/$name.umockdev" "$@" >"$T/$name.txt"
}
# usb <name> <cli options…>: scan the capture through libusb under umockdev (bounded in time)
usb() {
  local name=$1
  shift
  timeout 30 umockdev-run -d "$T/$name.umockdev" -p "$SYSFS=$T/$name.pcap" -- \
    "$CLI" scan --usb 1209:0001 --trust "$TRUST" --replay-cache "$T/replay.txt" --timeout-ms 8000 --json --lang en "$@"
}

for layout in fr us; do
  capture "valid-$layout" --kit valid --trust-dir "$T/pki" --layout "$layout"
  check 0 '"verdict": "verified"' usb "valid-$layout" --layout "$layout"
  check 0 '"source": "usb:1209:0001@1-1"' usb "valid-$layout" --layout "$layout" --replay-cache "$T/other-replay.txt"
  # The same capture again: the token id was seen.
  check 1 'apcv.replay' usb "valid-$layout" --layout "$layout"
  for kit in revoked-phone:apcv.app_revoked tampered:apcv.credential_signature_invalid expired:apcv.expired \
             unknown-issuer:apcv.unknown_issuer; do
    capture "${kit%%:*}-$layout" --kit "${kit%%:*}" --trust-dir "$T/pki" --layout "$layout"
    check 1 "${kit#*:}" usb "${kit%%:*}-$layout" --layout "$layout"
  done
  capture "delegated-$layout" --kit delegated --trust-dir "$T/pki" --layout "$layout"
  check 0 'presented by Sam AIDANT' usb "delegated-$layout" --layout "$layout"
done
# The text typed is the token `phone qr` would show: the capture carries it byte for byte.
check 0 '^VD2:' cat "$T/valid-fr.txt"

# Wrong layout: refused, with the layout hint first and the unknown-token reason; never a crash.
capture wrong-fr --kit valid --trust-dir "$T/pki" --layout fr
check 1 'scanner.layout_mismatch' usb wrong-fr --layout us
check 1 '"id": "apcv.prefix"' usb wrong-fr --layout us
check 1 'configured for the fr layout, not us' usb wrong-fr --layout us
capture wrong-us --kit valid --trust-dir "$T/pki" --layout us
check 1 'configured for the us layout, not fr' usb wrong-us --layout fr
check 0 '"verdict": "verified"' usb wrong-us --layout us

# HID POS (usage page 0x8C, 64-byte reports): no layout involved.
capture pos --kit valid --trust-dir "$T/pki" --hid-pos
check 0 '"verdict": "verified"' usb pos
check 0 '"verdict": "verified"' usb pos --hid-pos --replay-cache "$T/other-replay.txt"
# CDC-ACM data interface claimed through libusb (bulk IN, codes ended by CR).
capture cdc --kit valid --trust-dir "$T/pki" --cdc
check 0 '"verdict": "verified"' usb cdc
capture cdc-revoked --kit revoked-phone --trust-dir "$T/pki" --cdc
check 1 'apcv.app_revoked' usb cdc-revoked
# No matching device: a device problem (exit 3). Human-readable output in French by default.
check 3 'scanner.absent' timeout 30 umockdev-run -d "$T/pos.umockdev" -p "$SYSFS=$T/pos.pcap" -- \
  "$CLI" scan --usb 1209:00ff --trust "$TRUST" --timeout-ms 3000 --json
capture fr-text --kit valid --trust-dir "$T/pki" --layout fr
check 0 'Carte Vitale d.application : vérifiée' timeout 30 umockdev-run -d "$T/fr-text.umockdev" \
  -p "$SYSFS=$T/fr-text.pcap" -- "$CLI" scan --usb --layout fr --trust "$TRUST" --replay-cache "$T/r3.txt" --timeout-ms 8000
# The image source: same verifier, source named.
"$SIM" phone qr --kit valid --trust-dir "$T/pki" --png "$T/valid.png" --size 400 >/dev/null
check 0 '"source": "image:' "$CLI" scan --image "$T/valid.png" --trust "$TRUST" --replay-cache "$T/img.txt" --json
check 1 'apcv.replay' "$CLI" scan --image "$T/valid.png" --trust "$TRUST" --replay-cache "$T/img.txt" --json
# --envelope-only checks signatures only: an expired phone is never printed as verified.
"$SIM" phone qr --kit expired --trust-dir "$T/pki" --png "$T/expired.png" --size 400 >/dev/null
check 0 'carte NON vérifiée' "$CLI" scan --image "$T/expired.png" --trust "$TRUST" --envelope-only
# Usage errors.
check 2 '' "$CLI" scan --trust "$TRUST"
check 2 '' "$CLI" scan --usb --serial /dev/null --trust "$TRUST"
check 2 'scanner.layout_unknown\|Unknown scanner keyboard layout' "$CLI" scan --usb --layout dvorak --trust "$TRUST" --lang en
check 2 '' "$SIM" phone usb-capture --kit valid --trust-dir "$T/pki" --layout de --out "$T/x.pcap"

# Serial scanner on a pty pair: codes written to A, the CLI reads B.
socat pty,raw,echo=0,link="$T/A" pty,raw,echo=0,link="$T/B" &
SOCAT_PID=$!
for _ in $(seq 50); do [[ -e $T/A && -e $T/B ]] && break; sleep 0.1; done
# serial <terminator printf format> <kit>: start the CLI, then "scan" the kit's token.
serial() {
  local fmt=$1 kit=$2
  shift 2
  local token
  token=$("$SIM" phone qr --kit "$kit" --trust-dir "$T/pki")
  timeout 30 "$CLI" scan --serial "$T/B" --baud 115200 --trust "$TRUST" --replay-cache "$T/serial-replay.txt" \
    --timeout-ms 8000 --json --lang en "$@" >"$T/serial.out" 2>&1 &
  local pid=$!
  sleep 0.7
  # shellcheck disable=SC2059
  printf "$fmt" "$token" >"$T/A"
  wait "$pid"
  local code=$?
  cat "$T/serial.out"
  return "$code"
}
check 0 '"verdict": "verified"' serial '%s\r' valid
check 0 '"source": "serial:' serial '%s\r\n' valid
check 0 '"verdict": "verified"' serial '%s' valid    # no terminator: ended by silence
check 1 'apcv.app_revoked' serial '%s\n' revoked-phone
check 1 'scanner.garbled' serial '%s\001\r' valid
# An overlong read is refused as such (exit 1), not passed to the verifier.
check 1 'scanner.code_too_long' serial "$(head -c 9000 /dev/zero | tr '\0' 'A')%s\r" valid
check 3 'scanner.no_code' timeout 30 "$CLI" scan --serial "$T/B" --trust "$TRUST" --timeout-ms 300 --json
check 3 'scanner.serial_open' "$CLI" scan --serial "$T/no-such-tty" --trust "$TRUST" --json
check 2 '' "$CLI" scan --serial "$T/B" --baud 12345 --trust "$TRUST"

echo "scanner_umockdev: $passes passed, $fails failed"
[[ $fails -eq 0 ]]
