#!/usr/bin/env bash
# Every _() string of src/ui has a French translation in resources/locale/fr/vitaledesk.po,
# and the catalog compiles with its format strings checked. Fix a failure with
# tools/update-translations.sh, then translate the new (empty) entries.
# Usage: check_translations.sh <source root>
set -euo pipefail
root=$1
for tool in xgettext msgmerge msgfmt; do
  command -v $tool >/dev/null || { echo "SKIP: $tool missing"; exit 77; }
done
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
cd "$root"
xgettext --language=C++ --from-code=UTF-8 -k_ -kwxPLURAL:1,2 -kwxTRANSLATE --no-wrap -o "$t/ui.pot" src/ui/*.cpp src/ui/*.hpp
msgmerge --quiet --no-fuzzy-matching --no-wrap -o "$t/merged.po" resources/locale/fr/vitaledesk.po "$t/ui.pot"
stats=$(msgfmt --check --statistics -o /dev/null "$t/merged.po" 2>&1)
echo "$stats"
if grep -q "untranslated\|fuzzy" <<<"$stats"; then
  echo "FAIL: strings of src/ui without a French translation:" >&2
  msgattrib --untranslated --no-wrap "$t/merged.po" | grep '^msgid "[^"]' >&2
  exit 1
fi
