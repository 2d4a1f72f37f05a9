// Boolean operations on complete DFAs over the same alphabet: complement, and the product
// construction for intersection, union, difference and symmetric difference.
// Products build only the pairs reachable from (initial, initial), numbered in breadth-first
// order, and throw LimitExceeded past `max_states`.  The symbols of `b` are matched to those of
// `a` by name, in any order (the product is over `a`'s alphabet); alphabets that do not hold the
// same names throw InvalidArgument.
#pragma once

#include <cstddef>

#include "automata/dfa.h"
#include "automata/nfa.h"

namespace statelab::automata {

enum class BooleanOp { intersection, union_, difference, symmetric_difference };

/// The words `dfa` rejects.  Time O(k n).
Dfa complement(const Dfa& dfa);

/// The product DFA accepting the words w with op(a accepts w, b accepts w).
/// Time O(k n_a n_b) in the worst case, space O(n_a n_b) for the pair index.
Dfa product(const Dfa& a, const Dfa& b, BooleanOp op, std::size_t max_states = kDefaultMaxStates);

inline Dfa intersect(const Dfa& a, const Dfa& b, std::size_t max_states = kDefaultMaxStates) {
  return product(a, b, BooleanOp::intersection, max_states);
}
inline Dfa unite(const Dfa& a, const Dfa& b, std::size_t max_states = kDefaultMaxStates) {
  return product(a, b, BooleanOp::union_, max_states);
}
inline Dfa difference(const Dfa& a, const Dfa& b, std::size_t max_states = kDefaultMaxStates) {
  return product(a, b, BooleanOp::difference, max_states);
}
inline Dfa symmetric_difference(const Dfa& a, const Dfa& b, std::size_t max_states = kDefaultMaxStates) {
  return product(a, b, BooleanOp::symmetric_difference, max_states);
}

}  // namespace statelab::automata
