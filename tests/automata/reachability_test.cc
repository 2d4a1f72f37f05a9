#include "automata/reachability.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "tests/support/generators.h"

namespace statelab::automata {
namespace {

TEST(Reachability, SeparatesAccessibleFromCoaccessible) {
  // 0 -a-> 1 -a-> 2 (accepting) -a-> 3 (dead, loops); 4 unreachable, -a-> 2.
  Dfa dfa(testing::letters(1), 5);
  dfa.set_next(0, 0, 1);
  dfa.set_next(1, 0, 2);
  dfa.set_next(2, 0, 3);
  dfa.set_next(3, 0, 3);
  dfa.set_next(4, 0, 2);
  dfa.set_accepting(2);
  EXPECT_EQ(reachable_states(dfa), (std::vector<bool>{true, true, true, true, false}));
  EXPECT_EQ(live_states(dfa), (std::vector<bool>{true, true, true, false, true}));
}

RC_GTEST_PROP(Reachability, AgreesWithBruteForce, (const Dfa& dfa)) {
  // A state reaches another, if at all, by a word shorter than the number of states.
  const std::size_t n = dfa.num_states();
  std::vector<bool> accessible(n), coaccessible(n);
  for (const Word& w : testing::all_words(dfa.num_symbols(), n - 1)) {
    accessible[run(dfa, dfa.initial(), w)] = true;
    for (State q = 0; q < n; ++q) {
      if (dfa.is_accepting(run(dfa, q, w))) coaccessible[q] = true;
    }
  }
  RC_ASSERT(reachable_states(dfa) == accessible);
  RC_ASSERT(live_states(dfa) == coaccessible);
}

}  // namespace
}  // namespace statelab::automata
