#include "app/outbox_view.hpp"

#include <algorithm>
#include <array>

namespace vd::app {
namespace {

struct Words {
  std::string_view code, fr, en;
};

// Reason codes the outbox itself writes (src/billing/outbox/outbox.cpp, docs/outbox.md).
constexpr std::array kReasons{
    Words{"arl_missing", "Pas d'accusé de réception (ARL) dans le délai : renvoi automatique",
          "No acknowledgement (ARL) in time: sent again automatically"},
    Words{"arl_negative", "Rejetée par l'organisme (ARL négatif)", "Rejected by the insurer (negative ARL)"},
    Words{"lease_expired", "Envoi interrompu : remise en attente", "Sending interrupted: queued again"},
    Words{"sender_restarted", "Envoi interrompu au redémarrage : remise en attente",
          "Sending interrupted by a restart: queued again"},
    Words{"operator_hold", "Suspendue par l'utilisateur", "Held by the user"},
    Words{"unreadable_document", "Document illisible : en quarantaine", "Unreadable document: quarantined"},
    Words{"unreadable_state", "État illisible : en quarantaine", "Unreadable state: quarantined"},
    Words{"unreadable_care_date", "Date de soins illisible : en quarantaine", "Unreadable date of care: quarantined"},
};

constexpr std::array kStates{
    Words{"pending", "En attente", "Pending"},
    Words{"sending", "En cours d'envoi", "Sending"},
    Words{"deferred", "Nouvel essai prévu", "Retry scheduled"},
    Words{"awaiting_arl", "Envoyée, attend l'ARL", "Sent, awaiting ARL"},
    Words{"acknowledged", "Acceptée", "Acknowledged"},
    Words{"rejected", "Rejetée", "Rejected"},
    Words{"held", "Suspendue", "Held"},
    Words{"quarantined", "En quarantaine", "Quarantined"},
};

std::string_view pick(const Words& w, core::Lang lang) {
  return lang == core::Lang::En ? w.en : w.fr;
}

std::string csvField(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

}  // namespace

std::string stateLabel(billing::OutboxState state, core::Lang lang) {
  const std::string_view name = billing::stateName(state);
  for (const auto& w : kStates)
    if (w.code == name) return std::string(pick(w, lang));
  return std::string(name);
}

std::string describeOutboxCode(std::string_view code, core::Lang lang) {
  if (code.empty()) return {};
  for (const auto& w : kReasons)
    if (w.code == code) return std::string(pick(w, lang));
  for (int i = 0; i < core::kErrcEnd; ++i) {
    const auto errc = static_cast<core::Errc>(i);
    if (core::hasCatalogEntry(errc) && core::errcId(errc) == code) {
      // The stored code has no arguments: an ellipsis stands for each of them.
      return core::describe(core::makeError(errc, std::vector<std::string>(8, "…")), lang).cause;
    }
  }
  return std::string(code);
}

std::vector<OutboxRow> outboxRows(const std::vector<billing::OutboxItem>& items,
                                  std::optional<billing::OutboxState> filter, core::Lang lang) {
  std::vector<OutboxRow> rows;
  for (const auto& it : items) {
    if (filter && it.state != filter) continue;
    OutboxRow r;
    r.ref = it.ref.str();
    r.state = it.state ? std::string(billing::stateName(*it.state)) : it.rawState;
    r.stateLabel = it.state ? stateLabel(*it.state, lang) : it.rawState;
    r.deadline = it.deadline.iso();
    r.overdue = it.overdue;
    r.dueSoon = it.dueSoon;
    r.attempts = it.attempts;
    r.lastErrorCode = it.lastError;
    r.lastErrorText = describeOutboxCode(it.lastError, lang);
    rows.push_back(std::move(r));
  }
  std::stable_sort(rows.begin(), rows.end(), [](const OutboxRow& a, const OutboxRow& b) {
    if (a.overdue != b.overdue) return a.overdue;
    if (a.deadline != b.deadline) return a.deadline < b.deadline;
    return a.ref < b.ref;
  });
  return rows;
}

OutboxCounts outboxCounts(const billing::OutboxStats& stats) {
  auto n = [&](const char* s) {
    auto it = stats.byState.find(s);
    return it == stats.byState.end() ? 0 : it->second;
  };
  return OutboxCounts{n("pending") + n("sending") + n("deferred"), n("awaiting_arl"),
                      n("held") + n("rejected") + n("quarantined"), stats.overdue, stats.dueWithinOneWorkingDay};
}

std::string outboxCsv(const std::vector<OutboxRow>& rows) {
  std::string out = "reference,state,deadline,overdue,attempts,last_error\r\n";
  for (const auto& r : rows) {
    out += csvField(r.ref) + "," + csvField(r.state) + "," + r.deadline + "," + (r.overdue ? "1" : "0") + "," +
           std::to_string(r.attempts) + "," + csvField(r.lastErrorCode) + "\r\n";
  }
  return out;
}

}  // namespace vd::app
