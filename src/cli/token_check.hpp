#pragma once
/// \file
/// `token verify` once the QR text is known, shared by every command that obtains a token
/// text (`token verify` TEXT or --image, `scan` from a USB/serial scanner or an image), so they
/// verify and print it identically: options --trust (or $VITALEDESK_TRUST_DIR), --at, --prefix,
/// --replay-cache, --envelope-only.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "cli/command.hpp"
#include "crypto/trust_store.hpp"

namespace vd::cli {

struct TokenCheck {
  crypto::TrustStore trust;
  std::int64_t now = 0;  ///< UTC seconds: --at, else the system clock
  std::string prefix;
  std::filesystem::path replayCache;
};

/// Reads the options above and loads the trust store. On failure prints the problem and sets
/// `exitCode` (kUsage: no trust directory, bad --at; kEnvironment: unreadable trust).
std::optional<TokenCheck> loadTokenCheck(const Invocation& inv, int& exitCode);

/// Verifies `text` (the full verifier, or the envelope only with --envelope-only) and fills `j`
/// with the JSON of `token verify`; a verified token with --patient-out also writes the patient
/// file (writePatientFile). Returns the exit code: kOk verified, kRejected refused,
/// kEnvironment when the replay cache cannot be opened (error printed, `j` left null) or written.
int checkTokenText(const Invocation& inv, const TokenCheck& check, std::string_view text, nlohmann::json& j);

/// The QR text of a PNG image (ZXing). On failure sets `exitCode` and fills `j` with a refusal
/// (kRejected: no code, bad image) or prints the error (kEnvironment: unreadable file).
std::optional<std::string> tokenTextFromImage(const Invocation& inv, const std::string& path, nlohmann::json& j,
                                              int& exitCode);

}  // namespace vd::cli
