#include "sim/server/insurer_service.hpp"

#include <algorithm>
#include <ctime>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "billing/fse/fse_signing.hpp"
#include "core/nir.hpp"
#include "crypto/trust_list.hpp"
#include "sim/phone_kit.hpp"
#include "sim/virtual_card.hpp"

namespace vd::sim {
namespace {

namespace wire = billing::wire;
using Clock = std::chrono::system_clock;

std::int64_t nowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now().time_since_epoch()).count();
}

std::string isoUtc(std::int64_t ms) {
  const std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

core::Date today() {
  return core::Date::fromDayNumber(static_cast<std::int32_t>(nowMs() / 86'400'000));
}

ServiceResponse error(int status, std::string_view code, std::string_view message, std::string_view field = {}) {
  return ServiceResponse{status, wire::encodeError(code, message, field), std::nullopt};
}

/// Reason code of a signed FSE the insurer cannot take (docs/formats/insurer-api.md §4).
std::string verificationReason(core::Errc code) {
  switch (code) {
    case core::Errc::CmsSignatureInvalid: return "signature_invalid";
    case core::Errc::CmsMalformed: return "fse_malformed";
    default: return "fse_malformed";
  }
}

}  // namespace

core::Result<std::vector<crypto::X509Cert>> readCertificates(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return core::fail(core::Errc::FileUnreadable, {file.filename().string(), "cannot open"});
  std::stringstream s;
  s << in.rdbuf();
  const std::string text = s.str();
  constexpr std::string_view kBegin = "-----BEGIN CERTIFICATE-----";
  std::vector<crypto::X509Cert> out;
  for (auto pos = text.find(kBegin); pos != std::string::npos; pos = text.find(kBegin, pos + kBegin.size())) {
    auto cert = crypto::X509Cert::fromPem(std::string_view(text).substr(pos));
    if (!cert) return core::fail(core::Errc::CertificateUnreadable, {}, file.filename().string());
    out.push_back(std::move(*cert));
  }
  if (out.empty()) return core::fail(core::Errc::CertificateUnreadable, {}, file.filename().string());
  return out;
}

InsurerService::InsurerService(crypto::SigningKey arlKey, crypto::X509Cert arlCert,
                               std::vector<crypto::X509Cert> anchors, InsurerLedger ledger,
                               std::chrono::milliseconds arlDelay, InsurerServerOptions trustLists)
    : m_arlKey(std::move(arlKey)),
      m_arlCert(std::move(arlCert)),
      m_anchors(std::move(anchors)),
      m_ledger(std::move(ledger)),
      m_arlDelay(arlDelay),
      m_trustLists(std::move(trustLists)) {
  if (m_trustLists.trustListSequence == 0) m_trustLists.trustListSequence = static_cast<std::uint64_t>(nowMs() / 1000);
}

const std::vector<std::string>& trustListModes() {
  static const std::vector<std::string> modes{"good", "unsigned", "unknown-key", "bad-signature", "truncated"};
  return modes;
}

core::Result<std::unique_ptr<InsurerService>> InsurerService::open(const InsurerServerOptions& options) {
  auto startError = [](const std::string& what) { return core::fail(core::Errc::SimServerStart, {what}); };
  auto key = crypto::SigningKey::fromPemFile(options.tlsDir / "arl-signer.key");
  if (!key) return startError("arl-signer.key");
  auto cert = crypto::X509Cert::fromPemFile(options.tlsDir / "arl-signer.pem");
  if (!cert) return startError("arl-signer.pem");
  const auto caFile = options.practitionerCa.empty() ? options.tlsDir / "ca.pem" : options.practitionerCa;
  auto anchors = readCertificates(caFile);
  if (!anchors) return startError(caFile.filename().string());
  auto ledger = InsurerLedger::open(options.ledger);
  if (!ledger) return core::fail(ledger.error());
  if (std::find(trustListModes().begin(), trustListModes().end(), options.trustListMode) == trustListModes().end())
    return startError("trust-list mode " + options.trustListMode);
  return std::unique_ptr<InsurerService>(new InsurerService(std::move(*key), std::move(*cert), std::move(*anchors),
                                                            std::move(*ledger), options.arlDelay, options));
}

