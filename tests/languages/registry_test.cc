// Names, parameters and their errors; the Tomita entries against the AALpy DOT files; group
// word problems against products computed here.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include "automata/automaton_io.h"
#include "automata/decide.h"
#include "automata/minimize.h"
#include "base/error.h"
#include "languages/registry.h"

namespace statelab::languages {
namespace {

std::string error_of(const std::string& name) {
  try {
    make_language(name);
  } catch (const InvalidArgument& e) {
    return e.what();
  }
  return "";
}

TEST(Registry, EveryCatalogueExampleBuildsUnderItsCanonicalName) {
  for (const CatalogueEntry& e : language_catalogue()) {
    if (e.example.empty()) continue;  // file:PATH needs a file (RegexAndFile below)
    SCOPED_TRACE(e.example);
    const auto lang = make_language(e.example);
    EXPECT_EQ(lang->name().substr(0, e.name.size()), e.name);
    // The canonical name builds the same language again.
    EXPECT_EQ(make_language(lang->name())->name(), lang->name());
  }
}

TEST(Registry, UnknownNamesAndParametersListWhatExists) {
  const std::string unknown = error_of("tomato");
  EXPECT_NE(unknown.find("unknown language 'tomato'"), std::string::npos) << unknown;
  EXPECT_NE(unknown.find("parity"), std::string::npos) << unknown;
  EXPECT_NE(unknown.find("word-problem"), std::string::npos) << unknown;
  const std::string param = error_of("dyck:k=2,deep=3");
  EXPECT_NE(param.find("unknown parameter 'deep'"), std::string::npos) << param;
  EXPECT_NE(param.find("k, depth"), std::string::npos) << param;
  EXPECT_NE(error_of("parity:n=2").find("takes no parameters"), std::string::npos);
}

TEST(Registry, ImpossibleParametersSayWhatIsExpected) {
  EXPECT_NE(error_of("dyck:k=1,depth=0").find("depth=0 is impossible"), std::string::npos) << error_of("dyck:k=1,depth=0");
  EXPECT_NE(error_of("modular-count:m=0").find("m=0 is impossible"), std::string::npos);
  EXPECT_NE(error_of("tomita:n=8").find("expected 1..7"), std::string::npos);
  EXPECT_NE(error_of("tomita").find("missing parameter 'n'"), std::string::npos);
  EXPECT_NE(error_of("tomita:n=x").find("not a whole number"), std::string::npos);
  EXPECT_NE(error_of("tomita:n=-1").find("not a whole number"), std::string::npos);
  EXPECT_NE(error_of("word-problem:group=Q8").find("groups are"), std::string::npos);
  EXPECT_NE(error_of("word-problem:group=A4,gens=(1,2)").find("not an element of A4"), std::string::npos);
  EXPECT_NE(error_of("dyck:k=2,k=3").find("given twice"), std::string::npos);
  EXPECT_NE(error_of("dyck:k").find("not key=value"), std::string::npos);
  EXPECT_NE(error_of("dyck:").find("nothing after"), std::string::npos);
  EXPECT_NE(error_of("palindrome:k=27").find("expected 1..26"), std::string::npos);
  EXPECT_THROW(make_language("word-problem:group=S7"), LimitExceeded);  // 5040 elements as letters
}

TEST(Registry, WordsWithSymbolsOutsideTheAlphabetNameTheSymbolAndPosition) {
  const auto lang = make_language("parity");
  try {
    lang->contains(Word{0, 1, 2});
    FAIL();
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("at position 2"), std::string::npos) << e.what();
  }
  try {
    lang->parse_word("01x1");
    FAIL();
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("'x' at position 2"), std::string::npos) << e.what();
  }
}

TEST(Registry, ParseNameKeepsCommasInsideParentheses) {
  const ParsedName p = parse_name("word-problem:group=S5,gens=(1,2);(1,2,3,4,5)");
  EXPECT_EQ(p.base, "word-problem");
  ASSERT_EQ(p.parameters.size(), 2u);
  EXPECT_EQ(p.parameters[1].second, "(1,2);(1,2,3,4,5)");
}

