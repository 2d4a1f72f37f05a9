#include "automata/minimize.h"

#include <cstdint>
#include <map>
#include <unordered_map>
#include <vector>

#include "automata/nfa.h"

namespace statelab::automata {

namespace {

// Breadth-first renumbering of the states a set of "representatives" reaches.
// `class_of[q]` maps each old state to its class; `succ(c, a)` gives the class reached from
// class c on symbol a.  Returns the DFA over classes, numbered in BFS order from `start`.
template <class Successor, class Accepting>
Dfa bfs_renumber(const Alphabet& alphabet, std::size_t num_classes, std::uint32_t start, Successor succ,
                 Accepting accepting) {
  const std::size_t k = alphabet.size();
  std::vector<std::uint32_t> order;  // new id -> class
  std::vector<std::uint32_t> id(num_classes, UINT32_MAX);
  order.reserve(num_classes);
  id[start] = 0;
  order.push_back(start);
  for (std::size_t i = 0; i < order.size(); ++i) {
    for (Symbol a = 0; a < k; ++a) {
      const std::uint32_t c = succ(order[i], a);
      if (id[c] == UINT32_MAX) {
        id[c] = static_cast<std::uint32_t>(order.size());
        order.push_back(c);
      }
    }
  }
  Dfa out(alphabet, order.size());
  for (State q = 0; q < order.size(); ++q) {
    out.set_accepting(q, accepting(order[q]));
    for (Symbol a = 0; a < k; ++a) out.set_next(q, a, id[succ(order[q], a)]);
  }
  return out;
}

// A refinable partition of 0..n-1 (Valmari and Lehtinen): each set occupies a contiguous range
// of `elements_`; marked elements are swapped to the front of their set, and `split` cuts every
// touched set into marked and unmarked parts, giving the new set number to the smaller part.
class RefinablePartition {
 public:
  explicit RefinablePartition(std::size_t n) : elements_(n), where_(n), first_{0}, end_{static_cast<std::uint32_t>(n)}, marked_{0} {
    for (std::uint32_t i = 0; i < n; ++i) elements_[i] = i, where_[i] = {i, 0};
    if (n == 0) first_.clear(), end_.clear(), marked_.clear();
  }

  std::uint32_t num_sets() const { return static_cast<std::uint32_t>(first_.size()); }
  std::uint32_t set_of(std::uint32_t e) const { return where_[e].set; }
  const std::uint32_t* begin(std::uint32_t s) const { return elements_.data() + first_[s]; }
  const std::uint32_t* end(std::uint32_t s) const { return elements_.data() + end_[s]; }

  void mark(std::uint32_t e) {
    const std::uint32_t s = where_[e].set;
    const std::uint32_t i = where_[e].location;
    const std::uint32_t j = first_[s] + marked_[s];
    if (i < j) return;  // already marked
    const std::uint32_t other = elements_[j];
    elements_[i] = other;
    where_[other].location = i;
    elements_[j] = e;
    where_[e].location = j;
    if (marked_[s]++ == 0) touched_.push_back(s);
  }

  // Splits every touched set; the smaller part becomes the new set (Hopcroft's rule).
  void split() {
    while (!touched_.empty()) {
      const std::uint32_t s = touched_.back();
      touched_.pop_back();
      const std::uint32_t middle = first_[s] + marked_[s];
      marked_[s] = 0;
      if (middle == end_[s]) continue;  // every element marked: nothing to split
      const std::uint32_t z = num_sets();
      if (middle - first_[s] <= end_[s] - middle) {
        first_.push_back(first_[s]);
        end_.push_back(middle);
        first_[s] = middle;
      } else {
        first_.push_back(middle);
        end_.push_back(end_[s]);
        end_[s] = middle;
      }
      marked_.push_back(0);
      for (std::uint32_t i = first_[z]; i < end_[z]; ++i) where_[elements_[i]].set = z;
    }
  }

