#include "automata/boolean_ops.h"

#include <string>
#include <unordered_map>
#include <vector>

#include "automata/pair_index.h"
#include "base/error.h"

namespace statelab::automata {

Dfa complement(const Dfa& dfa) {
  Dfa out = dfa;
  for (State q = 0; q < out.num_states(); ++q) out.set_accepting(q, !dfa.is_accepting(q));
  return out;
}

namespace {

bool combine(BooleanOp op, bool x, bool y) {
  switch (op) {
    case BooleanOp::intersection: return x && y;
    case BooleanOp::union_: return x || y;
    case BooleanOp::difference: return x && !y;
    case BooleanOp::symmetric_difference: return x != y;
  }
  return false;
}

}  // namespace

Dfa product(const Dfa& a, const Dfa& b, BooleanOp op, std::size_t max_states) {
  const std::vector<Symbol> to_b = symbol_map(a.alphabet(), b.alphabet(), "product");
  const std::size_t k = a.num_symbols();
  detail::PairIndex index(a.num_states(), b.num_states());
  std::vector<std::pair<State, State>> pairs{{a.initial(), b.initial()}};
  index.insert(a.initial(), b.initial(), 0);
  std::vector<State> table;
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    const auto [p, q] = pairs[i];
    for (Symbol s = 0; s < k; ++s) {
      const State p2 = a.next(p, s), q2 = b.next(q, to_b[s]);
      State id = index.find(p2, q2);
      if (id == detail::PairIndex::kNone) {
        if (pairs.size() >= max_states)
          throw LimitExceeded("the product of two automata has more than " + std::to_string(max_states) +
                              " reachable state pairs (raise --max-states)");
        id = static_cast<State>(pairs.size());
        index.insert(p2, q2, id);
        pairs.emplace_back(p2, q2);
      }
      table.push_back(id);
    }
  }
  Dfa out(a.alphabet(), pairs.size());
  for (State r = 0; r < pairs.size(); ++r) {
    out.set_accepting(r, combine(op, a.is_accepting(pairs[r].first), b.is_accepting(pairs[r].second)));
    for (Symbol s = 0; s < k; ++s) out.set_next(r, s, table[r * k + s]);
  }
  return out;
}

}  // namespace statelab::automata
