// Real files written by other projects (tests/data/README.md): the 1470 MLRegTest acceptors must
// load, minimise to their published sizes and survive every format; the AALpy Tomita automata
// must load with their known sizes and languages; Moore and Mealy machines must be refused.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "automata/att_io.h"
#include "automata/automaton_io.h"
#include "automata/decide.h"
#include "automata/dot_io.h"
#include "automata/jff_io.h"
#include "automata/json_io.h"
#include "automata/minimize.h"
#include "base/error.h"
#include "tests/support/generators.h"

namespace statelab::automata {
namespace {

namespace fs = std::filesystem;

const fs::path kData = STATELAB_TEST_DATA;

std::vector<fs::path> att_files() {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(kData / "mlregtest" / "att"))
    if (entry.path().extension() == ".att") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

// S from counts/NAME ("S,M,J"): the minimal DFA's states without its dead state.
std::size_t published_size(const fs::path& att) {
  std::ifstream in(kData / "mlregtest" / "counts" / att.stem());
  std::size_t size = 0;
  if (!(in >> size)) throw std::runtime_error("no count for " + att.string());
  return size;
}

// A dead state: rejecting, and every symbol leads back to it.
bool has_dead_state(const Dfa& dfa) {
  for (State q = 0; q < dfa.num_states(); ++q) {
    if (dfa.is_accepting(q)) continue;
    const auto row = dfa.row(q);
    if (std::all_of(row.begin(), row.end(), [q](State r) { return r == q; })) return true;
  }
  return false;
}

TEST(MlRegTest, EveryAcceptorMinimisesToItsPublishedSize) {
  const std::vector<fs::path> files = att_files();
  ASSERT_EQ(files.size(), 1470u);
  std::size_t with_dead = 0;
  for (const fs::path& file : files) {
    const Dfa minimal = minimize(determinize(read_att_file(file)));
    const std::size_t published = published_size(file);
    const bool dead = has_dead_state(minimal);
    with_dead += dead;
    EXPECT_EQ(minimal.num_states(), published + (dead ? 1 : 0)) << file.filename();
  }
  // Most languages in MLRegTest forbid something, and so have a dead state; not all do.
  EXPECT_GT(with_dead, 0u);
  EXPECT_LT(with_dead, files.size());
}

TEST(MlRegTest, EveryAcceptorSurvivesEachFormat) {
  const std::vector<std::pair<const char*, std::function<Nfa(const Dfa&)>>> formats = {
      {"json", [](const Dfa& d) { return read_json(write_json(d), "rt.json"); }},
      {"dot", [](const Dfa& d) { return read_dot(write_dot(d), "rt.dot"); }},
      {"jff", [](const Dfa& d) { return read_jff(write_jff(d), "rt.jff"); }},
      {"att", [](const Dfa& d) { return read_att(write_att(d), "rt.att"); }},
      {"att+symbols",
       [](const Dfa& d) { return read_att(write_att(d), "rt.att", read_att_symbols(write_att_symbols(d.alphabet()))); }},
  };
  for (const fs::path& file : att_files()) {
    // The file as read (partial, in its own numbering), then its minimal DFA.
    const Dfa dfa = determinize(read_att_file(file));
    const Dfa minimal = minimize(dfa);
    for (const auto& [name, round_trip] : formats) {
      const Dfa back = determinize(round_trip(dfa));
      EXPECT_EQ(back, dfa) << file.filename() << " through " << name;  // these formats keep the numbering
      EXPECT_EQ(minimize(back), minimal) << file.filename() << " through " << name;
    }
    EXPECT_TRUE(equivalent(determinize(read_jff(write_jff(to_nfa(minimal)), "rt.jff")), dfa)) << file.filename();
  }
}

struct Tomita {
  const char* file;
  std::size_t minimal_states;
  std::function<bool(const std::string&)> language;  // over the characters '0' and '1'
};

std::size_t count(const std::string& w, char c) { return static_cast<std::size_t>(std::count(w.begin(), w.end(), c)); }

// The usual definitions (Tomita 1982), except tomita_2.dot: see tests/data/README.md.
std::vector<Tomita> tomita() {
  return {
      {"tomita_1.dot", 2, [](const std::string& w) { return count(w, '0') == 0; }},  // 1*
      {"tomita_2.dot", 4,  // (10)+, where Tomita 2 is (10)*: the upstream file rejects the empty word
       [](const std::string& w) {
         if (w.empty() || w.size() % 2) return false;
         for (std::size_t i = 0; i < w.size(); i += 2)
           if (w.compare(i, 2, "10") != 0) return false;
         return true;
       }},
      {"tomita_3.dot", 5, nullptr},
      {"tomita_4.dot", 4, [](const std::string& w) { return w.find("000") == std::string::npos; }},
      {"tomita_5.dot", 4, [](const std::string& w) { return count(w, '0') % 2 == 0 && count(w, '1') % 2 == 0; }},
      {"tomita_6.dot", 3,
       [](const std::string& w) { return (count(w, '0') + 2 * count(w, '1')) % 3 == 0; }},  // #0 - #1 = 0 mod 3
      {"tomita_7.dot", 5,  // 0*1*0*1*
       [](const std::string& w) {
         std::size_t changes = 0;
         for (std::size_t i = 1; i < w.size(); ++i) changes += w[i] != w[i - 1];
         return changes + (!w.empty() && w[0] == '1' ? 1 : 0) <= 3;
       }},
  };
}

TEST(AalpyDot, TomitaAutomataLoadWithTheirKnownSizesAndLanguages) {
  const Alphabet binary = Alphabet::from_chars("01");
  for (const Tomita& t : tomita()) {
    const Dfa dfa = determinize(read_dot_file(kData / "aalpy-dot" / t.file, binary));
    EXPECT_EQ(minimize(dfa).num_states(), t.minimal_states) << t.file;
    EXPECT_EQ(determinize(read_automaton(kData / "aalpy-dot" / t.file)).num_states(), dfa.num_states()) << t.file;
    if (!t.language) continue;
    for (const Word& w : testing::all_words(2, 10))
      EXPECT_EQ(accepts(dfa, w), t.language(binary.format_word(w))) << t.file << " on '" << binary.format_word(w) << "'";
  }
}

TEST(AalpyDot, TheThreeLetterDfaLoads) {
  const Nfa nfa = read_automaton(kData / "aalpy-dot" / "simple_abc_dfa.dot");
  EXPECT_EQ(nfa.alphabet(), Alphabet::from_chars("abc"));
  EXPECT_TRUE(nfa.is_complete_deterministic());
  const Dfa dfa = determinize(nfa);
  EXPECT_EQ(minimize(dfa).num_states(), 2u);
  EXPECT_TRUE(accepts(dfa, dfa.alphabet().parse_word("bca")));
  EXPECT_FALSE(accepts(dfa, dfa.alphabet().parse_word("ab")));
}

std::string refusal(const fs::path& file) {
  try {
    read_automaton(file);
  } catch (const ParseError& e) {
    return e.what();
  }
  return "(read without error)";
}

TEST(AalpyDot, MooreAndMealyMachinesAreRefusedAsWhatTheyAre) {
  const std::string moore = refusal(kData / "aalpy-dot" / "Angluin_Moore.dot");
  EXPECT_NE(moore.find("Angluin_Moore.dot:2: node 's0' has a record label 's0|1'"), std::string::npos) << moore;
  EXPECT_NE(moore.find("this is a Moore machine (state outputs), not a DFA"), std::string::npos) << moore;
  const std::string mealy = refusal(kData / "aalpy-dot" / "Angluin_Mealy.dot");
  EXPECT_NE(mealy.find("Angluin_Mealy.dot:6: edge 's0' -> 's2' is labelled 'a/0'"), std::string::npos) << mealy;
  EXPECT_NE(mealy.find("this is a Mealy machine (transition outputs), not a DFA"), std::string::npos) << mealy;
}

}  // namespace
}  // namespace statelab::automata
