#include "automata/enumerate.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <limits>

#include "automata/counting.h"
#include "automata/random_dfa.h"
#include "tests/support/generators.h"

namespace statelab::automata {
namespace {

constexpr std::size_t kUnlimited = std::numeric_limits<std::size_t>::max();

bool shortlex_less(const Word& a, const Word& b) {
  if (a.size() != b.size()) return a.size() < b.size();
  return a < b;
}

// The accepted words of length <= max_length in shortlex order, by brute force.
std::vector<Word> brute_force(const Dfa& dfa, std::size_t max_length) {
  std::vector<Word> words;
  for (const Word& w : testing::all_words(dfa.num_symbols(), max_length)) {
    if (accepts(dfa, w)) words.push_back(w);
  }
  std::sort(words.begin(), words.end(), shortlex_less);  // all_words is shortlex already; be explicit
  return words;
}

std::size_t brute_force_length(const Dfa& dfa) { return dfa.num_symbols() == 3 ? 6 : 8; }

RC_GTEST_PROP(EnumerateShortlex, IsCompleteAndInShortlexOrder, (const Dfa& dfa)) {
  const std::size_t max_length = brute_force_length(dfa);
  const std::vector<Word> words = enumerate_shortlex(dfa, max_length, kUnlimited);
  RC_ASSERT(std::is_sorted(words.begin(), words.end(), shortlex_less));
  RC_ASSERT(words == brute_force(dfa, max_length));
}

RC_GTEST_PROP(EnumerateShortlex, StopsAtTheLimitWithThePrefix, (const Dfa& dfa)) {
  const std::size_t max_length = brute_force_length(dfa);
  const std::vector<Word> all = brute_force(dfa, max_length);
  const auto limit = *rc::gen::inRange<std::size_t>(0, all.size() + 2);
  const std::vector<Word> words = enumerate_shortlex(dfa, max_length, limit);
  RC_ASSERT(words.size() == std::min(limit, all.size()));
  RC_ASSERT(std::equal(words.begin(), words.end(), all.begin()));
}

RC_GTEST_PROP(EnumerateShortlex, CountsAsCountByLengthDoes, (const Dfa& dfa)) {
  // Longer than brute force allows: a differential check against the counts.
  const std::vector<Word> words = enumerate_shortlex(dfa, 14, 200'000);
  RC_PRE(words.size() < 200'000u);
  std::vector<boost::multiprecision::cpp_int> counts(15);
  for (const Word& w : words) {
    RC_ASSERT(accepts(dfa, w));
    ++counts[w.size()];
  }
  RC_ASSERT(counts == count_by_length(dfa, 14));
}

TEST(EnumerateShortlex, EndsAFiniteLanguageWithoutWalkingEveryLength) {
  // {ab, ba} over {a, b}; max_length unbounded: it must stop once no longer word can exist.
  Dfa dfa(testing::letters(2), 5);  // 0 -a-> 1 -b-> 3 (accept); 0 -b-> 2 -a-> 3; 4 dead
  for (State q = 0; q < 5; ++q) {
    dfa.set_next(q, 0, 4);
    dfa.set_next(q, 1, 4);
  }
  dfa.set_next(0, 0, 1);
  dfa.set_next(0, 1, 2);
  dfa.set_next(1, 1, 3);
  dfa.set_next(2, 0, 3);
  dfa.set_accepting(3);
  EXPECT_EQ(enumerate_shortlex(dfa, kUnlimited, kUnlimited), (std::vector<Word>{{0, 1}, {1, 0}}));
}

TEST(EnumerateShortlex, EndsAtOnceOnTheEmptyLanguage) {
  Dfa dfa(testing::letters(2), 2);
  dfa.set_accepting(1);  // unreachable: every transition goes to state 0
  EXPECT_TRUE(enumerate_shortlex(dfa, kUnlimited, kUnlimited).empty());
}

TEST(EnumerateShortlex, NeverWandersIntoDeadParts) {
  // Over 26 letters only z^n (n >= 1) is accepted.  A walk that entered dead successors would
  // visit 26^n prefixes for words of length n and never finish; the pruned walk reads each
  // z^n in O(n k).
  Dfa dfa(testing::letters(26), 2);  // every transition to state 0, which is dead
  dfa.set_initial(1);
  dfa.set_next(1, 25, 1);
  dfa.set_accepting(1);
  const std::vector<Word> words = enumerate_shortlex(dfa, 60, 10);
  ASSERT_EQ(words.size(), 10u);
  for (std::size_t i = 0; i < words.size(); ++i) EXPECT_EQ(words[i], Word(i, 25));
  EXPECT_EQ(enumerate_shortlex(dfa, 200, kUnlimited).back(), Word(200, 25));
}

TEST(EnumerateShortlex, RespectsMaxLengthAndAZeroLimit) {
  const Dfa dfa = random_dfa(10, 2, 3);
  for (const Word& w : enumerate_shortlex(dfa, 5, kUnlimited)) EXPECT_LE(w.size(), 5u);
  EXPECT_TRUE(enumerate_shortlex(dfa, 5, 0).empty());
}

RC_GTEST_PROP(ShortestAccepted, IsTheShortlexLeastAcceptedWord, (const Dfa& dfa)) {
  // A shortest accepted word, if any, is shorter than the number of states (it visits no
  // state twice), so brute force up to n - 1 decides.
  std::optional<Word> expected;
  for (const Word& w : testing::all_words(dfa.num_symbols(), dfa.num_states() - 1)) {
    if (accepts(dfa, w)) {
      expected = w;  // all_words is in shortlex order: the first accepted is the least
      break;
    }
  }
  RC_ASSERT(shortest_accepted(dfa) == expected);
}

TEST(ShortestAccepted, FindsTheEmptyWordAndNothing) {
  Dfa dfa(testing::letters(2), 1);
  EXPECT_EQ(shortest_accepted(dfa), std::nullopt);
  dfa.set_accepting(0);
  EXPECT_EQ(shortest_accepted(dfa), Word{});
}

TEST(ShortestAccepted, PrefersTheLeastAmongTheShortest) {
  // Accepts exactly {ba, bb, aab}: shortest are ba and bb; ba is the least.
  Dfa dfa(testing::letters(2), 6);
  const State dead = 5;
  for (State q = 0; q < 6; ++q) {
    dfa.set_next(q, 0, dead);
    dfa.set_next(q, 1, dead);
  }
  dfa.set_next(0, 0, 1);  // a
  dfa.set_next(1, 0, 2);  // aa
  dfa.set_next(2, 1, 4);  // aab
  dfa.set_next(0, 1, 3);  // b
  dfa.set_next(3, 0, 4);  // ba
  dfa.set_next(3, 1, 4);  // bb
  dfa.set_accepting(4);
  EXPECT_EQ(shortest_accepted(dfa), (Word{1, 0}));
}

}  // namespace
}  // namespace statelab::automata
