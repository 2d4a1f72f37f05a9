// Seeded random DFAs, for tests, benchmarks and experiments on "typical" automata.
// The draw is uniform over complete transition tables, so most states of a large random DFA are
// reachable and the automaton is nearly minimal; nothing is trimmed or minimised afterwards.
#pragma once

#include <cstddef>
#include <cstdint>

#include "automata/dfa.h"
#include "automata/limits.h"

namespace statelab::automata {

/// A DFA with `states` states over `symbols` symbols, state 0 initial, every transition target
/// drawn uniformly among the states, and each state accepting independently with probability
/// `accepting_probability`.  Symbols are named a, b, c, ... when symbols <= 26, otherwise
/// s0, s1, ..., s{symbols-1}.
///
/// Reproducible: the same arguments give the same DFA on every platform.  The draws, from
/// make_rng(seed), are uniform_below(states) for each transition in row-major order (state 0's
/// symbols first), then one bernoulli(accepting_probability) per state in order; this order is
/// part of the contract.  Time and space O(states symbols).
/// Throws InvalidArgument on 0 states, 0 symbols, or a probability outside [0, 1].
/// Throws LimitExceeded, before allocating, when the table of states x symbols and the symbols'
/// names would take more than `memory`.
Dfa random_dfa(std::size_t states, std::size_t symbols, std::uint64_t seed, double accepting_probability = 0.5,
               const MemoryLimit& memory = {});

}  // namespace statelab::automata