 private:
  // An element's position in `elements_` and its set, side by side: mark() needs both, and one
  // cache line instead of two is what matters when there are millions of elements.
  struct Where {
    std::uint32_t location, set;
  };
  std::vector<std::uint32_t> elements_;
  std::vector<Where> where_;
  std::vector<std::uint32_t> first_, end_, marked_;
  std::vector<std::uint32_t> touched_;
};

}  // namespace

Dfa canonical_order(const Dfa& dfa) {
  return bfs_renumber(
      dfa.alphabet(), dfa.num_states(), dfa.initial(), [&](std::uint32_t q, Symbol a) { return dfa.next(q, a); },
      [&](std::uint32_t q) { return dfa.is_accepting(q); });
}

Dfa minimize(const Dfa& input) {
  // Unreachable states would only slow refinement down and never survive it.
  const Dfa dfa = canonical_order(input);
  const std::size_t n = dfa.num_states();
  const std::size_t k = dfa.num_symbols();
  const std::size_t m = n * k;  // transition t = q k + a goes from q on a to table[t]
  const std::vector<State>& head = dfa.table();

  // Transitions grouped by target state (CSR), so a block can find what enters it.
  std::vector<std::uint32_t> in_start(n + 1, 0), in_transitions(m);
  for (std::size_t t = 0; t < m; ++t) ++in_start[head[t] + 1];
  for (std::size_t q = 0; q < n; ++q) in_start[q + 1] += in_start[q];
  {
    std::vector<std::uint32_t> fill(in_start.begin(), in_start.end() - 1);
    for (std::size_t t = 0; t < m; ++t) in_transitions[fill[head[t]]++] = static_cast<std::uint32_t>(t);
  }

  RefinablePartition blocks(n);
  // Cords: transitions with the same symbol whose targets lie in the same block.  Initially one
  // cord per symbol, made by splitting off the transitions of each symbol but the first.
  RefinablePartition cords(m);
  for (Symbol a = 1; a < k; ++a) {
    for (std::size_t q = 0; q < n; ++q) cords.mark(static_cast<std::uint32_t>(q * k + a));
    cords.split();
  }
  for (State q = 0; q < n; ++q)
    if (dfa.is_accepting(q)) blocks.mark(q);
  blocks.split();

  // Every block created after the first is a "smaller half": its incoming transitions refine the cords.
  std::uint32_t next_block = 1;
  auto refine_cords = [&] {
    for (; next_block < blocks.num_sets(); ++next_block) {
      for (const std::uint32_t* s = blocks.begin(next_block); s != blocks.end(next_block); ++s)
        for (std::uint32_t i = in_start[*s]; i < in_start[*s + 1]; ++i) cords.mark(in_transitions[i]);
      cords.split();
    }
  };
  refine_cords();
  // The source of transition t is t / k; a shift when k is a power of two (division is slow).
  const bool power_of_two = k && (k & (k - 1)) == 0;
  const unsigned shift = power_of_two ? static_cast<unsigned>(__builtin_ctzll(k)) : 0;
  for (std::uint32_t c = 0; c < cords.num_sets(); ++c) {
    if (power_of_two) {
      for (const std::uint32_t* t = cords.begin(c); t != cords.end(c); ++t) blocks.mark(*t >> shift);
    } else {
      for (const std::uint32_t* t = cords.begin(c); t != cords.end(c); ++t) blocks.mark(static_cast<std::uint32_t>(*t / k));
    }
    blocks.split();
    refine_cords();
  }

  return bfs_renumber(
      dfa.alphabet(), blocks.num_sets(), blocks.set_of(dfa.initial()),
      [&](std::uint32_t b, Symbol a) { return blocks.set_of(dfa.next(*blocks.begin(b), a)); },
      [&](std::uint32_t b) { return dfa.is_accepting(*blocks.begin(b)); });
}

Dfa moore_minimize(const Dfa& dfa) {
  const std::size_t n = dfa.num_states();
  const std::size_t k = dfa.num_symbols();
  std::vector<std::uint32_t> cls(n);
  for (State q = 0; q < n; ++q) cls[q] = dfa.is_accepting(q) ? 1 : 0;
  std::size_t num_classes = 0;
  for (;;) {
    std::map<std::vector<std::uint32_t>, std::uint32_t> ids;
    std::vector<std::uint32_t> next(n);
    for (State q = 0; q < n; ++q) {
      std::vector<std::uint32_t> signature{cls[q]};
      for (Symbol a = 0; a < k; ++a) signature.push_back(cls[dfa.next(q, a)]);
      next[q] = ids.emplace(std::move(signature), static_cast<std::uint32_t>(ids.size())).first->second;
    }
    cls.swap(next);
    if (ids.size() == num_classes) break;
    num_classes = ids.size();
  }
  std::vector<State> representative(num_classes);
  for (State q = 0; q < n; ++q) representative[cls[q]] = q;
  return bfs_renumber(
      dfa.alphabet(), num_classes, cls[dfa.initial()],
      [&](std::uint32_t c, Symbol a) { return cls[dfa.next(representative[c], a)]; },
      [&](std::uint32_t c) { return dfa.is_accepting(representative[c]); });
}

Dfa brzozowski_minimize(const Dfa& dfa) {
  // determinize keeps the numbering of an already deterministic reversal, unreachable states
  // included; the theorem needs the reachable subsets only, hence canonical_order after each.
  return canonical_order(determinize(reverse(canonical_order(determinize(reverse(dfa))))));
}

bool is_minimal(const Dfa& dfa) { return minimize(dfa).num_states() == dfa.num_states(); }

}  // namespace statelab::automata