LedgerCounts InsurerService::counts() const {
  std::lock_guard lock(m_mutex);
  return m_ledger.counts();
}

ServiceResponse InsurerService::handle(const ServiceRequest& request) {
  const std::string path = request.target.substr(0, request.target.find('?'));
  constexpr std::string_view kLots = "/v1/lots";
  if (path == kLots) {
    if (request.method != "POST") return error(405, "method_not_allowed", "POST only");
    return postLot(request);
  }
  constexpr std::string_view kArlSuffix = "/arl";
  if (path.size() > kLots.size() + 1 + kArlSuffix.size() && path.starts_with(std::string(kLots) + "/") &&
      path.ends_with(kArlSuffix)) {
    if (request.method != "GET") return error(405, "method_not_allowed", "GET only");
    const std::string lotId = path.substr(kLots.size() + 1, path.size() - kLots.size() - 1 - kArlSuffix.size());
    if (lotId.find('/') != std::string::npos) return error(404, "not_found", "no such resource");
    return getArl(lotId);
  }
  if (path == "/v1/rights") {
    if (request.method != "POST") return error(405, "method_not_allowed", "POST only");
    return postRights(request);
  }
  if (path == "/v1/apcv/revocations") {
    if (request.method != "GET") return error(405, "method_not_allowed", "GET only");
    return getRevocations();
  }
  return error(404, "not_found", "no such resource");
}

ServiceResponse InsurerService::receipt(const LedgerLot& lot, bool duplicate, int status) {
  wire::ReceiptBody body{lot.lotId, isoUtc(lot.receivedAtMs), lot.entries.size(), duplicate, std::nullopt,
                         std::nullopt};
  const std::int64_t wait = lot.arlReadyAtMs - nowMs();
  if (wait <= 0) {
    body.arlPem = lot.arlPem;
  } else {
    body.arlRetryAfter = static_cast<int>((wait + 999) / 1000);
  }
  return ServiceResponse{status, wire::encodeReceipt(body), std::nullopt};
}

LedgerEntry InsurerService::examine(const wire::LotMemberRequest& member) const {
  LedgerEntry entry{member.ref, member.idempotencyKey, false, {}, false};
  auto verified = billing::verifySignedFse(member.signedFse, m_anchors);
  if (!verified) {
    entry.reason = verificationReason(verified.error().code);
    return entry;
  }
  const billing::Fse& fse = verified->fse;
  if (fse.practitioner.rpps != member.ref.practitioner || fse.invoiceNumber != member.ref.number) {
    entry.reason = "ref_mismatch";
  } else if (!verified->problems.empty() || fse.lines.empty()) {
    entry.reason = "fse_invalid";
  } else {
    core::Date earliest = fse.lines.front().date, latest = earliest;
    for (const auto& line : fse.lines) {
      earliest = std::min(earliest, line.date);
      latest = std::max(latest, line.date);
    }
    // CSS L332-1: the claim for benefits is time-barred two years after the care.
    if (earliest.addDays(730) < today()) {
      entry.reason = "care_date_too_old";
    } else if (today().addDays(1) < latest) {
      entry.reason = "care_date_in_future";
    } else {
      entry.accepted = true;
    }
  }
  return entry;
}

