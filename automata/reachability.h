// Which states matter: those reachable from the initial state (accessible) and those from which
// an accepting state is reachable (coaccessible, or live).  Counting, sampling and enumeration
// restrict themselves to states that are both, so they never spend work in dead parts.
#pragma once

#include <vector>

#include "automata/dfa.h"

namespace statelab::automata {

/// accessible[q]: some word leads from the initial state to q.
/// Breadth-first search (Boost.Graph) over the table.  Time O(n k), space O(n).
std::vector<bool> accessible_states(const Dfa& dfa);

/// coaccessible[q]: some word leads from q to an accepting state.
/// Backward search from the accepting states over the reversed table.  Time O(n k), space O(n k).
std::vector<bool> coaccessible_states(const Dfa& dfa);

}  // namespace statelab::automata
