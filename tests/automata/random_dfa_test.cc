#include "automata/random_dfa.h"

#include <gtest/gtest.h>

#include <limits>
#include <set>

#include "base/error.h"
#include "base/random.h"

namespace statelab::automata {
namespace {

TEST(RandomDfa, ReproducesFromItsSeed) {
  EXPECT_EQ(random_dfa(50, 3, 42), random_dfa(50, 3, 42));
  EXPECT_EQ(random_dfa(50, 3, 42, 0.2), random_dfa(50, 3, 42, 0.2));
}

TEST(RandomDfa, DiffersBetweenSeeds) {
  std::set<std::vector<State>> tables;
  for (std::uint64_t seed = 0; seed < 20; ++seed) tables.insert(random_dfa(20, 2, seed).table());
  EXPECT_EQ(tables.size(), 20u);
}

TEST(RandomDfa, FollowsTheDocumentedDraws) {
  // The contract: uniform_below(states) per transition in row-major order, then one bernoulli
  // per state, all from make_rng(seed).
  const Dfa dfa = random_dfa(7, 3, 99, 0.3);
  Rng rng = make_rng(99);
  for (State q = 0; q < 7; ++q) {
    for (Symbol a = 0; a < 3; ++a) EXPECT_EQ(dfa.next(q, a), uniform_below(rng, std::uint64_t{7}));
  }
  for (State q = 0; q < 7; ++q) EXPECT_EQ(dfa.is_accepting(q), bernoulli(rng, 0.3));
  EXPECT_EQ(dfa.initial(), 0u);
}

TEST(RandomDfa, NamesSymbolsByLettersThenByNumber) {
  EXPECT_EQ(random_dfa(2, 3, 1).alphabet().names(), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(random_dfa(2, 26, 1).alphabet().name(25), "z");
  const Dfa wide = random_dfa(2, 27, 1);
  EXPECT_EQ(wide.alphabet().name(0), "s0");
  EXPECT_EQ(wide.alphabet().name(26), "s26");
}

TEST(RandomDfa, SpreadsTargetsAndAcceptanceEvenly) {
  // 100 states x 100 symbols: each state is the target of 100 transitions on average (standard
  // deviation 10), and about half the states accept (standard deviation 5).  The bounds are
  // more than 5 standard deviations wide, so they hold for any seed but a freak one.
  const Dfa dfa = random_dfa(100, 100, 8);
  std::vector<int> hits(100);
  for (State r : dfa.table()) ++hits[r];
  for (int h : hits) {
    EXPECT_GT(h, 45);
    EXPECT_LT(h, 160);
  }
  EXPECT_GT(dfa.num_accepting(), 25u);
  EXPECT_LT(dfa.num_accepting(), 75u);
  EXPECT_EQ(random_dfa(30, 2, 8, 0.0).num_accepting(), 0u);
  EXPECT_EQ(random_dfa(30, 2, 8, 1.0).num_accepting(), 30u);
}

TEST(RandomDfa, RefusesEmptySizesAndBadProbabilities) {
  EXPECT_THROW(random_dfa(0, 2, 1), InvalidArgument);
  EXPECT_THROW(random_dfa(3, 0, 1), InvalidArgument);
  EXPECT_THROW(random_dfa(3, 2, 1, -0.1), InvalidArgument);
  EXPECT_THROW(random_dfa(3, 2, 1, 1.5), InvalidArgument);
  EXPECT_THROW(random_dfa(3, 2, 1, std::numeric_limits<double>::quiet_NaN()), InvalidArgument);
}

}  // namespace
}  // namespace statelab::automata
