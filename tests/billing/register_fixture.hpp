#pragma once
// Shared by the register, outbox and dispatcher tests: dates on the fake clock and a
// fixture owning a scratch directory with the register file path (removed after each test).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <utility>

#include "core/clock.hpp"
#include "billing/outbox/retry_policy.hpp"
#include "core/date.hpp"

namespace vd::billing::testing {

inline core::Date ymd(int y, int m, int d) { return *core::Date::fromYmd(y, m, d); }
/// `hour` o'clock UTC on that day.
inline core::UnixSeconds at(int y, int m, int d, int hour = 10) { return core::startOfUtcDay(ymd(y, m, d)) + hour * 3600; }

/// A retry-jitter source that always draws the lowest or the highest value (deterministic backoff).
class FixedRandom final : public RandomSource {
 public:
  enum Mode { Low, High } mode = High;
  std::int64_t uniform(std::int64_t lo, std::int64_t hi) override { return mode == Low ? lo : hi; }
};

/// m_dir: a directory of its own per test (`<prefix>-<pid>-<test name>`, emptied at start,
/// removed at the end); m_file: `register.db` inside it (not created).
class RegisterFileTest : public ::testing::Test {
 protected:
  explicit RegisterFileTest(std::string prefix) : m_prefix(std::move(prefix)) {}
  void SetUp() override {
    m_dir = std::filesystem::temp_directory_path() /
            (m_prefix + "-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(m_dir);
    m_file = m_dir / "register.db";
  }
  void TearDown() override { std::filesystem::remove_all(m_dir); }

  std::string m_prefix;
  std::filesystem::path m_dir, m_file;
};

}  // namespace vd::billing::testing
