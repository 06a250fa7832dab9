#!/usr/bin/env bash
# Disk full while enqueueing (issue 6): libfiu makes pwrite fail with ENOSPC (failinfo=28), at
# random or always, while `fse new` stores and queues a care sheet. Every run either succeeds
# or exits 3 with the clear "disk is full … free space" message (French and English); the
# database then passes integrity_check, the audit chain verifies, numbers are gap-free, every
# success is queued, and once the fault is gone the next enqueue works.
# Usage: outbox_diskfull.sh <cli> <sim>   (exit 77 = skipped when fiu-run is absent)
set -u
CLI=$1
SIM=$2
command -v fiu-run >/dev/null || { echo "SKIP: fiu-run not installed"; exit 77; }
command -v sqlite3 >/dev/null || { echo "SKIP: sqlite3 not installed"; exit 77; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export LANG=C.UTF-8
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

pki_and_patient "$SIM" FULLNOM FULLPRENOM
DB="$T/register.db"
NEW=(fse new --practitioner "$T/pki/practitioner.json" --patient "$T/patient.json" --date 2025-12-24
     --register "$DB" --act G --out "$T/x.fse")
"$CLI" "${NEW[@]}" --lang en >/dev/null 2>&1 && ok || ko "first fse new"
succeeded=1
refused=0

# Always full: exit 3, the disk-full message in both languages.
fiu-run -x -c 'enable name=posix/io/rw/pwrite,failinfo=28' "$CLI" "${NEW[@]}" --lang en >"$T/out" 2>&1
rc=$?
[[ $rc -eq 3 ]] && ok || ko "disk full: exit $rc, expected 3"
grep -q "The disk is full" "$T/out" && grep -q "Free space" "$T/out" && ok || { ko "no clear English message"; cat "$T/out"; }
refused=$((refused + 1))
fiu-run -x -c 'enable name=posix/io/rw/pwrite,failinfo=28' "$CLI" "${NEW[@]}" --lang fr >"$T/out" 2>&1
rc=$?
[[ $rc -eq 3 ]] && ok || ko "disque plein: exit $rc, expected 3"
grep -q "Le disque est plein" "$T/out" && grep -q "Libérez de l'espace" "$T/out" && ok || { ko "no clear French message"; cat "$T/out"; }
refused=$((refused + 1))

# Filling up: each write may hit ENOSPC.
for i in $(seq 1 16); do
  fiu-run -x -c 'enable_random name=posix/io/rw/pwrite,probability=0.015,failinfo=28' "$CLI" "${NEW[@]}" --lang en \
    >"$T/out" 2>&1
  rc=$?
  case $rc in
    0) succeeded=$((succeeded + 1)) ;;
    3) refused=$((refused + 1)); grep -q "The disk is full" "$T/out" || { ko "run $i: unclear error"; cat "$T/out"; } ;;
    *) ko "run $i: exit $rc"; cat "$T/out" ;;
  esac
done

check_db() {
  [[ $(sqlite3 "$DB" "PRAGMA integrity_check;") == ok ]] && ok || ko "integrity_check ($1)"
  "$CLI" audit verify --register "$DB" >/dev/null 2>&1 && ok || ko "audit verify ($1)"
  local queued last
  queued=$("$CLI" queue list --register "$DB" --json | grep -c '"ref"')
  [[ $queued -eq $succeeded ]] && ok || ko "queued $queued, succeeded $succeeded ($1)"
  last=$(sqlite3 "$DB" "SELECT max(last_number) FROM invoice_counter;")
  [[ $last -eq $succeeded ]] && ok || ko "last number $last, succeeded $succeeded: gap ($1)"
}
check_db "after the faults"
# Space freed: the next enqueue works and takes the next number.
"$CLI" "${NEW[@]}" --lang en >"$T/out" 2>&1 && ok || { ko "enqueue after the fault"; cat "$T/out"; }
succeeded=$((succeeded + 1))
check_db "after space was freed"
echo "outbox disk full: $succeeded enqueued, $refused refused with the disk-full message, 0 corrupted"
echo "outbox disk full: $passes passed, $fails failed"
[[ $fails -eq 0 ]]
