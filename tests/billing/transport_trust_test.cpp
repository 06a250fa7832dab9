// TLS trust of the libcurl transport against the REAL insurer simulator on loopback: only the
// configured insurer CA is trusted (a system-style store built here is not, even through
// SSL_CERT_DIR / SSL_CERT_FILE), the optional server-key pin, and the client key inside a
// SoftHSM2 token (created here) selected by a pkcs11: URI, directly and through a tinyproxy
// started here. Nothing here is skipped: the tools come from tools/apt-packages.txt.
#include <gtest/gtest.h>

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "billing/transport/curl_transport.hpp"
#include "core/messages.hpp"
#include "crypto/test_pki.hpp"
#include "sim/server/insurer_server.hpp"

extern char** environ;

namespace vd::billing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using core::Errc;

constexpr const char* kModule = "/usr/lib/softhsm/libsofthsm2.so";
constexpr const char* kPin = "1234";

/// Runs a shell command, returns its standard output (trailing newline removed); `ok` false
/// when it exits non-zero.
std::string run(const std::string& command, bool& ok) {
  std::string out;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) {
    ok = false;
    return out;
  }
  char buffer[512];
  while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) out += buffer;
  ok = ::pclose(pipe) == 0;
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

/// "sha256//<base64>" of the public key in a PEM certificate (curl's pin form).
std::string pinOf(const fs::path& certificate, bool& ok) {
  return "sha256//" + run("openssl x509 -in '" + certificate.string() +
                              "' -pubkey -noout | openssl pkey -pubin -outform der | openssl dgst -sha256 -binary "
                              "| base64",
                          ok);
}

/// Sets an environment variable for the scope of one test.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const std::string& value) : m_name(name) {
    if (const char* old = std::getenv(name)) m_old = old;
    ::setenv(name, value.c_str(), 1);
  }
  ~ScopedEnv() {
    if (m_old) ::setenv(m_name, m_old->c_str(), 1);
    else ::unsetenv(m_name);
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* m_name;
  std::optional<std::string> m_old;
};

class TransportTrustTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    s_dir = fs::temp_directory_path() / ("vd-transport-trust-" + std::to_string(::getpid()));
    fs::remove_all(s_dir);
    ASSERT_TRUE(sim::writeServerPki(s_dir / "insurer").ok());
    // The rogue server: a certificate of another CA for the same address, which a system-style
    // store (hashed with `openssl rehash`) trusts; it accepts the desk's client certificate.
    // (Its CA needs a subject of its own: OpenSSL picks issuers by name.)
    fs::copy(s_dir / "insurer", s_dir / "rogue");
    fs::create_directories(s_dir / "store");
    bool ok = false;
    const std::string out =
        run("cd '" + s_dir.string() +
                "' && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout rogue-ca.key "
                "-out store/rogue-ca.pem -subj '/O=TEST ONLY/CN=TEST ONLY public CA' -days 30 "
                "-addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign 2>&1 && "
                "openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout rogue/server.key "
                "-out rogue.csr -subj /CN=127.0.0.1 2>&1 && "
                "printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\\nextendedKeyUsage=serverAuth\\n' >rogue.ext && "
                "openssl x509 -req -in rogue.csr -CA store/rogue-ca.pem -CAkey rogue-ca.key -CAcreateserial "
                "-days 30 -extfile rogue.ext -out rogue/server.pem 2>&1 && openssl rehash store 2>&1",
            ok);
    ASSERT_TRUE(ok) << out;
    ASSERT_NO_FATAL_FAILURE(makeTokens());
  }
  static void TearDownTestSuite() { fs::remove_all(s_dir); }
  void TearDown() override { m_server.reset(); }

  /// Two SoftHSM2 tokens (one per PIN test: libp11 keeps a token's login for the process),
  /// each holding a client key certified by the insurer's test CA. The key files are removed
  /// once imported: the key then exists only in the token.
  static void makeTokens() {
    const fs::path conf = s_dir / "softhsm2.conf";
    fs::create_directories(s_dir / "tokens");
    std::ofstream(conf) << "directories.tokendir = " << (s_dir / "tokens").string()
                        << "\nobjectstore.backend = file\nlog.level = ERROR\n";
    ::setenv("SOFTHSM2_CONF", conf.c_str(), 1);  // before the module's first C_Initialize
    for (const char* which : {"good", "wrong"}) {
      const std::string label = std::string("vd-tls-") + which + "-" + std::to_string(::getpid());
      auto files = crypto::issueTestCertificate(s_dir / "insurer", std::string("token-") + which,
                                                "TEST ONLY token desk", {"clientAuth", ""});
      ASSERT_TRUE(files.ok());
      bool ok = false;
      const std::string out = run("softhsm2-util --init-token --free --label " + label + " --pin " + kPin +
                                      " --so-pin 5678 2>&1 && softhsm2-util --import '" + files->key.string() +
                                      "' --token " + label + " --label tlskey --id 01 --pin " + kPin + " 2>&1",
                                  ok);
      ASSERT_TRUE(ok) << out;
      fs::remove(files->key);
      if (std::string(which) == "good") s_tokenCert = files->certificate;
      (std::string(which) == "good" ? s_goodUri : s_wrongUri) =
          "pkcs11:token=" + label + ";object=tlskey;type=private";
    }
  }

  sim::InsurerServer& start(const fs::path& tlsDir) {
    sim::InsurerServerOptions o;
    o.tlsDir = tlsDir;
    auto server = sim::InsurerServer::start(o);
    EXPECT_TRUE(server.ok());
    m_server = std::move(*server);
    return *m_server;
  }

  TransportConfig config() const {
    TransportConfig c =
        transportConfigFromTlsDir(s_dir / "insurer", "https://127.0.0.1:" + std::to_string(m_server->port()));
    c.connectTimeout = 2s;
    c.totalTimeout = 5s;
    return c;
  }

  /// The client key in a token of the suite (certificate issued by the insurer's test CA).
  TransportConfig tokenConfig(const std::string& uri, const std::string& pin) const {
    TransportConfig c = config();
    c.clientCertFile = s_tokenCert.string();
    c.clientKey = uri;
    c.pkcs11Module = kModule;
    c.pin = pin;
    return c;
  }

  /// One request through a fresh transport: the 404 of an unknown lot proves the TLS session
  /// (both ways) was accepted.
  static core::Result<std::optional<Arl>> probe(const TransportConfig& c) {
    auto t = makeCurlTransport(c);
    if (!t) return core::fail(t.error());
    return (*t)->fetchArl("none");
  }

  static bool reached(const core::Result<std::optional<Arl>>& r) {
    return !r.ok() && r.error().args == std::vector<std::string>{"404", "unknown_lot"};
  }

  static inline fs::path s_dir, s_tokenCert;
  static inline std::string s_goodUri, s_wrongUri;
  std::unique_ptr<sim::InsurerServer> m_server;
};

