#include "automata/decide.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>

#include "automata/boolean_ops.h"
#include "automata/reachability.h"
#include "base/error.h"
#include "tests/support/generators.h"

namespace statelab::automata {
namespace {

// Brute force over every word up to this length; random DFAs of <= 8 states that differ
// always differ on a word shorter than n_a + n_b <= 16, but 8 keeps the suite fast, so the
// properties below use DFAs of at most 4 states (a difference shows within length 8).
constexpr std::size_t kMaxLength = 8;

RC_GTEST_PROP(BooleanOps, AgreeWithMembershipOfBothOperands, (const Dfa& a)) {
  const Dfa b = *testing::gen_dfa(a.num_symbols());
  const Word w = *testing::gen_word(a.num_symbols(), 10);
  const bool x = accepts(a, w), y = accepts(b, w);
  RC_ASSERT(accepts(intersect(a, b), w) == (x && y));
  RC_ASSERT(accepts(unite(a, b), w) == (x || y));
  RC_ASSERT(accepts(difference(a, b), w) == (x && !y));
  RC_ASSERT(accepts(symmetric_difference(a, b), w) == (x != y));
  RC_ASSERT(accepts(complement(a), w) == !x);
}

RC_GTEST_PROP(BooleanOps, ObeyDeMorgan, (const Dfa& a)) {
  const Dfa b = *testing::gen_dfa(a.num_symbols());
  RC_ASSERT(equivalent(complement(unite(a, b)), intersect(complement(a), complement(b))));
  RC_ASSERT(equivalent(complement(intersect(a, b)), unite(complement(a), complement(b))));
}

RC_GTEST_PROP(BooleanOps, ComplementIsAnInvolution, (const Dfa& a)) {
  RC_ASSERT(complement(complement(a)) == a);
}

TEST(BooleanOps, RefuseDifferentAlphabets) {
  Dfa a(Alphabet::from_chars("ab"), 1), b(Alphabet::from_chars("01"), 1);
  EXPECT_THROW(intersect(a, b), InvalidArgument);
  EXPECT_THROW(equivalent(a, b), InvalidArgument);
  EXPECT_THROW(find_counterexample(a, Dfa(Alphabet::from_chars("abc"), 1)), InvalidArgument);
}

// The same automaton over its alphabet in another order: symbol i of the result is symbol
// order[i] of `dfa`.
Dfa reorder_alphabet(const Dfa& dfa, const std::vector<Symbol>& order) {
  std::vector<std::string> names;
  for (Symbol a : order) names.push_back(dfa.alphabet().name(a));
  Dfa out(Alphabet(std::move(names)), dfa.num_states());
  out.set_initial(dfa.initial());
  for (State q = 0; q < dfa.num_states(); ++q) {
    out.set_accepting(q, dfa.is_accepting(q));
    for (Symbol i = 0; i < order.size(); ++i) out.set_next(q, i, dfa.next(q, order[i]));
  }
  return out;
}

// Binary operations match symbols by name: an alphabet in another order is the same alphabet.
RC_GTEST_PROP(BooleanOps, PermutingTheAlphabetOrderKeepsEquivalence, (const Dfa& a)) {
  const auto keys = *rc::gen::container<std::vector<int>>(a.num_symbols(), rc::gen::arbitrary<int>());
  std::vector<Symbol> order(a.num_symbols());
  for (Symbol i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](Symbol x, Symbol y) { return keys[x] < keys[y]; });
  const Dfa b = reorder_alphabet(a, order);
  RC_ASSERT(equivalent(a, b));
  RC_ASSERT(equivalent(b, a));
  RC_ASSERT(!find_counterexample(a, b));
  RC_ASSERT(is_empty(symmetric_difference(a, b)));
  RC_ASSERT(is_subset(b, a));
  const Dfa c = *testing::gen_dfa(a.num_symbols());
  RC_ASSERT(equivalent(a, c) == equivalent(b, c));
  const std::optional<Word> w = find_counterexample(c, b);  // a word over c's alphabet
  RC_ASSERT(w.has_value() == !equivalent(a, c));
  if (w) RC_ASSERT(accepts(c, *w) != accepts(a, *w));
}

TEST(BooleanOps, ProductStopsAtItsLimit) {
  Dfa a(Alphabet::from_chars("a"), 3), b(Alphabet::from_chars("a"), 5);
  for (State q = 0; q < 3; ++q) a.set_next(q, 0, (q + 1) % 3);
  for (State q = 0; q < 5; ++q) b.set_next(q, 0, (q + 1) % 5);
  EXPECT_EQ(intersect(a, b).num_states(), 15u);
  EXPECT_THROW(intersect(a, b, 14), LimitExceeded);
}

RC_GTEST_PROP(Equivalence, CounterexampleIsShortestAndShortlexLeast, ()) {
  const std::size_t k = *rc::gen::inRange<std::size_t>(1, 3);
  const Dfa a = *testing::gen_dfa(k, 4), b = *testing::gen_dfa(k, 4);
  std::optional<Word> brute;
  for (const Word& w : testing::all_words(k, kMaxLength))  // shortlex order
    if (accepts(a, w) != accepts(b, w)) {
      brute = w;
      break;
    }
  const std::optional<Word> found = find_counterexample(a, b);
  RC_ASSERT(found == brute);
  RC_ASSERT(equivalent(a, b) == !brute.has_value());
}

RC_GTEST_PROP(Equivalence, CounterexampleSeparatesLargerDfas, ()) {
  const std::size_t k = *rc::gen::inRange<std::size_t>(1, 4);
  const Dfa a = *testing::gen_dfa(k, 30), b = *testing::gen_dfa(k, 30);
  const auto w = find_counterexample(a, b);
  if (w) {
    RC_ASSERT(accepts(a, *w) != accepts(b, *w));
  } else {
    RC_ASSERT(equivalent(a, b));
  }
}

RC_GTEST_PROP(Decide, EmptinessUniversalityFinitenessAgreeWithBruteForce, ()) {
  const std::size_t k = *rc::gen::inRange<std::size_t>(1, 3);
  const Dfa a = *testing::gen_dfa(k, 4);
  // With n <= 4 states: nonempty iff a word of length < n is accepted; infinite iff a word of
  // length in [n, 2n) is accepted (pumping).
  const std::size_t n = a.num_states();
  bool short_accepted = false, long_accepted = false, all_accepted = true;
  for (const Word& w : testing::all_words(k, 2 * n - 1)) {
    const bool acc = accepts(a, w);
    if (w.size() < n) short_accepted |= acc, all_accepted &= acc;
    if (w.size() >= n) long_accepted |= acc;
  }
  RC_ASSERT(is_empty(a) == !short_accepted);
  RC_ASSERT(is_universal(a) == all_accepted);
  RC_ASSERT(is_finite(a) == !long_accepted);
}

RC_GTEST_PROP(Decide, SubsetMeansEmptyDifference, (const Dfa& a)) {
  const Dfa b = *testing::gen_dfa(a.num_symbols(), 4);
  RC_ASSERT(is_subset(a, b) == is_empty(difference(a, b)));
  RC_ASSERT(is_subset(intersect(a, b), a));
  RC_ASSERT(is_subset(a, unite(a, b)));
}

RC_GTEST_PROP(Reachability, TrapStatesAreExactlyTheDeadOnes, (const Dfa& a)) {
  const std::vector<bool> live = live_states(a);
  std::vector<State> dead;
  for (State q = 0; q < a.num_states(); ++q)
    if (!live[q]) dead.push_back(q);
  RC_ASSERT(trap_states(a) == dead);
}

RC_GTEST_PROP(Reachability, TrimKeepsTheLanguage, (const Nfa& nfa)) {
  const Word w = *testing::gen_word(nfa.alphabet().size(), 8);
  RC_ASSERT(accepts(trim(nfa), w) == accepts(nfa, w));
}

}  // namespace
}  // namespace statelab::automata
