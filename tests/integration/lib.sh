# Shared by the integration scripts: pass/fail counters and the two assertion helpers.
# Source it after setting T (the scratch directory) when `expect` is used.
fails=0
passes=0
ok() { passes=$((passes + 1)); }
ko() { echo "FAIL: $*"; fails=$((fails + 1)); }

# expect <exit code> <description> <cmd…>: the output is left in $T/out for further greps.
expect() {
  local want=$1 what=$2
  shift 2
  "$@" >"$T/out" 2>&1
  local got=$?
  if [[ $got -eq $want ]]; then ok; else ko "$what: exit $got, expected $want"; cat "$T/out"; fi
}

# check <exit code> <grep pattern or ''> <cmd…>: exit code and, when given, a pattern in the output.
check() {
  local want=$1 pattern=$2
  shift 2
  local out code
  out=$("$@" 2>&1)
  code=$?
  if [[ $code -ne $want ]]; then
    ko "'${*:1:4}…' exited $code, expected $want"; echo "$out"; return
  fi
  if [[ -n $pattern ]] && ! grep -q -- "$pattern" <<<"$out"; then
    ko "'${*:1:4}…' output lacks '$pattern'"; echo "$out"; return
  fi
  ok
}
