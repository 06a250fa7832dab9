#pragma once
/// \file
/// The register of signed care sheets and of invoice numbers (numéros de facture), in
/// SQLite (WAL, synchronous=FULL). A number is allocated and the signed document stored in
/// ONE transaction: if building or signing fails, or the process dies before the commit,
/// the number was never used — numbers are strictly increasing per practitioner, gap-free
/// and crash-safe. The outbox (states, transmission) extends this database by migration.
///
/// Thread affinity: one FseRegister per thread; several processes may share the file
/// (writers are serialised by SQLite, waiting up to the busy timeout).

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "billing/fse/fse.hpp"
#include "billing/outbox/data_key.hpp"
#include "billing/tariff/cap_counters.hpp"
#include "core/date.hpp"
#include "core/money.hpp"
#include "core/result.hpp"

namespace vd::billing {

/// PF and franchises deducted on one care sheet, kept as the desk's LOCAL cap counters
/// (cap_counters.hpp). `beneficiaryKey` is pseudonymous, never a NIR.
struct CapCharge {
  std::string beneficiaryKey;
  std::string practitionerId;
  core::Date day;
  core::Money pf;
  int pfCount = 0;
  core::Money franchise;
};

/// How a new care sheet enters the outbox (in the same transaction as its number).
struct QueueEntry {
  std::optional<core::Date> careDate;  ///< earliest act; defaults to today (UTC)
  bool tiersPayant = false;            ///< 8 working days instead of 3 (CSS R161-47)
  std::string destination = "default"; ///< lot destination (AMO regime + caisse)
  std::optional<std::int64_t> now;     ///< UTC seconds; defaults to the system time
};

/// What a signed FSE adds to the beneficiary's yearly PF and franchise caps (cap_counters.hpp),
/// none when it withholds neither; `beneficiaryKey` is the pseudonymous key, never a NIR.
std::vector<CapCharge> capChargesOf(const Fse& fse, const std::string& beneficiaryKey);
/// How an FSE enters the outbox: its R161-47 deadline runs from the earliest act, 8 working
/// days under tiers payant (AMO), 3 otherwise (deadlines.hpp); the lot goes to its AMO regime
/// and caisse.
QueueEntry queueEntryOf(const Fse& fse);

class FseRegister {
 public:
  /// Opens or creates the database, applying schema migrations (PRAGMA user_version), and
  /// the data key (`where.key()`: `<file>.key` unless placed elsewhere; created 0600 on first
  /// use; data_key.hpp). Documents are stored encrypted (AES-256-GCM); rows of an older
  /// version stored in clear are encrypted on open. Errors: FseStore, OutboxKeyFile.
  static core::Result<FseRegister> open(const RegisterLocation& where);

  FseRegister(FseRegister&&) noexcept;
  FseRegister& operator=(FseRegister&&) noexcept;
  ~FseRegister();

  /// Builds the document for the next number and stores it atomically. `build` receives
  /// the number and returns the signed document (or an error, which is returned unchanged
  /// and consumes no number).
  /// `charges` are recorded in the same transaction, and so is the outbox row: the sheet
  /// enters state `pending` with a fresh idempotency key (outbox.hpp), audited.
  core::Result<std::uint64_t> commitNew(const std::string& practitionerId,
                                        const std::function<core::Result<std::string>(std::uint64_t)>& build,
                                        const std::vector<CapCharge>& charges = {}, const QueueEntry& queue = {});
  /// The beneficiary's charges of calendar year `year` (and of the last day of the previous
  /// year, harmless), as counters for the pricing engine.
  core::Result<std::unique_ptr<InMemoryCapHistory>> capHistory(const std::string& beneficiaryKey, int year);
  /// The last number used for the practitioner (0 when none).
  core::Result<std::uint64_t> lastNumber(const std::string& practitionerId);
  /// The stored document, decrypted. Errors: FseStore (absent), OutboxDecrypt (altered).
  core::Result<std::string> document(const std::string& practitionerId, std::uint64_t number);

 private:
  struct Impl;
  explicit FseRegister(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> m_impl;
};

}  // namespace vd::billing
