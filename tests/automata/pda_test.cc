#include "automata/pda.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <cstdint>
#include <functional>

#include "automata/cfg.h"
#include "base/error.h"
#include "tests/automata/engine_fixtures.h"

namespace statelab::automata {
namespace {

using statelab::testing::all_words;
using statelab::testing::brute_accepts;

// Every word up to `max_length` over the PDA's alphabet: the deterministic simulation (when the
// PDA is deterministic) and the summaries (up to `max_summaries_length`, default the same)
// agree with `expected`.
void expect_language(const Pda& pda, const std::function<bool(const std::string&)>& expected,
                     std::size_t max_length, std::size_t max_summaries_length = SIZE_MAX) {
  const bool deterministic = is_deterministic(pda);
  for (const Word& w : all_words(pda.input_alphabet().size(), max_length)) {
    const std::string s = pda.input_alphabet().format_word(w);
    const bool truth = expected(s);
    if (w.size() <= max_summaries_length) {
      ASSERT_EQ(accepts_by_summaries(pda, w), truth) << "summaries on '" << s << "'";
      ASSERT_EQ(accepts(pda, w), truth) << "'" << s << "'";
    }
    if (deterministic) {
      ASSERT_EQ(accepts_deterministic(pda, w), truth) << "simulation on '" << s << "'";
    }
  }
}

TEST(Pda, AnbnByDeterministicPdaMatchesBruteForce) {
  const Pda pda = testing::anbn_dpda();
  EXPECT_TRUE(is_deterministic(pda));
  expect_language(pda, testing::is_anbn, 12, 10);
}

TEST(Pda, DyckOneAndTwoMatchBruteForce) {
  const Pda dyck1 = testing::dyck_dpda("()");
  EXPECT_TRUE(is_deterministic(dyck1));
  expect_language(dyck1, [](const std::string& w) { return testing::is_dyck(w, "()"); }, 12, 10);
  const Pda dyck2 = testing::dyck_dpda("()[]");
  EXPECT_TRUE(is_deterministic(dyck2));
  // Four letters: every word up to length 8 here (7 for the summaries), length 10 in
  // DyckTwoAtLengthTen.
  expect_language(dyck2, [](const std::string& w) { return testing::is_dyck(w, "()[]"); }, 8, 7);
}

// Every Dyck-2 word of length 10 (built here by recursion, independently of the engines) and
// every word one substitution away from one: 4^10 words in all would slow the suite for little.
TEST(Pda, DyckTwoAtLengthTen) {
  const Pda pda = testing::dyck_dpda("()[]");
  std::vector<std::string> dyck;
  std::function<void(std::string, int, std::string)> grow = [&](std::string w, int left, std::string open) {
    if (left == 0) {
      if (open.empty()) dyck.push_back(w);
      return;
    }
    if (static_cast<int>(open.size()) < left) {
      grow(w + "(", left - 1, open + "(");
      grow(w + "[", left - 1, open + "[");
    }
    if (!open.empty()) {
      const char close = open.back() == '(' ? ')' : ']';
      open.pop_back();
      grow(w + close, left - 1, open);
    }
  };
  grow("", 10, "");
  ASSERT_EQ(dyck.size(), 42u * 32u);  // Catalan(5) 2^5
  const Alphabet& sigma = pda.input_alphabet();
  for (const std::string& w : dyck) {
    ASSERT_TRUE(accepts_deterministic(pda, sigma.parse_word(w))) << w;
    for (std::size_t i = 0; i < w.size(); ++i)
      for (char c : std::string("()[]")) {
        if (c == w[i]) continue;
        std::string near = w;
        near[i] = c;
        ASSERT_EQ(accepts_deterministic(pda, sigma.parse_word(near)), testing::is_dyck(near, "()[]")) << near;
      }
  }
  for (std::size_t i = 0; i < dyck.size(); i += 16) ASSERT_TRUE(accepts_by_summaries(pda, sigma.parse_word(dyck[i])));
}

TEST(Pda, MarkedPalindromesAreDeterministic) {
  const Pda pda = testing::marked_palindrome_dpda();
  EXPECT_TRUE(is_deterministic(pda));
  expect_language(pda, testing::is_marked_palindrome, 10, 8);
}

TEST(Pda, PalindromesNeedNondeterminismUnderBothAcceptances) {
  for (PdaAcceptance acceptance : {PdaAcceptance::final_state, PdaAcceptance::empty_stack}) {
    const Pda pda = testing::palindrome_pda(acceptance);
    EXPECT_FALSE(is_deterministic(pda));
    expect_language(pda, testing::is_palindrome, 10);
  }
}

TEST(Pda, StackDepthsFollowTheOpenBrackets) {
  const Pda pda = testing::dyck_dpda("()[]");
  const Word w = pda.input_alphabet().parse_word("([])[");
  const PdaTrace trace = trace_deterministic(pda, w);
  EXPECT_EQ(trace.read, 5u);
  EXPECT_FALSE(trace.accepted);
  EXPECT_EQ(trace.depth, (std::vector<std::size_t>{1, 2, 3, 2, 1, 2}));
  EXPECT_EQ(stack_depths(pda, w), trace.depth);
  EXPECT_EQ(trace.state, (std::vector<State>{0, 1, 1, 1, 0, 1}));
}

TEST(Pda, TraceStopsWhereTheRunBlocks) {
  const Pda pda = testing::dyck_dpda("()");
  const PdaTrace trace = trace_deterministic(pda, pda.input_alphabet().parse_word("())("));
  EXPECT_EQ(trace.read, 2u);
  EXPECT_EQ(trace.depth.size(), 3u);
  EXPECT_FALSE(trace.accepted);
}

TEST(Pda, DeterministicSimulationRefusesNondeterministicPda) {
  const Pda pda = testing::palindrome_pda(PdaAcceptance::final_state);
  EXPECT_THROW(trace_deterministic(pda, Word{}), InvalidArgument);
}

TEST(Pda, SymbolOutsideTheAlphabetIsRejectedWithItsPosition) {
  const Pda pda = testing::anbn_dpda();
  try {
    accepts(pda, Word{0, 7});
    FAIL() << "expected InvalidArgument";
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("position 1"), std::string::npos) << e.what();
  }
  EXPECT_THROW(accepts_by_summaries(pda, Word{9}), InvalidArgument);
}

TEST(Pda, MovesOutOfRangeAreRefused) {
  Pda pda(Alphabet::from_chars("a"), Alphabet({"Z"}), 0, 1);
  EXPECT_THROW(pda.add_move({0, 1, kEpsilon, {}, 0}), InvalidArgument);
  EXPECT_THROW(pda.add_move({0, 0, 3, {}, 0}), InvalidArgument);
  EXPECT_THROW(pda.add_move({0, 0, kEpsilon, {5}, 0}), InvalidArgument);
  EXPECT_THROW(pda.add_move({0, 0, kEpsilon, {}, 2}), InvalidArgument);
  EXPECT_THROW(Pda(Alphabet::from_chars("a"), Alphabet({"Z"}), 1), InvalidArgument);
}

// An epsilon loop that pushes forever, reachable from an accepting state and from a
// rejecting one: both engines must answer, and agree.
TEST(Pda, EpsilonLoopThatPushesForeverStillAnswers) {
  // a^n b^n, and after "c" an endless push loop in a non-accepting state; after "d" the same
  // loop through an accepting state.
  Pda pda(Alphabet::from_chars("abcd"), Alphabet({"Z", "A"}), 0, 6);
  const Symbol a = 0, b = 1, c = 2, d = 3, Z = 0, A = 1;
  pda.set_accepting(0);
  pda.set_accepting(3);
  pda.set_accepting(5);
  pda.add_move({0, a, Z, {A, Z}, 1});
  pda.add_move({1, a, A, {A, A}, 1});
  pda.add_move({1, b, A, {}, 2});
  pda.add_move({2, b, A, {}, 2});
  pda.add_move({2, kEpsilon, Z, {Z}, 3});
  pda.add_move({0, c, kEpsilon, {}, 4});
  pda.add_move({4, kEpsilon, kEpsilon, {A}, 4});  // pushes forever, never accepting
  pda.add_move({0, d, kEpsilon, {}, 5});
  pda.add_move({5, kEpsilon, kEpsilon, {A, A}, 5});  // pushes forever, accepting
  ASSERT_TRUE(is_deterministic(pda));
  const Alphabet& sigma = pda.input_alphabet();
  for (const char* word : {"c", "ca", "d", "da", "ab", "aabb", "", "aab"}) {
    const Word w = sigma.parse_word(word);
    const bool expected = std::string(word) == "d" || testing::is_anbn(word);
    EXPECT_EQ(accepts_deterministic(pda, w), expected) << word;
    EXPECT_EQ(accepts_by_summaries(pda, w), expected) << word;
  }
  EXPECT_TRUE(trace_deterministic(pda, sigma.parse_word("c")).epsilon_loop);
  EXPECT_EQ(trace_deterministic(pda, sigma.parse_word("ca")).read, 1u);
}

TEST(Pda, EpsilonCycleWithoutPushTerminates) {
  // 0 --eps--> 1 --eps--> 0, and 1 --a--> 2 (accepting): nondeterministic once 0 also reads.
  Pda pda(Alphabet::from_chars("a"), Alphabet({"Z"}), 0, 3);
  pda.set_accepting(2);
  pda.add_move({0, kEpsilon, kEpsilon, {}, 1});
  pda.add_move({1, kEpsilon, kEpsilon, {}, 0});
  pda.add_move({1, 0, kEpsilon, {}, 2});
  EXPECT_FALSE(is_deterministic(pda));
  EXPECT_TRUE(accepts_by_summaries(pda, Word{0}));
  EXPECT_FALSE(accepts_by_summaries(pda, Word{}));
  EXPECT_FALSE(accepts_by_summaries(pda, Word{0, 0}));
}

TEST(Pda, EpsilonLoopThatPopsAndPushesBackIsALoop) {
  // On "a": push A; then epsilon: pop A, push A forever (the height never changes).
  Pda pda(Alphabet::from_chars("a"), Alphabet({"Z", "A"}), 0, 2, PdaAcceptance::empty_stack);
  pda.add_move({0, 0, Symbol{0}, {1, 0}, 1});
  pda.add_move({1, kEpsilon, Symbol{1}, {1}, 1});
  ASSERT_TRUE(is_deterministic(pda));
  const PdaTrace trace = trace_deterministic(pda, Word{0});
  EXPECT_TRUE(trace.epsilon_loop);
  EXPECT_FALSE(trace.accepted);
  EXPECT_FALSE(accepts_by_summaries(pda, Word{0}));
}

TEST(Pda, EmptyStackAcceptanceMayMoveOnAfterTheStackEmpties) {
  // Pops the bottom on "a", then "b" moves on the empty stack (popping nothing).
  Pda pda(Alphabet::from_chars("ab"), Alphabet({"Z"}), 0, 2, PdaAcceptance::empty_stack);
  pda.add_move({0, 0, 0, {}, 1});
  pda.add_move({1, 1, kEpsilon, {}, 1});
  const Alphabet& sigma = pda.input_alphabet();
  for (const char* word : {"a", "ab", "abb", "", "b", "aa"}) {
    const bool expected = word[0] == 'a' && std::string(word).find('a', 1) == std::string::npos;
    EXPECT_EQ(accepts(pda, sigma.parse_word(word)), expected) << word;
    EXPECT_EQ(accepts_by_summaries(pda, sigma.parse_word(word)), expected) << word;
  }
}

TEST(Pda, ThePdaWithoutStatesAcceptsNothing) {
  const Pda pda(Alphabet::from_chars("a"), Alphabet({"Z"}), 0);
  EXPECT_FALSE(accepts(pda, Word{}));
  EXPECT_FALSE(accepts_by_summaries(pda, Word{0}));
}

TEST(Pda, DuplicateMovesAreIgnored) {
  Pda pda = testing::anbn_dpda();
  const std::size_t before = pda.moves().size();
  pda.add_move(pda.moves().front());
  EXPECT_EQ(pda.moves().size(), before);
  EXPECT_TRUE(is_deterministic(pda));
}

TEST(Pda, SummariesGrowPolynomiallyOnLongPalindromes) {
  // Not a timing test: a word of length 200 must simply finish (exponential search would not).
  const Pda pda = testing::palindrome_pda(PdaAcceptance::final_state);
  Word w(200, 0);
  w[37] = 1;
  w[200 - 38] = 1;
  EXPECT_TRUE(accepts_by_summaries(pda, w));
  w[38] = 1;
  EXPECT_FALSE(accepts_by_summaries(pda, w));
}

RC_GTEST_PROP(PdaProperty, SummariesAgreeWithBruteForceSearch, ()) {
  const Pda pda = *testing::gen_pda(2);
  const Word w = *testing::gen_word(2, 6);
  const auto truth = brute_accepts(pda, w);
  RC_PRE(truth.has_value());
  RC_ASSERT(accepts_by_summaries(pda, w) == *truth);
}

RC_GTEST_PROP(PdaProperty, DeterministicSimulationAgreesWithSummaries, ()) {
  const Pda pda = testing::make_deterministic(*testing::gen_pda(2));
  RC_ASSERT(is_deterministic(pda));
  const Word w = *testing::gen_word(2, 8);
  RC_ASSERT(accepts_deterministic(pda, w) == accepts_by_summaries(pda, w));
}

RC_GTEST_PROP(PdaProperty, DeterministicTraceHasOneConfigurationPerReadPrefix, ()) {
  const Pda pda = testing::make_deterministic(*testing::gen_pda(2));
  const Word w = *testing::gen_word(2, 8);
  const PdaTrace trace = trace_deterministic(pda, w);
  RC_ASSERT(trace.depth.size() == trace.read + 1);
  RC_ASSERT(trace.state.size() == trace.read + 1);
  RC_ASSERT(trace.read <= w.size());
  if (trace.read < w.size()) RC_ASSERT(!trace.accepted);
}

}  // namespace
}  // namespace statelab::automata