// Before: CURLOPT_CAPATH stayed at libcurl's compiled-in /etc/ssl/certs, so any CA of the
// system store was trusted besides the configured one. The store here stands in for it.
TEST_F(TransportTrustTest, SystemStyleStoreIsNotTrustedEvenThroughTheEnvironment) {
  start(s_dir / "rogue");
  const std::string url = "https://127.0.0.1:" + std::to_string(m_server->port()) + "/v1/lots/none/arl";
  const fs::path insurer = s_dir / "insurer";
  // Control 1: libcurl (the curl tool) with the old options — the insurer CA as CAINFO and a
  // CA path — accepts the rogue server when that path is the system-style store.
  bool ok = false;
  const std::string old = run("curl -s -o /dev/null -w '%{http_code}' --cacert '" + (insurer / "ca.pem").string() +
                                  "' --capath '" + (s_dir / "store").string() + "' --cert '" +
                                  (insurer / "client.pem").string() + "' --key '" + (insurer / "client.key").string() +
                                  "' '" + url + "'",
                              ok);
  EXPECT_EQ(old, "404") << "the old option set accepts a server of the system-style store";
  // Control 2: the server is reachable and its chain is valid for whoever trusts the rogue CA.
  TransportConfig trusting = config();
  trusting.caFile = (s_dir / "store" / "rogue-ca.pem").string();
  EXPECT_TRUE(reached(probe(trusting)));

  // The transport, with OpenSSL's default-path variables pointing at that store: refused.
  ScopedEnv dir("SSL_CERT_DIR", (s_dir / "store").string());
  ScopedEnv file("SSL_CERT_FILE", (s_dir / "store" / "rogue-ca.pem").string());
  auto refused = probe(config());
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, Errc::TransportTls) << core::errcId(refused.error().code);
  EXPECT_FALSE(isTransient(refused.error()));
  EXPECT_EQ(m_server->counts().lots, 0u);
}

TEST_F(TransportTrustTest, PinnedServerKeyRightIsAcceptedWrongIsRefusedWithTheMessage) {
  start(s_dir / "insurer");
  bool ok = false;
  const std::string right = pinOf(s_dir / "insurer" / "server.pem", ok);
  ASSERT_TRUE(ok);
  const std::string other = pinOf(s_dir / "rogue" / "server.pem", ok);
  ASSERT_TRUE(ok);
  TransportConfig c = config();
  c.pinnedPublicKey = right;
  EXPECT_TRUE(reached(probe(c)));
  c.pinnedPublicKey = other + ";" + right;  // the next key announced beside the current one
  EXPECT_TRUE(reached(probe(c)));

  c.pinnedPublicKey = other;
  auto refused = probe(c);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, Errc::TlsPinnedKeyMismatch) << core::errcId(refused.error().code);
  EXPECT_FALSE(isTransient(refused.error()));
  const auto fr = core::describe(refused.error(), core::Lang::Fr);
  const auto en = core::describe(refused.error(), core::Lang::En);
  EXPECT_NE(fr.cause.find("épinglée"), std::string::npos) << fr.cause;
  EXPECT_NE(en.action.find("sha256//"), std::string::npos) << en.action;
  EXPECT_EQ(m_server->counts().lots, 0u);

  for (const char* bad : {"sha256//short=", "md5//AAAA", "sha256//AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA*=",
                          "/etc/ssl/server-key.pem"}) {
    c.pinnedPublicKey = bad;
    auto invalid = makeCurlTransport(c);
    ASSERT_FALSE(invalid.ok()) << bad;
    EXPECT_EQ(invalid.error().code, Errc::TlsPinnedKeyInvalid) << bad;
  }
}

