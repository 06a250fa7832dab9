#!/usr/bin/env bash
# Extracts the translatable strings of every src/ui file (English source strings in _() and
# wxPLURAL) and merges them into the French catalog resources/locale/fr/vitaledesk.po.
# New strings arrive untranslated (msgstr ""); fill them in, then rebuild (msgfmt runs at build
# time). Usage: tools/update-translations.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
po=$root/resources/locale/fr/vitaledesk.po
pot=$(mktemp --suffix=.pot)
trap 'rm -f "$pot"' EXIT
cd "$root"
xgettext --language=C++ --from-code=UTF-8 -k_ -kwxPLURAL:1,2 -kwxTRANSLATE --add-comments=TRANSLATORS \
  --package-name=VitaleDesk --no-wrap --sort-by-file -o "$pot" src/ui/*.cpp src/ui/*.hpp
if [[ -f $po ]]; then
  msgmerge --quiet --update --backup=none --no-fuzzy-matching --no-wrap "$po" "$pot"
  msgattrib --no-obsolete --no-wrap -o "$po" "$po"  # strings gone from the sources
else
  mkdir -p "$(dirname "$po")"
  msginit --no-translator --no-wrap --locale=fr_FR.UTF-8 --input="$pot" --output-file="$po"
fi
msgfmt --check --statistics -o /dev/null "$po"
