#include "billing/transport/curl_transport.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <mutex>

#include "billing/transport/insurer_wire.hpp"
#include "crypto/pkcs11_engine.hpp"

namespace vd::billing {
namespace {

using core::Errc;

constexpr std::size_t kMaxAnswer = wire::kMaxAnswerBytes;

struct HttpAnswer {
  long status = 0;
  std::string body;
};

bool contains(std::string_view text, std::string_view what) { return text.find(what) != std::string_view::npos; }

/// Maps a libcurl failure to the 800 block (the curl text names hosts and TLS alerts, never data).
core::Failure classify(CURLcode code, std::string_view detail) {
  std::string what = std::string(curl_easy_strerror(code));
  if (!detail.empty()) what += ": " + std::string(detail.substr(0, 200));
  // TLS 1.3 reports a refused client certificate as an alert on the first read.
  const bool tlsAlert = contains(detail, "alert");
  // A handshake cut by the network (reset, EOF) is transient; any other handshake failure
  // (untrusted or unreadable certificate, bad signature, alert) needs a human.
  const bool cut = contains(detail, "SYSCALL") || contains(detail, "unexpected eof") || contains(detail, "reset") ||
                   contains(detail, "Broken pipe");
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT:
      return core::fail(Errc::TransportTimeout, {what});
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_CRL_BADFILE:
      return core::fail(Errc::TransportTls, {what});
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_NOT_BUILT_IN:
      return core::fail(Errc::TransportConfig, {what});
    case CURLE_SSL_CONNECT_ERROR:
      return core::fail(cut && !tlsAlert ? Errc::TransportNetwork : Errc::TransportTls, {what});
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
      return core::fail(tlsAlert ? Errc::TransportTls : Errc::TransportNetwork, {what});
    default:
      return core::fail(Errc::TransportNetwork, {what});
  }
}

core::Failure classifyStatus(const HttpAnswer& answer) {
  const std::string status = std::to_string(answer.status);
  if (answer.status >= 500 || answer.status == 429 || answer.status == 408)
    return core::fail(Errc::TransportServerBusy, {status});
  if (answer.status >= 400) return core::fail(Errc::TransportRequestRefused, {status, wire::parseErrorCode(answer.body)});
  return core::fail(Errc::TransportMalformedAnswer, {"HTTP " + status});
}

std::size_t onBody(char* data, std::size_t size, std::size_t count, void* user) {
  auto* body = static_cast<std::string*>(user);
  const std::size_t n = size * count;
  if (body->size() + n > kMaxAnswer) return 0;  // too large: curl stops with CURLE_WRITE_ERROR
  body->append(data, n);
  return n;
}

std::string trimSlash(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

/// Prepares the shared pkcs11 engine and opens the key once, so that a wrong PIN or a missing
/// key is a clear error before anything is sent. Errors: TransportConfig, TlsTokenPinMissing,
/// TlsTokenPinRefused, TlsTokenKeyNotFound (naming the token label, never the PIN).
core::Result<void> openTokenKey(const TransportConfig& config) {
  if (config.pkcs11Module.empty()) return core::fail(Errc::TransportConfig, {"pkcs11Module"});
  // A PIN inside the URI would end up in settings files and process listings.
  if (contains(config.clientKey, "pin-value") || contains(config.clientKey, "pin-source"))
    return core::fail(Errc::TransportConfig, {"pkcs11: URI with pin-value"});
  const std::string token = crypto::pkcs11TokenLabel(config.clientKey);
  if (config.pin.empty()) return core::fail(Errc::TlsTokenPinMissing, {token.empty() ? "pkcs11" : token});
  if (auto r = crypto::configurePkcs11Engine(config.pkcs11Module, config.pin); !r)
    return core::fail(Errc::TransportConfig, {"pkcs11 engine " + config.pkcs11Module});
  return crypto::checkPkcs11Key(config.clientKey);
}

/// One curl easy handle configured for the insurer (mutual TLS, proxy, timeouts); reused
/// across requests so the TLS connection stays open (keep-alive).
class CurlClient {
 public:
  static core::Result<std::unique_ptr<CurlClient>> make(const TransportConfig& config) {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
    if (config.baseUrl.rfind("https://", 0) != 0) return core::fail(Errc::TransportConfig, {"baseUrl must be https"});
    if (config.caFile.empty() || config.clientCertFile.empty() || config.clientKey.empty())
      return core::fail(Errc::TransportConfig, {"caFile, clientCertFile and clientKey are required"});
    if (auto pin = checkPinnedPublicKey(config.pinnedPublicKey); !pin) return core::fail(pin.error());
    const bool tokenKey = config.clientKey.rfind("pkcs11:", 0) == 0;
    if (tokenKey) {
      if (auto token = openTokenKey(config); !token) return core::fail(token.error());
    }
    std::unique_ptr<CurlClient> client(new CurlClient(config));
    CURL* c = client->m_curl;
    if (c == nullptr) return core::fail(Errc::TransportConfig, {"curl_easy_init"});
    // Only the configured insurer CA: no compiled-in CA path (Debian: /etc/ssl/certs) and no
    // native store. libcurl never reads SSL_CERT_DIR/SSL_CERT_FILE (only OpenSSL's default
    // paths do, which libcurl loads only when neither a file nor a path is set).
    bool ok = curl_easy_setopt(c, CURLOPT_CAINFO, config.caFile.c_str()) == CURLE_OK &&
              curl_easy_setopt(c, CURLOPT_CAPATH, nullptr) == CURLE_OK &&
              curl_easy_setopt(c, CURLOPT_SSL_OPTIONS, 0L) == CURLE_OK &&
              curl_easy_setopt(c, CURLOPT_SSLCERT, config.clientCertFile.c_str()) == CURLE_OK &&
              curl_easy_setopt(c, CURLOPT_SSLCERTTYPE, "PEM") == CURLE_OK &&
              curl_easy_setopt(c, CURLOPT_SSLKEY, config.clientKey.c_str()) == CURLE_OK &&
              curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L) == CURLE_OK &&
              curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L) == CURLE_OK &&
              curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https") == CURLE_OK &&
              curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L) == CURLE_OK &&
              curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(config.connectTimeout.count())) ==
                  CURLE_OK &&
              curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(config.totalTimeout.count())) == CURLE_OK &&
              curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &onBody) == CURLE_OK &&
              curl_easy_setopt(c, CURLOPT_ERRORBUFFER, client->m_error) == CURLE_OK;
    if (ok && tokenKey) {
      ok = curl_easy_setopt(c, CURLOPT_SSLENGINE, "pkcs11") == CURLE_OK &&
           curl_easy_setopt(c, CURLOPT_SSLKEYTYPE, "ENG") == CURLE_OK;
      if (ok && !config.pin.empty()) ok = curl_easy_setopt(c, CURLOPT_KEYPASSWD, config.pin.c_str()) == CURLE_OK;
    } else if (ok) {
      ok = curl_easy_setopt(c, CURLOPT_SSLKEYTYPE, "PEM") == CURLE_OK;
    }
    if (ok && !config.proxy.empty()) ok = curl_easy_setopt(c, CURLOPT_PROXY, config.proxy.c_str()) == CURLE_OK;
    if (ok && !config.pinnedPublicKey.empty())
      ok = curl_easy_setopt(c, CURLOPT_PINNEDPUBLICKEY, config.pinnedPublicKey.c_str()) == CURLE_OK;
    if (!ok)
      return core::fail(Errc::TransportConfig,
                        {tokenKey ? core::frEn("moteur pkcs11 dans libcurl", "pkcs11 engine in libcurl")
                                  : core::frEn("options de libcurl", "curl options")});
    return client;
  }

  ~CurlClient() {
    if (m_curl != nullptr) curl_easy_cleanup(m_curl);
  }
  CurlClient(const CurlClient&) = delete;
  CurlClient& operator=(const CurlClient&) = delete;

  /// GET when `body` is null, else POST of JSON. `idempotencyKey` becomes the header.
  core::Result<HttpAnswer> perform(const std::string& path, const std::string* body,
                                   const std::string& idempotencyKey = {}) {
    HttpAnswer answer;
    const std::string url = m_base + path;
    curl_slist* headers = curl_slist_append(nullptr, "Accept: application/json");
    if (body != nullptr) headers = curl_slist_append(headers, "Content-Type: application/json");
    if (!idempotencyKey.empty()) headers = curl_slist_append(headers, ("Idempotency-Key: " + idempotencyKey).c_str());
    m_error[0] = '\0';
    curl_easy_setopt(m_curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(m_curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(m_curl, CURLOPT_WRITEDATA, &answer.body);
    if (body != nullptr) {
      curl_easy_setopt(m_curl, CURLOPT_POSTFIELDS, body->data());
      curl_easy_setopt(m_curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body->size()));
    } else {
      curl_easy_setopt(m_curl, CURLOPT_HTTPGET, 1L);
    }
    const CURLcode code = curl_easy_perform(m_curl);
    curl_easy_setopt(m_curl, CURLOPT_HTTPHEADER, nullptr);
    curl_slist_free_all(headers);
    if (code == CURLE_WRITE_ERROR)
      return core::fail(Errc::TransportMalformedAnswer, {core::frEn("réponse trop grande", "answer too large")});
    if (code == CURLE_SSL_PINNEDPUBKEYNOTMATCH) return core::fail(Errc::TlsPinnedKeyMismatch, {m_base});
    if (code != CURLE_OK) return classify(code, m_error);
    curl_easy_getinfo(m_curl, CURLINFO_RESPONSE_CODE, &answer.status);
    return answer;
  }

 private:
  explicit CurlClient(const TransportConfig& config) : m_curl(curl_easy_init()), m_base(trimSlash(config.baseUrl)) {
    m_error[0] = '\0';
  }
  CURL* m_curl;
  std::string m_base;
  char m_error[CURL_ERROR_SIZE];
};

