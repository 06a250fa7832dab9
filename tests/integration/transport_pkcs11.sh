#!/usr/bin/env bash
# Mutual TLS with the desk's client key inside a PKCS#11 token (SoftHSM2 created here, PIN
# given to the transport, never stored) against the real insurer simulator, directly and
# through a real HTTP CONNECT proxy (tinyproxy started here, stopped by PID).
# Usage: transport_pkcs11.sh <vd_transport_tests> <vitaledesk-sim>
set -u
TESTS=$1
SIM=$2
for tool in softhsm2-util pkcs11-tool openssl tinyproxy python3; do
  command -v "$tool" >/dev/null || { echo "SKIP: $tool missing"; exit 77; }
done
[[ -e /usr/lib/softhsm/libsofthsm2.so ]] || { echo "SKIP: libsofthsm2 missing"; exit 77; }
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
scratch_dir PROXY_PID
export LANG=C.UTF-8

"$SIM" pki server "$T/pki" >/dev/null || { echo "FAIL: pki server"; exit 1; }

LABEL="vd-tls-$$"
softhsm_token "$LABEL" tlskey || exit 1
# A client certificate for the token key, issued by the simulator's test CA.
OPENSSL_CONF=$T/openssl.cnf openssl req -new -engine pkcs11 -keyform engine \
  -key "pkcs11:token=$LABEL;object=tlskey;type=private;pin-value=1234" \
  -subj "/O=VitaleDesk TEST ONLY/CN=TEST ONLY token desk" -out "$T/token.csr" >/dev/null 2>&1 \
  || { echo "FAIL: token CSR"; exit 1; }
printf 'extendedKeyUsage = clientAuth\nkeyUsage = critical,digitalSignature\n' >"$T/ext.cnf"
openssl x509 -req -in "$T/token.csr" -CA "$T/pki/ca.pem" -CAkey "$T/pki/ca-key.pem" -CAcreateserial \
  -days 30 -extfile "$T/ext.cnf" -out "$T/token.pem" >/dev/null 2>&1 || { echo "FAIL: token certificate"; exit 1; }

# tinyproxy on a free loopback port (no ConnectPort line: CONNECT to any port).
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat >"$T/tinyproxy.conf" <<CNF
Port $PORT
Listen 127.0.0.1
Timeout 30
LogFile "$T/tinyproxy.log"
LogLevel Connect
MaxClients 10
Allow 127.0.0.1
CNF
tinyproxy -d -c "$T/tinyproxy.conf" >"$T/tinyproxy.out" 2>&1 &
PROXY_PID=$!
for _ in $(seq 50); do
  (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break
  sleep 0.1
done

export VD_TEST_TLS_DIR=$T/pki VD_TEST_PKCS11_MODULE=$MODULE VD_TEST_PKCS11_CERT=$T/token.pem
export VD_TEST_PKCS11_URI="pkcs11:token=$LABEL;object=tlskey;type=private"
export VD_TEST_PKCS11_PIN=1234
export VD_TEST_PROXY="http://127.0.0.1:$PORT"
timeout 60 "$TESTS" --gtest_filter='*ClientKeyInPkcs11TokenAndProxy*' >"$T/gtest.out" 2>&1
rc=$?
if [[ $rc -eq 0 ]] && grep -q "\[  PASSED  \] 1 test" "$T/gtest.out" && ! grep -q SKIPPED "$T/gtest.out"; then
  ok
else
  ko "mutual TLS with the token key (exit $rc)"; cat "$T/gtest.out"
fi
# A wrong PIN (a process of its own: libp11 keeps the login): refused, not retried, not shown.
VD_TEST_PKCS11_WRONG_PIN=9876 timeout 60 "$TESTS" --gtest_filter='*WrongPkcs11Pin*' >"$T/gtest2.out" 2>&1
rc=$?
if [[ $rc -eq 0 ]] && grep -q "\[  PASSED  \] 1 test" "$T/gtest2.out" && ! grep -q SKIPPED "$T/gtest2.out"; then
  ok
else
  ko "wrong PIN (exit $rc)"; cat "$T/gtest2.out"
fi
grep -q "CONNECT" "$T/tinyproxy.log" && ok || { ko "tinyproxy saw no CONNECT"; cat "$T/tinyproxy.log"; }

echo "transport pkcs11: $passes passed, $fails failed"
[[ $fails -eq 0 ]]