ServiceResponse InsurerService::postLot(const ServiceRequest& request) {
  const std::string& lotKey = request.idempotencyKey;
  if (lotKey.empty() || lotKey.size() > wire::kMaxIdLength)
    return error(400, "missing_idempotency_key", "the Idempotency-Key header is required", "Idempotency-Key");
  auto parsed = wire::parseLotRequest(request.body);
  if (!parsed) {
    const auto& args = parsed.error().args;
    return error(400, "malformed_request", "the lot request is malformed", args.empty() ? "" : args[0]);
  }
  // Signatures and content are checked without the lock (the slow part, pure); what depends
  // on the ledger (replays, duplicate invoices) is decided under it.
  std::vector<LedgerEntry> examined;
  examined.reserve(parsed->members.size());
  for (const auto& member : parsed->members) examined.push_back(examine(member));
  std::lock_guard lock(m_mutex);
  if (const LedgerLot* known = m_ledger.lotByKey(lotKey)) {
    // A replay carries the same lot; another lot under a used key would be silently dropped.
    if (known->lotId != parsed->lotId || known->entries.size() != parsed->members.size())
      return error(409, "idempotency_key_reused", "this key was used for another lot", "Idempotency-Key");
    if (auto r = m_ledger.addDuplicateLot(lotKey); !r) return error(500, "ledger", "ledger write failed");
    return receipt(*known, true, 200);
  }
  if (m_ledger.lotById(parsed->lotId) != nullptr)
    return error(409, "lot_id_conflict", "this lot id was used with another idempotency key", "lotId");

  LedgerLot lot;
  lot.lotId = parsed->lotId;
  lot.lotKey = lotKey;
  lot.destination = parsed->destination;
  lot.receivedAtMs = nowMs();
  lot.arlReadyAtMs = lot.receivedAtMs + m_arlDelay.count();
  std::map<std::string, std::size_t> keysInLot;
  std::set<billing::FseRef> refsAcceptedInLot;
  for (std::size_t i = 0; i < parsed->members.size(); ++i) {
    const auto& member = parsed->members[i];
    const LedgerEntry* seen = m_ledger.fseByKey(member.idempotencyKey);
    if (const auto it = keysInLot.find(member.idempotencyKey); seen == nullptr && it != keysInLot.end())
      seen = &lot.entries[it->second];
    if (seen != nullptr) {
      // A replay of a sheet already judged: the first answer stands, counted once.
      LedgerEntry replay{member.ref, member.idempotencyKey, seen->accepted, seen->reason, true};
      lot.entries.push_back(std::move(replay));
      continue;
    }
    LedgerEntry entry = std::move(examined[i]);
    // The same invoice under another key: never paid twice.
    if (entry.accepted && (m_ledger.refAccepted(entry.ref) || !refsAcceptedInLot.insert(entry.ref).second)) {
      entry.accepted = false;
      entry.reason = "duplicate_invoice";
    }
    keysInLot.emplace(member.idempotencyKey, lot.entries.size());
    lot.entries.push_back(std::move(entry));
  }
  billing::Arl arl{lot.lotId, {}};
  for (const auto& e : lot.entries) arl.entries.push_back(billing::ArlEntry{e.ref, e.accepted, e.reason});
  auto signedArl = crypto::cmsSign(wire::encodeArlContent(arl, isoUtc(lot.arlReadyAtMs)), m_arlKey, m_arlCert);
  if (!signedArl) return error(500, "arl_signing", "the ARL could not be signed");
  lot.arlPem = std::move(*signedArl);
  const std::string lotId = lot.lotId;
  if (auto r = m_ledger.addLot(std::move(lot)); !r) return error(500, "ledger", "ledger write failed");
  return receipt(*m_ledger.lotById(lotId), false, 201);
}

ServiceResponse InsurerService::getArl(const std::string& lotId) {
  std::lock_guard lock(m_mutex);
  const LedgerLot* lot = m_ledger.lotById(lotId);
  if (lot == nullptr) return error(404, "unknown_lot", "no lot with this id");
  const std::int64_t wait = lot->arlReadyAtMs - nowMs();
  if (wait > 0) {
    const int seconds = static_cast<int>((wait + 999) / 1000);
    return ServiceResponse{202, wire::encodePending(seconds), seconds};
  }
  return ServiceResponse{200, wire::encodeArlAnswer(lot->lotId, lot->arlPem), std::nullopt};
}

