#pragma once
/// \file
/// The outbox states of a care sheet (DESIGN §7, after Postfix's named queues) and the
/// explicit table of allowed transitions. Every change goes through `transitionAllowed` and
/// is written to the hash-chained audit log with a reason code (never patient data).
///
///   pending ──claim──▶ sending ──sent──▶ awaiting_arl ──ARL+──▶ acknowledged
///      ▲  ▲              │  │                 │  └──ARL−──▶ rejected (needs correction)
///      │  └─lease expired┘  └─transient─▶ deferred ──due──▶ sending
///      │                    └─permanent─▶ held ◀─hold─ pending/deferred/awaiting_arl
///      └──── release (held), retry (deferred), no ARL in time (awaiting_arl)
///   any state ──unreadable──▶ quarantined (kept, never dropped; no way out but support)

#include <optional>
#include <string_view>
#include <vector>

namespace vd::billing {

enum class OutboxState { Pending, Sending, Deferred, AwaitingArl, Acknowledged, Rejected, Held, Quarantined };

std::string_view stateName(OutboxState s);
std::optional<OutboxState> parseState(std::string_view text);
std::vector<OutboxState> allStates();

/// Whether `from → to` is in the transition table.
bool transitionAllowed(OutboxState from, OutboxState to);

}  // namespace vd::billing
