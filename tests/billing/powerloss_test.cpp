// Power loss during enqueues (issue 6): a forked child enqueues care sheets through the real
// register API (FseRegister::commitNew, what app::signAndStore calls) with the power-loss VFS
// as SQLite's default, acknowledging each committed number to the parent through a pipe, and
// sending a few lots on the way (Outbox claim + markSent). At a random write the "power" is
// cut: unsynced writes are lost (some kept, one torn). The parent reopens with the normal VFS
// each round and checks: every acknowledged enqueue is there, PRAGMA integrity_check is ok,
// the audit chain verifies, invoice numbers are gap-free, one queue row per sheet.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <ctime>
#include <random>
#include <set>
#include <sstream>
#include <string>

#include "billing/outbox/fse_register.hpp"
#include "billing/outbox/outbox.hpp"
#include "powerloss_vfs.hpp"

using namespace vd::billing;
namespace core = vd::core;
using vd::core::Result;

namespace {

constexpr const char* kRpps = "10099999996";

std::string queryText(sqlite3* db, const char* sql) {
  sqlite3_stmt* st = nullptr;
  std::string out;
  if (sqlite3_prepare_v2(db, sql, -1, &st, nullptr) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
    const auto* t = sqlite3_column_text(st, 0);
    out = t ? reinterpret_cast<const char*>(t) : "";
  }
  sqlite3_finalize(st);
  return out;
}
long long queryInt(sqlite3* db, const char* sql) { return std::atoll(queryText(db, sql).c_str()); }

/// The child: enqueue until the cut (or `count` sheets), acknowledging each number.
[[noreturn]] void enqueueUntilCut(const std::filesystem::path& file, int fd, const vd::test::PowerCutPlan& plan,
                                  int count) {
  vd::test::installPowerLossVfs(plan);
  const core::FixedClock clock(static_cast<core::UnixSeconds>(std::time(nullptr)));  // real time, fixed per process
  auto reg = FseRegister::open(file);
  if (!reg) ::_exit(2);
  for (int i = 0; i < count; ++i) {
    QueueEntry q;
    q.tiersPayant = (i % 3) == 0;
    q.destination = (i % 2) == 0 ? "01141" : "01751";
    // A signed document of realistic size (~3 KiB): several pages per commit.
    auto n = reg->commitNew(
        kRpps, [&](std::uint64_t num) -> Result<std::string> { return std::string(3000, 'a' + num % 26); }, {}, q);
    if (!n) ::_exit(3);
    const std::string line = "ACK " + std::to_string(*n) + "\n";
    if (::write(fd, line.data(), line.size()) != static_cast<ssize_t>(line.size())) ::_exit(4);
    if (i % 7 == 6) {  // the sender at work too: claims and state changes interleave with enqueues
      auto o = Outbox::open(file, clock);
      if (!o) ::_exit(5);
      auto lot = o->claimLot(4);
      if (!lot) ::_exit(6);
      if (*lot && !o->markSent(**lot)) ::_exit(7);
    }
  }
  ::_exit(0);
}

TEST(PowerLoss, EveryAcknowledgedEnqueueSurvivesRandomCuts) {
  const auto dir = std::filesystem::temp_directory_path() / ("vd-powerloss-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const auto file = dir / "register.db";
  std::mt19937_64 rng(20261123);
  constexpr int kRounds = 60;
  std::set<std::uint64_t> acknowledged;
  int cuts = 0, tornWrites = 0, unsyncedKept = 0, unsyncedLost = 0, acknowledgedLost = 0;
  long long present = 0;
  for (int round = 0; round < kRounds; ++round) {
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    vd::test::PowerCutPlan plan;
    plan.cutAtWrite = std::uniform_int_distribution<std::uint64_t>(1, 300)(rng);
    plan.tear = round % 2 == 1;
    plan.seed = rng();
    plan.reportFd = fds[1];
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      ::close(fds[0]);
      enqueueUntilCut(file, fds[1], plan, 60);
    }
    ::close(fds[1]);
    std::string text;
    char buf[4096];
    ssize_t n = 0;
    while ((n = ::read(fds[0], buf, sizeof buf)) > 0) text.append(buf, static_cast<std::size_t>(n));
    ::close(fds[0]);
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "round " << round << " status " << status;
    std::istringstream lines(text);
    std::string word;
    while (lines >> word) {
      if (word == "ACK") {
        std::uint64_t num = 0;
        lines >> num;
        acknowledged.insert(num);
      } else if (word == "CUT") {
        int kept = 0, lost = 0, torn = 0;
        lines >> kept >> lost >> torn;
        ++cuts;
        unsyncedKept += kept;
        unsyncedLost += lost;
        tornWrites += torn;
      }
    }
    // Reopen with the normal VFS (this process never registered the test one).
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr), SQLITE_OK) << "round " << round;
    EXPECT_EQ(queryText(db, "PRAGMA integrity_check;"), "ok") << "round " << round;
    const long long count = queryInt(db, "SELECT count(*) FROM fse;");
    const long long maxNumber = queryInt(db, "SELECT coalesce(max(invoice_number), 0) FROM fse;");
    EXPECT_EQ(count, maxNumber) << "numbering gap, round " << round;
    EXPECT_EQ(queryInt(db, "SELECT coalesce(max(last_number), 0) FROM invoice_counter;"), maxNumber);
    EXPECT_EQ(queryInt(db, "SELECT count(*) FROM outbox;"), count) << "one queue row per sheet";
    EXPECT_EQ(queryInt(db, "SELECT count(*) FROM audit WHERE reason='enqueued';"), count);
    for (const auto num : acknowledged) {
      const std::string sql = "SELECT count(*) FROM fse f JOIN outbox o USING (practitioner, invoice_number) "
                              "WHERE f.invoice_number=" + std::to_string(num) + ";";
      const bool there = queryInt(db, sql.c_str()) == 1;
      acknowledgedLost += there ? 0 : 1;
      EXPECT_TRUE(there) << "acknowledged sheet " << num << " lost, round " << round;
    }
    present = count;
    sqlite3_close(db);
    const core::FixedClock clock(static_cast<core::UnixSeconds>(std::time(nullptr)));  // real time, fixed per process
    auto o = Outbox::open(file, clock);
    ASSERT_TRUE(o.ok()) << "round " << round;
    auto audit = o->verifyAudit();
    EXPECT_TRUE(audit.ok()) << "audit chain broken, round " << round;
    ASSERT_FALSE(::testing::Test::HasFailure()) << "round " << round;
  }
  const long long unacknowledgedPresent = present - static_cast<long long>(acknowledged.size());
  std::printf(
      "power loss: %d rounds, %d cuts (%d unsynced writes kept, %d lost, %d torn), %zu enqueues acknowledged, "
      "%d lost, %lld present (%lld committed but cut before the acknowledgement), integrity ok, audit ok, "
      "numbering gap-free\n",
      kRounds, cuts, unsyncedKept, unsyncedLost, tornWrites, acknowledged.size(), acknowledgedLost, present,
      unacknowledgedPresent);
  EXPECT_GT(cuts, kRounds / 2);
  EXPECT_GT(tornWrites, 0);
  EXPECT_GT(unsyncedLost, 0);
  std::filesystem::remove_all(dir);
}

}  // namespace
