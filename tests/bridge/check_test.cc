// The shrinker ends at the shortest, then shortlex-least, counterexample (by our search and by
// RapidCheck's own); check() finds disagreements, reports agreement by length, and shrinks.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "automata/decide.h"
#include "automata/random_dfa.h"
#include "base/error.h"
#include "bridge/check.h"
#include "bridge/rapidcheck.h"
#include "languages/registry.h"
#include "tests/bridge/bridge_test_util.h"
#include "tests/support/generators.h"

namespace statelab::bridge {
namespace {

using automata::Dfa;

TEST(Shortlex, RankAndNextEnumerateEveryWordInOrder) {
  const auto all = statelab::testing::all_words(3, 5);
  Word w;
  for (std::size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(w, all[i]);
    EXPECT_EQ(shortlex_rank(w, 3), i);
    w = shortlex_next(w, 3);
  }
  EXPECT_EQ(shortlex_rank(Word(200, 1), 2), ~std::uint64_t{0});  // saturates
}

TEST(ShrinkCandidates, AreAllShortlexSmaller) {
  for (std::uint64_t budget : {std::uint64_t{0}, std::uint64_t{1} << 16}) {
    const Word w{1, 0, 1, 1, 0, 1, 0, 0, 1};
    ShrinkCandidates c(w, 2, ShrinkOptions{budget});
    std::size_t n = 0;
    while (auto x = c.next()) {
      ++n;
      EXPECT_TRUE(x->size() < w.size() || (x->size() == w.size() && *x < w));
    }
    if (budget) EXPECT_EQ(n, shortlex_rank(w, 2));  // exhaustive: every smaller word
    else EXPECT_GT(n, 0u);
  }
}

// The law, on random DFA pairs: shrinking any disagreeing word ends at find_counterexample's word.
RC_GTEST_PROP(Shrinker, EndsAtTheShortestShortlexLeastCounterexample, ()) {
  const std::size_t k = *rc::gen::inRange<std::size_t>(1, 4);
  const Dfa a = *statelab::testing::gen_dfa(k, 6), b = *statelab::testing::gen_dfa(k, 6);
  const Word w = *statelab::testing::gen_word(k, 9);
  auto fails = [&](const Word& x) { return automata::accepts(a, x) != automata::accepts(b, x); };
  RC_PRE(fails(w));
  const auto least = automata::find_counterexample(a, b);
  RC_ASSERT(least.has_value());
  RC_ASSERT(shrink_counterexample(w, k, fails) == *least);
  auto batch = [&](std::span<const Word> xs) {
    std::vector<bool> out;
    for (const Word& x : xs) out.push_back(fails(x));
    return out;
  };
  RC_ASSERT(shrink_counterexample_batched(w, k, batch, {}, 7) == *least);
}

RC_GTEST_PROP(Shrinker, FromLongWordsReachesTheLeastCounterexampleThroughDeletions, ()) {
  // Words of length 40 have 2^40 smaller words: the shrinker must first delete and lower its way
  // down to where it can enumerate.  With a short least counterexample it ends there.
  const Dfa a = *statelab::testing::gen_dfa(2, 4), b = *statelab::testing::gen_dfa(2, 4);
  const Word w = *rc::gen::container<Word>(40, rc::gen::inRange<Symbol>(0, 2));
  auto fails = [&](const Word& x) { return automata::accepts(a, x) != automata::accepts(b, x); };
  RC_PRE(fails(w));
  const Word end = shrink_counterexample(w, 2, fails);
  RC_ASSERT(fails(end));
  RC_ASSERT(end == *automata::find_counterexample(a, b));
}

// RapidCheck's own shrinking, run on bridge/rapidcheck.h's generator: the counterexample it ends
// at (the last failing word it evaluated) is the least one, for seeded random DFA pairs.
TEST(Shrinker, RapidCheckItselfEndsAtTheLeastCounterexample) {
  std::size_t checked = 0;
  for (std::uint64_t seed = 1; checked < 25 && seed < 400; ++seed) {
    const Dfa model = automata::random_dfa(5, 2, seed), truth_dfa = automata::random_dfa(5, 2, seed + 1000);
    const auto least = automata::find_counterexample(model, truth_dfa);
    if (!least) continue;
    const auto truth = testing::dfa_language(truth_dfa);
    // The model must have the truth's alphabet; both are named a, b.
    DfaRecognizer recognizer(model);
    Word last_failure;
    const auto result = rc::detail::checkTestable([&] {
      const Word w = *gen_word(*truth, WordKind::uniform, 0, 12);
      const bool ok = agrees(recognizer, *truth, w);
      if (!ok) last_failure = w;
      RC_ASSERT(ok);
    });
    if (!result.template is<rc::detail::FailureResult>()) continue;  // no failing word drawn
    ++checked;
    EXPECT_EQ(last_failure, *least) << "seed " << seed;
  }
  EXPECT_GE(checked, 20u);
}

TEST(Check, AgreesWithItsOwnGroundTruthAndCountsByLength) {
  const auto language = languages::make_language("tomita:n=5");
  DfaRecognizer exact(*language->dfa());
  CheckOptions options;
  options.tests = 400;
  options.exhaustive_up_to = 6;
  const auto r = check(exact, *language, options);
  EXPECT_TRUE(r.agree);
  EXPECT_TRUE(r.counterexamples.empty());
  ASSERT_GE(r.by_length.size(), 7u);
  for (std::size_t l = 0; l <= 6; ++l) {
    EXPECT_EQ(r.by_length[l].length, l);
    EXPECT_GE(r.by_length[l].tested, std::size_t{1} << l);  // every word of this length, at least
    EXPECT_EQ(r.by_length[l].agree, r.by_length[l].tested);
  }
  std::size_t total = 0;
  for (const auto& l : r.by_length) total += l.tested;
  EXPECT_EQ(total, r.tested);
}

TEST(Check, FindsTheMinimalCounterexampleFirst) {
  const auto language = languages::make_language("tomita:n=3");
  for (int n : {1, 2, 4, 5, 6, 7}) {
    const auto other = languages::make_language("tomita:n=" + std::to_string(n));
    DfaRecognizer wrong(*other->dfa());
    CheckOptions options;
    options.tests = 200;
    options.seed = static_cast<std::uint64_t>(n);
    const auto r = check(wrong, *language, options);
    ASSERT_FALSE(r.agree);
    ASSERT_FALSE(r.counterexamples.empty());
    const Word least = *automata::find_counterexample(*other->dfa(), *language->dfa());
    EXPECT_EQ(r.counterexamples[0].word, least) << "tomita " << n;
    EXPECT_EQ(r.counterexamples[0].truth, language->contains(least));
    EXPECT_NE(r.counterexamples[0].model_score > 0.5, r.counterexamples[0].truth);
  }
}

TEST(Check, WorksAgainstNonRegularGroundTruths) {
  const auto dyck = languages::make_language("dyck:k=1");
  const auto bounded = languages::make_language("dyck:k=1,depth=2");
  DfaRecognizer depth2(*bounded->dfa());
  CheckOptions options;
  options.tests = 400;
  options.max_length = 12;
  const auto r = check(depth2, *dyck, options);
  ASSERT_FALSE(r.agree);
  EXPECT_EQ(dyck->alphabet().format_word(r.counterexamples[0].word), "((()))");
}

TEST(Check, BoundsItsWorkUpFrontAndReportsProgress) {
  const auto language = languages::make_language("tomita:n=5");
  DfaRecognizer exact(*language->dfa());
  CheckOptions options;
  options.max_length = 1'000'000'000;
  EXPECT_THROW(check(exact, *language, options), LimitExceeded);
  options.max_length = 20;
  options.tests = std::size_t{1} << 40;
  EXPECT_THROW(check(exact, *language, options), LimitExceeded);
  options.tests = 100;
  std::uint64_t last = 0, total = 0;
  options.progress = [&](std::uint64_t done, std::uint64_t all) {
    EXPECT_LE(last, done);
    last = done;
    total = all;
  };
  EXPECT_TRUE(check(exact, *language, options).agree);
  EXPECT_EQ(total, 300u);
  EXPECT_EQ(last, total);
}

TEST(Check, IsDeterministicForASeedAndRefusesOtherAlphabets) {
  const auto language = languages::make_language("tomita:n=2");
  const auto network = testing::tiny_lstm(3);
  CheckOptions options;
  options.tests = 300;
  options.seed = 9;
  const auto a = check(network, *language, options), b = check(network, *language, options);
  ASSERT_EQ(a.counterexamples.size(), b.counterexamples.size());
  for (std::size_t i = 0; i < a.counterexamples.size(); ++i) EXPECT_EQ(a.counterexamples[i].word, b.counterexamples[i].word);
  const auto dyck = languages::make_language("dyck:k=1");
  EXPECT_THROW(check(network, *dyck, options), InvalidArgument);
}

}  // namespace
}  // namespace statelab::bridge
