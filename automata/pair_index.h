// PairIndex: numbers the pairs of states a product construction reaches (internal helper of
// the product-based algorithms; not part of the public API).
#pragma once

#include <cstdint>
#include <unordered_map>
#include <vector>

#include "automata/dfa.h"

namespace statelab::automata::detail {

// Pair (p, q) -> id: a dense array while n_a n_b is small (<= dense_limit pairs, 2^26 by default),
// a hash map otherwise.  A search that usually stops after a few pairs (find_counterexample) passes
// a lower limit: clearing 2^26 entries costs more than the search.
class PairIndex {
 public:
  PairIndex(std::size_t na, std::size_t nb, std::size_t dense_limit = std::size_t{1} << 26) : nb_(nb) {
    if (na * nb <= dense_limit) dense_.assign(na * nb, kNone);
  }
  static constexpr State kNone = UINT32_MAX;
  State find(State p, State q) const {
    const std::uint64_t key = static_cast<std::uint64_t>(p) * nb_ + q;
    if (!dense_.empty()) return dense_[key];
    auto it = sparse_.find(key);
    return it == sparse_.end() ? kNone : it->second;
  }
  void insert(State p, State q, State id) {
    const std::uint64_t key = static_cast<std::uint64_t>(p) * nb_ + q;
    if (!dense_.empty())
      dense_[key] = id;
    else
      sparse_.emplace(key, id);
  }

 private:
  std::size_t nb_;
  std::vector<State> dense_;
  std::unordered_map<std::uint64_t, State> sparse_;
};

}  // namespace statelab::automata::detail
