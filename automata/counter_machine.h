// CounterMachine: a finite automaton with k counters over the naturals.  Each move reads one
// input symbol or nothing (kEpsilon), is guarded by a test on each counter (zero, non-zero or
// any), and then increments, decrements or keeps each counter.  A move that decrements a
// counter is enabled only when that counter is non-zero, so counters never go negative.
//
// Counters start at zero in the initial state.  A word is accepted when some run reads all of
// it and then stands in an accepting state (CounterAcceptance::final_state), with every counter
// zero too under final_state_and_zero; epsilon moves may follow the last symbol.
//
// One counter is a pushdown stack over one symbol; two counters with epsilon moves are as
// strong as a Turing machine (Minsky), so whether an epsilon run ends is undecidable in
// general: the simulations below detect the loops that provably repeat and otherwise stop
// at a configured budget with LimitExceeded, never hang.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "automata/alphabet.h"
#include "automata/dfa.h"
#include "automata/move_table.h"
#include "automata/nfa.h"

namespace statelab::automata {

enum class CounterTest : std::uint8_t { any, zero, non_zero };
enum class CounterOp : std::uint8_t { keep, increment, decrement };
enum class CounterAcceptance : std::uint8_t {
  final_state,           // an accepting state, whatever the counters
  final_state_and_zero,  // an accepting state with every counter zero
};

struct CounterMove {
  State from = 0;
  Symbol input = kEpsilon;         // the input symbol read, or kEpsilon
  std::vector<CounterTest> tests;  // one per counter
  std::vector<CounterOp> ops;      // one per counter
  State to = 0;
  friend bool operator==(const CounterMove&, const CounterMove&) = default;
};

using Counters = std::vector<std::uint64_t>;

struct CounterConfig {
  State state = 0;
  Counters counters;
  friend bool operator==(const CounterConfig&, const CounterConfig&) = default;
};

class CounterMachine : public MoveTable<CounterMove, CounterMachine> {
 public:
  static constexpr const char* kMachineName = "CounterMachine";

  CounterMachine() = default;
  /// `num_states` states, none accepting, initial state 0.
  CounterMachine(Alphabet alphabet, std::size_t num_counters, std::size_t num_states = 0,
                 CounterAcceptance acceptance = CounterAcceptance::final_state);

  const Alphabet& alphabet() const { return alphabet_; }
  std::size_t num_counters() const { return k_; }
  CounterAcceptance acceptance() const { return acceptance_; }
  void set_acceptance(CounterAcceptance acceptance) { acceptance_ = acceptance; }

  /// Adds a move; an exact duplicate is ignored.  Throws InvalidArgument when a state or the
  /// symbol is out of range, when tests or ops do not have one entry per counter, or when the
  /// move tests a counter for zero and decrements it (it could never be taken).
  void add_move(CounterMove move);

  friend bool operator==(const CounterMachine&, const CounterMachine&) = default;

 private:
  Alphabet alphabet_;
  std::size_t k_ = 0;
  CounterAcceptance acceptance_ = CounterAcceptance::final_state;
};

/// Whether `move` may be taken with these counter values.  Time O(k).
bool is_enabled(const CounterMove& move, const Counters& counters);

/// Whether the configuration is accepting (state, and counters under final_state_and_zero).
bool is_accepting(const CounterMachine& machine, const CounterConfig& config);

/// No two moves leaving one state can be enabled together on the same next input: their inputs
/// are equal or one is epsilon, and no counter is tested zero by one and non-zero by the other
/// (a decrement counts as a non-zero test).  Time O(sum over states of d^2 k).
bool is_deterministic(const CounterMachine& machine);

/// No epsilon move: one move per input symbol.
bool is_real_time(const CounterMachine& machine);

/// The default budget of epsilon moves for one run.
inline constexpr std::size_t kDefaultMaxEpsilonMoves = 10'000'000;

/// What a deterministic run did: the configuration after each prefix, once the epsilon moves
/// that follow it are done (the configuration that reads the next symbol).
struct CounterTrace {
  std::vector<CounterConfig> steps;  // steps[i] after the first i symbols, i = 0..read
  std::size_t read = 0;              // symbols read: the word's length unless the run blocked
  bool accepted = false;
  bool epsilon_loop = false;  // the run ended in epsilon moves that provably never stop
};

/// Direct simulation of a deterministic machine.  Within one epsilon phase a loop is detected
/// when a configuration repeats exactly, or when a state comes back with every counter either
/// unchanged or larger and never zero since the state's previous visit (the moves only see
/// zero tests, so the run then repeats forever).  The run then blocks, or after the last symbol
/// accepts when some configuration on the way accepts.
/// Time O((|word| + epsilon moves taken) d k): O(|word| k d) for a real-time machine.
/// Throws InvalidArgument when the machine is not deterministic or a symbol is outside the
/// alphabet, LimitExceeded after `max_epsilon_moves` epsilon moves without a detected loop.
CounterTrace trace_deterministic(const CounterMachine& machine, std::span<const Symbol> word,
                                 std::size_t max_epsilon_moves = kDefaultMaxEpsilonMoves);

/// trace_deterministic(machine, word).accepted.
bool accepts_deterministic(const CounterMachine& machine, std::span<const Symbol> word,
                           std::size_t max_epsilon_moves = kDefaultMaxEpsilonMoves);

/// The default limit on the configurations one position may hold in `accepts`.
inline constexpr std::size_t kDefaultMaxConfigurations = 1'000'000;

/// Membership for any machine: the set of reachable configurations, position by position, each
/// closed under epsilon moves.  A real-time machine has counters at most |word|, so at most
/// |Q| (|word| + 1)^k configurations per position: time O(|word| |Q| (|word|+1)^k d k).
/// Throws InvalidArgument on a symbol outside the alphabet, LimitExceeded once a position holds
/// more than `max_configurations` configurations (epsilon moves that count up without end).
bool accepts_by_configurations(const CounterMachine& machine, std::span<const Symbol> word,
                               std::size_t max_configurations = kDefaultMaxConfigurations);

/// Membership: trace_deterministic when the machine is deterministic, configurations otherwise.
bool accepts(const CounterMachine& machine, std::span<const Symbol> word);

}  // namespace statelab::automata
