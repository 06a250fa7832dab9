#!/usr/bin/env bash
# Runs the real vitaledesk-cli and vitaledesk-sim binaries: exit codes and key outputs of
# the Foundation issue's "done when". Usage: cli_smoke.sh <cli> <sim>
set -u
CLI=$1
SIM=$2
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
export LANG=C.UTF-8
check 0 "2 55 08 14 168 025 38" "$CLI" nir check 255081416802538
check 1 "38" "$CLI" nir check 255081416802539
check 1 "clé attendue 38" "$CLI" nir check 255081416802539
check 1 "expected key 38" "$CLI" nir check --lang en 255081416802539
check 0 "" "$CLI" nir check 253072A07300443
check 0 "" "$CLI" nir check "2 53 07 2B 073 004 70"
check 2 "" "$CLI" nir check
check 2 "" "$CLI"
check 0 "Exit codes" "$CLI" --help
check 0 "30.00 EUR" "$CLI" tariff show G --date 2025-01-15
check 0 "26.50 EUR" "$CLI" tariff show G --date 2024-12-01
check 1 "" "$CLI" tariff show NOPE --date 2024-12-01
check 0 "MEG" "$CLI" tariff list --date 2025-01-15
# Installed-layout lookup: resources found through VITALEDESK_RESOURCES, and a clear
# environment error (exit 3) when they are missing.
check 3 "VITALEDESK_RESOURCES" env VITALEDESK_RESOURCES=/nonexistent "$CLI" tariff show G --date 2025-01-15 --lang en
# Every generated identity passes nir check.
while read -r nir; do
  check 0 "" "$CLI" nir check "$nir"
done < <("$SIM" identity --count 25 --seed 7 --corsica | sed -E 's/.*"nir":"([^"]+)".*/\1/')
check 0 "Usage" "$SIM" identity --help
check 2 "" "$SIM" identity --count 0
echo "cli smoke: $passes passed, $fails failed"
[[ $fails -eq 0 ]]