TEST(Registry, ClassesFollowTheHierarchy) {
  EXPECT_EQ(make_language("dyck:k=2,depth=3")->language_class(), LanguageClass::regular);
  EXPECT_EQ(make_language("dyck:k=1")->language_class(), LanguageClass::counter);
  EXPECT_EQ(make_language("dyck:k=2")->language_class(), LanguageClass::context_free);
  EXPECT_EQ(make_language("copy")->language_class(), LanguageClass::context_sensitive);
  EXPECT_EQ(make_language("tomita:n=3")->ground_truth().engine, Engine::dfa);
  EXPECT_EQ(make_language("palindrome")->ground_truth().engine, Engine::cfg);
  EXPECT_EQ(make_language("copy")->ground_truth().engine, Engine::predicate);
  EXPECT_EQ(make_language("palindrome")->dfa(), nullptr);
}

// ---- Tomita against AALpy's DOT files ----------------------------------------------------------

TEST(Tomita, AgreesWithTheAalpyDfasExceptTomita2sKnownDefect) {
  const std::size_t expected_states[] = {2, 3, 5, 4, 4, 3, 5};  // testdata/README.md, usual definitions
  for (int n = 1; n <= 7; ++n) {
    SCOPED_TRACE(n);
    const auto lang = make_language("tomita:n=" + std::to_string(n));
    // Read with automata/automaton_io.h: code of the io branch, not of languages/.
    const automata::Dfa dot = automata::determinize(
        automata::read_automaton(std::string(STATELAB_TEST_DATA) + "/aalpy-dot/tomita_" + std::to_string(n) + ".dot"));
    ASSERT_EQ(dot.alphabet(), lang->alphabet());
    EXPECT_EQ(lang->dfa()->num_states(), expected_states[n - 1]);
    if (n == 2) {
      // The file accepts (10)+: the only difference is the empty word.
      EXPECT_EQ(automata::find_counterexample(*lang->dfa(), dot), Word{});
      EXPECT_TRUE(automata::is_subset(dot, *lang->dfa()));
    } else {
      EXPECT_TRUE(automata::equivalent(*lang->dfa(), dot));
    }
  }
}

TEST(Registry, RegexEntriesCompileThePatternOverItsSymbolsOrTheGivenAlphabet) {
  const auto tomita2 = make_language("tomita:n=2");
  const auto regex = make_language("regex:(10)*");
  EXPECT_EQ(regex->alphabet(), Alphabet::from_chars("01"));
  EXPECT_TRUE(automata::equivalent(*regex->dfa(), *tomita2->dfa()));
  EXPECT_EQ(regex->name(), "regex:(10)*");
  // Counts inside braces are not symbols; escapes and classes are.
  EXPECT_EQ(make_language("regex:(a|[bc]){2,3}\\*")->alphabet(), Alphabet::from_chars("*abc"));
  const auto wide = make_language("regex:alphabet=012:1.*");
  EXPECT_EQ(wide->alphabet(), Alphabet::from_chars("012"));
  EXPECT_EQ(wide->count_exactly(3), 9);
  EXPECT_NE(error_of("regex:alphabet=01").find("a ':' after the alphabet"), std::string::npos);
  EXPECT_NE(error_of("regex:").find("nothing after ':'"), std::string::npos);
  EXPECT_NE(error_of("regex").find("needs a value"), std::string::npos);
  EXPECT_NE(error_of("regex:()").find("names no symbol"), std::string::npos);
  EXPECT_THROW(make_language("regex:(10"), Error);  // the regex parser's error, passed through
}

TEST(Registry, FileEntriesReadAnyAutomatonFile) {
  const auto parity = make_language("parity");
  const auto path = std::filesystem::temp_directory_path() / "statelab-registry-test-parity.json";
  automata::write_automaton(*parity->dfa(), path);
  const auto from_file = make_language("file:" + path.string());
  std::filesystem::remove(path);
  EXPECT_TRUE(automata::equivalent(*from_file->dfa(), *parity->dfa()));
  EXPECT_EQ(from_file->language_class(), LanguageClass::regular);
  EXPECT_THROW(make_language("file:/no/such/file.json"), IoError);
}

