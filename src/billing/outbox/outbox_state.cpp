#include "billing/outbox/outbox_state.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace vd::billing {
namespace {

using S = OutboxState;

constexpr std::array<std::pair<S, std::string_view>, 8> kNames{{{S::Pending, "pending"},
                                                                {S::Sending, "sending"},
                                                                {S::Deferred, "deferred"},
                                                                {S::AwaitingArl, "awaiting_arl"},
                                                                {S::Acknowledged, "acknowledged"},
                                                                {S::Rejected, "rejected"},
                                                                {S::Held, "held"},
                                                                {S::Quarantined, "quarantined"}}};

// The transition table: (from, to) pairs, nothing else is allowed.
constexpr std::array<std::pair<S, S>, 14> kTransitions{{
    {S::Pending, S::Sending},        // claimed by the sender (lease taken)
    {S::Deferred, S::Sending},       // retry time reached
    {S::Sending, S::AwaitingArl},    // lot accepted by the network
    {S::Sending, S::Deferred},       // transient failure (network, timeout, 5xx): backoff
    {S::Sending, S::Held},           // permanent failure (4xx): a human must look
    {S::Sending, S::Pending},        // lease expired (sender crashed)
    {S::AwaitingArl, S::Acknowledged},
    {S::AwaitingArl, S::Rejected},
    {S::AwaitingArl, S::Pending},    // no ARL within 2 working days: retransmit (same key)
    {S::AwaitingArl, S::Held},
    {S::Pending, S::Held},
    {S::Deferred, S::Held},
    {S::Deferred, S::Pending},       // retry now
    {S::Held, S::Pending},           // release
}};

}  // namespace

std::string_view stateName(OutboxState s) {
  for (const auto& [state, name] : kNames)
    if (state == s) return name;
  return "?";
}

std::optional<OutboxState> parseState(std::string_view text) {
  for (const auto& [state, name] : kNames)
    if (name == text) return state;
  return std::nullopt;
}

std::vector<OutboxState> allStates() {
  std::vector<OutboxState> out;
  for (const auto& [state, name] : kNames) out.push_back(state);
  return out;
}

bool transitionAllowed(OutboxState from, OutboxState to) {
  // An unreadable row is quarantined whatever its state (kept, never dropped).
  if (to == OutboxState::Quarantined) return from != OutboxState::Quarantined;
  return std::find(kTransitions.begin(), kTransitions.end(), std::pair{from, to}) != kTransitions.end();
}

}  // namespace vd::billing
