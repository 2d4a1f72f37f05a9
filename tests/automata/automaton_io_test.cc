#include "automata/automaton_io.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "automata/engine_json.h"
#include "automata/json_io.h"
#include "automata/machine_io.h"
#include "automata/pda_jff.h"
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
  Dfa bad(Alphabet({"<eps>"}), 1);  // AT&T cannot hold this name: the writer throws before any file
  EXPECT_THROW(write_automaton(bad, dir.path() / "x.att"), InvalidArgument);
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

// read_machine answers "which kind of machine, in which format?" from the extension and the text.
TEST(MachineIo, ReadsEachKindFromItsExtensionAndContent) {
  const Dfa dfa = determinize(read_json(write_json(Dfa(Alphabet::from_chars("ab"), 1)), "d.json"));
  EXPECT_EQ(kind_name(read_machine(write_json(dfa), "d.json")), "NFA");
  EXPECT_EQ(kind_name(read_machine(format_automaton(dfa, Format::att), "d.att")), "NFA");
  const Cfg grammar = parse_cfg("S -> a S b | %empty", "g.cfg");
  EXPECT_EQ(kind_name(read_machine(format_cfg(grammar), "g.cfg")), "grammar");
  EXPECT_EQ(kind_name(read_machine(write_json(grammar), "g.json")), "grammar");
  const Pda pda = to_pda(grammar, PdaAcceptance::final_state);
  EXPECT_EQ(kind_name(read_machine(write_jff(pda), "p.jff")), "PDA");
  EXPECT_EQ(kind_name(read_machine(write_json(pda), "p.json")), "PDA");
  EXPECT_THROW(read_machine("{}", "x.txt"), InvalidArgument);
  EXPECT_THROW(read_machine_file("/nonexistent/x.txt"), InvalidArgument);  // the extension, before opening
  EXPECT_THROW(read_machine(R"({"format": "statelab-turing"})", "x.json"), ParseError);
}

TEST(MachineIo, WritesOnlyWhatAFormatCanHold) {
  const Cfg grammar = parse_cfg("S -> a S b | %empty", "g.cfg");
  EXPECT_EQ(format_machine(grammar, "g.cfg"), format_cfg(grammar));
  try {
    format_machine(grammar, "g.jff");
    FAIL() << "a grammar written as .jff";
  } catch (const InvalidArgument& e) {
    EXPECT_STREQ(e.what(), "a grammar cannot be written as .jff (use .cfg or .json)");
  }
  const Pda pda = to_pda(grammar, PdaAcceptance::final_state);
  EXPECT_THROW(format_machine(pda, "p.dot"), InvalidArgument);
  EXPECT_EQ(format_machine(pda, "p.jff"), write_jff(pda));
}

}  // namespace
}  // namespace statelab::automata
