#pragma once
/// \file
/// The outbox as the desk shows it (presenter of src/ui/outbox_panel, no wx): one row per
/// care sheet with its reference, state, the deadline that matters now, attempts and the
/// last error in words; a filter by state; the counts for the status bar and the tray; the
/// CSV export. Rows carry codes and references only, never patient data.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "billing/outbox/outbox.hpp"
#include "core/messages.hpp"

namespace vd::app {

struct OutboxRow {
  std::string ref;         ///< "RPPS/NUMBER"
  std::string state;       ///< state name ("pending"); rawState for an unreadable one
  std::string stateLabel;  ///< the state in the asked language
  std::string deadline;    ///< ISO date of the deadline that matters now
  bool overdue = false;
  bool dueSoon = false;    ///< not overdue, deadline within one working day
  int attempts = 0;
  std::string lastErrorCode;  ///< as stored ("transport.timeout", "arl_missing")
  std::string lastErrorText;  ///< the code in words, in the asked language ("" when none)
};

/// Counts for the status bar and the tray icon.
struct OutboxCounts {
  int waiting = 0;    ///< not sent yet: pending, sending, deferred
  int awaiting = 0;   ///< sent, awaiting the ARL
  int attention = 0;  ///< held, rejected or quarantined: someone must act
  int overdue = 0;
  int dueSoon = 0;    ///< open, deadline within one working day (not overdue yet)
};

/// The state in words (French or English).
std::string stateLabel(billing::OutboxState state, core::Lang lang);

/// A stored last-error or reason code in words: an error id of the catalog (its cause), a
/// known outbox reason, else the code itself.
std::string describeOutboxCode(std::string_view code, core::Lang lang);

/// Rows of `items` in `filter` (all when nullopt), overdue first then by deadline and reference.
std::vector<OutboxRow> outboxRows(const std::vector<billing::OutboxItem>& items,
                                  std::optional<billing::OutboxState> filter, core::Lang lang);

OutboxCounts outboxCounts(const billing::OutboxStats& stats);

/// CSV (RFC 4180, header line) of the rows, for support and the practitioner's records.
std::string outboxCsv(const std::vector<OutboxRow>& rows);

}  // namespace vd::app
