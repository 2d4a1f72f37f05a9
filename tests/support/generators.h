// RapidCheck generators for the automata types, shared by every test suite.
// They build valid values directly (a complete table, states in range), so shrinking stays
// inside the valid space: a shrunk Dfa has fewer states, fewer accepting states or smaller ids.
// `Word` is a std::vector<Symbol>, which RapidCheck already generates, so words come from
// `gen_word(alphabet)` rather than an Arbitrary specialisation.
#pragma once

#include <rapidcheck.h>

#include <ostream>
#include <string>
#include <vector>

#include "automata/alphabet.h"
#include "automata/dfa.h"
#include "automata/nfa.h"

namespace statelab::testing {

inline automata::Alphabet letters(std::size_t k) {
  std::string chars;
  for (std::size_t i = 0; i < k; ++i) chars += static_cast<char>('a' + i);
  return automata::Alphabet::from_chars(chars);
}

/// A complete DFA with 1..max_states states over the first `k` letters.
inline rc::Gen<automata::Dfa> gen_dfa(std::size_t k, std::size_t max_states = 8) {
  using namespace automata;
  return rc::gen::mapcat(rc::gen::inRange<std::size_t>(1, max_states + 1), [k](std::size_t n) {
    return rc::gen::map(
        rc::gen::tuple(rc::gen::container<std::vector<State>>(n * k, rc::gen::inRange<State>(0, static_cast<State>(n))),
                       rc::gen::container<std::vector<bool>>(n, rc::gen::arbitrary<bool>()),
                       rc::gen::inRange<State>(0, static_cast<State>(n))),
        [k, n](const std::tuple<std::vector<State>, std::vector<bool>, State>& t) {
          Dfa dfa(letters(k), n);
          const auto& [table, accepting, initial] = t;
          for (State q = 0; q < n; ++q) {
            for (Symbol a = 0; a < k; ++a) dfa.set_next(q, a, table[q * k + a]);
            dfa.set_accepting(q, accepting[q]);
          }
          dfa.set_initial(initial);
          return dfa;
        });
  });
}

/// An NFA with epsilon moves, 1..max_states states, 0..3 arcs per state, possibly partial.
inline rc::Gen<automata::Nfa> gen_nfa(std::size_t k, std::size_t max_states = 6) {
  using namespace automata;
  return rc::gen::mapcat(rc::gen::inRange<std::size_t>(1, max_states + 1), [k](std::size_t n) {
    auto arc = rc::gen::tuple(rc::gen::inRange<State>(0, static_cast<State>(n)),
                              rc::gen::inRange<Symbol>(0, static_cast<Symbol>(k + 1)),  // k means epsilon
                              rc::gen::inRange<State>(0, static_cast<State>(n)));
    auto arcs = rc::gen::mapcat(rc::gen::inRange<std::size_t>(0, 3 * n + 1), [arc](std::size_t m) {
      return rc::gen::container<std::vector<std::tuple<State, Symbol, State>>>(m, arc);
    });
    return rc::gen::map(
        rc::gen::tuple(arcs, rc::gen::container<std::vector<bool>>(n, rc::gen::arbitrary<bool>()),
                       rc::gen::container<std::vector<bool>>(n, rc::gen::arbitrary<bool>())),
        [k, n](const auto& t) {
          Nfa nfa(letters(k), n);
          const auto& [arcs, accepting, initial] = t;
          for (const auto& [from, symbol, to] : arcs) nfa.add_arc(from, symbol == k ? kEpsilon : symbol, to);
          for (State q = 0; q < n; ++q) {
            nfa.set_accepting(q, accepting[q]);
            if (initial[q]) nfa.add_initial(q);
          }
          return nfa;
        });
  });
}

/// A word of length 0..max_length over an alphabet of `k` symbols.
inline rc::Gen<automata::Word> gen_word(std::size_t k, std::size_t max_length = 12) {
  using namespace automata;
  return rc::gen::mapcat(rc::gen::inRange<std::size_t>(0, max_length + 1), [k](std::size_t len) {
    return rc::gen::container<Word>(len, rc::gen::inRange<Symbol>(0, static_cast<Symbol>(k)));
  });
}

/// Every word of length 0..max_length over k symbols, in shortlex order (for brute force).
inline std::vector<automata::Word> all_words(std::size_t k, std::size_t max_length) {
  std::vector<automata::Word> out{{}};
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (out[i].size() == max_length) continue;
    for (automata::Symbol a = 0; a < k; ++a) {
      auto w = out[i];
      w.push_back(a);
      out.push_back(std::move(w));
    }
  }
  return out;
}

}  // namespace statelab::testing

namespace statelab::automata {
// How RapidCheck prints a counterexample (found by argument-dependent lookup).
inline void showValue(const Dfa& dfa, std::ostream& os) {
  os << "Dfa(" << dfa.num_states() << " states, initial " << dfa.initial() << "; ";
  for (State q = 0; q < dfa.num_states(); ++q) {
    os << (q ? " | " : "") << q << (dfa.is_accepting(q) ? "*" : "") << ":";
    for (Symbol a = 0; a < dfa.num_symbols(); ++a) os << " " << dfa.alphabet().name(a) << "->" << dfa.next(q, a);
  }
  os << ")";
}
inline void showValue(const Nfa& nfa, std::ostream& os) {
  os << "Nfa(" << nfa.num_states() << " states, initial {";
  for (State q : nfa.initial_states()) os << " " << q;
  os << " }; ";
  for (State q = 0; q < nfa.num_states(); ++q) {
    os << (q ? " | " : "") << q << (nfa.is_accepting(q) ? "*" : "") << ":";
    for (const NfaArc& arc : nfa.arcs(q))
      os << " " << (arc.symbol == kEpsilon ? std::string("eps") : nfa.alphabet().name(arc.symbol)) << "->" << arc.target;
  }
  os << ")";
}
}  // namespace statelab::automata

namespace rc {
template <>
struct Arbitrary<statelab::automata::Dfa> {
  static Gen<statelab::automata::Dfa> arbitrary() {
    return gen::mapcat(gen::inRange<std::size_t>(1, 4),
                       [](std::size_t k) { return statelab::testing::gen_dfa(k); });
  }
};
template <>
struct Arbitrary<statelab::automata::Nfa> {
  static Gen<statelab::automata::Nfa> arbitrary() {
    return gen::mapcat(gen::inRange<std::size_t>(1, 4),
                       [](std::size_t k) { return statelab::testing::gen_nfa(k); });
  }
};
}  // namespace rc
