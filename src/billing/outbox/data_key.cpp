#include "billing/outbox/data_key.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "crypto/aead.hpp"
#include "crypto/digest.hpp"

namespace vd::billing {

std::filesystem::path dataKeyPath(const std::filesystem::path& registerFile) {
  return std::filesystem::path(registerFile.string() + ".key");
}

std::filesystem::path RegisterLocation::key() const { return keyFile.empty() ? dataKeyPath(file) : keyFile; }

core::Result<std::vector<std::uint8_t>> loadOrCreateDataKey(const RegisterLocation& where, bool mayCreate) {
  const auto path = where.key();
  std::vector<std::uint8_t> key(crypto::kAeadKeySize);
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  const auto folder = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  if (fd < 0 && errno == ENOENT) {
    std::error_code ec;
    if (!std::filesystem::is_directory(folder, ec))
      return core::fail(core::Errc::OutboxKeyFile,
                        {core::frEn("dossier de la clé absent (disque non monté ?)", "key folder missing (disk not mounted?)")});
  }
  if (fd < 0 && errno == ENOENT && !mayCreate)
    return core::fail(core::Errc::OutboxKeyFile,
                      {path.filename().string() + core::frEn(" absent alors que le registre contient des FSE chiffrées",
                                                             " missing while the register holds encrypted care sheets")});
  if (fd < 0 && errno == ENOENT) {
    auto fresh = crypto::randomBytes(crypto::kAeadKeySize);
    if (!fresh) return core::fail(fresh.error());
    const auto tmp = std::filesystem::path(path.string() + ".tmp");
    ::unlink(tmp.c_str());
    int w = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (w < 0) return core::fail(core::Errc::OutboxKeyFile, {core::errnoName(errno)});
    const bool ok = ::write(w, fresh->data(), fresh->size()) == static_cast<ssize_t>(fresh->size()) &&
                    ::fsync(w) == 0;
    ::close(w);
    // link() fails if another process created the key meanwhile: then use theirs.
    if (!ok || (::link(tmp.c_str(), path.c_str()) != 0 && errno != EEXIST)) {
      ::unlink(tmp.c_str());
      return core::fail(core::Errc::OutboxKeyFile, {core::frEn("création impossible", "cannot create")});
    }
    ::unlink(tmp.c_str());
    // The new directory entry is durable only once the folder itself is synced.
    const int dir = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    const bool synced = dir >= 0 && ::fsync(dir) == 0;
    if (dir >= 0) ::close(dir);
    if (!synced) return core::fail(core::Errc::OutboxKeyFile, {core::frEn("dossier non synchronisé", "folder not synced")});
    fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  }
  if (fd < 0) return core::fail(core::Errc::OutboxKeyFile, {core::errnoName(errno)});
  struct stat st {};
  const bool statOk = ::fstat(fd, &st) == 0;
  const ssize_t n = ::read(fd, key.data(), key.size());
  ::close(fd);
  if (!statOk || (st.st_mode & 077) != 0)
    return core::fail(core::Errc::OutboxKeyFile, {core::frEn("droits différents de 0600", "mode is not 0600")});
  if (n != static_cast<ssize_t>(key.size()) || st.st_size != static_cast<off_t>(key.size()))
    return core::fail(core::Errc::OutboxKeyFile, {core::frEn("taille incorrecte", "wrong size")});
  return key;
}

}  // namespace vd::billing
