#include "reader/apcv/replay_cache.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <sstream>
#include <system_error>

#include "crypto/digest.hpp"

namespace vd::reader::apcv {
namespace {

constexpr std::string_view kHeader = "VDREPLAY1";

bool isHex(std::string_view s) {
  if (s.empty() || s.size() > 128) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

// Entries are dropped only once their keep-until has passed by the machine's own clock too: a
// verification "at" a later time (`--at`) sees them as expired but never erases them.
std::int64_t purgeBefore(std::int64_t now) { return std::min<std::int64_t>(now, static_cast<std::int64_t>(std::time(nullptr))); }

}  // namespace

core::Result<ReplayCache> ReplayCache::open(const std::filesystem::path& file, std::int64_t now) {
  ReplayCache cache;
  cache.m_file = file;
  std::error_code ec;
  const auto parent = file.has_parent_path() ? file.parent_path() : std::filesystem::path(".");
  if (!std::filesystem::is_directory(parent, ec))
    return core::fail(core::Errc::ReplayCacheUnwritable, {file.filename().string()});
  if (auto r = cache.merge(now); !r) return core::fail(r.error());
  return cache;
}

void ReplayCache::parseEntries(std::string_view text, std::int64_t now, std::map<std::string, std::int64_t>& into) {
  std::size_t pos = 0;
  bool first = true;
  while (pos < text.size() && into.size() < kMaxEntries) {
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    const std::string_view line = text.substr(pos, nl - pos);
    pos = nl + 1;
    if (first) {
      first = false;
      if (line == kHeader) continue;
    }
    const auto sp = line.find(' ');
    if (sp == std::string_view::npos || !isHex(line.substr(0, sp))) continue;
    const std::string_view digits = line.substr(sp + 1);
    std::int64_t until = 0;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), until);
    if (ec != std::errc() || end != digits.data() + digits.size() || digits.empty()) continue;  // corrupt line
    if (until <= now) continue;
    auto& kept = into[std::string(line.substr(0, sp))];
    kept = std::max<std::int64_t>(kept, until);
  }
}

core::Result<void> ReplayCache::merge(std::int64_t now) {
  std::error_code ec;
  if (!std::filesystem::exists(m_file, ec)) return {};
  const auto size = std::filesystem::file_size(m_file, ec);
  if (ec || size > kMaxFileBytes) return core::fail(core::Errc::ReplayCacheUnwritable, {m_file.filename().string()});
  std::ifstream in(m_file, std::ios::binary);
  if (!in) return core::fail(core::Errc::ReplayCacheUnwritable, {m_file.filename().string()});
  std::ostringstream text;
  text << in.rdbuf();
  if (!in && !in.eof()) return core::fail(core::Errc::ReplayCacheUnwritable, {m_file.filename().string()});
  parseEntries(text.str(), purgeBefore(now), m_entries);
  return {};
}

bool ReplayCache::contains(std::span<const std::uint8_t> tokenId, std::int64_t now) const {
  const auto it = m_entries.find(crypto::toHex(tokenId));
  return it != m_entries.end() && it->second > now;
}

core::Result<bool> ReplayCache::record(std::span<const std::uint8_t> tokenId, std::int64_t keepUntil,
                                       std::int64_t now) {
  if (contains(tokenId, now)) return false;
  const auto failure = [&] { return core::fail(core::Errc::ReplayCacheUnwritable, {m_file.filename().string()}); };
  // Other processes share the file: read-merge-check-write under an exclusive lock on a
  // separate lock file (the data file itself is replaced by rename at each write).
  int lockFd = -1;
  if (!m_file.empty()) {
    const std::string lockPath = m_file.string() + ".lock";
    lockFd = ::open(lockPath.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (lockFd < 0) return failure();
    int rc;
    do rc = ::flock(lockFd, LOCK_EX);
    while (rc != 0 && errno == EINTR);
    if (rc != 0) {
      ::close(lockFd);
      return failure();
    }
  }
  struct Unlock {
    int fd;
    ~Unlock() {
      if (fd >= 0) ::close(fd);  // closing releases the flock
    }
  } unlock{lockFd};
  if (!m_file.empty()) {
    if (auto merged = merge(now); !merged) return core::fail(merged.error());
    if (contains(tokenId, now)) return false;  // accepted meanwhile by another process
  }
  const std::int64_t purge = purgeBefore(now);
  std::erase_if(m_entries, [purge](const auto& e) { return e.second <= purge; });
  if (m_entries.size() >= kMaxEntries) return core::fail(core::Errc::ReplayCacheUnwritable, {m_file.filename().string()});
  const std::string key = crypto::toHex(tokenId);
  m_entries[key] = keepUntil;
  if (m_file.empty()) return true;
  if (auto saved = save(); !saved) {
    m_entries.erase(key);
    return core::fail(saved.error());
  }
  return true;
}

core::Result<void> ReplayCache::save() const {
  std::ostringstream ss;
  ss << kHeader << '\n';
  for (const auto& [id, until] : m_entries) ss << id << ' ' << until << '\n';
  const std::string data = ss.str();
  const std::filesystem::path tmp = m_file.string() + ".tmp";
  const auto failure = [&] { return core::fail(core::Errc::ReplayCacheUnwritable, {m_file.filename().string()}); };
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return failure();
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n <= 0) {
      ::close(fd);
      return failure();
    }
    done += static_cast<std::size_t>(n);
  }
  const bool synced = ::fsync(fd) == 0;
  if (::close(fd) != 0 || !synced) return failure();
  std::error_code ec;
  std::filesystem::rename(tmp, m_file, ec);
  if (ec) return failure();
  return {};
}

}  // namespace vd::reader::apcv
