#include "powerloss_vfs.hpp"

#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <new>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace vd::test {
namespace {

struct PendingWrite {
  sqlite3_int64 offset;
  std::string bytes;
};

struct PlFile {
  sqlite3_file base;  // must be first: SQLite sees a sqlite3_file*
  sqlite3_file* real;
  std::vector<PendingWrite>* pending;
};

sqlite3_vfs* g_unix = nullptr;
sqlite3_vfs g_vfs;
PowerCutPlan g_plan;
std::uint64_t g_writes = 0;
std::set<PlFile*>* g_live = nullptr;

PlFile* self(sqlite3_file* f) { return reinterpret_cast<PlFile*>(f); }
const sqlite3_io_methods* realMethods(PlFile* p) { return p->real->pMethods; }

int flush(PlFile* p) {
  for (const auto& w : *p->pending) {
    const int rc = realMethods(p)->xWrite(p->real, w.bytes.data(), static_cast<int>(w.bytes.size()), w.offset);
    if (rc != SQLITE_OK) return rc;
  }
  p->pending->clear();
  return SQLITE_OK;
}

/// The power cut: some unsynced writes reach the disk, the rest is lost; the process ends.
[[noreturn]] void powerCut() {
  std::mt19937_64 rng(g_plan.seed);
  std::size_t kept = 0, lost = 0, torn = 0;
  for (PlFile* p : *g_live) {
    auto& pend = *p->pending;
    const std::size_t n = pend.size();
    const std::size_t keep = n == 0 ? 0 : std::uniform_int_distribution<std::size_t>(0, n)(rng);
    for (std::size_t i = 0; i < keep; ++i)
      realMethods(p)->xWrite(p->real, pend[i].bytes.data(), static_cast<int>(pend[i].bytes.size()), pend[i].offset);
    if (g_plan.tear && keep < n && pend[keep].bytes.size() > 1) {
      const auto part = std::uniform_int_distribution<std::size_t>(1, pend[keep].bytes.size() - 1)(rng);
      realMethods(p)->xWrite(p->real, pend[keep].bytes.data(), static_cast<int>(part), pend[keep].offset);
      ++torn;
    }
    kept += keep;
    lost += n - keep;
  }
  if (g_plan.reportFd >= 0) {
    const std::string line =
        "CUT " + std::to_string(kept) + " " + std::to_string(lost) + " " + std::to_string(torn) + "\n";
    [[maybe_unused]] const auto w = ::write(g_plan.reportFd, line.data(), line.size());
  }
  ::_exit(0);
}

sqlite3_int64 logicalSize(PlFile* p, sqlite3_int64 realSize) {
  sqlite3_int64 size = realSize;
  for (const auto& w : *p->pending) size = std::max<sqlite3_int64>(size, w.offset + static_cast<sqlite3_int64>(w.bytes.size()));
  return size;
}

int xClose(sqlite3_file* f) {
  PlFile* p = self(f);
  flush(p);  // a clean close: the page cache would write them out eventually
  const int rc = realMethods(p)->xClose(p->real);
  g_live->erase(p);
  delete p->pending;
  return rc;
}

int xRead(sqlite3_file* f, void* buf, int amt, sqlite3_int64 off) {
  PlFile* p = self(f);
  int rc = realMethods(p)->xRead(p->real, buf, amt, off);
  if (rc != SQLITE_OK && rc != SQLITE_IOERR_SHORT_READ) return rc;
  sqlite3_int64 realSize = 0;
  realMethods(p)->xFileSize(p->real, &realSize);
  auto* out = static_cast<char*>(buf);
  for (const auto& w : *p->pending) {
    const sqlite3_int64 lo = std::max<sqlite3_int64>(off, w.offset);
    const sqlite3_int64 hi = std::min<sqlite3_int64>(off + amt, w.offset + static_cast<sqlite3_int64>(w.bytes.size()));
    if (lo < hi) std::memcpy(out + (lo - off), w.bytes.data() + (lo - w.offset), static_cast<std::size_t>(hi - lo));
  }
  return off + amt <= logicalSize(p, realSize) ? SQLITE_OK : SQLITE_IOERR_SHORT_READ;
}

int xWrite(sqlite3_file* f, const void* buf, int amt, sqlite3_int64 off) {
  PlFile* p = self(f);
  p->pending->push_back({off, std::string(static_cast<const char*>(buf), static_cast<std::size_t>(amt))});
  if (g_plan.cutAtWrite != 0 && ++g_writes >= g_plan.cutAtWrite) powerCut();
  return SQLITE_OK;
}

int xTruncate(sqlite3_file* f, sqlite3_int64 size) {
  PlFile* p = self(f);
  auto& pend = *p->pending;
  for (auto& w : pend)
    if (w.offset + static_cast<sqlite3_int64>(w.bytes.size()) > size)
      w.bytes.resize(static_cast<std::size_t>(std::max<sqlite3_int64>(size - w.offset, 0)));
  pend.erase(std::remove_if(pend.begin(), pend.end(), [](const PendingWrite& w) { return w.bytes.empty(); }),
             pend.end());
  return realMethods(p)->xTruncate(p->real, size);
}

int xSync(sqlite3_file* f, int flags) {
  PlFile* p = self(f);
  if (const int rc = flush(p); rc != SQLITE_OK) return rc;
  return realMethods(p)->xSync(p->real, flags);
}

int xFileSize(sqlite3_file* f, sqlite3_int64* size) {
  PlFile* p = self(f);
  sqlite3_int64 realSize = 0;
  const int rc = realMethods(p)->xFileSize(p->real, &realSize);
  if (rc != SQLITE_OK) return rc;
  *size = logicalSize(p, realSize);
  return SQLITE_OK;
}

int xLock(sqlite3_file* f, int l) { return realMethods(self(f))->xLock(self(f)->real, l); }
int xUnlock(sqlite3_file* f, int l) { return realMethods(self(f))->xUnlock(self(f)->real, l); }
int xCheckReservedLock(sqlite3_file* f, int* out) {
  return realMethods(self(f))->xCheckReservedLock(self(f)->real, out);
}
int xFileControl(sqlite3_file* f, int op, void* arg) {
  // Size hints and chunking would extend the real file behind the overlay's back.
  if (op == SQLITE_FCNTL_SIZE_HINT || op == SQLITE_FCNTL_CHUNK_SIZE) return SQLITE_OK;
  return realMethods(self(f))->xFileControl(self(f)->real, op, arg);
}
int xSectorSize(sqlite3_file* f) { return realMethods(self(f))->xSectorSize(self(f)->real); }
int xDeviceCharacteristics(sqlite3_file* f) { return realMethods(self(f))->xDeviceCharacteristics(self(f)->real); }
int xShmMap(sqlite3_file* f, int pg, int sz, int extend, void volatile** out) {
  return realMethods(self(f))->xShmMap(self(f)->real, pg, sz, extend, out);
}
int xShmLock(sqlite3_file* f, int offset, int n, int flags) {
  return realMethods(self(f))->xShmLock(self(f)->real, offset, n, flags);
}
void xShmBarrier(sqlite3_file* f) { realMethods(self(f))->xShmBarrier(self(f)->real); }
int xShmUnmap(sqlite3_file* f, int del) { return realMethods(self(f))->xShmUnmap(self(f)->real, del); }

// Version 2: shared memory (WAL) but no memory-mapped I/O, so every read goes through xRead.
const sqlite3_io_methods kMethods = {
    2,         xClose,      xRead,          xWrite,         xTruncate, xSync,      xFileSize,
    xLock,     xUnlock,     xCheckReservedLock, xFileControl, xSectorSize, xDeviceCharacteristics,
    xShmMap,   xShmLock,    xShmBarrier,    xShmUnmap,      nullptr,   nullptr};

int vfsOpen(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* f, int flags, int* outFlags) {
  PlFile* p = self(f);
  p->base.pMethods = nullptr;
  p->real = reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(f) + sizeof(PlFile));
  const int rc = g_unix->xOpen(g_unix, name, p->real, flags, outFlags);
  if (rc != SQLITE_OK) {
    if (p->real->pMethods) p->real->pMethods->xClose(p->real);
    return rc;
  }
  p->pending = new std::vector<PendingWrite>();
  p->base.pMethods = &kMethods;
  g_live->insert(p);
  return SQLITE_OK;
}
int vfsDelete(sqlite3_vfs*, const char* name, int syncDir) { return g_unix->xDelete(g_unix, name, syncDir); }
int vfsAccess(sqlite3_vfs*, const char* name, int flags, int* out) { return g_unix->xAccess(g_unix, name, flags, out); }
int vfsFullPathname(sqlite3_vfs*, const char* name, int n, char* out) {
  return g_unix->xFullPathname(g_unix, name, n, out);
}

}  // namespace

void installPowerLossVfs(const PowerCutPlan& plan) {
  g_plan = plan;
  g_writes = 0;
  g_live = new std::set<PlFile*>();
  g_unix = sqlite3_vfs_find("unix");
  g_vfs = *g_unix;
  g_vfs.pNext = nullptr;
  g_vfs.zName = "powerloss";
  g_vfs.szOsFile = static_cast<int>(sizeof(PlFile)) + g_unix->szOsFile;
  g_vfs.xOpen = vfsOpen;
  g_vfs.xDelete = vfsDelete;
  g_vfs.xAccess = vfsAccess;
  g_vfs.xFullPathname = vfsFullPathname;
  sqlite3_vfs_register(&g_vfs, 1);
}

}  // namespace vd::test
