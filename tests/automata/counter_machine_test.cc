#include "automata/counter_machine.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <optional>
#include <set>

#include "base/error.h"
#include "tests/automata/engine_fixtures.h"

namespace statelab::automata {
namespace {

using statelab::testing::all_words;
using T = CounterTest;
using O = CounterOp;

/// a^n b^n c^n, deterministic and real-time with two counters: each a counts up both, each b
/// counts down the first, each c (once the first is zero) the second.
CounterMachine anbncn() {
  CounterMachine m(Alphabet::from_chars("abc"), 2, 3, CounterAcceptance::final_state_and_zero);
  m.set_accepting(0);
  m.set_accepting(2);
  m.add_move({0, 0, {T::any, T::any}, {O::increment, O::increment}, 0});
  m.add_move({0, 1, {T::non_zero, T::any}, {O::decrement, O::keep}, 1});
  m.add_move({1, 1, {T::non_zero, T::any}, {O::decrement, O::keep}, 1});
  m.add_move({1, 2, {T::zero, T::non_zero}, {O::keep, O::decrement}, 2});
  m.add_move({2, 2, {T::any, T::non_zero}, {O::keep, O::decrement}, 2});
  return m;
}

/// Dyck-1 with one counter: state 1 (accepting, counter zero) and state 0 (inside) read; after
/// a ')' state 2 looks at the counter with epsilon moves.
CounterMachine dyck1_with_epsilon() {
  CounterMachine m(Alphabet::from_chars("()"), 1, 3);
  m.set_initial(1);
  m.set_accepting(1);
  m.add_move({1, 0, {T::any}, {O::increment}, 0});
  m.add_move({0, 0, {T::any}, {O::increment}, 0});
  m.add_move({0, 1, {T::any}, {O::decrement}, 2});
  m.add_move({2, kEpsilon, {T::zero}, {O::keep}, 1});
  m.add_move({2, kEpsilon, {T::non_zero}, {O::keep}, 0});
  return m;
}

TEST(CounterMachine, AnbncnWithTwoCountersMatchesBruteForce) {
  const CounterMachine m = anbncn();
  EXPECT_TRUE(is_deterministic(m));
  EXPECT_TRUE(is_real_time(m));
  for (const Word& w : all_words(3, 10)) {
    const bool truth = testing::is_anbncn(m.alphabet().format_word(w));
    ASSERT_EQ(accepts(m, w), truth) << m.alphabet().format_word(w);
    if (w.size() <= 8) {
      ASSERT_EQ(accepts_by_configurations(m, w), truth) << m.alphabet().format_word(w);
    }
  }
}

TEST(CounterMachine, DyckWithAnEpsilonZeroTestMatchesBruteForce) {
  const CounterMachine m = dyck1_with_epsilon();
  EXPECT_TRUE(is_deterministic(m));
  EXPECT_FALSE(is_real_time(m));
  for (const Word& w : all_words(2, 12)) {
    const bool truth = testing::is_dyck(m.alphabet().format_word(w), "()");
    ASSERT_EQ(accepts(m, w), truth) << m.alphabet().format_word(w);
    ASSERT_EQ(accepts_by_configurations(m, w), truth) << m.alphabet().format_word(w);
  }
}

TEST(CounterMachine, TraceExposesTheCountersAfterEachPrefix) {
  const CounterMachine m = anbncn();
  const CounterTrace trace = trace_deterministic(m, m.alphabet().parse_word("aabbc"));
  ASSERT_EQ(trace.steps.size(), 6u);
  const std::vector<Counters> expected = {{0, 0}, {1, 1}, {2, 2}, {1, 2}, {0, 2}, {0, 1}};
  for (std::size_t i = 0; i < expected.size(); ++i) EXPECT_EQ(trace.steps[i].counters, expected[i]) << i;
  EXPECT_EQ(trace.steps[5].state, 2u);
  EXPECT_FALSE(trace.accepted);
  EXPECT_EQ(trace.read, 5u);
  EXPECT_EQ(trace_deterministic(m, m.alphabet().parse_word("abca")).read, 3u);  // blocks on the last a
}

// The independent direct simulation of a real-time deterministic machine: apply the one
// enabled move per symbol, written here without the library's helpers.
std::vector<CounterConfig> simulate(const CounterMachine& m, const Word& w) {
  std::vector<CounterConfig> out{{m.initial(), Counters(m.num_counters(), 0)}};
  for (Symbol a : w) {
    CounterConfig c = out.back();
    std::optional<CounterMove> chosen;
    for (const CounterMove& move : m.moves()) {
      if (move.from != c.state || move.input != a) continue;
      bool ok = true;
      for (std::size_t i = 0; i < c.counters.size(); ++i) {
        if (move.tests[i] == T::zero && c.counters[i] != 0) ok = false;
        if ((move.tests[i] == T::non_zero || move.ops[i] == O::decrement) && c.counters[i] == 0) ok = false;
      }
      if (ok) chosen = move;
    }
    if (!chosen) break;
    for (std::size_t i = 0; i < c.counters.size(); ++i)
      c.counters[i] += chosen->ops[i] == O::increment ? 1 : chosen->ops[i] == O::decrement ? -1 : 0;
    c.state = chosen->to;
    out.push_back(c);
  }
  return out;
}

/// A machine over {a, b} with 1..3 states and k counters, moves reading a symbol or (when
/// `epsilon`) nothing.
rc::Gen<CounterMachine> gen_machine(std::size_t k, bool epsilon) {
  return rc::gen::mapcat(rc::gen::inRange<std::size_t>(1, 4), [k, epsilon](std::size_t n) {
    const auto state = rc::gen::inRange<State>(0, static_cast<State>(n));
    const auto input = rc::gen::inRange<Symbol>(0, epsilon ? 3 : 2);
    const auto tests = rc::gen::container<std::vector<int>>(k, rc::gen::inRange(0, 3));
    const auto ops = rc::gen::container<std::vector<int>>(k, rc::gen::inRange(0, 3));
    const auto move = rc::gen::tuple(state, input, tests, ops, state);
    const auto moves = rc::gen::mapcat(rc::gen::inRange<std::size_t>(0, 3 * n + 1), [move](std::size_t m) {
      return rc::gen::container<std::vector<decltype(move)::ValueType>>(m, move);
    });
    return rc::gen::map(
        rc::gen::tuple(moves, rc::gen::container<std::vector<bool>>(n, rc::gen::arbitrary<bool>()),
                       rc::gen::arbitrary<bool>()),
        [k, n](const auto& t) {
          const auto& [all, accepting, zero] = t;
          CounterMachine m(testing::letters(2), k, n,
                           zero ? CounterAcceptance::final_state_and_zero : CounterAcceptance::final_state);
          for (State q = 0; q < n; ++q) m.set_accepting(q, accepting[q]);
          for (const auto& [from, in, ts, os, to] : all) {
            CounterMove move{from, in == 2 ? kEpsilon : in, {}, {}, to};
            for (std::size_t i = 0; i < k; ++i) {
              move.tests.push_back(static_cast<T>(ts[i]));
              move.ops.push_back(static_cast<O>(os[i]));
              if (move.tests[i] == T::zero && move.ops[i] == O::decrement) move.ops[i] = O::keep;
            }
            m.add_move(std::move(move));
          }
          return m;
        });
  });
}

CounterMachine keep_deterministic(const CounterMachine& m) {
  CounterMachine out(m.alphabet(), m.num_counters(), m.num_states(), m.acceptance());
  for (State q = 0; q < m.num_states(); ++q) out.set_accepting(q, m.is_accepting(q));
  for (const CounterMove& move : m.moves()) {
    CounterMachine trial = out;
    trial.add_move(move);
    if (is_deterministic(trial)) out = std::move(trial);
  }
  return out;
}

RC_GTEST_PROP(CounterMachineProperty, TraceAgreesWithDirectSimulation, ()) {
  const CounterMachine m = keep_deterministic(*gen_machine(2, false));
  const Word w = *testing::gen_word(2, 10);
  const CounterTrace trace = trace_deterministic(m, w);
  const std::vector<CounterConfig> expected = simulate(m, w);
  RC_ASSERT(trace.steps == expected);
  RC_ASSERT(trace.read + 1 == expected.size());
}

RC_GTEST_PROP(CounterMachineProperty, DeterministicRunAgreesWithConfigurationSets, ()) {
  const CounterMachine m = keep_deterministic(*gen_machine(2, true));
  const Word w = *testing::gen_word(2, 8);
  std::optional<bool> by_run;
  try {
    by_run = accepts_deterministic(m, w, 5'000);
  } catch (const LimitExceeded&) {
  }
  std::optional<bool> by_sets;
  try {
    by_sets = accepts_by_configurations(m, w, 5'000);
  } catch (const LimitExceeded&) {
  }
  RC_PRE(by_run.has_value() && by_sets.has_value());  // both ended: loops only run to the budget
  RC_ASSERT(*by_run == *by_sets);
}

// Brute force for a nondeterministic real-time machine: every run, depth first.
bool brute_accepts(const CounterMachine& m, const Word& w, const CounterConfig& c, std::size_t pos) {
  if (pos == w.size()) return is_accepting(m, c);
  for (const CounterMove& move : m.moves()) {
    if (move.from != c.state || move.input != w[pos] || !is_enabled(move, c.counters)) continue;
    CounterConfig next = c;
    for (std::size_t i = 0; i < next.counters.size(); ++i)
      next.counters[i] += move.ops[i] == O::increment ? 1 : move.ops[i] == O::decrement ? -1 : 0;
    next.state = move.to;
    if (brute_accepts(m, w, next, pos + 1)) return true;
  }
  return false;
}

RC_GTEST_PROP(CounterMachineProperty, ConfigurationSetsAgreeWithEveryRun, ()) {
  const CounterMachine m = *gen_machine(2, false);
  const Word w = *testing::gen_word(2, 8);
  RC_ASSERT(accepts_by_configurations(m, w) == brute_accepts(m, w, {m.initial(), Counters(2, 0)}, 0));
}

TEST(CounterMachine, EpsilonLoopThatCountsForeverIsDetected) {
  // On "a", state 1 counts up forever by epsilon moves; state 1 accepts, state 2 does not.
  CounterMachine m(Alphabet::from_chars("ab"), 1, 3);
  m.set_accepting(1);
  m.add_move({0, 0, {T::any}, {O::keep}, 1});
  m.add_move({1, kEpsilon, {T::any}, {O::increment}, 1});
  m.add_move({0, 1, {T::any}, {O::keep}, 2});
  m.add_move({2, kEpsilon, {T::any}, {O::increment}, 2});
  ASSERT_TRUE(is_deterministic(m));
  const CounterTrace a = trace_deterministic(m, Word{0});
  EXPECT_TRUE(a.epsilon_loop);
  EXPECT_TRUE(a.accepted);
  EXPECT_FALSE(accepts(m, Word{1}));
  EXPECT_FALSE(accepts(m, Word{0, 0}));  // never reads the second symbol
  // The configuration sets grow without end: a clear error, not a hang.
  m.add_move({0, 0, {T::any}, {O::keep}, 2});
  EXPECT_FALSE(is_deterministic(m));
  EXPECT_THROW(accepts_by_configurations(m, Word{0}, 1000), LimitExceeded);
}

TEST(CounterMachine, EpsilonRunsBeyondDetectionStopAtTheBudget) {
  // Two counters doubling forever: 1 -> 2 -> 4 ... by transfers, each counter back to zero in
  // turn, so no configuration repeats and no state comes back with counters that only grew.
  // State 1 moves the first counter into the second, doubled (through state 2); state 3
  // moves it back; state 0 reads the one symbol.
  CounterMachine d(Alphabet::from_chars("a"), 2, 4);
  d.add_move({0, 0, {T::any, T::any}, {O::increment, O::keep}, 1});
  d.add_move({1, kEpsilon, {T::non_zero, T::any}, {O::decrement, O::increment}, 2});
  d.add_move({2, kEpsilon, {T::any, T::any}, {O::keep, O::increment}, 1});
  d.add_move({1, kEpsilon, {T::zero, T::non_zero}, {O::keep, O::keep}, 3});
  d.add_move({3, kEpsilon, {T::any, T::non_zero}, {O::increment, O::decrement}, 3});
  d.add_move({3, kEpsilon, {T::any, T::zero}, {O::keep, O::keep}, 1});
  ASSERT_TRUE(is_deterministic(d));
  EXPECT_THROW(trace_deterministic(d, Word{0}, 10'000), LimitExceeded);
}

TEST(CounterMachine, BadMovesAreRefused) {
  CounterMachine m(Alphabet::from_chars("a"), 2, 1);
  EXPECT_THROW(m.add_move({0, 0, {T::any}, {O::keep, O::keep}, 0}), InvalidArgument);
  EXPECT_THROW(m.add_move({0, 0, {T::zero, T::any}, {O::decrement, O::keep}, 0}), InvalidArgument);
  EXPECT_THROW(m.add_move({0, 3, {T::any, T::any}, {O::keep, O::keep}, 0}), InvalidArgument);
  EXPECT_THROW(m.add_move({0, 0, {T::any, T::any}, {O::keep, O::keep}, 1}), InvalidArgument);
  EXPECT_THROW(accepts(anbncn(), Word{0, 4}), InvalidArgument);
}

TEST(CounterMachine, NondeterministicMachineIsRefusedByTheTrace) {
  CounterMachine m(Alphabet::from_chars("a"), 1, 2);
  m.add_move({0, 0, {T::any}, {O::keep}, 0});
  m.add_move({0, 0, {T::any}, {O::increment}, 1});
  EXPECT_FALSE(is_deterministic(m));
  EXPECT_THROW(trace_deterministic(m, Word{0}), InvalidArgument);
}

TEST(CounterMachine, DecrementActsAsANonZeroTestForDeterminism) {
  CounterMachine m(Alphabet::from_chars("a"), 1, 1);
  m.add_move({0, 0, {T::zero}, {O::increment}, 0});
  m.add_move({0, 0, {T::any}, {O::decrement}, 0});
  EXPECT_TRUE(is_deterministic(m));
  EXPECT_TRUE(accepts(m, Word{}) == false);
}

}  // namespace
}  // namespace statelab::automata
