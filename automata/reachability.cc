#include "automata/reachability.h"

#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/strong_components.hpp>

#include "automata/dfa_graph.h"
#include "automata/minimize.h"
#include "base/error.h"

namespace statelab::automata {

std::vector<bool> reachable_states(const Dfa& dfa) {
  std::vector<boost::default_color_type> color(dfa.num_states(), boost::white_color);
  boost::breadth_first_search(
      dfa, dfa.initial(),
      boost::color_map(boost::make_iterator_property_map(color.begin(), get(boost::vertex_index, dfa))));
  std::vector<bool> out(dfa.num_states());
  for (State q = 0; q < dfa.num_states(); ++q) out[q] = color[q] != boost::white_color;
  return out;
}

std::vector<bool> live_states(const Dfa& dfa) {
  const std::size_t n = dfa.num_states();
  // Reverse adjacency in CSR form, then a backward search from the accepting states.
  std::vector<std::uint32_t> start(n + 1, 0), sources(dfa.table().size());
  for (State r : dfa.table()) ++start[r + 1];
  for (std::size_t q = 0; q < n; ++q) start[q + 1] += start[q];
  std::vector<std::uint32_t> fill(start.begin(), start.end() - 1);
  for (std::size_t t = 0; t < dfa.table().size(); ++t)
    sources[fill[dfa.table()[t]]++] = static_cast<std::uint32_t>(t / dfa.num_symbols());
  std::vector<bool> live(n, false);
  std::vector<State> queue;
  for (State q = 0; q < n; ++q)
    if (dfa.is_accepting(q)) live[q] = true, queue.push_back(q);
  for (std::size_t i = 0; i < queue.size(); ++i)
    for (std::uint32_t j = start[queue[i]]; j < start[queue[i] + 1]; ++j)
      if (!live[sources[j]]) live[sources[j]] = true, queue.push_back(sources[j]);
  return live;
}

std::vector<State> trap_states(const Dfa& dfa) {
  const std::size_t n = dfa.num_states();
  std::vector<std::size_t> component(n);
  const std::size_t count =
      boost::strong_components(dfa, boost::make_iterator_property_map(component.begin(), get(boost::vertex_index, dfa)));
  // A component is a trap when nothing leaves it and it accepts nothing; a state is a trap when
  // it can only reach trap components.  strong_components numbers components in reverse
  // topological order (successors first), so one pass in component order settles them all.
  std::vector<std::vector<State>> members(count);
  for (State q = 0; q < n; ++q) members[component[q]].push_back(q);
  std::vector<bool> trap(count, true);
  for (std::size_t c = 0; c < count; ++c) {
    for (State q : members[c]) {
      if (dfa.is_accepting(q)) trap[c] = false;
      for (State r : dfa.row(q))
        if (component[r] != c && !trap[component[r]]) trap[c] = false;
    }
  }
  std::vector<State> out;
  for (State q = 0; q < n; ++q)
    if (trap[component[q]]) out.push_back(q);
  return out;
}

Dfa reachable_part(const Dfa& dfa) { return canonical_order(dfa); }

Nfa trim(const Nfa& nfa) {
  const std::size_t n = nfa.num_states();
  std::vector<bool> reached(n, false), live(n, false);
  std::vector<State> queue;
  for (State q : nfa.initial_states())
    if (!reached[q]) reached[q] = true, queue.push_back(q);
  for (std::size_t i = 0; i < queue.size(); ++i)
    for (const NfaArc& arc : nfa.arcs(queue[i]))
      if (!reached[arc.target]) reached[arc.target] = true, queue.push_back(arc.target);
  std::vector<std::vector<State>> back(n);
  for (State q = 0; q < n; ++q)
    for (const NfaArc& arc : nfa.arcs(q)) back[arc.target].push_back(q);
  queue.clear();
  for (State q = 0; q < n; ++q)
    if (nfa.is_accepting(q)) live[q] = true, queue.push_back(q);
  for (std::size_t i = 0; i < queue.size(); ++i)
    for (State p : back[queue[i]])
      if (!live[p]) live[p] = true, queue.push_back(p);
  std::vector<State> id(n, kEpsilon);
  Nfa out(nfa.alphabet());
  for (State q = 0; q < n; ++q)
    if (reached[q] && live[q]) id[q] = out.add_state(nfa.is_accepting(q));
  for (State q = 0; q < n; ++q) {
    if (id[q] == kEpsilon) continue;
    for (const NfaArc& arc : nfa.arcs(q))
      if (id[arc.target] != kEpsilon) out.add_arc(id[q], arc.symbol, id[arc.target]);
  }
  for (State q : nfa.initial_states())
    if (id[q] != kEpsilon) out.add_initial(id[q]);
  return out;
}

Dfa complete(const Nfa& nfa) {
  if (!nfa.is_deterministic())
    throw InvalidArgument("completing an automaton: it is not deterministic (determinize it first)");
  return determinize(nfa, SIZE_MAX);
}

}  // namespace statelab::automata
