#pragma once
/// \file
/// What every ApCV path of the CLI prints the same way (`token verify`, `nfc read`, `scan`):
/// the credential JSON (verdict, reasons, identity and rights only when verified), the trust
/// summary, `--at` times and the default replay cache. One copy, so the paths cannot drift.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/command.hpp"
#include "core/error.hpp"
#include "crypto/trust_store.hpp"
#include "reader/apcv/token.hpp"

namespace vd::cli {

/// "YYYY-MM-DD" (midnight) or "YYYY-MM-DDTHH:MM:SS" with an optional "Z": UTC Unix seconds.
std::optional<std::int64_t> parseIsoTime(std::string_view s);
/// "YYYY-MM-DDTHH:MM:SSZ".
std::string isoTime(std::int64_t unixSeconds);

/// [{"id", "cause", "action"}…] in the invocation's language.
nlohmann::json reasonsJson(const Invocation& inv, const std::vector<core::Error>& reasons);

/// {"issuers", "revoked_app_instances"[, "age_days", "status"]} as of `now`.
nlohmann::json trustJson(const Invocation& inv, const crypto::TrustStore& trust, std::int64_t now);

/// "présentée par X pour le compte de Y jusqu'au AAAA-MM-JJ" or "presented by X on behalf of Y
/// until YYYY-MM-DD" (UTC date), in the invocation's language.
std::string presentationText(const Invocation& inv, const reader::apcv::Presentation& p);

/// Adds "verdict", "reasons", "issuer_kid" and — only for a verified credential — "token",
/// "insured", "beneficiaries", "rights", "presented_by" (presentationText) and "delegation"
/// ({"delegate", "holder", "until"}: the same in a fixed machine form) to `j`.
void addCredentialJson(const Invocation& inv, const reader::apcv::Credential& cred, nlohmann::json& j);

/// app::defaultReplayCache(): the one replay cache of the desk and the CLI.
std::filesystem::path defaultReplayCache();

/// The trust directory from --trust or $VITALEDESK_TRUST_DIR; empty when neither is set.
std::string trustDirOption(const Invocation& inv);

}  // namespace vd::cli
