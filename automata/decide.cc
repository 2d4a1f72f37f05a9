#include "automata/decide.h"

#include <algorithm>
#include <boost/graph/strong_components.hpp>
#include <numeric>
#include <vector>

#include "automata/boolean_ops.h"
#include "automata/dfa_graph.h"
#include "automata/minimize.h"
#include "automata/pair_index.h"
#include "automata/reachability.h"

namespace statelab::automata {

bool is_empty(const Dfa& dfa) {
  const std::vector<bool> reached = reachable_states(dfa);
  for (State q = 0; q < dfa.num_states(); ++q)
    if (reached[q] && dfa.is_accepting(q)) return false;
  return true;
}

bool is_universal(const Dfa& dfa) { return is_empty(complement(dfa)); }

bool is_finite(const Dfa& dfa) {
  const std::size_t n = dfa.num_states();
  const std::vector<bool> reached = reachable_states(dfa), live = live_states(dfa);
  std::vector<std::size_t> component(n);
  boost::strong_components(dfa, boost::make_iterator_property_map(component.begin(), get(boost::vertex_index, dfa)));
  std::vector<std::size_t> size(n, 0);
  for (State q = 0; q < n; ++q) ++size[component[q]];
  for (State q = 0; q < n; ++q) {
    if (!reached[q] || !live[q]) continue;
    if (size[component[q]] > 1) return false;
    for (State r : dfa.row(q))
      if (r == q) return false;
  }
  return true;
}

bool is_subset(const Dfa& a, const Dfa& b) {
  return is_empty(difference(a, b, SIZE_MAX));
}

bool equivalent(const Dfa& a, const Dfa& b) {
  const std::vector<Symbol> to_b = symbol_map(a.alphabet(), b.alphabet(), "equivalent");
  const std::size_t na = a.num_states();
  // Union-find over the disjoint union of the two state sets (b's states shifted by na).
  std::vector<std::uint32_t> parent(na + b.num_states());
  std::iota(parent.begin(), parent.end(), 0u);
  auto find = [&](std::uint32_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  };
  std::vector<std::pair<State, State>> pending{{a.initial(), b.initial()}};
  parent[find(a.initial())] = find(static_cast<std::uint32_t>(na + b.initial()));
  while (!pending.empty()) {
    const auto [p, q] = pending.back();
    pending.pop_back();
    if (a.is_accepting(p) != b.is_accepting(q)) return false;
    for (Symbol s = 0; s < a.num_symbols(); ++s) {
      const State p2 = a.next(p, s), q2 = b.next(q, to_b[s]);
      const std::uint32_t r1 = find(p2), r2 = find(static_cast<std::uint32_t>(na + q2));
      if (r1 != r2) {
        parent[r1] = r2;
        pending.emplace_back(p2, q2);
      }
    }
  }
  return true;
}

std::optional<Word> find_counterexample(const Dfa& a, const Dfa& b) {
  if (equivalent(a, b)) return std::nullopt;
  // Breadth-first over pairs with symbols in order: the first pair reached by a word is reached
  // by its shortlex-least shortest word, and pairs leave the queue in shortlex order of those
  // words, so the first disagreeing pair gives the shortest, shortlex-least counterexample.
  const std::vector<Symbol> to_b = symbol_map(a.alphabet(), b.alphabet(), "find_counterexample");
  detail::PairIndex index(a.num_states(), b.num_states(), std::size_t{1} << 16);
  struct Node {
    State p, q;
    std::uint32_t parent;
    Symbol symbol;
  };
  std::vector<Node> nodes{{a.initial(), b.initial(), UINT32_MAX, 0}};
  index.insert(a.initial(), b.initial(), 0);
  for (std::uint32_t i = 0; i < nodes.size(); ++i) {
    const Node node = nodes[i];
    if (a.is_accepting(node.p) != b.is_accepting(node.q)) {
      Word word;
      for (std::uint32_t j = i; nodes[j].parent != UINT32_MAX; j = nodes[j].parent) word.push_back(nodes[j].symbol);
      std::reverse(word.begin(), word.end());
      return word;
    }
    for (Symbol s = 0; s < a.num_symbols(); ++s) {
      const State p2 = a.next(node.p, s), q2 = b.next(node.q, to_b[s]);
      if (index.find(p2, q2) == detail::PairIndex::kNone) {
        index.insert(p2, q2, static_cast<State>(nodes.size()));
        nodes.push_back({p2, q2, i, s});
      }
    }
  }
  return std::nullopt;  // unreachable: equivalent() said they differ
}

AutomatonFacts automaton_facts(const Nfa& nfa, std::size_t max_states) {
  AutomatonFacts f;
  f.states = nfa.num_states();
  for (State q = 0; q < nfa.num_states(); ++q) f.accepting += nfa.is_accepting(q);
  f.deterministic = nfa.is_deterministic();
  f.complete = nfa.is_complete_deterministic();
  const Dfa dfa = determinize(nfa, max_states);
  f.minimal_states = minimize(dfa).num_states();
  f.minimal = f.complete && f.minimal_states == dfa.num_states();  // as is_minimal, without a second pass
  f.empty = is_empty(dfa);
  f.finite = is_finite(dfa);
  f.universal = is_universal(dfa);
  return f;
}

}  // namespace statelab::automata
