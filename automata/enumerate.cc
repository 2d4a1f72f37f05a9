#include "automata/enumerate.h"

#include <algorithm>
#include <boost/graph/breadth_first_search.hpp>
#include <limits>

#include "automata/dfa_graph.h"
#include "automata/reachability.h"

namespace statelab::automata {

std::vector<Word> enumerate_shortlex(const Dfa& dfa, std::size_t max_length, std::size_t limit) {
  std::vector<Word> words;
  if (limit == 0) return words;
  const std::size_t n = dfa.num_states();
  const std::size_t k = dfa.num_symbols();
  const std::vector<bool> accessible = reachable_states(dfa);

  // completes[r][q]: some word of length exactly r leads from q to an accepting state.
  // Row r follows from row r - 1 alone, so rows are added as the lengths grow.
  std::vector<std::vector<bool>> completes;
  completes.reserve(std::min<std::size_t>(max_length, 1024) + 1);
  completes.emplace_back(n);
  for (State q = 0; q < n; ++q) completes[0][q] = dfa.is_accepting(q);

  Word word;
  std::vector<State> path;          // path[d]: the state after the first d symbols of `word`
  std::vector<Symbol> next_symbol;  // next_symbol[d]: the next symbol to try at depth d
  for (std::size_t length = 0;; ++length) {
    const std::vector<bool>& row = completes[length];
    // The successors of accessible states are accessible, so once no accessible state completes
    // in `length` symbols none does in more: the (finite) language is exhausted.
    bool any = false;
    for (State q = 0; q < n && !any; ++q) any = accessible[q] && row[q];
    if (!any) break;

    if (row[dfa.initial()]) {
      // Depth-first, symbols in increasing order, entering only successors that can still
      // complete in the symbols left: every branch taken ends in a word, in lexicographic order.
      word.assign(length, 0);
      path.assign(length + 1, 0);
      next_symbol.assign(length + 1, 0);
      path[0] = dfa.initial();
      std::size_t depth = 0;
      for (;;) {
        if (depth == length) {
          words.push_back(word);
          if (words.size() == limit) return words;
          if (depth == 0) break;
          --depth;
          continue;
        }
        const std::vector<bool>& rest = completes[length - depth - 1];
        const auto successors = dfa.row(path[depth]);
        Symbol a = next_symbol[depth];
        while (a < k && !rest[successors[a]]) ++a;
        if (a == k) {
          if (depth == 0) break;
          --depth;
          continue;
        }
        next_symbol[depth] = a + 1;
        word[depth] = a;
        path[depth + 1] = successors[a];
        next_symbol[++depth] = 0;
      }
    }

    if (length == max_length) break;
    std::vector<bool> longer(n);
    for (State q = 0; q < n; ++q) {
      for (State r : dfa.row(q)) {
        if (row[r]) {
          longer[q] = true;
          break;
        }
      }
    }
    completes.push_back(std::move(longer));
  }
  return words;
}

namespace {

// Records, for each state, the order in which BFS discovered it and the transition it was
// discovered through.
class ShortlexTree : public boost::default_bfs_visitor {
 public:
  ShortlexTree(std::vector<std::size_t>& order, std::vector<DfaEdge>& parent, std::size_t& discovered)
      : order_(&order), parent_(&parent), discovered_(&discovered) {}
  void discover_vertex(State q, const Dfa&) { (*order_)[q] = (*discovered_)++; }
  void tree_edge(const DfaEdge& e, const Dfa&) { (*parent_)[e.target] = e; }

 private:
  // BGL takes visitors by value and copies them, so everything they record lives outside.
  std::vector<std::size_t>* order_;
  std::vector<DfaEdge>* parent_;
  std::size_t* discovered_;
};

}  // namespace

std::optional<Word> shortest_accepted(const Dfa& dfa) {
  const std::size_t n = dfa.num_states();
  constexpr std::size_t kUndiscovered = std::numeric_limits<std::size_t>::max();
  std::vector<std::size_t> order(n, kUndiscovered);
  std::vector<DfaEdge> parent(n);
  std::size_t discovered = 0;
  std::vector<boost::default_color_type> color(n, boost::white_color);
  // A FIFO queue and out-edges in symbol order discover the states in the shortlex order of
  // their shortlex-least access words, and the tree edges spell exactly those words.  So the
  // shortlex-least accepted word is the access word of the first accepting state discovered.
  boost::breadth_first_search(
      dfa, dfa.initial(),
      boost::visitor(ShortlexTree(order, parent, discovered))
          .color_map(boost::make_iterator_property_map(color.begin(), get(boost::vertex_index, dfa))));
  State best = 0;
  std::size_t best_order = kUndiscovered;
  for (State q = 0; q < n; ++q) {
    if (dfa.is_accepting(q) && order[q] < best_order) {
      best = q;
      best_order = order[q];
    }
  }
  if (best_order == kUndiscovered) return std::nullopt;
  Word word;
  for (State q = best; q != dfa.initial(); q = parent[q].source) word.push_back(parent[q].symbol);
  std::reverse(word.begin(), word.end());
  return word;
}

}  // namespace statelab::automata
