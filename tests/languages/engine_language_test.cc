// The catalogue's counter and context-free entries run on the engines of automata/: which engine
// each has, that an entry's machines agree with each other and with the closed forms, that the
// per-position state is what the engine's own run reports, and that `file:` reads every kind of
// machine back (export then read gives the same language).  The brute-force predicates of
// catalogue_test.cc check the same entries independently.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "automata/cfg_count.h"
#include "automata/engine_json.h"
#include "automata/pda_jff.h"
#include "base/error.h"
#include "base/file.h"
#include "languages/engine_language.h"
#include "languages/registry.h"

namespace statelab::languages {
namespace {

struct Expected {
  std::string name;
  Engine engine;
  bool pda, grammar, counter;
};

const std::vector<Expected> kEngines = {
    {"majority", Engine::counter, false, false, true},
    {"anbn", Engine::counter, false, true, true},
    {"anbncn", Engine::counter, false, false, true},
    {"dyck:k=1", Engine::counter, false, true, true},
    {"shuffle-dyck:k=2", Engine::counter, false, false, true},
    {"shuffle-dyck:k=3", Engine::counter, false, false, true},
    {"dyck:k=2", Engine::pda, true, true, false},
    {"dyck:k=4", Engine::pda, true, true, false},
    {"palindrome:k=2", Engine::cfg, false, true, false},
    {"marked-palindrome:k=3", Engine::pda, true, true, false},
    {"marked-reversal", Engine::pda, true, true, false},
    {"copy:k=2", Engine::predicate, false, false, false},
    {"marked-copy:k=2", Engine::predicate, false, false, false},
    {"string-equality", Engine::predicate, false, false, false},
};

// Every word over k symbols of length exactly n, in lexicographic order, passed to f.
template <class F>
void for_each_word(std::size_t k, std::size_t n, F f) {
  Word w(n, 0);
  for (;;) {
    f(w);
    std::size_t i = n;
    while (i > 0 && w[i - 1] + 1 == k) w[--i] = 0;
    if (i == 0) return;
    ++w[i - 1];
  }
}

// The longest length whose words (over k symbols) number at most about 2^17.
std::size_t exhaustive_length(std::size_t k) {
  std::size_t n = 0;
  for (std::size_t words = k; words <= (1u << 17) && n < 12; words *= k) ++n;
  return n;
}

TEST(EngineEntries, EachEntryHasTheEngineItsClassAllows) {
  for (const Expected& e : kEngines) {
    const auto l = make_language(e.name);
    EXPECT_EQ(l->ground_truth().engine, e.engine) << e.name;
    EXPECT_EQ(l->pda() != nullptr, e.pda) << e.name;
    EXPECT_EQ(l->grammar() != nullptr, e.grammar) << e.name;
    EXPECT_EQ(l->counter_machine() != nullptr, e.counter) << e.name;
    EXPECT_EQ(l->dfa(), nullptr) << e.name;
    if (l->pda()) {
      EXPECT_TRUE(automata::is_deterministic(*l->pda())) << e.name;
    }
    if (l->counter_machine()) {
      EXPECT_TRUE(automata::is_deterministic(*l->counter_machine())) << e.name;
      EXPECT_TRUE(automata::is_real_time(*l->counter_machine())) << e.name;
    }
    if (e.engine == Engine::predicate) {
      EXPECT_NE(l->ground_truth().definition.find("predicate"), std::string::npos) << e.name;
    }
  }
}

TEST(EngineEntries, AnEntrysMachinesAgreeOnEveryShortWord) {
  for (const Expected& e : kEngines) {
    const auto l = make_language(e.name);
    const std::size_t k = l->alphabet().size();
    for (std::size_t n = 0; n <= exhaustive_length(k); ++n)
      for_each_word(k, n, [&](const Word& w) {
        const bool in = l->contains(w);
        if (l->pda()) {
          ASSERT_EQ(automata::accepts_deterministic(*l->pda(), w), in) << e.name;
          ASSERT_EQ(automata::accepts_by_summaries(*l->pda(), w), in) << e.name;
        }
        if (l->grammar()) {
          ASSERT_EQ(automata::accepts(*l->grammar(), w), in) << e.name;
        }
        if (l->counter_machine()) {
          ASSERT_EQ(automata::accepts(*l->counter_machine(), w), in) << e.name;
        }
      });
  }
}

TEST(EngineEntries, GrammarCountsAreTheClosedForms) {
  for (std::size_t k : {1, 2, 3}) {
    const auto dyck = make_language("dyck:k=" + std::to_string(k));
    for (std::size_t n = 0; n <= 40; ++n)
      EXPECT_EQ(dyck->count_exactly(n), n % 2 ? Count(0) : catalan(n / 2) * power(k, n / 2)) << k << " " << n;
  }
  const auto pal = make_language("palindrome:k=3");
  const auto marked = make_language("marked-palindrome:k=3");
  const auto anbn = make_language("anbn");
  for (std::size_t n = 0; n <= 40; ++n) {
    EXPECT_EQ(pal->count_exactly(n), power(3, (n + 1) / 2));
    EXPECT_EQ(marked->count_exactly(n), n % 2 ? power(3, n / 2) : Count(0));
    EXPECT_EQ(anbn->count_exactly(n), Count(n % 2 ? 0 : 1));
  }
}

// The state after each prefix is the engine's own: the deterministic PDA's stack depth (bottom
// excluded) or the counter machine's counters, on long words beyond the exhaustive lengths.
TEST(EngineEntries, TargetsAreTheEnginesRunsOnLongWords) {
  Rng rng(11);
  for (const Expected& e : kEngines) {
    if (e.engine == Engine::predicate || e.name == "majority") continue;
    const auto l = make_language(e.name);
    for (std::size_t n : {30, 31, 60}) {
      std::vector<Word> words;
      if (auto w = l->sample(n, rng)) {
        words.push_back(*w);
        Word edited = *w;
        edited[n / 2] = static_cast<Symbol>((edited[n / 2] + 1) % l->alphabet().size());
        words.push_back(edited);
      }
      words.push_back(uniform_word(l->alphabet().size(), n, rng));
      for (const Word& w : words) {
        const std::vector<PrefixTarget> t = l->targets(w);
        if (l->ground_truth().engine == Engine::counter) {
          const automata::CounterTrace trace = automata::trace_deterministic(*l->counter_machine(), w);
          for (std::size_t i = 0; i <= n; ++i) {
            if (i > trace.read) {
              EXPECT_EQ(t[i].state, std::vector<std::int64_t>(l->state_names().size(), kDead));
              continue;
            }
            std::vector<std::int64_t> counters(trace.steps[i].counters.begin(), trace.steps[i].counters.end());
            EXPECT_EQ(t[i].state, counters) << e.name;
            EXPECT_EQ(t[i].end, automata::accepts(*l->counter_machine(), std::span(w).first(i))) << e.name;
          }
        } else if (l->pda()) {
          const std::vector<std::size_t> depth = automata::stack_depths(*l->pda(), w);
          for (std::size_t i = 0; i <= n; ++i) {
            if (t[i].state[0] == kDead) continue;
            ASSERT_LT(i, depth.size());
            EXPECT_EQ(t[i].state[0] + 1, static_cast<std::int64_t>(depth[i])) << e.name;
            EXPECT_EQ(t[i].end, automata::accepts(*l->pda(), std::span(w).first(i))) << e.name;
          }
        }
      }
    }
  }
}

// ---- file: -------------------------------------------------------------------------------------

class TempDir {
 public:
  TempDir() : path_(std::filesystem::temp_directory_path() / ("statelab-engine-test-" + std::to_string(::getpid()))) {
    std::filesystem::create_directories(path_);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::filesystem::path file(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

// The number of words of length n in `l`: its count when it counts, else by enumeration.
Count count_or_enumerate(const Language& l, std::size_t n) {
  if (auto c = l.count(n)) return *c;
  Count total = 0;
  for_each_word(l.alphabet().size(), n, [&](const Word& w) { total += l.contains(w) ? 1 : 0; });
  return total;
}

// b's id of each of a's symbols, by name (a .jff file sorts its alphabet).
std::vector<Symbol> symbol_map(const Language& a, const Language& b) {
  std::vector<Symbol> map;
  for (const std::string& name : a.alphabet().names()) {
    const auto id = b.alphabet().find(name);
    if (!id) return {};
    map.push_back(*id);
  }
  return map;
}

Word translate(const Word& w, const std::vector<Symbol>& map) {
  Word out;
  for (Symbol a : w) out.push_back(map[a]);
  return out;
}

void expect_same_language(const Language& a, const Language& b, const std::string& what) {
  const std::vector<Symbol> map = symbol_map(a, b);
  ASSERT_EQ(map.size(), a.alphabet().size()) << what;
  ASSERT_EQ(b.alphabet().size(), a.alphabet().size()) << what;
  for (std::size_t n = 0; n <= 10; ++n) EXPECT_EQ(count_or_enumerate(a, n), count_or_enumerate(b, n)) << what << " " << n;
  for (std::size_t n = 0; n <= std::min<std::size_t>(exhaustive_length(a.alphabet().size()), 8); ++n)
    for_each_word(a.alphabet().size(), n,
                  [&](const Word& w) { ASSERT_EQ(a.contains(w), b.contains(translate(w, map))) << what; });
}

TEST(FileLanguages, EveryExportedMachineReadsBackAsTheSameLanguage) {
  TempDir dir;
  for (const Expected& e : kEngines) {
    if (e.engine == Engine::predicate || e.name == "dyck:k=4" || e.name == "shuffle-dyck:k=3") continue;
    const auto l = make_language(e.name);
    std::vector<std::pair<std::string, std::string>> files;  // (file name, text)
    if (l->pda()) {
      files.emplace_back("m.pda.json", automata::write_json(*l->pda()));
      files.emplace_back("m.jff", automata::write_jff(*l->pda()));
    }
    if (l->grammar()) {
      files.emplace_back("m.cfg", automata::format_cfg(*l->grammar()));
      files.emplace_back("m.grammar.json", automata::write_json(*l->grammar()));
    }
    if (l->counter_machine()) files.emplace_back("m.counter.json", automata::write_json(*l->counter_machine()));
    for (const auto& [file, text] : files) {
      const auto path = dir.file(file);
      write_file(path, text);
      const auto back = make_language("file:" + path.string());
      const std::string what = e.name + " as " + file;
      expect_same_language(*l, *back, what);
      EXPECT_EQ(back->language_class(), e.engine == Engine::counter && file == "m.counter.json"
                                            ? LanguageClass::counter
                                            : LanguageClass::context_free)
          << what;
      // Deterministic machines keep their per-position state.
      if (file == "m.pda.json" || file == "m.jff") {
        EXPECT_EQ(back->ground_truth().engine, Engine::pda) << what;
        EXPECT_EQ(back->state_names(), std::vector<std::string>{"stack_depth"}) << what;
        EXPECT_TRUE(back->count(10).has_value()) << what << ": a deterministic PDA counts";
      }
      if (file == "m.counter.json") {
        EXPECT_EQ(back->state_names().size(), l->counter_machine()->num_counters());
      }
      Rng rng(3);
      if (back->count(12)) {
        auto w = back->sample(12, rng);
        if (w) {
          EXPECT_TRUE(back->contains(*w)) << what;
          EXPECT_TRUE(l->contains(translate(*w, symbol_map(*back, *l)))) << what;
        }
      }
      // Targets from the file's machine agree with the catalogue's on next and end.
      for (std::size_t n : {6, 9})
        if (auto w = l->sample(n, rng)) {
          const std::vector<Symbol> map = symbol_map(*l, *back);
          const auto ta = l->targets(*w), tb = back->targets(translate(*w, map));
          for (std::size_t i = 0; i <= n; ++i) {
            for (Symbol a = 0; a < map.size(); ++a) EXPECT_EQ(ta[i].next[a], tb[i].next[map[a]]) << what << " after " << i;
            EXPECT_EQ(ta[i].end, tb[i].end) << what << " after " << i;
          }
        }
    }
  }
}

TEST(FileLanguages, AnAmbiguousGrammarIsNotCountedButStillDecides) {
  TempDir dir;
  const auto path = dir.file("ambiguous.cfg");
  write_file(path, "S -> S S | a | %empty\n");
  const auto l = make_language("file:" + path.string());
  EXPECT_EQ(l->ground_truth().engine, Engine::cfg);
  EXPECT_FALSE(l->count(3).has_value());
  Rng rng(1);
  EXPECT_THROW(l->sample(3, rng), InvalidArgument);
  EXPECT_TRUE(l->contains(Word{0, 0, 0}));
  const auto t = l->targets(Word{0, 0});
  EXPECT_TRUE(t[2].end);
}

TEST(FileLanguages, BadFilesGiveOneClearError) {
  TempDir dir;
  auto message = [&](const std::string& file, const std::string& text) -> std::string {
    const auto path = dir.file(file);
    write_file(path, text);
    try {
      make_language("file:" + path.string());
    } catch (const Error& e) {
      return e.what();
    }
    return "no error";
  };
  EXPECT_NE(message("x.json", R"({"format": "statelab-turing-machine"})").find("unknown \"format\""), std::string::npos);
  EXPECT_NE(message("x.json", R"({"format": "statelab-pda", "version": 1})").find("x.json"), std::string::npos);
  EXPECT_NE(message("x.json", "{not json").find("x.json"), std::string::npos);
  EXPECT_NE(message("x.cfg", "S -> -> a").find("x.cfg:1"), std::string::npos);
  EXPECT_NE(message("x.jff", "<structure><type>pda</type><automaton></automaton></structure>").find("x.jff"),
            std::string::npos);
  EXPECT_NE(message("x.txt", "whatever").find("unknown extension"), std::string::npos);
  EXPECT_THROW(make_language("file:/no/such/file.cfg"), IoError);
}

// What a checkpoint keeps: the file's text builds the language without the file.
TEST(FileLanguages, BuildFromTheTextAloneWithoutOpeningThePath) {
  const auto language = make_file_language("file:gone/anbn.cfg", "gone/anbn.cfg", "S -> a S b | %empty\n");
  EXPECT_EQ(language->name(), "file:gone/anbn.cfg");
  EXPECT_TRUE(language->contains(language->parse_word("aabb")));
  EXPECT_FALSE(language->contains(language->parse_word("abab")));
  EXPECT_THROW(make_file_language("file:gone/x.cfg", "gone/x.cfg", "S -> -> a"), ParseError);
}

TEST(FileLanguages, ANondeterministicCounterMachineDecidesButHasNoTargets) {
  TempDir dir;
  const auto path = dir.file("nd.json");
  // Guess on each 'a' whether to count it: accepts every word (some run counts nothing).
  write_file(path, R"({"format": "statelab-counter-machine", "version": 1, "alphabet": ["a"],
    "counters": 1, "acceptance": "final-state", "states": 1, "initial": 0, "accepting": [0],
    "moves": [[0, "a", "*", "+", 0], [0, "a", "*", "=", 0]]})");
  const auto l = make_language("file:" + path.string());
  EXPECT_EQ(l->language_class(), LanguageClass::counter);
  EXPECT_TRUE(l->state_names().empty());
  EXPECT_TRUE(l->contains(Word{0, 0}));
  EXPECT_FALSE(l->count(2).has_value());
  EXPECT_THROW(l->targets(Word{0}), InvalidArgument);
}

TEST(GrammarCountsWords, TellsUnambiguousGrammarsFromAmbiguousOnes) {
  const automata::Cfg dyck = automata::parse_cfg("S -> ( S ) S | %empty");
  EXPECT_TRUE(grammar_counts_words(dyck, [&](std::span<const Symbol> w) { return automata::accepts(dyck, w); }));
  const automata::Cfg twice = automata::parse_cfg("S -> a S | S a | %empty");
  EXPECT_FALSE(grammar_counts_words(twice, [&](std::span<const Symbol> w) { return automata::accepts(twice, w); }));
}

}  // namespace
}  // namespace statelab::languages
