#pragma once
/// \file
/// The one place where an `Error` becomes the sentence a user reads, in French (default)
/// or English: a cause and an action, from the catalog in messages.cpp.

#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace vd::core {

enum class Lang { Fr, En };

/// "fr"/"en" (case-insensitive, "fr_FR.UTF-8" accepted); nullopt otherwise.
std::optional<Lang> parseLang(std::string_view text);

/// Language from the environment (LC_ALL, LC_MESSAGES, LANG): English when it starts with
/// "en", French otherwise — VitaleDesk is French first. Pure: the caller passes the values.
Lang langFromLocale(std::string_view lcAll, std::string_view lcMessages, std::string_view lang);

struct UserMessage {
  std::string cause;   ///< what happened, with the error's arguments substituted
  std::string action;  ///< what the user should do now
};

/// Cause and action for `error` in `lang`. Never fails: an unknown code gives the
/// "internal error" entry with the numeric code.
UserMessage describe(const Error& error, Lang lang);

/// One line: "<where>: <cause> <action>" (where omitted when empty).
std::string describeLine(const Error& error, Lang lang);

/// True when the catalog has an entry for `code` (used by the completeness test).
bool hasCatalogEntry(Errc code);

}  // namespace vd::core