core::Result<wire::ArlTrust> loadArlTrust(const TransportConfig& config) {
  if (config.arlTrustFile.empty()) return core::fail(Errc::TransportConfig, {"arlTrustFile"});
  auto signer = crypto::X509Cert::fromPemFile(config.arlTrustFile);
  if (!signer) return core::fail(Errc::TransportConfig, {"arlTrustFile"});
  auto anchor = crypto::X509Cert::fromPemFile(config.caFile);
  if (!anchor) return core::fail(Errc::TransportConfig, {"caFile"});
  return wire::ArlTrust{{std::move(*anchor)}, signer->subject()};
}

/// RFC 3986 unreserved characters pass; everything else is percent-encoded.
std::string pathSegment(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

class CurlTransport final : public LotTransport {
 public:
  CurlTransport(std::unique_ptr<CurlClient> client, wire::ArlTrust trust)
      : m_client(std::move(client)), m_trust(std::move(trust)) {}

  core::Result<LotReceipt> sendLot(const Lot& lot) override {
    const std::string body = wire::encodeLotRequest(lot);
    auto answer = m_client->perform("/v1/lots", &body, lot.idemKey);
    if (!answer) return core::fail(answer.error());
    if (answer->status != 200 && answer->status != 201) return classifyStatus(*answer);
    auto receipt = wire::parseReceipt(answer->body);
    if (!receipt) return core::fail(receipt.error());
    if (receipt->lotId != lot.lotId) return core::fail(Errc::TransportMalformedAnswer, {"receipt.lotId"});
    LotReceipt out{receipt->lotId, receipt->duplicate, std::nullopt};
    if (receipt->arlPem) {
      auto arl = verifiedArl(*receipt->arlPem, lot.lotId);
      if (!arl) return core::fail(arl.error());
      out.arl = std::move(*arl);
    }
    return out;
  }

  core::Result<std::optional<Arl>> fetchArl(std::string_view lotId) override {
    auto answer = m_client->perform("/v1/lots/" + pathSegment(lotId) + "/arl", nullptr);
    if (!answer) return core::fail(answer.error());
    if (answer->status == 202) return std::optional<Arl>{};
    if (answer->status != 200) return classifyStatus(*answer);
    auto parsed = wire::parseArlAnswer(answer->body);
    if (!parsed) return core::fail(parsed.error());
    auto arl = verifiedArl(parsed->arlPem, lotId);
    if (!arl) return core::fail(arl.error());
    return std::optional<Arl>(std::move(*arl));
  }

 private:
  core::Result<Arl> verifiedArl(std::string_view pem, std::string_view lotId) {
    auto arl = wire::verifyArl(pem, m_trust);
    if (!arl) return arl;
    // A genuine ARL of another lot is not this lot's acknowledgement.
    if (arl->lotId != lotId)
      return core::fail(Errc::TransportArlSignature, {core::frEn("identifiant de lot", "lot id")});
    return arl;
  }

  std::unique_ptr<CurlClient> m_client;
  wire::ArlTrust m_trust;
};

}  // namespace

