// Dfa as a Boost.Graph: graph_traits and the free functions of the IncidenceGraph,
// VertexListGraph and EdgeListGraph concepts, read straight from the transition table (no copy
// into an adjacency_list).  Vertices are states; there is one edge per (state, symbol), so a DFA
// with n states over k symbols has n k edges, parallel edges and self-loops included.
// The vertex index map is the identity, so BGL algorithms (breadth_first_search,
// strong_components, write_graphviz) run on a Dfa directly.
#pragma once

#include <boost/graph/graph_traits.hpp>
#include <boost/graph/properties.hpp>
#include <boost/iterator/counting_iterator.hpp>
#include <boost/iterator/iterator_facade.hpp>
#include <boost/property_map/property_map.hpp>
#include <limits>
#include <utility>

#include "automata/dfa.h"

namespace statelab::automata {

/// One transition: `source --symbol--> target`.
struct DfaEdge {
  State source = 0;
  Symbol symbol = 0;
  State target = 0;
  friend bool operator==(const DfaEdge&, const DfaEdge&) = default;
};

/// Walks transitions by their position in the row-major table (state * k + symbol).
class DfaEdgeIterator
    : public boost::iterator_facade<DfaEdgeIterator, DfaEdge, boost::random_access_traversal_tag, DfaEdge> {
 public:
  DfaEdgeIterator() = default;
  DfaEdgeIterator(const Dfa* dfa, std::size_t position) : dfa_(dfa), position_(position) {}

 private:
  friend class boost::iterator_core_access;
  DfaEdge dereference() const {
    const std::size_t k = dfa_->num_symbols();
    return {static_cast<State>(position_ / k), static_cast<Symbol>(position_ % k), dfa_->table()[position_]};
  }
  bool equal(const DfaEdgeIterator& other) const { return position_ == other.position_; }
  void increment() { ++position_; }
  void decrement() { --position_; }
  void advance(std::ptrdiff_t n) { position_ = static_cast<std::size_t>(static_cast<std::ptrdiff_t>(position_) + n); }
  std::ptrdiff_t distance_to(const DfaEdgeIterator& other) const {
    return static_cast<std::ptrdiff_t>(other.position_) - static_cast<std::ptrdiff_t>(position_);
  }

  const Dfa* dfa_ = nullptr;
  std::size_t position_ = 0;
};

}  // namespace statelab::automata

namespace boost {

template <>
struct graph_traits<statelab::automata::Dfa> {
  using vertex_descriptor = statelab::automata::State;
  using edge_descriptor = statelab::automata::DfaEdge;
  using directed_category = directed_tag;
  using edge_parallel_category = allow_parallel_edge_tag;
  struct traversal_category : incidence_graph_tag, vertex_list_graph_tag, edge_list_graph_tag {};
  using vertex_iterator = counting_iterator<statelab::automata::State>;
  using out_edge_iterator = statelab::automata::DfaEdgeIterator;
  using edge_iterator = statelab::automata::DfaEdgeIterator;
  using vertices_size_type = std::size_t;
  using edges_size_type = std::size_t;
  using degree_size_type = std::size_t;
  static vertex_descriptor null_vertex() { return std::numeric_limits<vertex_descriptor>::max(); }
};

template <>
struct property_map<statelab::automata::Dfa, vertex_index_t> {
  using type = typed_identity_property_map<statelab::automata::State>;
  using const_type = type;
};

}  // namespace boost

namespace statelab::automata {

// Found by argument-dependent lookup, as BGL expects.
inline std::pair<boost::counting_iterator<State>, boost::counting_iterator<State>> vertices(const Dfa& g) {
  return {boost::counting_iterator<State>(0), boost::counting_iterator<State>(static_cast<State>(g.num_states()))};
}
inline std::size_t num_vertices(const Dfa& g) { return g.num_states(); }
inline std::pair<DfaEdgeIterator, DfaEdgeIterator> out_edges(State q, const Dfa& g) {
  const std::size_t k = g.num_symbols();
  return {DfaEdgeIterator(&g, q * k), DfaEdgeIterator(&g, (q + 1) * k)};
}
inline std::size_t out_degree(State, const Dfa& g) { return g.num_symbols(); }
inline std::pair<DfaEdgeIterator, DfaEdgeIterator> edges(const Dfa& g) {
  return {DfaEdgeIterator(&g, 0), DfaEdgeIterator(&g, g.table().size())};
}
inline std::size_t num_edges(const Dfa& g) { return g.table().size(); }
inline State source(const DfaEdge& e, const Dfa&) { return e.source; }
inline State target(const DfaEdge& e, const Dfa&) { return e.target; }
inline boost::typed_identity_property_map<State> get(boost::vertex_index_t, const Dfa&) { return {}; }

}  // namespace statelab::automata
