// RapidCheck generators for regular expressions, shared by every test suite.
// `gen_regex(k)` builds syntax trees through the Regex factories, so every value satisfies the
// Regex invariants, and shrinks them with `shrink_regex`, which only proposes smaller valid
// trees: a node replaced by one of its children, a child dropped, a class with fewer or smaller
// symbols, tighter repetition bounds, a subtree shrunk in place.  A failing case therefore shrinks
// to a handful of nodes.  `gen_regex_alphabet()` draws alphabets whose names need every spelling
// the syntax has (bare, escaped, <name>), for printer and parser round trips.
#pragma once

#include <rapidcheck.h>

#include <algorithm>
#include <cstddef>
#include <ostream>
#include <string>
#include <tuple>
#include <vector>

#include "automata/alphabet.h"
#include "automata/regex.h"

namespace statelab::testing {

namespace detail {

inline automata::Regex with_child(const automata::Regex& r, std::size_t i, automata::Regex child) {
  using automata::Regex;
  std::vector<Regex> children = r.children();
  children[i] = std::move(child);
  switch (r.kind()) {
    case Regex::Kind::concat: return Regex::concat(std::move(children));
    case Regex::Kind::union_: return Regex::alternation(std::move(children));
    default: return Regex::repeat(std::move(children.front()), r.min(), r.max());
  }
}

inline rc::Gen<automata::Regex> gen_regex_tree(std::size_t k, int depth) {
  using automata::Regex;
  using automata::Symbol;
  namespace gen = rc::gen;
  auto single = gen::map(gen::inRange<Symbol>(0, static_cast<Symbol>(k)), [](Symbol a) { return Regex::symbol(a); });
  auto subset = gen::map(gen::container<std::vector<bool>>(k, gen::arbitrary<bool>()), [](const std::vector<bool>& in) {
    std::vector<Symbol> set;
    for (std::size_t s = 0; s < in.size(); ++s)
      if (in[s]) set.push_back(static_cast<Symbol>(s));
    return Regex::symbols(std::move(set));  // empty now and then: the empty language
  });
  auto leaf = gen::weightedOneOf<Regex>({{6, single}, {2, subset}, {1, gen::just(Regex::empty_word())}});
  if (depth <= 0) return leaf;
  auto sub = gen::lazy([k, depth] { return gen_regex_tree(k, depth - 1); });
  auto parts = gen::mapcat(gen::inRange<std::size_t>(2, 4),
                           [sub](std::size_t n) { return gen::container<std::vector<Regex>>(n, sub); });
  // min in 0..2; max = min + 0..2, or unbounded (extra == 3).
  auto repeat = gen::map(gen::tuple(sub, gen::inRange<std::size_t>(0, 3), gen::inRange<std::size_t>(0, 4)),
                         [](const std::tuple<Regex, std::size_t, std::size_t>& t) {
                           const auto& [body, min, extra] = t;
                           return Regex::repeat(body, min, extra == 3 ? Regex::kUnbounded : min + extra);
                         });
  return gen::weightedOneOf<Regex>({{3, leaf},
                                    {2, gen::map(parts, [](std::vector<Regex> p) { return Regex::concat(std::move(p)); })},
                                    {2, gen::map(parts, [](std::vector<Regex> p) { return Regex::alternation(std::move(p)); })},
                                    {2, repeat}});
}

}  // namespace detail

/// Smaller valid trees than `r`, simplest first.  Every candidate is strictly smaller in
/// (number of nodes, then repetition bounds, then class size and ids, the empty word least), so
/// shrinking terminates.
inline std::vector<automata::Regex> shrink_regex(const automata::Regex& r) {
  using automata::Regex;
  using automata::Symbol;
  std::vector<Regex> out;
  switch (r.kind()) {
    case Regex::Kind::epsilon:
      break;
    case Regex::Kind::symbols: {
      const auto& set = r.symbols();
      if (set.size() <= 1) out.push_back(Regex::empty_word());
      if (set.size() == 1 && set[0] > 0) out.push_back(Regex::symbol(0));
      if (set.size() >= 2)
        for (std::size_t i = 0; i < set.size(); ++i) {
          std::vector<Symbol> smaller = set;
          smaller.erase(smaller.begin() + static_cast<std::ptrdiff_t>(i));
          out.push_back(Regex::symbols(std::move(smaller)));
        }
      break;
    }
    case Regex::Kind::concat:
    case Regex::Kind::union_:
    case Regex::Kind::repeat: {
      const auto& children = r.children();
      for (const Regex& c : children) out.push_back(c);
      if (children.size() >= 3)
        for (std::size_t i = 0; i < children.size(); ++i) {
          std::vector<Regex> fewer = children;
          fewer.erase(fewer.begin() + static_cast<std::ptrdiff_t>(i));
          out.push_back(r.kind() == Regex::Kind::concat ? Regex::concat(std::move(fewer))
                                                         : Regex::alternation(std::move(fewer)));
        }
      if (r.kind() == Regex::Kind::repeat) {
        const Regex& body = children.front();
        if (r.min() > 0) out.push_back(Regex::repeat(body, 0, r.max()));
        if (r.max() != r.min()) out.push_back(Regex::repeat(body, r.min(), r.min()));
        if (r.max() == Regex::kUnbounded) out.push_back(Regex::repeat(body, r.min(), r.min() + 1));
      }
      for (std::size_t i = 0; i < children.size(); ++i)
        for (Regex& smaller : shrink_regex(children[i])) out.push_back(detail::with_child(r, i, std::move(smaller)));
      break;
    }
  }
  return out;
}

/// A syntax tree over symbols 0..k-1 (k >= 1), at most `max_depth` operators deep (fewer at
/// small RapidCheck sizes), with
/// repetition bounds up to 4 so that automata and std::regex stay small.
inline rc::Gen<automata::Regex> gen_regex(std::size_t k, int max_depth = 3) {
  // Deeper trees as RapidCheck's size grows (0..100), so the first cases are the simplest; but
  // each node is drawn at full size, since gen::inRange would otherwise keep the counts near
  // their minimum (and unbounded repetitions out) for most of a run.
  auto tree = rc::gen::withSize([k, max_depth](int size) {
    return rc::gen::resize(100, detail::gen_regex_tree(k, std::min(max_depth, 1 + size / 25)));
  });
  return rc::gen::shrink(rc::gen::noShrink(tree), [](const automata::Regex& r) {
    return rc::seq::fromContainer(shrink_regex(r));
  });
}

/// Whether the language of `r` has a word, read off the tree (no automaton involved).
inline bool has_member(const automata::Regex& r) {
  using automata::Regex;
  switch (r.kind()) {
    case Regex::Kind::symbols: return !r.symbols().empty();
    case Regex::Kind::epsilon: return true;
    case Regex::Kind::concat:
      return std::all_of(r.children().begin(), r.children().end(), [](const Regex& c) { return has_member(c); });
    case Regex::Kind::union_:
      return std::any_of(r.children().begin(), r.children().end(), [](const Regex& c) { return has_member(c); });
    case Regex::Kind::repeat: return r.min() == 0 || has_member(r.children().front());
  }
  return false;
}

namespace detail {
// Appends a random member of L(r) to `out`; L(r) must not be empty.  Runs inside gen::exec.
inline void append_member(const automata::Regex& r, automata::Word& out) {
  using automata::Regex;
  switch (r.kind()) {
    case Regex::Kind::symbols:
      out.push_back(*rc::gen::elementOf(r.symbols()));
      return;
    case Regex::Kind::epsilon:
      return;
    case Regex::Kind::concat:
      for (const Regex& c : r.children()) append_member(c, out);
      return;
    case Regex::Kind::union_: {
      std::vector<std::size_t> live;
      for (std::size_t i = 0; i < r.children().size(); ++i)
        if (has_member(r.children()[i])) live.push_back(i);
      append_member(r.children()[*rc::gen::elementOf(live)], out);
      return;
    }
    case Regex::Kind::repeat: {
      const Regex& body = r.children().front();
      // At most 3 copies beyond the minimum keep the words short enough for std::regex.
      const std::size_t most = has_member(body) ? std::min(r.max(), r.min() + 3) : 0;
      const std::size_t copies = *rc::gen::inRange(r.min(), most + 1);
      for (std::size_t i = 0; i < copies; ++i) append_member(body, out);
      return;
    }
  }
}
}  // namespace detail

/// A random word of the language of `r`, chosen by walking the tree (a union picks a live
/// alternative, a repetition a count), so tests can check that an automaton accepts words it must
/// accept without trusting any automaton.  Precondition: has_member(r).
inline rc::Gen<automata::Word> gen_member(const automata::Regex& r) {
  return rc::gen::resize(100, rc::gen::exec([r] {  // full size: counts spread over their range
    automata::Word w;
    detail::append_member(r, w);
    return w;
  }));
}

/// An alphabet of 1..4 symbols drawn from names that need every spelling of the syntax:
/// letters and digits, metacharacters (escaped), and longer names with `>` and `\` in them.
inline rc::Gen<automata::Alphabet> gen_regex_alphabet() {
  static const std::vector<std::string> kPool = {"a",  "b", "0", "1",  "(",    ")",   "*",   "|",     ".",   "-",
                                                 "^",  "]", "[", "\\", "<",    ">",   "{",   "}",     "?",   "+",
                                                 "%",  "$", ",", "ab", "push", "pop", "x>y", "a\\b", "<b>", "[^]"};
  return rc::gen::map(rc::gen::mapcat(rc::gen::inRange<std::size_t>(1, 5),
                                      [](std::size_t k) {
                                        return rc::gen::container<std::vector<std::size_t>>(
                                            k, rc::gen::inRange<std::size_t>(0, kPool.size()));
                                      }),
                      [](const std::vector<std::size_t>& picks) {
                        std::vector<std::string> names;
                        for (std::size_t i : picks)
                          if (std::find(names.begin(), names.end(), kPool[i]) == names.end()) names.push_back(kPool[i]);
                        return automata::Alphabet(std::move(names));
                      });
}

}  // namespace statelab::testing

namespace statelab::automata {
// How RapidCheck prints a counterexample (found by argument-dependent lookup): the tree itself,
// symbols by id, since a Regex does not know its alphabet.
inline void showValue(const Regex& r, std::ostream& os) {
  switch (r.kind()) {
    case Regex::Kind::epsilon:
      os << "eps";
      return;
    case Regex::Kind::symbols:
      os << "{";
      for (std::size_t i = 0; i < r.symbols().size(); ++i) os << (i ? " " : "") << r.symbols()[i];
      os << "}";
      return;
    case Regex::Kind::concat:
    case Regex::Kind::union_:
      os << (r.kind() == Regex::Kind::concat ? "concat(" : "union(");
      for (std::size_t i = 0; i < r.children().size(); ++i) {
        if (i) os << ", ";
        showValue(r.children()[i], os);
      }
      os << ")";
      return;
    case Regex::Kind::repeat:
      os << "repeat(";
      showValue(r.children().front(), os);
      os << ", " << r.min() << ", ";
      if (r.max() == Regex::kUnbounded)
        os << "inf";
      else
        os << r.max();
      os << ")";
      return;
  }
}
}  // namespace statelab::automata
