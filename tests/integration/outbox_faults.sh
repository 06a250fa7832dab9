#!/usr/bin/env bash
# Storage faults with libfiu: failing fdatasync (SQLite's commit barrier on Linux) and random
# pwrite failures while `fse new` enqueues. Every run either succeeds (exit 0) or fails with
# the clear register error (exit 3); afterwards the database passes integrity_check, the
# audit chain verifies, invoice numbers are gap-free and every success is in the queue.
# Usage: outbox_faults.sh <cli> <sim>   (skipped, exit 77, when fiu-run is absent)
set -u
CLI=$1
SIM=$2
command -v fiu-run >/dev/null || { echo "SKIP: fiu-run not installed"; exit 77; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export LANG=C.UTF-8
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

pki_and_patient "$SIM" FAULTNOM FAULTPRENOM
DB="$T/register.db"
NEW=(fse new --practitioner "$T/pki/practitioner.json" --patient "$T/patient.json" --date 2025-12-24
     --register "$DB" --lang en --act G --out "$T/x.fse")
"$CLI" "${NEW[@]}" >/dev/null 2>&1 && ok || ko "first fse new"
succeeded=1

fiu-run -x -c 'enable name=posix/io/sync/fdatasync' "$CLI" "${NEW[@]}" >"$T/out" 2>&1
rc=$?
[[ $rc -eq 3 ]] && ok || ko "failing fdatasync: exit $rc, expected 3"
grep -q "register cannot be written" "$T/out" && ok || { ko "no clear message"; cat "$T/out"; }

failed=0
for i in $(seq 1 12); do
  fiu-run -x -c 'enable_random name=posix/io/rw/pwrite,probability=0.03' "$CLI" "${NEW[@]}" >"$T/out" 2>&1
  rc=$?
  case $rc in
    0) succeeded=$((succeeded + 1)) ;;
    3) failed=$((failed + 1)); grep -q "register cannot be written" "$T/out" || ko "run $i: unclear error" ;;
    *) ko "run $i: exit $rc"; cat "$T/out" ;;
  esac
done

[[ $(sqlite3 "$DB" "PRAGMA integrity_check;") == ok ]] && ok || ko "integrity_check"
"$CLI" audit verify --register "$DB" >/dev/null 2>&1 && ok || ko "audit verify"
queued=$("$CLI" queue list --register "$DB" --json | grep -c '"ref"')
[[ $queued -eq $succeeded ]] && ok || ko "queued $queued, succeeded $succeeded"
last=$(sqlite3 "$DB" "SELECT max(last_number) FROM invoice_counter;")
[[ $last -eq $succeeded ]] && ok || ko "last number $last, succeeded $succeeded (gap)"
echo "outbox faults: $succeeded enqueued, $((failed + 1)) refused with a clear error, 0 corrupted"
echo "outbox faults: $passes passed, $fails failed"
[[ $fails -eq 0 ]]
