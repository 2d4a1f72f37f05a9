// Fixtures for the engine tests: known languages as hand-built PDAs and grammars, the
// independent brute-force predicates they are checked against, and RapidCheck generators for
// random grammars and PDAs.  The predicates share no code with the engines: they look at the
// word directly (counting, mirroring, matching brackets with a std::vector as stack).
#pragma once

#include <rapidcheck.h>

#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "automata/cfg.h"
#include "automata/pda.h"
#include "tests/support/generators.h"

namespace statelab::testing {

// ----- brute-force predicates over words given as strings of one-character symbols ------------

inline bool is_anbn(const std::string& w) {
  const std::size_t n = w.size() / 2;
  return w.size() % 2 == 0 && w == std::string(n, 'a') + std::string(n, 'b');
}

/// Balanced brackets over the pairs given as "()[]": opening at even, closing at odd index.
inline bool is_dyck(const std::string& w, const std::string& pairs) {
  std::vector<char> open;
  for (char c : w) {
    const std::size_t i = pairs.find(c);
    if (i == std::string::npos) return false;
    if (i % 2 == 0) {
      open.push_back(c);
    } else {
      if (open.empty() || open.back() != pairs[i - 1]) return false;
      open.pop_back();
    }
  }
  return open.empty();
}

inline bool is_palindrome(const std::string& w) { return std::string(w.rbegin(), w.rend()) == w; }

inline bool is_marked_palindrome(const std::string& w) {
  const std::size_t mark = w.find('#');
  if (mark == std::string::npos || w.find('#', mark + 1) != std::string::npos) return false;
  const std::string left = w.substr(0, mark), right = w.substr(mark + 1);
  return std::string(left.rbegin(), left.rend()) == right;
}

inline bool is_anbncn(const std::string& w) {
  const std::size_t n = w.size() / 3;
  return w.size() % 3 == 0 && w == std::string(n, 'a') + std::string(n, 'b') + std::string(n, 'c');
}

inline std::string as_string(const automata::Alphabet& alphabet, const automata::Word& w) {
  return alphabet.format_word(w);
}

// ----- grammars -----------------------------------------------------------------------------

inline const char* kDyck1Grammar = "S -> ( S ) S | ε\n";
inline const char* kDyck2Grammar = "S -> ( S ) S | [ S ] S | ε\n";
inline const char* kPalindromeGrammar = "S -> a S a | b S b | a | b | ε\n";
inline const char* kMarkedPalindromeGrammar = "%terminals a b '#'\nS -> a S a | b S b | '#'\n";
inline const char* kAnbnGrammar = "S -> a S b | %empty\n";

// ----- hand-built PDAs ----------------------------------------------------------------------

/// Deterministic, final state: q0 (accepting) --a,Z/AZ--> q1 --a,A/AA--> q1 --b,A/--> q2
/// --b,A/--> q2 --eps,Z/Z--> q3 (accepting).
inline automata::Pda anbn_dpda() {
  using namespace automata;
  Pda pda(Alphabet::from_chars("ab"), Alphabet({"Z", "A"}), 0, 4);
  const Symbol a = 0, b = 1, Z = 0, A = 1;
  pda.set_accepting(0);
  pda.set_accepting(3);
  pda.add_move({0, a, Z, {A, Z}, 1});
  pda.add_move({1, a, A, {A, A}, 1});
  pda.add_move({1, b, A, {}, 2});
  pda.add_move({2, b, A, {}, 2});
  pda.add_move({2, kEpsilon, Z, {Z}, 3});
  return pda;
}

/// Deterministic Dyck over the bracket pairs `pairs` ("()" or "()[]"), final state.  State 0
/// (accepting) has only the bottom on the stack, state 1 is inside brackets, state 2 has just
/// popped and looks at the top with epsilon moves.
inline automata::Pda dyck_dpda(const std::string& pairs) {
  using namespace automata;
  const std::size_t k = pairs.size() / 2;
  std::vector<std::string> stack{"Z"};
  for (std::size_t i = 0; i < k; ++i) stack.push_back(std::string(1, pairs[2 * i]));
  Pda pda(Alphabet::from_chars(pairs), Alphabet(stack), 0, 3);
  pda.set_accepting(0);
  for (Symbol i = 0; i < k; ++i) {
    const Symbol open = 2 * i, close = 2 * i + 1, mark = i + 1;
    pda.add_move({0, open, 0, {mark, 0}, 1});
    for (Symbol j = 0; j < k; ++j) pda.add_move({1, open, j + 1, {mark, j + 1}, 1});
    pda.add_move({1, close, mark, {}, 2});
    pda.add_move({2, kEpsilon, mark, {mark}, 1});
  }
  pda.add_move({2, kEpsilon, 0, {0}, 0});
  return pda;
}

/// Deterministic w#w^R: push in state 0 (popping nothing), '#' to state 1, pop matching, then
/// an epsilon move on the bottom to the accepting state 2.
inline automata::Pda marked_palindrome_dpda() {
  using namespace automata;
  Pda pda(Alphabet::from_chars("ab#"), Alphabet({"Z", "A", "B"}), 0, 3);
  pda.set_accepting(2);
  pda.add_move({0, 0, kEpsilon, {1}, 0});
  pda.add_move({0, 1, kEpsilon, {2}, 0});
  pda.add_move({0, 2, kEpsilon, {}, 1});
  pda.add_move({1, 0, 1, {}, 1});
  pda.add_move({1, 1, 2, {}, 1});
  pda.add_move({1, kEpsilon, 0, {0}, 2});
  return pda;
}

/// Nondeterministic palindromes over {a, b}: guess the middle (epsilon for even length, one
/// symbol for odd).  Final state, or empty stack (the bottom popped at the end).
inline automata::Pda palindrome_pda(automata::PdaAcceptance acceptance) {
  using namespace automata;
  Pda pda(Alphabet::from_chars("ab"), Alphabet({"Z", "A", "B"}), 0, 3, acceptance);
  pda.set_accepting(2);
  pda.add_move({0, 0, kEpsilon, {1}, 0});
  pda.add_move({0, 1, kEpsilon, {2}, 0});
  pda.add_move({0, kEpsilon, kEpsilon, {}, 1});
  pda.add_move({0, 0, kEpsilon, {}, 1});
  pda.add_move({0, 1, kEpsilon, {}, 1});
  pda.add_move({1, 0, 1, {}, 1});
  pda.add_move({1, 1, 2, {}, 1});
  if (acceptance == PdaAcceptance::final_state) {
    pda.add_move({1, kEpsilon, 0, {0}, 2});
  } else {
    pda.add_move({1, kEpsilon, 0, {}, 2});
  }
  return pda;
}

// ----- random grammars and PDAs -------------------------------------------------------------

/// A grammar over the first k letters with 1..4 nonterminals N0.., 1..3 rules each, right-hand
/// sides of length 0..3; nonterminals may be useless, rules left- or right-recursive, nullable.
inline rc::Gen<automata::Cfg> gen_cfg(std::size_t k) {
  using namespace automata;
  return rc::gen::mapcat(rc::gen::inRange<std::size_t>(1, 5), [k](std::size_t n) {
    const auto symbol = rc::gen::inRange<std::uint32_t>(0, static_cast<std::uint32_t>(k + n));
    const auto rhs = rc::gen::mapcat(rc::gen::inRange<std::size_t>(0, 4), [symbol](std::size_t len) {
      return rc::gen::container<std::vector<std::uint32_t>>(len, symbol);
    });
    const auto rules = rc::gen::mapcat(rc::gen::inRange<std::size_t>(1, 4), [rhs](std::size_t m) {
      return rc::gen::container<std::vector<std::vector<std::uint32_t>>>(m, rhs);
    });
    return rc::gen::map(rc::gen::container<std::vector<std::vector<std::vector<std::uint32_t>>>>(n, rules),
                        [k, n](const std::vector<std::vector<std::vector<std::uint32_t>>>& all) {
                          std::vector<std::string> names;
                          for (std::size_t i = 0; i < n; ++i) {
                            names.emplace_back("N");  // not "N" + ...: GCC 12 warns falsely (-Wrestrict)
                            names.back() += std::to_string(i);
                          }
                          Cfg cfg(letters(k), names);
                          for (Nonterminal lhs = 0; lhs < n; ++lhs)
                            for (const auto& r : all[lhs]) {
                              std::vector<GrammarSymbol> rhs;
                              for (std::uint32_t s : r)
                                rhs.push_back(s < k ? GrammarSymbol::term(s)
                                                    : GrammarSymbol::nonterm(static_cast<Nonterminal>(s - k)));
                              cfg.add_production(lhs, std::move(rhs));
                            }
                          return cfg;
                        });
  });
}

/// A PDA over the first k letters, stack symbols {Z, A, B}, 1..4 states, 0..4n moves that read
/// or not, pop or not, push 0..2 symbols; either acceptance.
inline rc::Gen<automata::Pda> gen_pda(std::size_t k, std::size_t max_states = 4) {
  using namespace automata;
  return rc::gen::mapcat(rc::gen::inRange<std::size_t>(1, max_states + 1), [k](std::size_t n) {
    const auto state = rc::gen::inRange<State>(0, static_cast<State>(n));
    const auto input = rc::gen::inRange<Symbol>(0, static_cast<Symbol>(k + 1));  // k: epsilon
    const auto stack_symbol = rc::gen::inRange<Symbol>(0, 4);                   // 3: nothing
    const auto push = rc::gen::mapcat(rc::gen::inRange<std::size_t>(0, 3), [](std::size_t len) {
      return rc::gen::container<std::vector<Symbol>>(len, rc::gen::inRange<Symbol>(0, 3));
    });
    const auto move = rc::gen::tuple(state, input, stack_symbol, push, state);
    const auto moves = rc::gen::mapcat(rc::gen::inRange<std::size_t>(0, 4 * n + 1), [move](std::size_t m) {
      return rc::gen::container<std::vector<std::tuple<State, Symbol, Symbol, std::vector<Symbol>, State>>>(m, move);
    });
    return rc::gen::map(
        rc::gen::tuple(moves, rc::gen::container<std::vector<bool>>(n, rc::gen::arbitrary<bool>()),
                       rc::gen::arbitrary<bool>()),
        [k, n](const auto& t) {
          const auto& [all, accepting, empty_stack] = t;
          Pda pda(letters(k), Alphabet({"Z", "A", "B"}), 0, n,
                  empty_stack ? PdaAcceptance::empty_stack : PdaAcceptance::final_state);
          for (State q = 0; q < n; ++q) pda.set_accepting(q, accepting[q]);
          for (const auto& [from, in, pop, push, to] : all)
            pda.add_move({from, in == k ? kEpsilon : in, pop == 3 ? kEpsilon : pop, push, to});
          return pda;
        });
  });
}

/// The moves of `pda` kept greedily while they conflict with no kept move: a deterministic PDA.
inline automata::Pda make_deterministic(const automata::Pda& pda) {
  using namespace automata;
  Pda out(pda.input_alphabet(), pda.stack_alphabet(), pda.bottom(), pda.num_states(), pda.acceptance());
  for (State q = 0; q < pda.num_states(); ++q) out.set_accepting(q, pda.is_accepting(q));
  for (const PdaMove& m : pda.moves()) {
    bool clash = false;
    for (std::size_t i : out.moves_from(m.from)) {
      const PdaMove& o = out.moves()[i];
      clash = clash || ((o.input == m.input || o.input == kEpsilon || m.input == kEpsilon) &&
                        (o.pop == m.pop || o.pop == kEpsilon || m.pop == kEpsilon));
    }
    if (!clash) out.add_move(m);
  }
  return out;
}

/// An independent oracle: breadth-first search over whole configurations (position, state,
/// stack), the stack capped at `max_height`.  Returns the answer when it is certain: true once
/// an accepting configuration is found, false when the search ends without ever being capped;
/// nothing when it rejected but had to cut some run at the cap.
inline std::optional<bool> brute_accepts(const automata::Pda& pda, const automata::Word& word,
                                         std::size_t max_height = 12) {
  using namespace automata;
  using Config = std::tuple<std::size_t, State, std::vector<Symbol>>;
  if (pda.num_states() == 0) return false;
  std::set<Config> seen;
  std::vector<Config> todo{{0, pda.initial(), {pda.bottom()}}};
  seen.insert(todo.back());
  bool capped = false;
  while (!todo.empty()) {
    auto [pos, q, stack] = todo.back();
    todo.pop_back();
    if (pos == word.size() &&
        (pda.acceptance() == PdaAcceptance::final_state ? pda.is_accepting(q) : stack.empty()))
      return true;
    for (std::size_t i : pda.moves_from(q)) {
      const PdaMove& m = pda.moves()[i];
      std::size_t next = pos;
      if (m.input != kEpsilon) {
        if (pos == word.size() || word[pos] != m.input) continue;
        ++next;
      }
      std::vector<Symbol> s = stack;  // top at the back
      if (m.pop != kEpsilon) {
        if (s.empty() || s.back() != m.pop) continue;
        s.pop_back();
      }
      for (std::size_t j = m.push.size(); j > 0; --j) s.push_back(m.push[j - 1]);
      if (s.size() > max_height) {
        capped = true;
        continue;
      }
      Config c{next, m.to, std::move(s)};
      if (seen.insert(c).second) todo.push_back(std::move(c));
    }
  }
  if (capped) return std::nullopt;
  return false;
}

}  // namespace statelab::testing

namespace statelab::automata {
inline void showValue(const Cfg& cfg, std::ostream& os) { os << "\n" << format_cfg(cfg); }
inline void PrintTo(const Cfg& cfg, std::ostream* os) { showValue(cfg, *os); }
inline void showValue(const Pda& pda, std::ostream& os) {
  os << "Pda(" << pda.num_states() << " states, initial " << pda.initial() << ", "
     << (pda.acceptance() == PdaAcceptance::final_state ? "final state" : "empty stack") << ", accepting {";
  for (State q = 0; q < pda.num_states(); ++q)
    if (pda.is_accepting(q)) os << " " << q;
  os << " };";
  for (const PdaMove& m : pda.moves()) os << "\n  " << format_move(pda, m);
  os << ")";
}
}  // namespace statelab::automata
namespace statelab::automata {
inline void PrintTo(const Pda& pda, std::ostream* os) { showValue(pda, *os); }
}  // namespace statelab::automata
