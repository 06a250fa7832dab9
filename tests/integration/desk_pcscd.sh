#!/bin/bash
# The desk's PC/SC worker against a PRIVATE pcscd + vpcd (RECIPES.md): a simulated carte
# Vitale inserted in vpcd is read and verified by the real window (under Xvfb), and pulling it
# clears the patient. Runs one GUI test of vd_ui_tests with the card's PID and the demo folder
# whose card issuer signed it. Everything started is stopped by PID.
# Usage: desk_pcscd.sh <vd_ui_tests> <vitaledesk-sim> <with_display.sh>
set -u
UITESTS=$1 SIM=$2 DISPLAYSH=$3
source "$(dirname "$0")/pcscd_lib.sh"
pcscd_enter_ns 120 "$@"
pcscd_setup
export VD_DEMO_DIR=$WORK/demo
"$SIM" pki init "$VD_DEMO_DIR/card-pki" >/dev/null || fail "pki init"
start_pcscd
"$SIM" card --kit family --port "$PORT" --pki "$VD_DEMO_DIR/card-pki" 2>>"$WORK/sim.log" &
CARD=$!
PIDS+=("$CARD")
VD_DESK_PCSC_CARD_PID=$CARD "$DISPLAYSH" "$UITESTS" --gtest_filter='MainWindow.PcscCard*' >"$WORK/ui.log" 2>&1
rc=$?
grep -E '^\[ *(OK|FAILED|SKIPPED) *\]|Failure|Expected|Which is|stayed|no card' "$WORK/ui.log"
grep -q '^\[       OK \] MainWindow.PcscCard' "$WORK/ui.log" || fail "the desk did not read the card (rc=$rc)"
echo "ok desk reads a card through pcscd and clears it on removal"
