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
/// on each write — expired by the verification time AND by the machine's clock: a check made
/// "at" a later time (`token verify --at` in the future) treats entries as expired but never
/// erases them, so it cannot empty the cache. Several processes (the desk, `vitaledesk-cli token verify`) may share one file:
/// `record` holds an exclusive flock(2) on "<file>.lock" around read-merge-check-write (the file
/// is re-read each time: it holds only unexpired ids, minutes' worth), so no entry is lost and a
/// token id is accepted exactly once across them.
/// One instance is not thread-safe: owned by the verifier's worker.

#include <cstdint>
#include <filesystem>
#include <map>
#include <span>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace vd::reader::apcv {

class ReplayCache {
 public:
  /// An in-memory cache (tests, `--replay-cache` not given): does not survive restarts.
  ReplayCache() = default;

  /// Opens (or starts) the cache file; entries with keep-until ≤ min(now, machine clock) are dropped.
  /// Errors: ReplayCacheUnwritable when the folder does not exist or cannot be read.
  static core::Result<ReplayCache> open(const std::filesystem::path& file, std::int64_t now);

  bool contains(std::span<const std::uint8_t> tokenId, std::int64_t now) const;

  /// Records a token id until `keepUntil`; false when it was already there, in this instance or
  /// in the file as other processes left it (a replay: nothing is written). Errors:
  /// ReplayCacheUnwritable (lock, read or write failed; the entry is then not recorded).
  core::Result<bool> record(std::span<const std::uint8_t> tokenId, std::int64_t keepUntil, std::int64_t now);

  std::size_t size() const { return m_entries.size(); }

  static constexpr std::size_t kMaxEntries = 200000;
  /// The file is refused (ReplayCacheUnwritable) above this size: kMaxEntries lines of at most
  /// 128 hex digits and a 20-digit time.
  static constexpr std::size_t kMaxFileBytes = kMaxEntries * 150;

  /// Parses the file format above into `into` (keeping the later keep-until of a duplicate):
  /// the header is optional, corrupt lines and entries with keep-until ≤ now are skipped, at
  /// most kMaxEntries entries are kept. Never fails: the rest of a damaged file still protects.
  static void parseEntries(std::string_view text, std::int64_t now, std::map<std::string, std::int64_t>& into);

 private:
  core::Result<void> save() const;
  core::Result<void> merge(std::int64_t now);  ///< the file's unexpired entries into ours
  std::filesystem::path m_file;
  std::map<std::string, std::int64_t> m_entries;
};

}  // namespace vd::reader::apcv
