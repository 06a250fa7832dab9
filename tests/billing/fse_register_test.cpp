// The invoice register on real SQLite files: numbers strictly increasing, gap-free, and a
// process killed in the middle of a commit consumes no number.
#include "billing/outbox/fse_register.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>

#include "register_fixture.hpp"

using vd::billing::FseRegister;
using vd::core::Result;

namespace {

class RegisterTest : public vd::billing::testing::RegisterFileTest {
 protected:
  RegisterTest() : RegisterFileTest("vd-register") {}
};

auto doc(const std::string& text) {
  return [text](std::uint64_t n) -> Result<std::string> { return text + std::to_string(n); };
}

TEST_F(RegisterTest, NumbersIncreasePerPractitioner) {
  auto reg = FseRegister::open(m_file);
  ASSERT_TRUE(reg.ok());
  EXPECT_EQ(*reg->commitNew("A", doc("a")), 1u);
  EXPECT_EQ(*reg->commitNew("A", doc("a")), 2u);
  EXPECT_EQ(*reg->commitNew("B", doc("b")), 1u);
  EXPECT_EQ(*reg->commitNew("A", doc("a")), 3u);
  EXPECT_EQ(*reg->document("A", 2), "a2");
  EXPECT_EQ(*reg->lastNumber("B"), 1u);
  EXPECT_EQ(*reg->lastNumber("C"), 0u);
}

TEST_F(RegisterTest, AFailedBuildConsumesNoNumber) {
  auto reg = FseRegister::open(m_file);
  ASSERT_TRUE(reg.ok());
  EXPECT_EQ(*reg->commitNew("A", doc("a")), 1u);
  auto failed = reg->commitNew("A", [](std::uint64_t) -> Result<std::string> {
    return vd::core::fail(vd::core::Errc::SignerPinCancelled);
  });
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().code, vd::core::Errc::SignerPinCancelled);
  EXPECT_EQ(*reg->commitNew("A", doc("a")), 2u);
  EXPECT_FALSE(reg->document("A", 3).ok());
}

TEST_F(RegisterTest, SurvivesReopenAndKeepsSchemaVersion) {
  {
    auto reg = FseRegister::open(m_file);
    ASSERT_TRUE(reg.ok());
    EXPECT_EQ(*reg->commitNew("A", doc("a")), 1u);
  }
  auto again = FseRegister::open(m_file);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again->commitNew("A", doc("a")), 2u);
}

TEST_F(RegisterTest, ProcessKilledMidCommitLeavesNoGap) {
  {
    auto reg = FseRegister::open(m_file);
    ASSERT_TRUE(reg.ok());
    ASSERT_EQ(*reg->commitNew("A", doc("a")), 1u);
  }
  for (int round = 0; round < 5; ++round) {
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      auto reg = FseRegister::open(m_file);
      // Dies holding the write transaction, after the number was read and the document built.
      (void)reg->commitNew("A", [](std::uint64_t) -> Result<std::string> { ::_exit(9); });
      ::_exit(0);
    }
    int status = 0;
    ::waitpid(child, &status, 0);
    ASSERT_TRUE(WIFEXITED(status));
    ASSERT_EQ(WEXITSTATUS(status), 9);
  }
  auto reg = FseRegister::open(m_file);
  ASSERT_TRUE(reg.ok());
  EXPECT_EQ(*reg->lastNumber("A"), 1u);
  EXPECT_EQ(*reg->commitNew("A", doc("a")), 2u);
}

TEST_F(RegisterTest, CapChargesAreRecordedWithTheirSheetOnly) {
  auto reg = FseRegister::open(m_file);
  ASSERT_TRUE(reg.ok());
  const auto day = *vd::core::Date::parseIso("2025-03-10");
  const vd::billing::CapCharge charge{"k1", "P", day, vd::core::Money::cents(200), 1, vd::core::Money::cents(300)};
  ASSERT_TRUE(reg->commitNew("P", doc("a"), {charge}).ok());
  ASSERT_TRUE(reg->commitNew("P", doc("a"), {charge}).ok());
  // A refused sheet records no charge.
  ASSERT_FALSE(reg->commitNew("P", [](std::uint64_t) -> Result<std::string> {
                     return vd::core::fail(vd::core::Errc::SignerFailed, {"x"});
                   }, {charge}).ok());
  auto h = reg->capHistory("k1", 2025);
  ASSERT_TRUE(h.ok());
  EXPECT_EQ((*h)->pfChargedInYear("k1", 2025).cents(), 400);
  EXPECT_EQ((*h)->pfCountOnDay("k1", "P", day), 2);
  EXPECT_EQ((*h)->pfCountOnDay("k1", "Q", day), 0);
  EXPECT_EQ((*h)->franchiseChargedInYear("k1", 2025).cents(), 600);
  auto other = reg->capHistory("k2", 2025);
  ASSERT_TRUE(other.ok());
  EXPECT_EQ((*other)->pfChargedInYear("k2", 2025).cents(), 0);
  auto lastYear = reg->capHistory("k1", 2024);
  ASSERT_TRUE(lastYear.ok());
  EXPECT_EQ((*lastYear)->pfChargedInYear("k1", 2024).cents(), 0);
}

TEST_F(RegisterTest, UnwritableLocationIsAStoreError) {
  auto reg = FseRegister::open("/proc/vitaledesk/register.db");
  ASSERT_FALSE(reg.ok());
  EXPECT_EQ(reg.error().code, vd::core::Errc::FseStore);
}

}  // namespace
