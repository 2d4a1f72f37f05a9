// Helpers for the reader/writer tests: exact language comparison,
// and a check that a call throws ParseError whose message contains given text.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "automata/dfa.h"
#include "automata/nfa.h"
#include "base/error.h"
#include "tests/support/generators.h"

namespace statelab::testing {

/// Whether two DFAs over the same alphabet accept the same language: a breadth-first search of
/// the pairs of states reachable together, none of which may disagree on acceptance.
/// Independent of automata/decide.h on purpose.  Time O(n1 n2 k).
inline bool same_language(const automata::Dfa& a, const automata::Dfa& b) {
  using automata::State;
  if (!(a.alphabet() == b.alphabet())) return false;
  const std::size_t n2 = b.num_states();
  std::vector<bool> seen(a.num_states() * n2, false);
  std::vector<std::pair<State, State>> queue{{a.initial(), b.initial()}};
  seen[a.initial() * n2 + b.initial()] = true;
  for (std::size_t i = 0; i < queue.size(); ++i) {
    const auto [p, q] = queue[i];
    if (a.is_accepting(p) != b.is_accepting(q)) return false;
    for (automata::Symbol s = 0; s < a.num_symbols(); ++s) {
      const State p2 = a.next(p, s), q2 = b.next(q, s);
      if (!seen[p2 * n2 + q2]) {
        seen[p2 * n2 + q2] = true;
        queue.emplace_back(p2, q2);
      }
    }
  }
  return true;
}

/// The same for NFAs, through their subset constructions.
inline bool same_language(const automata::Nfa& a, const automata::Nfa& b) {
  return same_language(automata::determinize(a), automata::determinize(b));
}

/// Expects `call` to throw ParseError with `needle` in its message; returns the message.
inline std::string expect_parse_error(const std::function<void()>& call, const std::string& needle) {
  try {
    call();
  } catch (const ParseError& e) {
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << "message: " << e.what();
    return e.what();
  } catch (const std::exception& e) {
    ADD_FAILURE() << "expected ParseError containing '" << needle << "', got another exception: " << e.what();
    return e.what();
  }
  ADD_FAILURE() << "expected ParseError containing '" << needle << "', nothing was thrown";
  return {};
}

}  // namespace statelab::testing
