#!/usr/bin/env bash
# Regenerates the screenshots of the user guides from the GUI tests, once per language: the
# tests run under Xvfb (tests/ui/with_display.sh) with TEST-ONLY material they create, in the
# language of $VD_SCREENSHOT_LANG, write their screenshots to $VD_SCREENSHOT_DIR, and the PNGs
# are copied into docs/images/fr (docs/user-guide.md) and docs/images/en (docs/user-guide.en.md).
# Nothing is copied when a test fails (the pictures would not be those of a working desk).
# Usage: tools/update-screenshots.sh [build-dir [ctest selection…]]
#   build-dir defaults to build (configured with the GUI on); the selection to `-L gui`,
#   e.g. `tools/update-screenshots.sh build -R 'gui_panels|gui_main_window'`.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
shift || true
selection=("$@")
[[ ${#selection[@]} -gt 0 ]] || selection=(-L gui)
[[ -f $build/CMakeCache.txt ]] || { echo "update-screenshots: $build is not a configured build dir" >&2; exit 2; }
shots=$(mktemp -d)
trap 'rm -rf "$shots"' EXIT
targets=()
for t in vd_ui_tests vd_ui_panels_tests; do
  grep -q "^build $t:\|^build tests/$t:" "$build/build.ninja" 2>/dev/null && targets+=("$t")
done
cmake --build "$build" --target "${targets[@]}"
# The French pictures under a French locale (dates as a French desktop shows them), compiled
# here into a private folder (LOCPATH): nothing of the system's locale setup is changed.
frenv=()
if localedef -i fr_FR -f UTF-8 "$shots/locale/fr_FR.UTF-8" 2>/dev/null; then
  frenv=(LOCPATH="$shots/locale" LANG=fr_FR.UTF-8 LC_ALL=)
else
  echo "update-screenshots: no fr_FR locale data (package locales): French pictures with C dates" >&2
fi
for lang in fr en; do
  mkdir -p "$shots/$lang"
  envs=(VD_SCREENSHOT_LANG=$lang VD_SCREENSHOT_DIR=$shots/$lang)
  [[ $lang == fr ]] && envs+=("${frenv[@]}")
  env "${envs[@]}" ctest --test-dir "$build" "${selection[@]}" --output-on-failure --timeout 300
done
total=0
for lang in fr en; do
  mkdir -p "$root/docs/images/$lang"
  n=0
  for f in "$shots/$lang"/*.png; do
    [[ -e $f ]] || continue
    cp "$f" "$root/docs/images/$lang/"
    n=$((n + 1))
  done
  echo "update-screenshots: $n screenshots copied to docs/images/$lang"
  [[ $n -gt 0 ]] || exit 1
  total=$((total + n))
done
[[ $total -gt 0 ]]
