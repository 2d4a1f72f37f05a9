// prefix_facts (Earley's chart per prefix) against the Earley recogniser of automata/cfg.cc, which
// shares no code with it, and against brute-force extension of prefixes.
#include "automata/cfg_prefix.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "base/error.h"
#include "tests/automata/engine_fixtures.h"

namespace statelab::automata {
namespace {

using statelab::testing::all_words;

// Whether some word of length <= max_length that starts with `prefix` is in the language.
bool extends_within(const Cfg& cfg, const Word& prefix, std::size_t max_length) {
  const std::size_t k = cfg.terminals().size();
  for (std::size_t extra = 0; prefix.size() + extra <= max_length; ++extra)
    for (const Word& tail : all_words(k, extra)) {
      if (tail.size() != extra) continue;
      Word w = prefix;
      w.insert(w.end(), tail.begin(), tail.end());
      if (accepts(cfg, w)) return true;
    }
  return false;
}

Cfg dyck2() { return parse_cfg("S -> ( S ) S | [ S ] S | ε", "dyck2.cfg"); }

TEST(PrefixFacts, DyckPrefixesAreViableExactlyWhileTheyReduceToOpens) {
  const Cfg g = dyck2();
  const Word w = g.terminals().parse_word("([])]");
  const std::vector<PrefixFacts> f = prefix_facts(g, w);
  ASSERT_EQ(f.size(), 6u);
  const std::vector<bool> viable{true, true, true, true, true, false};
  const std::vector<bool> accepted{true, false, false, false, true, false};
  for (std::size_t i = 0; i < f.size(); ++i) {
    EXPECT_EQ(f[i].viable, viable[i]) << i;
    EXPECT_EQ(f[i].accepted, accepted[i]) << i;
  }
  // After "([": both openings, or the closing ']' of the top.
  EXPECT_EQ(f[2].next, (std::vector<bool>{true, false, true, true}));
  EXPECT_EQ(f[5].next, (std::vector<bool>{false, false, false, false}));
}

TEST(PrefixFacts, NullableAndLeftRecursiveRulesAreHandled) {
  // L = a* b with a nullable detour: S -> S a | A b, A -> ε | A.
  const Cfg g = parse_cfg("S -> A b | S a\nA -> %empty | A", "g.cfg");
  const std::vector<PrefixFacts> f = prefix_facts(g, g.terminals().parse_word("ba"));
  EXPECT_TRUE(f[0].viable);
  EXPECT_FALSE(f[0].accepted);
  EXPECT_EQ(f[0].next, (std::vector<bool>{true, false}));  // terminals in order of appearance: b, a
  EXPECT_TRUE(f[1].accepted);
  EXPECT_TRUE(f[2].accepted);
}

TEST(PrefixFacts, AGrammarThatDerivesNothingHasNoViablePrefix) {
  const Cfg g = parse_cfg("S -> a S", "g.cfg");
  for (const PrefixFacts& f : prefix_facts(g, Word{0, 0})) EXPECT_FALSE(f.viable);
}

TEST(PrefixFacts, SymbolOutsideTheAlphabetIsRejected) {
  EXPECT_THROW(prefix_facts(dyck2(), Word{0, 7}), InvalidArgument);
}

RC_GTEST_PROP(PrefixFactsProperty, AgreesWithEarleyAndWithBruteForceExtension, ()) {
  const Cfg cfg = *statelab::testing::gen_cfg(2);
  const Word w = *rc::gen::container<Word>(*rc::gen::inRange<std::size_t>(0, 6), rc::gen::inRange<Symbol>(0, 2));
  const std::vector<PrefixFacts> f = prefix_facts(cfg, w);
  RC_ASSERT(f.size() == w.size() + 1);
  for (std::size_t i = 0; i <= w.size(); ++i) {
    const Word p(w.begin(), w.begin() + static_cast<std::ptrdiff_t>(i));
    RC_ASSERT(f[i].accepted == accepts(cfg, p));
    // Sound: a prefix with a short accepted extension is viable; an accepted one is viable.
    if (extends_within(cfg, p, i + 3)) RC_ASSERT(f[i].viable);
    if (!f[i].viable) RC_ASSERT(!extends_within(cfg, p, i + 4));
    for (Symbol a = 0; a < 2; ++a)
      if (f[i].next[a]) RC_ASSERT(f[i].viable);
    if (i < w.size()) RC_ASSERT(f[i + 1].viable == (f[i].viable && f[i].next[w[i]]));
  }
}

}  // namespace
}  // namespace statelab::automata
