#pragma once
/// \file
/// Test-only SQLite VFS that simulates a power cut. It wraps the default "unix" VFS: every
/// write since a file's last xSync stays in memory (reads see it, the disk does not), xSync
/// writes them out then fsyncs. At the cut — the N-th xWrite of the process — a random
/// prefix of each file's unsynced writes reaches the disk (what the page cache happened to
/// flush), optionally the next one torn (only its first bytes), and the process ends at once
/// with _exit: everything else is lost, as on a real power failure. Truncation is applied at
/// once (durable). Registered as the default VFS, so the production code (FseRegister,
/// Outbox) runs unchanged: no hook in src/.

#include <cstdint>

namespace vd::test {

struct PowerCutPlan {
  std::uint64_t cutAtWrite = 0;  ///< 0: never cut
  bool tear = false;             ///< tear the first lost write
  std::uint64_t seed = 1;        ///< how much of the unsynced data survives
  int reportFd = -1;             ///< where to write one line describing the cut (or -1)
};

/// Registers the VFS "powerloss" as the default one. Call once per process (a forked child).
void installPowerLossVfs(const PowerCutPlan& plan);

}  // namespace vd::test
