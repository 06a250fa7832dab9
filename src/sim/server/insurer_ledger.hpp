#pragma once
/// \file
/// The simulator's ledger: what the insurer network accepted, one JSON object a line
/// (docs/formats/insurer-api.md §6), appended and fsynced before the answer leaves, reloaded
/// at start so idempotency survives a restart. Not thread-safe: the service serialises calls.

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "billing/outbox/lot_transport.hpp"
#include "core/result.hpp"
#include "sim/server/insurer_server.hpp"

namespace vd::sim {

struct LedgerEntry {
  billing::FseRef ref;
  std::string idempotencyKey;
  bool accepted = false;
  std::string reason;      ///< reason code when rejected
  bool duplicate = false;  ///< a replay of a key already seen: not counted again
};

struct LedgerLot {
  std::string lotId, lotKey, destination;
  std::int64_t receivedAtMs = 0, arlReadyAtMs = 0;
  std::vector<LedgerEntry> entries;
  std::string arlPem;  ///< the signed ARL (signed at intake, served when ready)
};

class InsurerLedger {
 public:
  /// Empty path: memory only. Else loads the file (creating it when `writable`; then a last
  /// line cut by a crash is dropped: its answer never left). Errors: SimLedger {reason}.
  static core::Result<InsurerLedger> open(const std::filesystem::path& file, bool writable = true);
  InsurerLedger(InsurerLedger&&) noexcept;
  InsurerLedger& operator=(InsurerLedger&&) noexcept;
  ~InsurerLedger();

  /// Records a lot (and its per-FSE results) durably. Errors: SimLedger.
  core::Result<void> addLot(LedgerLot lot);
  /// Records a replayed lot key (counted in duplicatesIgnored). Errors: SimLedger.
  core::Result<void> addDuplicateLot(const std::string& lotKey);

  const LedgerLot* lotByKey(const std::string& lotKey) const;
  const LedgerLot* lotById(const std::string& lotId) const;
  /// The first result recorded for an FSE idempotency key.
  const LedgerEntry* fseByKey(const std::string& key) const;
  /// True when an FSE with this reference was accepted (under any key).
  bool refAccepted(const billing::FseRef& ref) const;
  LedgerCounts counts() const { return m_counts; }

 private:
  InsurerLedger() = default;
  void apply(LedgerLot lot);
  core::Result<void> append(const std::string& line);

  int m_fd = -1;
  std::vector<LedgerLot> m_lots;
  std::map<std::string, std::size_t> m_byKey, m_byId;
  std::map<std::string, LedgerEntry> m_fseByKey;
  std::map<billing::FseRef, bool> m_acceptedRefs;
  LedgerCounts m_counts;
};

}  // namespace vd::sim
