#!/bin/bash
# The demo's Test kit through a PRIVATE pcscd + vpcd (issue #7, item 5): with VD_VPCD_PORT
# naming the private vpcd's port, the real window (under Xvfb) serves its kit card and phones
# to vpcd from its own threads, and its PC/SC worker reads them as real ones; removing the card
# clears the patient. Runs one GUI test of vd_ui_tests; pcscd is stopped by PID.
# Usage: desk_vpcd_kit.sh <vd_ui_tests> <with_display.sh>
set -u
UITESTS=$1 DISPLAYSH=$2
source "$(dirname "$0")/pcscd_lib.sh"
pcscd_enter_ns 120 "$@"
pcscd_setup
start_pcscd
VD_DESK_VPCD_KIT=1 VD_VPCD_PORT=$PORT "$DISPLAYSH" "$UITESTS" --gtest_filter='MainWindow.VpcdTestKit*' >"$WORK/ui.log" 2>&1
rc=$?
grep -E '^\[ *(OK|FAILED|SKIPPED) *\]|Failure|Expected|Which is|not read|did not|stayed' "$WORK/ui.log"
grep -q '^\[       OK \] MainWindow.VpcdTestKit' "$WORK/ui.log" || fail "the Test kit did not go through pcscd (rc=$rc)"
echo "ok the Test kit goes through pcscd + vpcd: card read and cleared, phones read over NFC"
