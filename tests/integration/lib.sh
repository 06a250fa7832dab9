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

# scratch_dir [VAR…]: sets T to a fresh directory; on exit, kills the PID held in each VAR
# (when it is set then) and removes T. The VARs start empty.
scratch_dir() {
  T=$(mktemp -d)
  _scratch_pid_vars=("$@")
  local var
  for var in "$@"; do printf -v "$var" '%s' ''; done
  trap _scratch_cleanup EXIT
}
_scratch_cleanup() {
  local var
  for var in "${_scratch_pid_vars[@]}"; do
    [[ -n ${!var:-} ]] && kill "${!var}" 2>/dev/null
  done
  rm -rf "$T"
}

# pki_and_patient <sim> <birth name> <first name> [more JSON members]: the simulator's test
# practitioner in $T/pki (practitioner.json, ca.pem, key) and an adult insured in $T/patient.json
# (a verified credential: `fse new` bills nothing else).
# Exits the script when the PKI cannot be made.
pki_and_patient() {
  local sim=$1 birth=$2 first=$3 more=${4:-}
  "$sim" pki practitioner --out "$T/pki" >/dev/null || { echo "FAIL: pki"; exit 1; }
  cat >"$T/patient.json" <<JSON
{"verdict": "verified",
 "insured": {"nir": "255081416802538", "birth_name": "$birth", "first_name": "$first",
             "birth_date": "19550814", "birth_rank": 1},
 "amo": {"regime": "01", "caisse": "141", "centre": "0000", "exemption": ""}$more}
JSON
}

# softhsm_token <token label> <key label>: a SoftHSM2 token in $T/tokens (SOFTHSM2_CONF
# exported; user PIN 1234, SO PIN 5678) holding an EC P-256 key pair, and $T/openssl.cnf
# loading the pkcs11 engine on it. Sets MODULE. Says what failed and returns 1 on error.
# (RECIPES.md "Keys in a PKCS#11 token".)
softhsm_token() {
  local label=$1 key=$2
  MODULE=/usr/lib/softhsm/libsofthsm2.so
  export SOFTHSM2_CONF=$T/softhsm2.conf
  mkdir -p "$T/tokens"
  printf 'directories.tokendir = %s/tokens\nobjectstore.backend = file\nlog.level = ERROR\n' "$T" >"$SOFTHSM2_CONF"
  softhsm2-util --init-token --free --label "$label" --pin 1234 --so-pin 5678 >/dev/null \
    || { echo "FAIL: token"; return 1; }
  pkcs11-tool --module "$MODULE" --token-label "$label" --login --pin 1234 --keypairgen \
    --key-type EC:prime256v1 --id 01 --label "$key" >/dev/null 2>&1 || { echo "FAIL: keypairgen"; return 1; }
  cat >"$T/openssl.cnf" <<CNF
openssl_conf = conf
[conf]
engines = engines
[engines]
pkcs11 = pkcs11
[pkcs11]
engine_id = pkcs11
MODULE_PATH = $MODULE
init = 0
[req]
distinguished_name = dn
[dn]
CNF
}

# wait_listening <file>: waits (≤ 10 s) for the simulator server's "listening on 127.0.0.1:PORT"
# line in <file>; sets PORT (empty when it never came).
wait_listening() {
  PORT=
  for _ in $(seq 100); do
    PORT=$(sed -n 's/^listening on 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$1")
    [[ -n $PORT ]] && break
    sleep 0.1
  done
}

# enqueue <db> <n>: n new signed care sheets (kit practitioner $T/pki, patient $T/patient.json)
# in the register's outbox, through the real CLI ($CLI).
enqueue() {
  local i
  for ((i = 0; i < $2; i++)); do
    "$CLI" fse new --practitioner "$T/pki/practitioner.json" --patient "$T/patient.json" --date 2025-12-24 \
      --register "$1" --lang en --act G --out "$T/x.fse" >/dev/null 2>&1 || ko "fse new"
  done
}
