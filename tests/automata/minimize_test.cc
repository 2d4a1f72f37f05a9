#include "automata/minimize.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "automata/decide.h"
#include "automata/nfa.h"
#include "tests/support/generators.h"

namespace statelab::automata {
namespace {

RC_GTEST_PROP(Minimize, PreservesTheLanguage, (const Dfa& dfa)) {
  const Dfa m = minimize(dfa);
  const Word w = *testing::gen_word(dfa.num_symbols(), 10);
  RC_ASSERT(accepts(m, w) == accepts(dfa, w));
}

RC_GTEST_PROP(Minimize, IsIdempotent, (const Dfa& dfa)) {
  const Dfa m = minimize(dfa);
  RC_ASSERT(minimize(m) == m);
}

RC_GTEST_PROP(Minimize, AgreesWithMooreAndBrzozowski, (const Dfa& dfa)) {
  const Dfa m = minimize(dfa);
  // Canonical numbering makes the three results identical, not only equal in size.
  RC_ASSERT(moore_minimize(dfa) == m);
  RC_ASSERT(brzozowski_minimize(dfa) == m);
}

RC_GTEST_PROP(Minimize, StartsAtStateZeroAndIsMinimal, (const Dfa& dfa)) {
  const Dfa m = minimize(dfa);
  RC_ASSERT(m.initial() == 0u);
  RC_ASSERT(is_minimal(m));
  RC_ASSERT(m.num_states() <= dfa.num_states());
}

RC_GTEST_PROP(Minimize, EqualResultsExactlyForEquivalentDfas, (const Dfa& a)) {
  const Dfa b = *testing::gen_dfa(a.num_symbols(), 5);
  RC_ASSERT((minimize(a) == minimize(b)) == equivalent(a, b));
}

RC_GTEST_PROP(Minimize, LargerRandomDfasAgreeWithMoore, ()) {
  const std::size_t k = *rc::gen::inRange<std::size_t>(1, 4);
  const Dfa dfa = *testing::gen_dfa(k, 60);
  RC_ASSERT(minimize(dfa) == moore_minimize(dfa));
}

TEST(Minimize, MergesEquivalentStates) {
  // Three states all accepting with all transitions among them: one state suffices.
  Dfa dfa(Alphabet::from_chars("ab"), 3);
  for (State q = 0; q < 3; ++q) {
    dfa.set_accepting(q);
    dfa.set_next(q, 0, (q + 1) % 3);
    dfa.set_next(q, 1, (q + 2) % 3);
  }
  dfa.set_initial(2);
  const Dfa m = minimize(dfa);
  EXPECT_EQ(m.num_states(), 1u);
  EXPECT_TRUE(m.is_accepting(0));
}

TEST(Minimize, KeepsTheDeadStateOfAPartialLanguage) {
  // a* over {a, b}: two states, the second a sink.
  Dfa dfa(Alphabet::from_chars("ab"), 4);
  dfa.set_accepting(0);
  dfa.set_next(0, 0, 0);
  dfa.set_next(0, 1, 1);
  for (State q = 1; q < 4; ++q) dfa.set_next(q, 0, q), dfa.set_next(q, 1, 3);
  EXPECT_EQ(minimize(dfa).num_states(), 2u);
}

}  // namespace
}  // namespace statelab::automata
