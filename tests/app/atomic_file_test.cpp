// The one writer of files holding patient data (app::replaceFileWhole): whole, 0600, never
// through a link.
#include "app/atomic_file.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace {

std::string read(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

class AtomicFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    m_dir = std::filesystem::temp_directory_path() / ("vd-atomic-" + std::to_string(::getpid()));
    std::filesystem::remove_all(m_dir);
    std::filesystem::create_directories(m_dir);
  }
  void TearDown() override { std::filesystem::remove_all(m_dir); }
  std::filesystem::path m_dir;
};

TEST_F(AtomicFileTest, WritesWholeWithTheModeAndReplaces) {
  const auto f = m_dir / "sheet.pem";
  ASSERT_TRUE(vd::app::replaceFileWhole(f, "first", 0600).ok());
  ASSERT_TRUE(vd::app::replaceFileWhole(f, "second", 0600).ok());
  EXPECT_EQ(read(f), "second");
  struct stat st {};
  ASSERT_EQ(::stat(f.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_FALSE(std::filesystem::exists(m_dir / "sheet.pem.tmp"));
}

// A link planted at the target (towards a world-readable place) is refused: nothing is written
// through it and the link is left as it was.
TEST_F(AtomicFileTest, ALinkAtTheTargetIsRefused) {
  const auto elsewhere = m_dir / "elsewhere.txt";
  std::ofstream(elsewhere) << "untouched";
  const auto f = m_dir / "sheet.pem";
  std::filesystem::create_symlink(elsewhere, f);
  auto w = vd::app::replaceFileWhole(f, "patient data", 0600);
  ASSERT_FALSE(w.ok());
  EXPECT_EQ(w.error().code, vd::core::Errc::FileUnreadable);
  EXPECT_TRUE(std::filesystem::is_symlink(f));
  EXPECT_EQ(read(elsewhere), "untouched");
  // A link at the temporary name is not followed either (O_EXCL|O_NOFOLLOW).
  const auto g = m_dir / "other.pem";
  std::filesystem::create_symlink(elsewhere, m_dir / "other.pem.tmp");
  ASSERT_TRUE(vd::app::replaceFileWhole(g, "data", 0600).ok());
  EXPECT_EQ(read(elsewhere), "untouched");
  EXPECT_EQ(read(g), "data");
}

}  // namespace