core::Result<void> checkPinnedPublicKey(std::string_view pins) {
  constexpr std::string_view kPrefix = "sha256//";
  const auto isBase64 = [](char ch) { return std::isalnum(static_cast<unsigned char>(ch)) != 0 || ch == '+' || ch == '/'; };
  while (!pins.empty()) {
    const auto end = pins.find(';');
    const std::string_view item = pins.substr(0, end);
    const std::string_view digest = item.substr(std::min(item.size(), kPrefix.size()));
    const bool ok = item.substr(0, kPrefix.size()) == kPrefix && digest.size() == 44 && digest.back() == '=' &&
                    std::all_of(digest.begin(), digest.end() - 1, isBase64);
    if (!ok) return core::fail(Errc::TlsPinnedKeyInvalid, {std::string(item.substr(0, 60))});
    if (end == std::string_view::npos) break;
    pins.remove_prefix(end + 1);
  }
  return {};
}

core::Result<std::unique_ptr<LotTransport>> makeCurlTransport(const TransportConfig& config) {
  auto trust = loadArlTrust(config);
  if (!trust) return core::fail(trust.error());
  auto client = CurlClient::make(config);
  if (!client) return core::fail(client.error());
  return std::unique_ptr<LotTransport>(new CurlTransport(std::move(*client), std::move(*trust)));
}

