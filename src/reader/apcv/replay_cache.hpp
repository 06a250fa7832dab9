#pragma once
/// \file
/// Token ids already accepted, each kept until its token can no longer be valid, so a QR shown
/// twice (a screenshot, a photo) is refused — also after a restart. Backed by a small text file
/// rewritten atomically (temporary file, fsync, rename) after each accepted token:
///
///   VDREPLAY1
///   <token id, lower-case hex> <keep until, Unix seconds>
///
/// A corrupt line is skipped (the rest still protects); expired entries are dropped on load and
/// on each write. Not shared between processes at the same instant (one desk = one verifier).
/// Not thread-safe: owned by the verifier's worker.

#include <cstdint>
#include <filesystem>
#include <map>
#include <span>
#include <string>

#include "core/result.hpp"

namespace vd::reader::apcv {

class ReplayCache {
 public:
  /// An in-memory cache (tests, `--replay-cache` not given): does not survive restarts.
  ReplayCache() = default;

  /// Opens (or starts) the cache file; entries with keep-until ≤ now are dropped.
  /// Errors: ReplayCacheUnwritable when the folder does not exist or cannot be read.
  static core::Result<ReplayCache> open(const std::filesystem::path& file, std::int64_t now);

  bool contains(std::span<const std::uint8_t> tokenId, std::int64_t now) const;

  /// Records a token id until `keepUntil`; false when it was already there (a replay: nothing
  /// is written). Errors: ReplayCacheUnwritable (the entry is then not recorded).
  core::Result<bool> record(std::span<const std::uint8_t> tokenId, std::int64_t keepUntil, std::int64_t now);

  std::size_t size() const { return m_entries.size(); }

  static constexpr std::size_t kMaxEntries = 200000;

 private:
  core::Result<void> save() const;
  std::filesystem::path m_file;
  std::map<std::string, std::int64_t> m_entries;
};

}  // namespace vd::reader::apcv