// ---- group word problems -----------------------------------------------------------------------

// Cycle notation parsed here (not with languages::parse_cycles): images of 1-based points.
std::vector<int> parse_here(const std::string& name, int degree) {
  std::vector<int> image(degree + 1);
  for (int x = 0; x <= degree; ++x) image[x] = x;
  if (name == "e") return image;
  const std::regex cycle(R"re(\(([\d,]+)\))re");
  for (auto it = std::sregex_iterator(name.begin(), name.end(), cycle); it != std::sregex_iterator(); ++it) {
    std::vector<int> points;
    std::stringstream ss((*it)[1]);
    for (std::string p; std::getline(ss, p, ',');) points.push_back(std::stoi(p));
    for (std::size_t i = 0; i < points.size(); ++i) image[points[i]] = points[(i + 1) % points.size()];
  }
  return image;
}

// The product of a word, applying its first letter first, and whether it is the identity.
bool product_is_identity(const std::vector<std::vector<int>>& letters, const Word& w) {
  const int degree = static_cast<int>(letters[0].size()) - 1;
  for (int x = 1; x <= degree; ++x) {
    int y = x;
    for (Symbol a : w) y = letters[a][y];
    if (y != x) return false;
  }
  return true;
}

TEST(WordProblem, AcceptsExactlyTheWordsWhoseProductIsTheIdentity) {
  const std::pair<const char*, std::size_t> groups[] = {{"Z2", 10}, {"Z3", 8}, {"S3", 5}, {"A4", 3},
                                                        {"Z60", 2}, {"A5", 2}, {"A4xZ5", 2}, {"S5", 2},
                                                        {"D4", 3},  {"Z2xS3", 3}};
  for (auto [group, max_length] : groups) {
    SCOPED_TRACE(group);
    const auto lang = make_language(std::string("word-problem:group=") + group);
    const std::size_t k = lang->alphabet().size();
    EXPECT_EQ(lang->alphabet().name(0), "e");
    int degree = 0;  // the largest point named
    const std::regex number(R"(\d+)");
    for (const std::string& name : lang->alphabet().names())
      for (auto it = std::sregex_iterator(name.begin(), name.end(), number); it != std::sregex_iterator(); ++it)
        degree = std::max(degree, std::stoi(it->str()));
    std::vector<std::vector<int>> letters;
    for (const std::string& name : lang->alphabet().names()) letters.push_back(parse_here(name, degree));
    EXPECT_EQ(lang->dfa()->num_states(), k);  // one state per element
    // Every word up to max_length: every element pair at least.
    Word w;
    std::function<void()> visit = [&] {
      ASSERT_EQ(lang->contains(w), product_is_identity(letters, w)) << lang->alphabet().format_word(w);
      if (w.size() == max_length) return;
      for (Symbol a = 0; a < k; ++a) {
        w.push_back(a);
        visit();
        w.pop_back();
      }
    };
    visit();
  }
}

TEST(WordProblem, GeneratorsGiveTheAlphabetAndTheStatesTheSubgroup) {
  const auto s5 = make_language("word-problem:group=S5,gens=(1,2);(1,2,3,4,5)");
  EXPECT_EQ(s5->alphabet().names(), (std::vector<std::string>{"(1,2)", "(1,2,3,4,5)"}));
  EXPECT_EQ(s5->dfa()->num_states(), 120u);
  const auto standard = make_language("word-problem:group=A5,gens=standard");
  EXPECT_EQ(standard->dfa()->num_states(), 60u);
  // A generator of a proper subgroup: the states are that subgroup.
  const auto sub = make_language("word-problem:group=S4,gens=(1,2,3)");
  EXPECT_EQ(sub->dfa()->num_states(), 3u);
  EXPECT_TRUE(sub->contains(sub->parse_word("(1,2,3) (1,2,3) (1,2,3)")));
  EXPECT_FALSE(sub->contains(sub->parse_word("(1,2,3) (1,2,3)")));
}

}  // namespace
}  // namespace statelab::languages
