#!/usr/bin/env bash
# The outbox through the real CLI: `fse new` puts each sheet in the queue (pending) in the
# same transaction; queue list/show/stats/hold/release/retry/export and audit verify work on
# the register; a modified audit row is detected; the NIR and names of the patient never
# appear in clear in the database files. Usage: queue_cli.sh <cli> <sim>
set -u
CLI=$1
SIM=$2
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export LANG=C.UTF-8
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

pki_and_patient "$SIM" QUEUETESTNOM QUEUEPRENOM
DB="$T/register.db"
NEW=(fse new --practitioner "$T/pki/practitioner.json" --patient "$T/patient.json" --date 2025-12-24
     --register "$DB")
expect 0 "fse new 1" "$CLI" "${NEW[@]}" --act G --out "$T/a.fse"
expect 0 "fse new 2" "$CLI" "${NEW[@]}" --act G --out "$T/b.fse"
RPPS=$(sed -n 's/.*"rpps": *"\([0-9]*\)".*/\1/p' "$T/pki/practitioner.json" | head -1)

expect 0 "queue list" "$CLI" queue list --register "$DB" --lang en
grep -q "$RPPS/1 *pending *2025-12-30" "$T/out" && ok || { ko "list lacks 1 pending, deadline 2025-12-30"; cat "$T/out"; }
expect 0 "queue show" "$CLI" queue show "$RPPS/2" --register "$DB" --json
grep -q '"state": "pending"' "$T/out" && grep -q '"send_by": "2025-12-30"' "$T/out" && ok || ko "show"
expect 0 "queue hold" "$CLI" queue hold "$RPPS/2" --register "$DB"
grep -q "pending -> held (operator_hold)" "$T/out" && ok || { ko "hold does not log its transition"; cat "$T/out"; }
expect 1 "hold twice" "$CLI" queue hold "$RPPS/2" --register "$DB"
expect 1 "retry a held sheet" "$CLI" queue retry "$RPPS/2" --register "$DB"
expect 0 "queue stats" "$CLI" queue stats --register "$DB" --json
grep -q '"held": 1' "$T/out" && grep -q '"pending": 1' "$T/out" && ok || ko "stats"
expect 0 "queue release" "$CLI" queue release "$RPPS/2" --register "$DB"
expect 1 "unknown sheet" "$CLI" queue show "$RPPS/99" --register "$DB"
expect 1 "bad reference" "$CLI" queue show "nonsense" --register "$DB"
expect 2 "missing reference" "$CLI" queue show --register "$DB"
expect 0 "queue export" "$CLI" queue export --register "$DB" --out "$T/export.jsonl"
[[ $(wc -l <"$T/export.jsonl") -eq 2 ]] && ok || ko "export has not 2 lines"
expect 0 "audit verify" "$CLI" audit verify --register "$DB" --json
grep -q '"entries": 4' "$T/out" && ok || { ko "audit entries"; cat "$T/out"; }

# No patient data in clear in the database files, the export or the CLI output.
for f in "$DB" "$DB-wal" "$T/export.jsonl"; do
  [[ -e $f ]] || continue
  if grep -aq -e 255081416802538 -e QUEUETESTNOM -e QUEUEPRENOM "$f"; then ko "patient data in clear in $f"; else ok; fi
done
[[ $(stat -c %a "$DB.key") == 600 ]] && ok || ko "key file mode is not 0600"
# Files holding patient data: the signed sheet (--out) and the queue export are 0600, and a link
# planted at the target is refused, never written through.
for f in "$T/a.fse" "$T/export.jsonl"; do
  [[ $(stat -c %a "$f") == 600 ]] && ok || ko "$f mode is not 0600"
done
echo untouched >"$T/elsewhere"
ln -s "$T/elsewhere" "$T/link.fse"
expect 3 "fse new --out onto a link" "$CLI" "${NEW[@]}" --act G --out "$T/link.fse" --lang en
grep -q "link.fse" "$T/out" && [[ $(cat "$T/elsewhere") == untouched && -L $T/link.fse ]] && ok || ko "link followed"

# The data key lost with sealed sheets in the register: every command refuses to start (exit 3,
# restore the key), no new key is made, nothing is quarantined; the restored key opens it all.
rows_before=$(sqlite3 "$DB" "SELECT count(*) FROM fse; SELECT state, count(*) FROM outbox GROUP BY state;")
mv "$DB.key" "$T/key-backup"
expect 3 "queue list without its key" "$CLI" queue list --register "$DB" --lang en
grep -q "missing while the register holds encrypted care sheets" "$T/out" && grep -q "Restore the key file" "$T/out" \
  && ok || { ko "missing key message"; cat "$T/out"; }
expect 3 "fse new without its key" "$CLI" "${NEW[@]}" --act G --out "$T/nokey.fse" --lang fr
grep -q "Restaurez le fichier de clé" "$T/out" && ok || { ko "missing key message (fr)"; cat "$T/out"; }
[[ ! -e $DB.key && ! -e $T/nokey.fse ]] && ok || ko "a key or a sheet was made without the key"
[[ $(sqlite3 "$DB" "SELECT count(*) FROM fse; SELECT state, count(*) FROM outbox GROUP BY state;") == "$rows_before" ]] \
  && ok || ko "register rows changed while the key was missing"
mv "$T/key-backup" "$DB.key"
expect 0 "queue list with the key restored" "$CLI" queue list --register "$DB" --lang en
grep -q "quarantined" "$T/out" && ko "sheets quarantined" || ok

# The key kept apart (--data-key): made there and only there; the register alone opens nothing;
# a key folder that does not exist (a disk not mounted) is refused, never created.
DB2="$T/apart/register.db"
mkdir -p "$T/keydisk"
APART=(fse new --practitioner "$T/pki/practitioner.json" --patient "$T/patient.json" --date 2025-12-24
       --register "$DB2" --data-key "$T/keydisk/vd.key")
expect 0 "fse new, key apart" "$CLI" "${APART[@]}" --act G --out "$T/apart.fse"
[[ -f $T/keydisk/vd.key && ! -e $DB2.key && $(stat -c %a "$T/keydisk/vd.key") == 600 ]] && ok \
  || ko "key apart: not made 0600 at --data-key only"
expect 0 "queue list, key apart" "$CLI" queue list --register "$DB2" --data-key "$T/keydisk/vd.key" --lang en
expect 3 "queue list without --data-key" "$CLI" queue list --register "$DB2" --lang en
grep -q "missing while the register holds encrypted care sheets" "$T/out" && [[ ! -e $DB2.key ]] && ok \
  || { ko "register alone: refused without making a key"; cat "$T/out"; }
expect 3 "key disk not mounted" "$CLI" fse new --practitioner "$T/pki/practitioner.json" --patient "$T/patient.json" \
  --date 2025-12-24 --register "$T/new/register.db" --data-key "$T/unmounted/vd.key" --act G --out "$T/x.fse" --lang en
grep -q "key folder missing (disk not mounted?)" "$T/out" && [[ ! -e $T/unmounted && ! -e $T/x.fse ]] && ok \
  || { ko "unmounted key disk"; cat "$T/out"; }

# A modified audit row is detected (exit 1).
sqlite3 "$DB" "UPDATE audit SET reason='x' WHERE seq=2;" || ko "sqlite3"
expect 1 "audit verify after tampering" "$CLI" audit verify --register "$DB"
grep -q "2" "$T/out" && ok || ko "tampered entry not named"

echo "queue cli: $passes passed, $fails failed"
[[ $fails -eq 0 ]]
