#!/usr/bin/env bash
# VitaleDesk's two entry points (README):
#   tools/vd.sh run  [app args…]  install what is missing, build, start the desk
#   tools/vd.sh test              install what is missing, build, run the whole test suite
# Both are idempotent; a second run with nothing changed takes seconds (Ninja + ccache).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${VD_BUILD_DIR:-$ROOT/build}
FUZZ_BUILD=${VD_FUZZ_BUILD_DIR:-$ROOT/build-fuzz}
JOBS=${VD_JOBS:-2}

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

install_packages() {
  local wanted missing=()
  mapfile -t wanted < <(grep -v '^[[:space:]]*\(#\|$\)' "$ROOT/tools/apt-packages.txt")
  for p in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  ((${#missing[@]} == 0)) && return 0
  say "Installing ${#missing[@]} Debian packages: ${missing[*]}"
  local sudo=()
  [[ $(id -u) -eq 0 ]] || sudo=(sudo)
  "${sudo[@]}" apt-get update -q
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
}

ccache_env() {
  # Same cache hits from any clone path (CI builds a fresh clone each time).
  export CCACHE_BASEDIR=$ROOT CCACHE_NOHASHDIR=true CCACHE_COMPILERCHECK=content
  export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-5G}
}

build() {
  ccache_env
  if [[ ! -f $BUILD/build.ninja ]]; then
    say "Configuring $BUILD"
    cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DVD_WERROR=ON
  fi
  say "Building"
  cmake --build "$BUILD" -j "$JOBS"
}

build_fuzz() {
  ccache_env
  if [[ ! -f $FUZZ_BUILD/build.ninja ]]; then
    say "Configuring the libFuzzer build (clang) in $FUZZ_BUILD"
    CXX=clang++ cmake -S "$ROOT" -B "$FUZZ_BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DVD_FUZZ=ON -DVD_WERROR=ON
  fi
  cmake --build "$FUZZ_BUILD" -j "$JOBS"
}

cmd=${1:-}
[[ $# -gt 0 ]] && shift
case $cmd in
  run)
    install_packages
    build
    if [[ -z ${DISPLAY:-} && -z ${WAYLAND_DISPLAY:-} ]]; then
      echo "No graphical display (DISPLAY is not set). Start VitaleDesk from a desktop session," >&2
      echo "or try it headless with: tests/ui/with_display.sh $BUILD/src/ui/vitaledesk" >&2
      exit 3
    fi
    say "Starting VitaleDesk"
    exec "$BUILD/src/ui/vitaledesk" "$@"
    ;;
  test)
    install_packages
    build
    build_fuzz
    say "Running the fuzz targets (label slow, bounded time each)"
    ctest --test-dir "$FUZZ_BUILD" -L slow -j "$JOBS" --output-on-failure
    say "Running the test suite (labels unit, integration, gui)"
    ctest --test-dir "$BUILD" -j "$JOBS" --output-on-failure
    ;;
  *)
    echo "usage: tools/vd.sh run [args…] | tools/vd.sh test" >&2
    exit 2
    ;;
esac
