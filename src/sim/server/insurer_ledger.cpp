#include "sim/server/insurer_ledger.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "billing/transport/insurer_wire.hpp"

namespace vd::sim {
namespace {

using nlohmann::json;

core::Failure ledgerError(std::string reason) { return core::fail(core::Errc::SimLedger, {std::move(reason)}); }

json toJson(const LedgerLot& lot) {
  json entries = json::array();
  for (const auto& e : lot.entries)
    entries.push_back({{"ref", e.ref.str()},
                       {"key", e.idempotencyKey},
                       {"status", e.accepted ? "accepted" : "rejected"},
                       {"reason", e.reason},
                       {"duplicate", e.duplicate}});
  return {{"type", "lot"},         {"lotId", lot.lotId},
          {"lotKey", lot.lotKey},  {"destination", lot.destination},
          {"receivedAtMs", lot.receivedAtMs}, {"arlReadyAtMs", lot.arlReadyAtMs},
          {"entries", std::move(entries)},    {"arl", lot.arlPem}};
}

std::optional<LedgerLot> fromJson(const json& j) {
  try {
    LedgerLot lot;
    lot.lotId = j.at("lotId").get<std::string>();
    lot.lotKey = j.at("lotKey").get<std::string>();
    lot.destination = j.at("destination").get<std::string>();
    lot.receivedAtMs = j.at("receivedAtMs").get<std::int64_t>();
    lot.arlReadyAtMs = j.at("arlReadyAtMs").get<std::int64_t>();
    lot.arlPem = j.at("arl").get<std::string>();
    for (const auto& e : j.at("entries")) {
      const auto ref = billing::wire::parseRef(e.at("ref").get<std::string>());
      if (!ref) return std::nullopt;
      lot.entries.push_back(LedgerEntry{*ref, e.at("key").get<std::string>(),
                                        e.at("status").get<std::string>() == "accepted",
                                        e.at("reason").get<std::string>(), e.at("duplicate").get<bool>()});
    }
    return lot;
  } catch (const json::exception&) {  // a ledger is our own file: a bad line is reported, not parsed further
    return std::nullopt;
  }
}

}  // namespace

InsurerLedger::InsurerLedger(InsurerLedger&& o) noexcept { *this = std::move(o); }
InsurerLedger& InsurerLedger::operator=(InsurerLedger&& o) noexcept {
  if (this != &o) {
    if (m_fd >= 0) ::close(m_fd);
    m_fd = std::exchange(o.m_fd, -1);
    m_lots = std::move(o.m_lots);
    m_byKey = std::move(o.m_byKey);
    m_byId = std::move(o.m_byId);
    m_fseByKey = std::move(o.m_fseByKey);
    m_acceptedRefs = std::move(o.m_acceptedRefs);
    m_counts = o.m_counts;
  }
  return *this;
}
InsurerLedger::~InsurerLedger() {
  if (m_fd >= 0) ::close(m_fd);
}

core::Result<InsurerLedger> InsurerLedger::open(const std::filesystem::path& file, bool writable) {
  InsurerLedger ledger;
  if (file.empty()) return ledger;
  std::ifstream in(file, std::ios::binary);
  std::size_t goodBytes = 0;
  if (in) {
    std::stringstream all;
    all << in.rdbuf();
    const std::string text = all.str();
    std::size_t pos = 0;
    int lineNo = 0;
    while (pos < text.size()) {
      const auto nl = text.find('\n', pos);
      if (nl == std::string::npos) break;  // a line cut by a crash: its answer never left
      ++lineNo;
      const std::string_view line(text.data() + pos, nl - pos);
      pos = nl + 1;
      if (line.empty()) continue;
      const json j = json::parse(line.begin(), line.end(), nullptr, false);
      const auto* type = j.is_object() && j.contains("type") && j["type"].is_string()
                             ? &j["type"].get_ref<const std::string&>()
                             : nullptr;
      if (type != nullptr && *type == "duplicate_lot") {
        ++ledger.m_counts.duplicatesIgnored;
      } else if (type != nullptr && *type == "lot") {
        auto lot = fromJson(j);
        if (!lot) return ledgerError(file.filename().string() + ":" + std::to_string(lineNo));
        ledger.apply(std::move(*lot));
      } else {
        return ledgerError(file.filename().string() + ":" + std::to_string(lineNo));
      }
      goodBytes = pos;
    }
  }
  if (!writable) return ledger;
  ledger.m_fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
  if (ledger.m_fd < 0) return ledgerError(std::strerror(errno));
  if (::ftruncate(ledger.m_fd, static_cast<off_t>(goodBytes)) != 0 ||
      ::lseek(ledger.m_fd, 0, SEEK_END) < 0) {
    return ledgerError(std::strerror(errno));
  }
  return ledger;
}

void InsurerLedger::apply(LedgerLot lot) {
  ++m_counts.lots;
  for (const auto& e : lot.entries) {
    if (e.duplicate) {
      ++m_counts.duplicatesIgnored;
      continue;
    }
    e.accepted ? ++m_counts.fseAccepted : ++m_counts.fseRejected;
    m_fseByKey.emplace(e.idempotencyKey, e);
    if (e.accepted) m_acceptedRefs[e.ref] = true;
  }
  m_byKey[lot.lotKey] = m_lots.size();
  m_byId[lot.lotId] = m_lots.size();
  m_lots.push_back(std::move(lot));
}

core::Result<void> InsurerLedger::append(const std::string& line) {
  if (m_fd < 0) return {};
  std::size_t done = 0;
  while (done < line.size()) {
    const ssize_t n = ::write(m_fd, line.data() + done, line.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return ledgerError(std::strerror(errno));
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(m_fd) != 0) return ledgerError(std::strerror(errno));
  return {};
}

core::Result<void> InsurerLedger::addLot(LedgerLot lot) {
  auto written = append(toJson(lot).dump() + "\n");
  if (!written) return written;
  apply(std::move(lot));
  return {};
}

core::Result<void> InsurerLedger::addDuplicateLot(const std::string& lotKey) {
  auto written = append(json{{"type", "duplicate_lot"}, {"lotKey", lotKey}}.dump() + "\n");
  if (!written) return written;
  ++m_counts.duplicatesIgnored;
  return {};
}

const LedgerLot* InsurerLedger::lotByKey(const std::string& lotKey) const {
  const auto it = m_byKey.find(lotKey);
  return it == m_byKey.end() ? nullptr : &m_lots[it->second];
}
const LedgerLot* InsurerLedger::lotById(const std::string& lotId) const {
  const auto it = m_byId.find(lotId);
  return it == m_byId.end() ? nullptr : &m_lots[it->second];
}
const LedgerEntry* InsurerLedger::fseByKey(const std::string& key) const {
  const auto it = m_fseByKey.find(key);
  return it == m_fseByKey.end() ? nullptr : &it->second;
}
bool InsurerLedger::refAccepted(const billing::FseRef& ref) const { return m_acceptedRefs.count(ref) != 0; }

core::Result<LedgerCounts> readLedgerCounts(const std::filesystem::path& file) {
  if (!std::filesystem::exists(file)) return ledgerError(file.filename().string() + ": missing");
  auto ledger = InsurerLedger::open(file, false);
  if (!ledger) return core::fail(ledger.error());
  return ledger->counts();
}

}  // namespace vd::sim
