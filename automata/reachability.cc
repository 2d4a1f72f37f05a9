#include "automata/reachability.h"

#include <boost/graph/breadth_first_search.hpp>

#include "automata/dfa_graph.h"

namespace statelab::automata {

std::vector<bool> accessible_states(const Dfa& dfa) {
  const std::size_t n = dfa.num_states();
  std::vector<boost::default_color_type> color(n, boost::white_color);
  boost::breadth_first_search(
      dfa, dfa.initial(), boost::color_map(boost::make_iterator_property_map(color.begin(), get(boost::vertex_index, dfa))));
  std::vector<bool> accessible(n);
  for (std::size_t q = 0; q < n; ++q) accessible[q] = color[q] != boost::white_color;
  return accessible;
}

std::vector<bool> coaccessible_states(const Dfa& dfa) {
  const std::size_t n = dfa.num_states();
  const std::vector<State>& table = dfa.table();
  const std::size_t k = dfa.num_symbols();
  // The reversed transitions in compressed rows: the predecessors of r are
  // sources[begin[r] .. begin[r + 1]).  The Dfa models only out-edges, so BGL's reverse_graph
  // (which needs in-edges) does not apply.
  std::vector<std::size_t> begin(n + 1, 0);
  for (State r : table) ++begin[r + 1];
  for (std::size_t r = 0; r < n; ++r) begin[r + 1] += begin[r];
  std::vector<State> sources(table.size());
  std::vector<std::size_t> fill(begin.begin(), begin.end() - 1);
  for (std::size_t i = 0; i < table.size(); ++i) sources[fill[table[i]]++] = static_cast<State>(i / k);

  std::vector<bool> coaccessible(n, false);
  std::vector<State> stack;
  for (State q = 0; q < n; ++q) {
    if (dfa.is_accepting(q)) {
      coaccessible[q] = true;
      stack.push_back(q);
    }
  }
  while (!stack.empty()) {
    const State r = stack.back();
    stack.pop_back();
    for (std::size_t i = begin[r]; i < begin[r + 1]; ++i) {
      const State q = sources[i];
      if (!coaccessible[q]) {
        coaccessible[q] = true;
        stack.push_back(q);
      }
    }
  }
  return coaccessible;
}

}  // namespace statelab::automata
