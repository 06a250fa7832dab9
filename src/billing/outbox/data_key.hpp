#pragma once
/// \file
/// The register's data key (AES-256-GCM, crypto/aead.hpp): 32 random bytes in a file next to
/// the database, `<register>.key`, created on first use with mode 0600 (owner read/write
/// only). Losing it makes the stored care sheets unreadable: it is backed up with the
/// database (docs/outbox.md). A key file readable by group or others is refused.

#include <cstdint>
#include <filesystem>
#include <vector>

#include "core/result.hpp"

namespace vd::billing {

std::filesystem::path dataKeyPath(const std::filesystem::path& registerFile);
/// Reads the key, or — only when `mayCreate` (a register holding no encrypted row yet) —
/// creates it when absent: written to a temporary file (O_EXCL, 0600), fsynced, linked into
/// place, and the folder fsynced so the new name survives a power loss. A missing key when
/// `mayCreate` is false is refused (OutboxKeyFile "missing"): making a new one would leave
/// every stored sheet unreadable and quarantined at the next flush. Errors: OutboxKeyFile.
core::Result<std::vector<std::uint8_t>> loadOrCreateDataKey(const std::filesystem::path& registerFile,
                                                            bool mayCreate);

}  // namespace vd::billing
