// Reachability on DFAs and NFAs: which states can be reached, which can still reach acceptance,
// which are traps; and the constructions that keep only the useful part.
// The DFA functions run Boost.Graph algorithms (breadth_first_search, strong_components) on the
// Dfa directly through its graph traits (automata/dfa_graph.h).
#pragma once

#include <vector>

#include "automata/dfa.h"
#include "automata/nfa.h"

namespace statelab::automata {

/// reachable[q]: q is reached from the initial state by some word.  Breadth-first search.
/// Time O(k n).
std::vector<bool> reachable_states(const Dfa& dfa);

/// live[q]: some word leads from q to an accepting state.  Time O(k n).
std::vector<bool> live_states(const Dfa& dfa);

/// The trap (dead, sink) states: reachable from nowhere accepting; computed from the strongly
/// connected components (a trap component is closed and holds no accepting state).  Time O(k n).
std::vector<State> trap_states(const Dfa& dfa);

/// The DFA restricted to its reachable states, numbered in breadth-first order.  Time O(k n).
Dfa reachable_part(const Dfa& dfa);

/// The NFA restricted to states that are both reachable and live (possibly no state at all).
/// Time O(n + m).
Nfa trim(const Nfa& nfa);

/// A complete DFA for an NFA that is deterministic but possibly partial: missing arcs go to
/// one added sink.  Throws InvalidArgument when the NFA is not deterministic.  Time O(k n).
Dfa complete(const Nfa& deterministic_nfa);

}  // namespace statelab::automata
