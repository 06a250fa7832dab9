#pragma once
/// \file
/// Base45 (RFC 9285): the QR alphanumeric-mode text encoding of the ApCV token, as in the EU
/// Digital COVID Certificate. Pure functions over byte spans; the decoder treats its input as
/// hostile. Thread-safe.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace vd::crypto {

/// Encodes bytes as Base45: each pair of bytes gives three characters, a final single byte two.
std::string base45Encode(std::span<const std::uint8_t> bytes);

/// Strict Base45 decoding (RFC 9285 §4.2). Errors:
/// - Base45Character {position}: a character outside the 45-character alphabet (lower case too);
/// - Base45Length {length}: a length of the form 3n + 1;
/// - Base45Value {position}: a triplet above 65535 or a final pair above 255.
core::Result<std::vector<std::uint8_t>> base45Decode(std::string_view text);

}  // namespace vd::crypto
