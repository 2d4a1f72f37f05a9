#include "automata/automaton_io.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "base/error.h"
#include "base/file.h"
#include "tests/automata/io_test_util.h"
#include "tests/support/generators.h"

namespace statelab::automata {
namespace {

namespace fs = std::filesystem;

// A fresh directory under the system's temporary directory, removed with its contents.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "statelab-io-XXXXXX").string();
    if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() { fs::remove_all(path_); }
  const fs::path& path() const { return path_; }
  std::vector<std::string> entries() const {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(path_)) names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
  }

 private:
  fs::path path_;
};

TEST(AutomatonIo, TellsTheFormatFromTheExtension) {
  EXPECT_EQ(format_from_path("a/b.json"), Format::json);
  EXPECT_EQ(format_from_path("b.DOT"), Format::dot);
  EXPECT_EQ(format_from_path("b.gv"), Format::dot);
  EXPECT_EQ(format_from_path("b.jff"), Format::jff);
  EXPECT_EQ(format_from_path("b.att"), Format::att);
  try {
    format_from_path("b.txt");
    FAIL() << "expected an error";
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("extension '.txt' (known: .json, .dot, .gv, .jff, .att"), std::string::npos)
        << e.what();
  }
  EXPECT_THROW(format_from_path("noextension"), InvalidArgument);
}

TEST(AutomatonIo, RoundTripsThroughEveryFormatOnDisk) {
  TempDir dir;
  Dfa dfa(Alphabet::from_chars("ab"), 3);
  dfa.set_next(0, 0, 1);
  dfa.set_next(1, 1, 2);
  dfa.set_next(2, 0, 2);
  dfa.set_next(2, 1, 2);
  dfa.set_accepting(2);
  for (const char* name : {"d.json", "d.dot", "d.gv", "d.jff", "d.att"}) {
    write_automaton(dfa, dir.path() / name);
    EXPECT_EQ(determinize(read_automaton(dir.path() / name)), dfa) << name;
  }
  write_automaton(to_nfa(dfa), dir.path() / "n.automaton", Format::json);
  EXPECT_EQ(determinize(read_automaton(dir.path() / "n.automaton", Format::json)), dfa);
  EXPECT_EQ(dir.entries(), (std::vector<std::string>{"d.att", "d.dot", "d.gv", "d.jff", "d.json", "n.automaton"}));
}

TEST(AutomatonIo, AFailedWriteLeavesNothingBehind) {
  TempDir dir;
  Dfa bad(Alphabet({"a,b"}), 1);  // DOT cannot hold this name: the writer throws before any file
  EXPECT_THROW(write_automaton(bad, dir.path() / "x.dot"), InvalidArgument);
  EXPECT_THROW(write_automaton(Dfa(Alphabet::from_chars("a"), 1), dir.path() / "missing" / "x.json"), IoError);
  EXPECT_THROW(write_automaton(Dfa(Alphabet::from_chars("a"), 1), dir.path() / "x.txt"), InvalidArgument);
  EXPECT_TRUE(dir.entries().empty());
}

TEST(AtomicFile, ReplacesTheWholeFileAndKeepsNoTemporary) {
  TempDir dir;
  const fs::path file = dir.path() / "f.txt";
  write_file(file, "first version, longer\n");
  write_file(file, "second\n");
  EXPECT_EQ(read_file(file), "second\n");
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"f.txt"});
  // A new file gets 0666 less the umask, like any file the user creates.
  const mode_t mask = ::umask(022);
  ::umask(mask);
  write_file(dir.path() / "g.txt", "");
  struct stat info {};
  ASSERT_EQ(::stat((dir.path() / "g.txt").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0666 & ~mask);
}

TEST(AtomicFile, FailuresThrowIoErrorNamingThePath) {
  TempDir dir;
  try {
    write_file(dir.path() / "no" / "such" / "dir.txt", "x");
    FAIL() << "expected an error";
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find("no/such/dir.txt"), std::string::npos) << e.what();
  }
  EXPECT_THROW(write_file(dir.path(), "x"), IoError);  // a directory is in the way
  EXPECT_TRUE(dir.entries().empty());
  EXPECT_THROW(read_file(dir.path() / "absent.json"), IoError);
  EXPECT_THROW(read_file(dir.path()), IoError);
  EXPECT_THROW(read_automaton(dir.path() / "absent.json"), IoError);
}

}  // namespace
}  // namespace statelab::automata