ServiceResponse InsurerService::postRights(const ServiceRequest& request) {
  auto parsed = wire::parseRightsRequest(request.body);
  if (!parsed) return error(400, "malformed_request", "the rights request is malformed", parsed.error().args.at(0));
  auto nir = core::Nir::parse(parsed->nir);
  if (!nir) return error(400, "malformed_request", "invalid NIR", "nir");
  auto date = core::Date::parseIso(parsed->date);
  if (!date) return error(400, "malformed_request", "invalid date", "date");
  for (const auto& kit : cardKits()) {
    if (kit.name == "public-only") continue;
    for (const auto& person : kitPersons(kit.name)) {
      if (person.nir != nir->value()) continue;
      wire::RightsBody rights;
      rights.asOf = date->iso();
      for (const auto& p : person.amoRights) rights.amoOpen = rights.amoOpen || p.covers(*date);
      // The simulated kits all belong to one fund (test values, sim/virtual_card.hpp).
      rights.regime = kAmoRegime;
      rights.caisse = kAmoCaisse;
      rights.centre = kAmoCentre;
      for (const auto& e : person.exemptions)
        if (e.period.covers(*date)) rights.exemptions.push_back(e.kind);
      rights.c2s = person.c2s && person.c2s->covers(*date);
      if (person.amc && person.amc->period.covers(*date)) {
        rights.amcOrganisation = person.amc->organisation;
        rights.amcTiersPayant = person.amc->tiersPayant;
      }
      return ServiceResponse{200, wire::encodeRights(rights), std::nullopt};
    }
  }
  return error(404, "unknown_insured", "no such beneficiary");
}

ServiceResponse InsurerService::getRevocations() {
  if (m_trustLists.apcvMaterial.empty()) return error(503, "trust_lists_unavailable", "no trust-list signer");
  const std::int64_t now = nowMs() / 1000;
  auto lists = kitTrustLists(m_trustLists.apcvMaterial, now);
  if (!lists) return error(503, "trust_lists_unavailable", core::errcId(lists.error().code));
  lists->sequence = m_trustLists.trustListSequence;
  const std::string& mode = m_trustLists.trustListMode;
  if (mode == "unsigned")
    return ServiceResponse{200, wire::encodeRevocations({lists->appInstances, lists->cardSerials}), std::nullopt};
  core::Result<std::vector<std::uint8_t>> document = core::fail(core::Errc::Internal);
  if (mode == "unknown-key") {
    auto key = crypto::PrivateKey::generate(crypto::KeyType::EcP256);
    if (!key) return error(503, "trust_lists_unavailable", "key");
    document = crypto::signTrustLists(*lists, *key, key->publicKey().kid());
  } else {
    std::lock_guard lock(m_mutex);
    if (!m_trustListDocument) {
      auto made = signKitTrustLists(m_trustLists.apcvMaterial, *lists);
      if (!made) return error(503, "trust_lists_unavailable", core::errcId(made.error().code));
      m_trustListDocument = std::move(*made);
    }
    document = *m_trustListDocument;
  }
  if (!document) return error(503, "trust_lists_unavailable", core::errcId(document.error().code));
  if (mode == "bad-signature") {
    // The lost phone "found again" after signing: same length, the signature no longer holds.
    const std::string lost(kLostPhoneAppInstance);
    auto at = std::search(document->begin(), document->end(), lost.begin(), lost.end());
    if (at != document->end()) *(at + static_cast<std::ptrdiff_t>(lost.size()) - 1) ^= 0x01;
  }
  std::string body = wire::encodeSignedTrustLists(*document);
  if (mode == "truncated") body.resize(body.size() / 2);
  return ServiceResponse{200, std::move(body), std::nullopt};
}

}  // namespace vd::sim
