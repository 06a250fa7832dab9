// vitaledesk-cli trust refresh: fetch the insurer-signed trust lists once and install them as
// the desk does (app::applyRevocations: verified, no rollback, one atomic file).
#include <ctime>
#include <iostream>

#include "app/trust_refresh.hpp"
#include "billing/transport/curl_transport.hpp"
#include "cli/command.hpp"
#include "core/messages.hpp"

namespace vd::cli {
namespace {

int trustRefresh(Invocation& inv) {
  const auto server = inv.value("server"), tls = inv.value("tls-dir"), trust = inv.value("trust");
  if (!server || !tls || !trust)
    return reportError(inv, core::makeError(core::Errc::CliOptionsRequired, {"--server, --tls-dir, --trust", "trust refresh"}),
                       kUsage);
  const auto config = billing::transportConfigFromTlsDir(*tls, *server);
  auto list = billing::fetchRevocations(config);
  // An answer that came but is not a whole signed list is a refusal (exit 1), like a bad one.
  if (!list) {
    const auto c = list.error().code;
    const bool refused = c == core::Errc::TrustListUnsigned || c == core::Errc::TrustListMalformed;
    return reportError(inv, list.error(), refused ? kRejected : kEnvironment);
  }
  const std::filesystem::path card = inv.value("card-trust").value_or("");
  auto done = app::applyRevocations(*list, *trust, card, static_cast<std::int64_t>(std::time(nullptr)));
  // A refused list is a verdict (exit 1), the previous lists are untouched.
  if (!done) return reportError(inv, done.error(), kRejected);
  *inv.out << inv.tr("Listes de confiance installées : numéro ", "Trust lists installed: number ") << done->sequence;
  if (done->previousSequence) *inv.out << inv.tr(" (remplace ", " (replaces ") << *done->previousSequence << ")";
  *inv.out << inv.tr(", ", ", ") << done->appInstances << inv.tr(" téléphones révoqués, ", " revoked phones, ")
           << done->cardSerials << inv.tr(" cartes en opposition, ", " cards in opposition, ") << done->revokedIssuers
           << inv.tr(" émetteurs révoqués.", " revoked issuers.") << '\n';
  return kOk;
}

}  // namespace

std::vector<Command> trustCommands() {
  return {Command{{"trust", "refresh"}, "", 0, 0,
                  "Fetch the insurer-signed trust lists and install them (exit 0 installed, 1 refused: unsigned, "
                  "badly signed, truncated or older; previous lists kept; 3 network).",
                  {{"server", "URL", "insurer network base URL (required)"},
                   {"tls-dir", "DIR", "ca.pem, client.pem, client.key (required)"},
                   {"trust", "DIR", "ApCV trust folder with trust-list-signer.pem (required)"},
                   {"card-trust", "DIR", "card trust folder: its opposition.txt is derived from the lists"}},
                  trustRefresh}};
}

}  // namespace vd::cli
