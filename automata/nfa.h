// Nfa: a nondeterministic finite automaton with epsilon moves, possibly partial.
// It is what readers of foreign formats produce (JFLAP and OpenFst files are often partial or
// nondeterministic) and what regular expressions compile to; `determinize` turns it into a Dfa.
#pragma once

#include <cstddef>
#include <limits>
#include <span>
#include <vector>

#include "automata/alphabet.h"
#include "automata/dfa.h"

namespace statelab::automata {

/// The label of an epsilon move.
inline constexpr Symbol kEpsilon = std::numeric_limits<Symbol>::max();

/// The default limit on the states any construction may build (subset construction, products).
inline constexpr std::size_t kDefaultMaxStates = 10'000'000;

struct NfaArc {
  Symbol symbol;  // kEpsilon for an epsilon move
  State target;
  friend bool operator==(const NfaArc&, const NfaArc&) = default;
};

class Nfa {
 public:
  Nfa() = default;
  explicit Nfa(Alphabet alphabet, std::size_t num_states = 0);

  const Alphabet& alphabet() const { return alphabet_; }
  std::size_t num_states() const { return arcs_.size(); }
  std::size_t num_arcs() const;

  State add_state(bool accepting = false);
  /// Throws InvalidArgument when a state or the symbol is out of range (kEpsilon is allowed).
  void add_arc(State from, Symbol symbol, State to);
  std::span<const NfaArc> arcs(State q) const { return arcs_.at(q); }
  /// Room for `n` arcs out of q, so that readers of large files allocate once per state.
  void reserve_arcs(State q, std::size_t n) { arcs_.at(q).reserve(n); }

  void add_initial(State q);
  const std::vector<State>& initial_states() const { return initial_; }

  bool is_accepting(State q) const { return accepting_.at(q); }
  void set_accepting(State q, bool accepting = true);

  /// One initial state, no epsilon move, at most one arc per (state, symbol).
  bool is_deterministic() const;
  /// Deterministic and every state has an arc on every symbol.
  bool is_complete_deterministic() const;

 private:
  void check_state(State q, const char* what) const;

  Alphabet alphabet_;
  std::vector<std::vector<NfaArc>> arcs_;
  std::vector<State> initial_;
  std::vector<bool> is_initial_;  // grown lazily, so add_initial stays O(1)
  std::vector<bool> accepting_;
};

/// Whether `nfa` accepts `word` (on-the-fly subset simulation).  Time O(|word| (n + m)).
bool accepts(const Nfa& nfa, std::span<const Symbol> word);

/// The smallest set of states containing `states` and closed under epsilon moves, sorted.
/// Time O(n + m).
std::vector<State> epsilon_closure(const Nfa& nfa, std::span<const State> states);

/// Subset construction: a complete Dfa accepting the same language, with only reachable subsets
/// (the empty subset becomes a sink state when it is reachable).  An input that is already
/// deterministic keeps its state numbering, and gains one sink state only if it is partial.
/// Time O(2^n k) in the worst case; throws LimitExceeded once more than `max_states` states
/// would be built.
Dfa determinize(const Nfa& nfa, std::size_t max_states = kDefaultMaxStates);

/// The same automaton seen as an Nfa (one arc per transition).  Time O(n k).
Nfa to_nfa(const Dfa& dfa);

/// An Nfa for the reversed language: arcs reversed, accepting states initial, initial accepting.
/// Time O(n k).
Nfa reverse(const Dfa& dfa);

}  // namespace statelab::automata
