// Decision procedures on complete DFAs: emptiness, universality, finiteness, inclusion and
// equivalence, with the shortest (then shortlex-least) counterexample when two differ.
#pragma once

#include <optional>

#include "automata/dfa.h"
#include "automata/nfa.h"

namespace statelab::automata {

/// No word is accepted.  Time O(k n).
bool is_empty(const Dfa& dfa);

/// Every word is accepted.  Time O(k n).
bool is_universal(const Dfa& dfa);

/// Finitely many words are accepted: no cycle runs through a reachable, live state
/// (strongly connected components).  Time O(k n).
bool is_finite(const Dfa& dfa);

/// Every word `a` accepts, `b` accepts too.  Time O(k n_a n_b) in the worst case.
/// Symbols are matched by name, in any order; throws InvalidArgument when the names differ.
bool is_subset(const Dfa& a, const Dfa& b);

/// Hopcroft and Karp's union-find equivalence check.  Time O(k (n_a + n_b) alpha(n)).
/// Symbols are matched by name, in any order; throws InvalidArgument when the names differ.
bool equivalent(const Dfa& a, const Dfa& b);

/// The shortest, then shortlex-least, word accepted by exactly one of `a` and `b`, or nothing
/// when they accept the same language.  Decides with `equivalent` first, then finds the word by
/// a breadth-first search over pairs (time O(k n_a n_b) in the worst case).  The word is over
/// `a`'s alphabet.
/// Symbols are matched by name, in any order; throws InvalidArgument when the names differ.
std::optional<Word> find_counterexample(const Dfa& a, const Dfa& b);

/// What `statelab dfa info` reports of an automaton as read (an Nfa, possibly deterministic).
struct AutomatonFacts {
  std::size_t states = 0;              // as read
  std::size_t accepting = 0;           // accepting states, as read
  bool deterministic = false;          // no epsilon, at most one arc per state and symbol
  bool complete = false;               // deterministic with exactly one arc per state and symbol
  bool minimal = false;                // complete, and no smaller complete DFA accepts the language
  std::size_t minimal_states = 0;      // states of the minimal complete DFA
  bool empty = false, finite = false, universal = false;
};

/// The facts above.  Determinizes (at most `max_states` states: LimitExceeded naming it), then
/// minimises once.  Time: determinize + O(k n log n).
AutomatonFacts automaton_facts(const Nfa& nfa, std::size_t max_states = kDefaultMaxStates);

}  // namespace statelab::automata