TransportConfig transportConfigFromTlsDir(const std::filesystem::path& dir, std::string baseUrl) {
  TransportConfig config;
  config.baseUrl = std::move(baseUrl);
  config.caFile = (dir / "ca.pem").string();
  config.clientCertFile = (dir / "client.pem").string();
  config.clientKey = (dir / "client.key").string();
  config.arlTrustFile = (dir / "arl-signer.pem").string();
  return config;
}

namespace {

core::Result<RightsSnapshot> lookupWith(CurlClient& client, const core::Nir& nir, core::Date date) {
  const std::string body = wire::encodeRightsRequest({nir.value(), date.iso()});
  auto answer = client.perform("/v1/rights", &body);
  if (!answer) return core::fail(answer.error());
  if (answer->status == 404 && wire::parseErrorCode(answer->body) == "unknown_insured")
    return core::fail(Errc::RightsUnknownInsured);
  if (answer->status != 200) return classifyStatus(*answer);
  auto rights = wire::parseRights(answer->body);
  if (!rights) return core::fail(rights.error());
  if (rights->asOf != date.iso()) return core::fail(Errc::TransportMalformedAnswer, {"rights.asOf"});
  return RightsSnapshot{rights->asOf,       rights->amoOpen,         rights->regime,
                        rights->caisse,     rights->centre,          rights->exemptions,
                        rights->c2s,        rights->amcOrganisation, rights->amcTiersPayant};
}

}  // namespace

core::Result<RightsSnapshot> lookupRights(const TransportConfig& config, const core::Nir& nir, core::Date date) {
  auto client = CurlClient::make(config);
  if (!client) return core::fail(client.error());
  return lookupWith(**client, nir, date);
}

struct RightsClient::Impl {
  std::unique_ptr<CurlClient> curl;
};

RightsClient::RightsClient(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
RightsClient::~RightsClient() = default;

core::Result<std::unique_ptr<RightsClient>> RightsClient::make(const TransportConfig& config) {
  auto client = CurlClient::make(config);
  if (!client) return core::fail(client.error());
  auto impl = std::make_unique<Impl>();
  impl->curl = std::move(*client);
  return std::unique_ptr<RightsClient>(new RightsClient(std::move(impl)));
}

core::Result<RightsSnapshot> RightsClient::lookup(const core::Nir& nir, core::Date date) {
  return lookupWith(*m_impl->curl, nir, date);
}

core::Result<RevocationList> fetchRevocations(const TransportConfig& config) {
  auto client = CurlClient::make(config);
  if (!client) return core::fail(client.error());
  auto answer = (*client)->perform("/v1/apcv/revocations", nullptr);
  if (!answer) return core::fail(answer.error());
  if (answer->status != 200) return classifyStatus(*answer);
  auto document = wire::parseSignedTrustLists(answer->body);
  if (!document) return core::fail(document.error());
  return RevocationList{std::move(*document)};
}

}  // namespace vd::billing
