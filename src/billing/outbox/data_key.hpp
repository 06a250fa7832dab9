#pragma once
/// \file
/// The register's data key (AES-256-GCM, crypto/aead.hpp): 32 random bytes in a file, by
/// default next to the database (`<register>.key`), or elsewhere when the practice keeps it
/// apart (setting `/Outbox/DataKeyFile`, CLI `--data-key`: another disk, a folder only the
/// desk's account reads — docs/outbox.md "Where the key lives"). Created on first use with
/// mode 0600 (owner read/write only). Losing it makes the stored care sheets unreadable: it is
/// backed up with the database, separately. A key file readable by group or others is refused.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace vd::billing {

/// Where a register lives: its database file and its data key file. Converts implicitly from
/// the database path alone (the key then sits next to it), which is the common case.
struct RegisterLocation {
  RegisterLocation() = default;
  RegisterLocation(std::filesystem::path db, std::filesystem::path key = {})
      : file(std::move(db)), keyFile(std::move(key)) {}
  RegisterLocation(const std::string& db) : file(db) {}
  RegisterLocation(const char* db) : file(db) {}
  std::filesystem::path file;     ///< the SQLite database
  std::filesystem::path keyFile;  ///< empty: `<file>.key`
  /// The key file actually used.
  std::filesystem::path key() const;
};

std::filesystem::path dataKeyPath(const std::filesystem::path& registerFile);
/// Reads the key, or — only when `mayCreate` (a register holding no encrypted row yet) —
/// creates it when absent: written to a temporary file (O_EXCL, 0600), fsynced, linked into
/// place, and the folder fsynced so the new name survives a power loss. A missing key when
/// `mayCreate` is false is refused (OutboxKeyFile "missing"): making a new one would leave
/// every stored sheet unreadable and quarantined at the next flush. The key's folder must
/// exist: it is never created, so a key kept on a disk that is not mounted is never replaced
/// by a new local one. Errors: OutboxKeyFile.
core::Result<std::vector<std::uint8_t>> loadOrCreateDataKey(const RegisterLocation& where, bool mayCreate);

}  // namespace vd::billing
