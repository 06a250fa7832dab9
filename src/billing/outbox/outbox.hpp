#pragma once
/// \file
/// The durable outbox over the register database (fse_register.hpp creates the tables by
/// migration; docs/outbox.md). Every state change checks the transition table
/// (outbox_state.hpp), runs in one IMMEDIATE transaction and appends a hash-chained audit
/// entry. Time comes from the injected core::Clock, retry delays from RetryPolicy + RandomSource.
///
/// Thread affinity: one Outbox per thread; several processes may share the file. A claim
/// (`sending`) is a lease: a process that dies holding it loses it when `sending_until`
/// passes, and the sheet returns to `pending` with the SAME idempotency key, so a
/// retransmission can never bill twice. No patient data in errors, audit or observer events.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "billing/outbox/data_key.hpp"
#include "billing/outbox/deadlines.hpp"
#include "billing/outbox/outbox_state.hpp"
#include "billing/outbox/retry_policy.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "core/working_days.hpp"

namespace vd::billing {

/// A care sheet's reference: practitioner RPPS and invoice number, written "RPPS/NUMBER".
struct FseRef {
  std::string practitioner;
  std::uint64_t number = 0;
  std::string str() const { return practitioner + "/" + std::to_string(number); }
  /// Errors: OutboxRefSyntax.
  static core::Result<FseRef> parse(std::string_view text);
  friend bool operator==(const FseRef&, const FseRef&) = default;
  friend auto operator<=>(const FseRef&, const FseRef&) = default;
};

struct OutboxItem {
  FseRef ref;
  std::optional<OutboxState> state;  ///< nullopt: unreadable state text (`rawState`)
  std::string rawState;
  core::Date careDate = core::Date::fromDayNumber(0);
  bool tiersPayant = false;
  std::string destination;
  std::string idemKey;
  int attempts = 0;
  std::optional<core::UnixSeconds> nextAttemptAt, sendingUntil, sentAt, acknowledgedAt;
  std::string lotId;
  std::string lastError;  ///< an error or reason code, never patient data
  Deadlines deadlines;
  core::Date deadline = core::Date::fromDayNumber(0);  ///< the one that matters now (send, or ARL when awaiting it)
  bool overdue = false;
  /// Not sent yet (pending, deferred, sending, held), not overdue, and `deadline` falls within
  /// one working day of today: send it now.
  bool dueSoon = false;
};

struct ClaimedFse {
  FseRef ref;
  std::string idemKey;
  std::string document;  ///< the signed document, decrypted (memory only)
};

/// A batch for one destination, with its own idempotency key.
struct Lot {
  std::string lotId;
  std::string idemKey;
  std::string destination;
  std::vector<ClaimedFse> members;
};

/// One line of an ARL to apply (the dispatcher converts the transport's ArlEntry).
struct Settlement {
  FseRef ref;
  bool accepted = false;
  std::string reasonCode;  ///< a code, never patient data
};

/// What `settle` did. `ignored`: lines for sheets not awaiting an ARL (a duplicate ARL, or a
/// sheet already settled or queued again), which change nothing.
struct SettleResult {
  int acknowledged = 0;
  int rejected = 0;
  int ignored = 0;
};

struct OutboxStats {
  std::map<std::string, int> byState;
  int overdue = 0;
  int dueWithinOneWorkingDay = 0;
};

/// One logged transition (for the UI and logs).
struct TransitionEvent {
  FseRef ref;
  std::string from, to, reason;
  core::UnixSeconds at = 0;
};

class Outbox {
 public:
  /// Opens the register (migrating it) and the outbox. `rng` may be null (a system source).
  static core::Result<Outbox> open(const RegisterLocation& where, const core::Clock& clock,
                                   RetryPolicy policy = {}, RandomSource* rng = nullptr,
                                   core::Region region = core::Region::Metropole);
  Outbox(Outbox&&) noexcept;
  Outbox& operator=(Outbox&&) noexcept;
  ~Outbox();

  void setObserver(std::function<void(const TransitionEvent&)> observer);

  /// Returns expired leases to `pending` (reason lease_expired); the count.
  core::Result<int> expireLeases();
  /// Claims up to `max` sheets due now (pending, or deferred whose time came) for one
  /// destination (the oldest due one's when empty) as a new lot, leased for policy.lease.
  /// Unreadable sheets met on the way are quarantined. nullopt when nothing is due.
  /// `ignoreBackoff`: deferred sheets are due whatever their retry time (the network is back,
  /// or the user asked to send now).
  core::Result<std::optional<Lot>> claimLot(std::size_t max, std::string_view destination = {},
                                            bool ignoreBackoff = false);
  /// The lot was claimed but never sent (the sender is stopping): its members still
  /// `sending` go back to `pending` (same keys; the claim's attempt is not counted), audited
  /// with `reason`. The count.
  core::Result<int> releaseLot(const Lot& lot, std::string_view reason = "released_unsent");
  /// Every `sending` row back to `pending` whatever its lease (reason sender_restarted). Only
  /// for a sender that knows no other sender is alive: the dispatcher, holding the
  /// register's dispatch lock (dispatcher.hpp). The count.
  core::Result<int> releaseOrphanedClaims();
  /// Ids of the lots having members in `awaiting_arl`, oldest sending first.
  core::Result<std::vector<std::string>> lotsAwaitingArl();
  /// Applies ARL lines in one transaction: awaiting_arl → acknowledged, or rejected with
  /// the reason code. Other lines are counted as ignored.
  core::Result<SettleResult> settle(const std::vector<Settlement>& lines);
  /// Number of sheets per state text (cheap: no deadline computation).
  core::Result<std::map<std::string, int>> countByState();
  /// The network accepted the lot: its members go to awaiting_arl.
  core::Result<void> markSent(const Lot& lot);
  /// Sending failed: transient → deferred (backoff), else held. `errorCode` is a code, no data.
  core::Result<void> markFailed(const FseRef& ref, std::string_view errorCode, bool transient);
  /// Every member of `lot` failed alike, in one transaction (as markFailed for each).
  core::Result<void> markLotFailed(const Lot& lot, std::string_view errorCode, bool transient);
  core::Result<void> acknowledge(const FseRef& ref);
  core::Result<void> reject(const FseRef& ref, std::string_view reasonCode);
  /// awaiting_arl past the ARL deadline (2 working days) → pending, same key; the count.
  core::Result<int> retransmitMissingArl();
  core::Result<void> hold(const FseRef& ref, std::string_view reason = "operator_hold");
  core::Result<void> release(const FseRef& ref);
  /// deferred → pending at once.
  core::Result<void> retry(const FseRef& ref);

  core::Result<std::vector<OutboxItem>> list();
  core::Result<OutboxItem> show(const FseRef& ref);
  core::Result<OutboxStats> stats();
  /// Deletes sheets acknowledged at least 90 days ago (and nothing else); the count.
  core::Result<int> purge();
  /// Checks every row (state text, care date, document decryption); unreadable ones go to
  /// `quarantined` with a row in the quarantine table. The count quarantined.
  core::Result<int> quarantineUnreadable();
  /// Recomputes the audit chain. The number of entries, or OutboxAuditBroken {seq}.
  core::Result<std::int64_t> verifyAudit();
  /// Test and support access: the decrypted document of a sheet.
  core::Result<std::string> document(const FseRef& ref);

 private:
  struct Impl;
  explicit Outbox(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> m_impl;
};

}  // namespace vd::billing
