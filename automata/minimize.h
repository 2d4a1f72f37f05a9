// Minimisation of complete DFAs, and the two independent minimisers the tests use as oracles.
// Every minimiser returns the minimal complete DFA of the language restricted to reachable
// states, numbered canonically: states in breadth-first order from the initial state (state 0),
// successors visited in symbol order.  Two DFAs accept the same language exactly when their
// minimisations are equal (operator==), alphabet included.
#pragma once

#include "automata/dfa.h"

namespace statelab::automata {

/// Hopcroft's partition refinement ("process the smaller half"), in Valmari's formulation with
/// a second refinable partition over the transitions.  Time O(k n log n), space O(k n).
Dfa minimize(const Dfa& dfa);

/// Moore's algorithm: refine by (class, successor classes) until stable.
/// Time O(k n^2) in the worst case; a test oracle sharing no code with `minimize`.
Dfa moore_minimize(const Dfa& dfa);

/// Brzozowski's double reversal: determinize(reverse(determinize(reverse(dfa)))).
/// Exponential in the worst case; a test oracle sharing no code with `minimize`.
Dfa brzozowski_minimize(const Dfa& dfa);

/// Whether every state is reachable and no two states are equivalent.  Time O(k n log n).
bool is_minimal(const Dfa& dfa);

/// The same automaton with its states renumbered in breadth-first order from the initial state
/// (symbols in order), unreachable states dropped.  Time O(k n).
Dfa canonical_order(const Dfa& dfa);

}  // namespace statelab::automata
