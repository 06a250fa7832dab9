// The invoice register on real SQLite files: numbers strictly increasing, gap-free, and a
// process killed in the middle of a commit consumes no number.
#include "billing/outbox/fse_register.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>
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

TEST_F(RegisterTest, CapKeysAreKeyedPseudonymsAndLegacyRowsAreRekeyed) {
  const std::string key = "beneficiary-7f3a9c51e2";
  const auto day = *vd::core::Date::parseIso("2025-03-10");
  {
    auto reg = FseRegister::open(m_file);
    ASSERT_TRUE(reg.ok());
    const vd::billing::CapCharge charge{key, "P", day, vd::core::Money::cents(200), 1, vd::core::Money()};
    ASSERT_TRUE(reg->commitNew("P", doc("a"), {charge}).ok());
  }
  // The caller's key is not what is stored (HMAC under the register's data key).
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(m_file.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT beneficiary FROM cap_charge;", -1, &st, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  const std::string stored = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
  sqlite3_finalize(st);
  EXPECT_EQ(stored.rfind("k1:", 0), 0u);
  EXPECT_EQ(stored.find(key), std::string::npos);
  sqlite3_close(db);
}

// Raw SQL on the register file (another connection), as an older VitaleDesk would write it.
void rawSql(const std::filesystem::path& file, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(file.c_str(), &db), SQLITE_OK);
  EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
  sqlite3_close(db);
}

const char* const kBareCapRow =
    "INSERT INTO cap_charge(beneficiary, practitioner, day, pf_cents, pf_count, franchise_cents, invoice_number) "
    "VALUES('beneficiary-7f3a9c51e2','Q','2025-03-11',200,1,0,1);";

std::int64_t pfCents(FseRegister& reg, const std::string& key) {
  auto h = reg.capHistory(key, 2025);
  return h.ok() ? (*h)->pfChargedInYear(key, 2025).cents() : -1;
}

// A register of an older schema (bare cap keys) is re-keyed at its first open, once: the fact
// is recorded (meta "legacy_rows"), later opens do not scan cap_charge again — a bare row
// slipped in afterwards stays as it is. A new register never scans.
TEST_F(RegisterTest, LegacyCapKeysAreRekeyedOnceAndANewRegisterSkipsTheScan) {
  const std::string key = "beneficiary-7f3a9c51e2";
  std::filesystem::create_directories(m_dir);
  rawSql(m_file,
         "CREATE TABLE invoice_counter(practitioner TEXT PRIMARY KEY, last_number INTEGER NOT NULL);"
         "CREATE TABLE fse(practitioner TEXT NOT NULL, invoice_number INTEGER NOT NULL, stored_at TEXT NOT NULL,"
         " document TEXT NOT NULL, PRIMARY KEY (practitioner, invoice_number));"
         "CREATE TABLE cap_charge(beneficiary TEXT NOT NULL, practitioner TEXT NOT NULL, day TEXT NOT NULL,"
         " pf_cents INTEGER NOT NULL, pf_count INTEGER NOT NULL, franchise_cents INTEGER NOT NULL,"
         " invoice_number INTEGER NOT NULL);"
         "PRAGMA user_version=2;" + std::string(kBareCapRow));
  {
    auto reg = FseRegister::open(m_file);
    ASSERT_TRUE(reg.ok()) << vd::core::errcId(reg.error().code);
    EXPECT_EQ(pfCents(*reg, key), 200);  // re-keyed: found under the keyed pseudonym
  }
  rawSql(m_file, kBareCapRow);
  {
    auto reg = FseRegister::open(m_file);
    ASSERT_TRUE(reg.ok());
    EXPECT_EQ(pfCents(*reg, key), 200);  // not re-keyed again: no scan after the first open
  }

  const auto fresh = m_dir / "new.db";
  ASSERT_TRUE(FseRegister::open(fresh).ok());
  rawSql(fresh, kBareCapRow);
  auto reg = FseRegister::open(fresh);
  ASSERT_TRUE(reg.ok());
  EXPECT_EQ(pfCents(*reg, key), 0);  // a new register never scans
  // Removing the record makes the next open upgrade again (what an interrupted upgrade does).
  rawSql(fresh, "DELETE FROM meta WHERE key='legacy_rows';");
  auto again = FseRegister::open(fresh);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(pfCents(*again, key), 200);
}

TEST_F(RegisterTest, UnwritableLocationIsAStoreError) {
  auto reg = FseRegister::open("/proc/vitaledesk/register.db");
  ASSERT_FALSE(reg.ok());
  EXPECT_EQ(reg.error().code, vd::core::Errc::FseStore);
}

}  // namespace
