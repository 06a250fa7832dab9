// The replay cache shared by several processes (the desk and `vitaledesk-cli token verify`):
// two real processes (fork) hammer the same file; no entry may be lost and each token id
// must be accepted exactly once across both.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "reader/apcv/replay_cache.hpp"

namespace apcv = vd::reader::apcv;

namespace {

constexpr std::int64_t kNow = 1'800'000'000;

std::array<std::uint8_t, 16> tokenId(std::uint32_t n) {
  std::array<std::uint8_t, 16> id{};
  for (int i = 0; i < 4; ++i) id[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(n >> (8 * i));
  id[15] = 0xA5;
  return id;
}

// Runs `work` in a child process; the child's exit status is what it returns (0..255).
pid_t spawn(const std::function<int()>& work) {
  const pid_t pid = ::fork();
  if (pid == 0) ::_exit(work());
  return pid;
}

int exitStatus(pid_t pid) {
  int status = 0;
  if (::waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) return -1;
  return WEXITSTATUS(status);
}

}  // namespace

TEST(ApcvReplayCacheProcesses, TwoProcessesLoseNothingAndAcceptEachIdOnce) {
  const auto dir = std::filesystem::temp_directory_path() / ("vd-replay-mp-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const auto file = dir / "replay.txt";
  constexpr std::uint32_t kShared = 60, kOwn = 40;
  // Each process: its own ids (must all survive) interleaved with the same shared ids (each
  // must be accepted by exactly one of them). Both open the cache before either writes, so
  // neither learns the other's ids at open time. The exit code counts shared ids accepted.
  auto worker = [&](std::uint32_t ownBase) {
    return [&, ownBase]() -> int {
      auto cache = apcv::ReplayCache::open(file, kNow);
      if (!cache) return 255;
      ::usleep(20'000);  // let the other one open too
      int accepted = 0;
      for (std::uint32_t i = 0; i < kShared; ++i) {
        auto own = cache->record(tokenId(ownBase + i % kOwn), kNow + 600, kNow);
        if (!own || (i < kOwn && !*own)) return 254;
        auto shared = cache->record(tokenId(i), kNow + 600, kNow);
        if (!shared) return 253;
        accepted += *shared;
      }
      return accepted;
    };
  };
  const pid_t a = spawn(worker(1000)), b = spawn(worker(2000));
  const int acceptedA = exitStatus(a), acceptedB = exitStatus(b);
  ASSERT_GE(acceptedA, 0);
  ASSERT_LE(acceptedA, static_cast<int>(kShared));
  ASSERT_GE(acceptedB, 0);
  ASSERT_LE(acceptedB, static_cast<int>(kShared));
  EXPECT_EQ(acceptedA + acceptedB, static_cast<int>(kShared));  // each shared id exactly once

  auto after = apcv::ReplayCache::open(file, kNow);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->size(), kShared + 2 * kOwn);  // nothing lost
  for (std::uint32_t i = 0; i < kOwn; ++i) {
    EXPECT_TRUE(after->contains(tokenId(1000 + i), kNow));
    EXPECT_TRUE(after->contains(tokenId(2000 + i), kNow));
  }
  // A replay of any of them is refused, exactly once more: nothing is written for it.
  auto again = after->record(tokenId(7), kNow + 600, kNow);
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(*again);
  std::filesystem::remove_all(dir);
}

TEST(ApcvReplayCacheProcesses, AnIdAcceptedElsewhereAfterOpenIsAReplay) {
  const auto dir = std::filesystem::temp_directory_path() / ("vd-replay-mp2-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const auto file = dir / "replay.txt";
  auto desk = apcv::ReplayCache::open(file, kNow);  // opened first: knows nothing yet
  ASSERT_TRUE(desk.ok());
  const pid_t cli = spawn([&] {
    auto c = apcv::ReplayCache::open(file, kNow);
    if (!c) return 1;
    auto r = c->record(tokenId(42), kNow + 600, kNow);
    return r && *r ? 0 : 1;
  });
  ASSERT_EQ(exitStatus(cli), 0);
  auto r = desk->record(tokenId(42), kNow + 600, kNow);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(*r);  // the screenshot shown at the second till is refused
  std::filesystem::remove_all(dir);
}
