// Decision procedures on complete DFAs: emptiness, universality, finiteness, inclusion and
// equivalence, with the shortest (then shortlex-least) counterexample when two differ.
#pragma once

#include <optional>

#include "automata/dfa.h"

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

}  // namespace statelab::automata
