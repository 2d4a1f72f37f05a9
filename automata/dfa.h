// Dfa: a complete deterministic finite automaton over an Alphabet.
// Conventions (as in OpenFst's): states are dense ids 0..n-1; the transition table is dense,
// row-major `states x symbols`, so every state has exactly one successor per symbol (complete);
// acceptance is a bitset. Algorithms over it are free functions in their own headers.
#pragma once

#include <cassert>
#include <cstdint>
#include <span>
#include <vector>

#include "automata/alphabet.h"

namespace statelab::automata {

using State = std::uint32_t;

class Dfa {
 public:
  Dfa() = default;
  /// `num_states` states, every transition to state 0, none accepting, initial state 0.
  Dfa(Alphabet alphabet, std::size_t num_states);

  const Alphabet& alphabet() const { return alphabet_; }
  std::size_t num_states() const { return accepting_.size(); }
  std::size_t num_symbols() const { return k_; }

  State initial() const { return initial_; }
  void set_initial(State q);

  State next(State q, Symbol a) const {
    assert(q < num_states() && a < k_);
    return table_[static_cast<std::size_t>(q) * k_ + a];
  }
  /// Throws InvalidArgument when q, a or r is out of range.
  void set_next(State q, Symbol a, State r);
  /// The successors of q, one per symbol in symbol order.
  std::span<const State> row(State q) const {
    return {table_.data() + static_cast<std::size_t>(q) * k_, k_};
  }
  /// The whole table, row-major (states x symbols).
  const std::vector<State>& table() const { return table_; }

  bool is_accepting(State q) const { return accepting_[q]; }
  void set_accepting(State q, bool accepting = true);
  std::size_t num_accepting() const;

  /// Appends a state whose every transition loops on itself; returns its id.
  State add_state(bool accepting = false);

  friend bool operator==(const Dfa&, const Dfa&) = default;

 private:
  void check_state(State q, const char* what) const;

  Alphabet alphabet_;
  std::size_t k_ = 0;
  std::vector<State> table_;
  std::vector<bool> accepting_;
  State initial_ = 0;
};

/// The state reached from `from` by reading `word`.  Time O(|word|).
/// Throws InvalidArgument on a symbol outside the alphabet.
State run(const Dfa& dfa, State from, std::span<const Symbol> word);

/// Whether `dfa` accepts `word`.  Time O(|word|).
bool accepts(const Dfa& dfa, std::span<const Symbol> word);

}  // namespace statelab::automata