/// tinyproxy on a free loopback port, stopped by PID.
class Tinyproxy {
 public:
  explicit Tinyproxy(const fs::path& dir) {
    bool ok = false;
    m_port = run("python3 -c 'import socket; s=socket.socket(); s.bind((\"127.0.0.1\",0)); "
                 "print(s.getsockname()[1])'",
                 ok);
    const fs::path conf = dir / "tinyproxy.conf";
    m_log = dir / "tinyproxy.log";
    std::ofstream(conf) << "Port " << m_port << "\nListen 127.0.0.1\nTimeout 30\nLogFile \"" << m_log.string()
                        << "\"\nLogLevel Connect\nMaxClients 10\nAllow 127.0.0.1\n";
    const std::string c = conf.string();
    char* argv[] = {const_cast<char*>("tinyproxy"), const_cast<char*>("-d"), const_cast<char*>("-c"),
                    const_cast<char*>(c.c_str()), nullptr};
    if (::posix_spawnp(&m_pid, "tinyproxy", nullptr, nullptr, argv, environ) != 0) m_pid = 0;
    for (int i = 0; i < 50 && m_pid != 0; ++i) {
      run("bash -c 'exec 3<>/dev/tcp/127.0.0.1/" + m_port + "' 2>/dev/null", ok);
      if (ok) break;
      std::this_thread::sleep_for(100ms);
    }
  }
  ~Tinyproxy() {
    if (m_pid != 0) {
      ::kill(m_pid, SIGTERM);
      ::waitpid(m_pid, nullptr, 0);
    }
  }
  Tinyproxy(const Tinyproxy&) = delete;
  Tinyproxy& operator=(const Tinyproxy&) = delete;
  bool running() const { return m_pid != 0; }
  std::string url() const { return "http://127.0.0.1:" + m_port; }
  bool sawConnect() const {
    std::ifstream in(m_log);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return text.find("CONNECT") != std::string::npos;
  }

 private:
  pid_t m_pid = 0;
  std::string m_port;
  fs::path m_log;
};

TEST_F(TransportTrustTest, ClientKeyInPkcs11TokenDirectAndThroughAProxy) {
  start(s_dir / "insurer");
  TransportConfig c = tokenConfig(s_goodUri, kPin);
  auto direct = probe(c);
  EXPECT_TRUE(reached(direct)) << core::errcId(direct.error().code) << " " << direct.error().args.at(0);
  Tinyproxy proxy(s_dir);
  ASSERT_TRUE(proxy.running()) << "tinyproxy (tools/apt-packages.txt)";
  c.proxy = proxy.url();
  auto proxied = probe(c);
  EXPECT_TRUE(reached(proxied)) << core::errcId(proxied.error().code) << " " << proxied.error().args.at(0);
  EXPECT_TRUE(proxy.sawConnect());
  EXPECT_EQ(m_server->connectionsAccepted(), 2u);
}

TEST_F(TransportTrustTest, WrongPkcs11PinIsRefusedBeforeConnectingWithoutShowingIt) {
  start(s_dir / "insurer");
  TransportConfig c = tokenConfig(s_wrongUri, "9876");
  auto t = makeCurlTransport(c);
  ASSERT_FALSE(t.ok());
  const core::Error e = t.error();
  EXPECT_EQ(e.code, Errc::TlsTokenPinRefused) << core::errcId(e.code);
  EXPECT_FALSE(isTransient(e));
  for (const auto lang : {core::Lang::Fr, core::Lang::En}) {
    const std::string line = core::describeLine(e, lang);
    EXPECT_EQ(line.find("9876"), std::string::npos) << line;
    EXPECT_NE(line.find("vd-tls-wrong-"), std::string::npos) << "names the token: " << line;
  }
  c.pin.clear();
  auto none = makeCurlTransport(c);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code, Errc::TlsTokenPinMissing);
  c.pin = kPin;
  c.clientKey = "pkcs11:token=vd-tls-absent;object=tlskey;type=private";
  auto missing = makeCurlTransport(c);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, Errc::TlsTokenKeyNotFound) << core::errcId(missing.error().code);
  c.clientKey = s_wrongUri + "?pin-value=1234";
  auto inUri = makeCurlTransport(c);
  ASSERT_FALSE(inUri.ok());
  EXPECT_EQ(inUri.error().code, Errc::TransportConfig);
  EXPECT_EQ(m_server->connectionsAccepted(), 0u);
}

}  // namespace
}  // namespace vd::billing
