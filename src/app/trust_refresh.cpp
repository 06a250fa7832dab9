#include "app/trust_refresh.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <string>

#include "crypto/trust_store.hpp"
#include "reader/card/vitale_card_reader.hpp"

namespace vd::app {
namespace {

namespace fs = std::filesystem;

/// One entry a line; an entry the list's own parser would read differently (a '#', a line
/// break, spaces around it) makes the whole list invalid.
bool oneEntryPerLine(const std::vector<std::string>& entries, std::string& text) {
  for (const auto& e : entries) {
    if (e.empty()) return false;
    for (const char c : e)
      if (static_cast<unsigned char>(c) <= 0x20 || c == '#' || c == 0x7F) return false;
    text += e;
    text += '\n';
  }
  return true;
}

/// Replaces `file` whole: FILE.tmp created here (0644, never through a link), fsynced, renamed.
core::Result<void> replaceFile(const fs::path& file, const std::string& text) {
  const fs::path tmp = file.string() + ".tmp";
  ::unlink(tmp.c_str());
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
  bool ok = fd >= 0;
  for (std::size_t done = 0; ok && done < text.size();) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    if (ok) done += static_cast<std::size_t>(n);
  }
  if (fd >= 0) {
    ok = ::fsync(fd) == 0 && ok;
    ok = ::close(fd) == 0 && ok;
  }
  std::error_code ec;
  if (ok) fs::rename(tmp, file, ec);
  if (!ok || ec) {
    ::unlink(tmp.c_str());
    return core::fail(core::Errc::FileUnreadable, {file.filename().string(), core::frEn("écriture", "write")});
  }
  return {};
}

}  // namespace

core::Result<TrustRefreshed> applyRevocations(const billing::RevocationList& list, const fs::path& apcvTrustDir,
                                              const fs::path& cardTrustDir, core::Date today) {
  const std::string header = "# From the insurer's revocation service on " + today.iso() + "\n";
  std::string apps = header;
  if (!oneEntryPerLine(list.appInstances, apps) || !crypto::parseRevocationList(apps))
    return core::fail(core::Errc::DeskTrustRefreshInvalid, {"revoked-app-instances.txt"});
  std::string cards = header;
  if (!oneEntryPerLine(list.cardSerials, cards) || !reader::parseOppositionList(cards))
    return core::fail(core::Errc::DeskTrustRefreshInvalid, {"opposition.txt"});
  TrustRefreshed done;
  std::error_code ec;
  if (fs::is_directory(cardTrustDir, ec)) {
    if (auto w = replaceFile(cardTrustDir / "opposition.txt", cards); !w) return core::fail(w.error());
    done.card = true;
    done.cardSerials = list.cardSerials.size();
  }
  if (fs::is_directory(apcvTrustDir / "issuers", ec)) {
    if (auto w = replaceFile(apcvTrustDir / "revoked-app-instances.txt", apps); !w) return core::fail(w.error());
    // Dated last: the age shown at the desk is that of lists actually in place.
    if (auto w = replaceFile(apcvTrustDir / "trust.json", "{\n  \"issued_at\": \"" + today.iso() + "\"\n}\n"); !w)
      return core::fail(w.error());
    done.apcv = true;
    done.appInstances = list.appInstances.size();
  }
  return done;
}

}  // namespace vd::app
