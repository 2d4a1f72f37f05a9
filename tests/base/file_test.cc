#include "base/file.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>
#include <algorithm>

#include "base/error.h"

namespace statelab {
namespace {

namespace fs = std::filesystem;

// A fresh directory per test, removed afterwards.  Every destructive case happens inside it.
class WriteFile : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "statelab_file_test.XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Names in the directory other than `keep`: what a write left behind.
  std::vector<std::string> leftovers(const std::vector<std::string>& keep) const {
    std::vector<std::string> out;
    for (const auto& entry : fs::directory_iterator(dir_)) {
      const std::string name = entry.path().filename().string();
      if (std::find(keep.begin(), keep.end(), name) == keep.end()) out.push_back(name);
    }
    return out;
  }

  fs::path dir_;
};

TEST_F(WriteFile, ReplacesARegularFileWhole) {
  const fs::path path = dir_ / "a.txt";
  write_file(path, "old contents that are longer");
  write_file(path, "new");
  EXPECT_EQ(read_file(path), "new");
  EXPECT_TRUE(fs::is_regular_file(fs::symlink_status(path)));
  EXPECT_TRUE(leftovers({"a.txt"}).empty());
}

TEST_F(WriteFile, CreatesANewPath) {
  const fs::path path = dir_ / "new.json";
  write_file(path, "{}\n");
  EXPECT_EQ(read_file(path), "{}\n");
  EXPECT_TRUE(leftovers({"new.json"}).empty());
}

TEST_F(WriteFile, FollowsASymlinkAndKeepsIt) {
  fs::create_directory(dir_ / "real");
  write_file(dir_ / "real" / "target.txt", "before");
  fs::create_symlink("real/target.txt", dir_ / "link.txt");  // relative, as ln -s makes them
  write_file(dir_ / "link.txt", "after");
  EXPECT_TRUE(fs::is_symlink(fs::symlink_status(dir_ / "link.txt")));
  EXPECT_EQ(fs::read_symlink(dir_ / "link.txt"), "real/target.txt");
  EXPECT_EQ(read_file(dir_ / "real" / "target.txt"), "after");
}

TEST_F(WriteFile, CreatesTheTargetOfADanglingSymlink) {
  fs::create_symlink(dir_ / "missing.txt", dir_ / "link.txt");
  write_file(dir_ / "link.txt", "made");
  EXPECT_TRUE(fs::is_symlink(fs::symlink_status(dir_ / "link.txt")));
  EXPECT_EQ(read_file(dir_ / "missing.txt"), "made");
}

TEST_F(WriteFile, WritesThroughAFifo) {
  const fs::path fifo = dir_ / "pipe";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  std::string received;
  std::thread reader([&] { received = read_file(fifo); });
  write_file(fifo, "through the pipe");
  reader.join();
  EXPECT_EQ(received, "through the pipe");
  EXPECT_TRUE(fs::is_fifo(fs::symlink_status(fifo)));  // not replaced by a regular file
  EXPECT_TRUE(leftovers({"pipe"}).empty());
}

TEST_F(WriteFile, WritesThroughACharacterDeviceAndLeavesItOne) {
  // A null device of our own in the temporary directory (never the system's /dev/null, which a
  // regression would replace).  Creating one needs CAP_MKNOD; without it, a symlink to a FIFO
  // stands in for "a link to a device".
  const fs::path device = dir_ / "null";
  if (::mknod(device.c_str(), S_IFCHR | 0666, makedev(1, 3)) != 0) GTEST_SKIP() << "cannot mknod here";
  write_file(device, "discarded");
  EXPECT_TRUE(fs::is_character_file(fs::symlink_status(device)));
  fs::create_symlink(device, dir_ / "to-null");
  write_file(dir_ / "to-null", "discarded");
  EXPECT_TRUE(fs::is_character_file(fs::symlink_status(device)));
  EXPECT_TRUE(fs::is_symlink(fs::symlink_status(dir_ / "to-null")));
  EXPECT_TRUE(leftovers({"null", "to-null"}).empty());
}

TEST_F(WriteFile, FollowsASymlinkToAFifo) {
  const fs::path fifo = dir_ / "pipe";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  fs::create_symlink(fifo, dir_ / "link");
  std::string received;
  std::thread reader([&] { received = read_file(fifo); });
  write_file(dir_ / "link", "via the link");
  reader.join();
  EXPECT_EQ(received, "via the link");
  EXPECT_TRUE(fs::is_fifo(fs::symlink_status(fifo)));
  EXPECT_TRUE(fs::is_symlink(fs::symlink_status(dir_ / "link")));
}

TEST_F(WriteFile, DashIsStandardOutput) {
  EXPECT_TRUE(is_standard_output("-"));
  EXPECT_TRUE(is_standard_output("/dev/stdout"));
  EXPECT_FALSE(is_standard_output("./-x"));
  ::testing::internal::CaptureStdout();
  write_file("-", "to stdout\n");
  EXPECT_EQ(::testing::internal::GetCapturedStdout(), "to stdout\n");
  EXPECT_FALSE(fs::exists("-"));
}

TEST_F(WriteFile, RefusesADirectoryAndLeavesNothing) {
  EXPECT_THROW(write_file(dir_, "x"), IoError);
  EXPECT_THROW(write_file(dir_ / "no-such-dir" / "f", "x"), IoError);
  EXPECT_TRUE(leftovers({}).empty());
}

TEST_F(WriteFile, ReadFileNamesTheMissingPath) {
  try {
    read_file(dir_ / "absent");
    FAIL() << "expected IoError";
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find("absent"), std::string::npos) << e.what();
  }
}

// Runs `body` in a child process that has the signal handlers installed; returns the signal
// that ended it (0 when it exited).
template <typename Body>
int signal_ending(Body body) {
  const pid_t child = ::fork();
  if (child == 0) {
    remove_temporaries_on_signals();
    body();
    _exit(0);
  }
  int status = 0;
  if (child < 0 || ::waitpid(child, &status, 0) != child) return -1;
  return WIFSIGNALED(status) ? WTERMSIG(status) : 0;
}

// A registered temporary file is gone after SIGTERM, and the process died of the signal (the
// status a shell reports as 143).
TEST_F(WriteFile, ASignalRemovesRegisteredTemporariesAndKills) {
  const fs::path temporary = dir_ / "x.tmp.dot";
  EXPECT_EQ(signal_ending([&] {
              RemoveOnSignal registered(temporary);
              std::ofstream(temporary) << "partial";
              ::raise(SIGTERM);
            }),
            SIGTERM);
  EXPECT_FALSE(fs::exists(temporary));
}

TEST_F(WriteFile, AnUnregisteredFileSurvivesTheSignal) {
  const fs::path kept = dir_ / "kept.txt";
  EXPECT_EQ(signal_ending([&] {
              { RemoveOnSignal registered(kept); }
              std::ofstream(kept) << "mine";
              ::raise(SIGINT);
            }),
            SIGINT);
  EXPECT_TRUE(fs::exists(kept));
}

}  // namespace
}  // namespace statelab
