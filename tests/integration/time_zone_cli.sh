#!/usr/bin/env bash
# The desk's "today" in the real vitaledesk-cli (issue #13 item 5): with TZ unset (and with the
# machine's TZ set to something else), the day of `tariff show` is the Europe/Paris day;
# --time-zone and VD_TIME_ZONE choose another IANA zone; an unknown name is a usage error naming
# the option. The oracle is date(1) over the same tz database. No means of fixing the CLI's
# clock exists for this command (faketime is not used): the midnight-UTC boundary itself is
# checked by tests/core/clock_test.cpp and tests/app/local_time_test.cpp.
# Usage: time_zone_cli.sh <cli>
set -u
CLI=$1
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
scratch_dir
export LANG=C.UTF-8

# today_is <zone> <cmd…>: the command's "date" is the zone's day (re-run once if midnight
# passed in that zone during the call).
today_is() {
  local zone=$1
  shift
  local before out after day
  for _ in 1 2; do
    before=$(TZ=$zone date +%F)
    out=$("$@" 2>&1)
    after=$(TZ=$zone date +%F)
    [[ $before == "$after" ]] && break
  done
  day=$(sed -nE 's/.*"date": "([0-9-]{10})".*/\1/p' <<<"$out")
  if [[ $day == "$before" ]]; then ok; else ko "${*:1:6}: day '$day', expected $zone's $before"; echo "$out"; fi
}

today_is Europe/Paris env -u TZ -u VD_TIME_ZONE "$CLI" tariff show G --json
# The machine's own zone is not the desk's: Paris still (Kiritimati is UTC+14, always another day
# than UTC-12, so a command using TZ would be seen).
today_is Europe/Paris env -u VD_TIME_ZONE TZ=Pacific/Kiritimati "$CLI" tariff show G --json
today_is Europe/Paris env -u VD_TIME_ZONE TZ=Etc/GMT+12 "$CLI" tariff show G --json
# --time-zone (both spellings, anywhere after the command) and VD_TIME_ZONE; the option wins.
today_is Pacific/Kiritimati env -u TZ "$CLI" tariff show G --json --time-zone Pacific/Kiritimati
today_is Etc/GMT+12 env -u TZ "$CLI" tariff show --time-zone=Etc/GMT+12 G --json
today_is America/Cayenne env -u TZ VD_TIME_ZONE=America/Cayenne "$CLI" tariff show G --json
today_is Indian/Reunion env -u TZ VD_TIME_ZONE=America/Cayenne "$CLI" tariff show G --json --time-zone Indian/Reunion
# An unknown zone: exit 2, the option and the name in the message, French and English.
check 2 'Europe/Pariss' env -u TZ "$CLI" tariff show G --time-zone Europe/Pariss --lang en
check 2 '(--time-zone)' env -u TZ "$CLI" tariff show G --time-zone Europe/Pariss --lang en
check 2 'inconnu' env -u TZ "$CLI" tariff show G --time-zone Europe/Pariss --lang fr
check 2 'VD_TIME_ZONE' env -u TZ VD_TIME_ZONE=../../etc/passwd "$CLI" tariff show G --lang en
check 2 '--time-zone' env -u TZ "$CLI" tariff show G --time-zone
check 0 '--time-zone ZONE' "$CLI" tariff show --help

echo "time zone cli: $passes passed, $fails failed"
[[ $fails -eq 0 ]]
