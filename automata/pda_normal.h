// The normal form the PDA algorithms work on (not part of the public API): every step reads at
// most one symbol and does one stack operation, pop one symbol, push one symbol (whatever the
// top), or nothing.  A move "read a, pop X, push Y1..Yk" becomes the chain
// "read a + pop X", "push Yk", ..., "push Y1" through fresh intermediate states, which no other
// step enters or leaves, so the chain runs exactly as the move did.  A fresh start state pushes
// the bottom symbol and enters the initial state, so every run starts on an empty stack.
#pragma once

#include <cstddef>
#include <vector>

#include "automata/pda.h"

namespace statelab::automata::detail {

struct StepArc {
  Symbol input;  // kEpsilon or an input symbol
  Symbol stack;  // the symbol pushed or popped (unused for an internal step)
  State to;
};

struct NormalPda {
  std::size_t num_original = 0;  // states 0..num_original-1 are the PDA's own
  State start = 0;               // == num_original: pushes the bottom, enters the initial state
  std::size_t num_states = 0;    // original, start, then intermediate states
  std::vector<std::vector<StepArc>> internal, push, pop;  // per state
};

/// Time and space O(|Q| + total length of the moves).
inline NormalPda normalise(const Pda& pda) {
  NormalPda m;
  m.num_original = pda.num_states();
  m.start = static_cast<State>(m.num_original);
  m.num_states = m.num_original + 1;
  m.internal.resize(m.num_states);
  m.push.resize(m.num_states);
  m.pop.resize(m.num_states);
  auto new_state = [&m] {
    m.internal.emplace_back();
    m.push.emplace_back();
    m.pop.emplace_back();
    return static_cast<State>(m.num_states++);
  };
  m.push[m.start].push_back({kEpsilon, pda.bottom(), pda.initial()});
  for (const PdaMove& move : pda.moves()) {
    // (is_pop, symbol) in execution order: the pop, then the pushes bottom-most first.
    std::vector<std::pair<bool, Symbol>> ops;
    if (move.pop != kEpsilon) ops.emplace_back(true, move.pop);
    for (std::size_t i = move.push.size(); i > 0; --i) ops.emplace_back(false, move.push[i - 1]);
    if (ops.empty()) {
      m.internal[move.from].push_back({move.input, 0, move.to});
      continue;
    }
    State current = move.from;
    Symbol input = move.input;
    for (std::size_t j = 0; j < ops.size(); ++j) {
      const State next = j + 1 == ops.size() ? move.to : new_state();
      (ops[j].first ? m.pop : m.push)[current].push_back({input, ops[j].second, next});
      input = kEpsilon;
      current = next;
    }
  }
  return m;
}

}  // namespace statelab::automata::detail
