#include "automata/monoid.h"

#include <algorithm>
#include <cassert>
#include <cstring>
#include <string>
#include <type_traits>
#include <unordered_set>

#include "automata/minimize.h"
#include "base/error.h"

namespace statelab::automata {

namespace {

template <class T>
std::size_t hash_of(const T* t, std::size_t n) {
  return std::hash<std::string_view>{}(std::string_view(reinterpret_cast<const char*>(t), n * sizeof(T)));
}

// The slot holding the element equal to t, or the empty slot where it would go.
template <class Store, class T>
std::size_t probe(const Store& data, std::size_t n, const std::vector<Element>& slots, const T* t) {
  const std::size_t mask = slots.size() - 1;
  std::size_t i = hash_of(t, n) & mask;
  while (slots[i] != 0) {
    const T* other = data.at(slots[i] - 1);
    if (std::equal(t, t + n, other)) return i;
    i = (i + 1) & mask;
  }
  return i;
}

// Iterative Tarjan over a graph in compressed rows; returns the component of each vertex,
// components renumbered in the order of their least vertex.  Time O(V + E).
std::vector<std::uint32_t> strong_components(std::size_t vertices, const std::vector<std::size_t>& offsets,
                                             const std::vector<Element>& targets, std::size_t* count) {
  constexpr std::uint32_t kNone = UINT32_MAX;
  std::vector<std::uint32_t> index(vertices, kNone), low(vertices, 0), component(vertices, kNone);
  std::vector<Element> stack;
  std::vector<bool> on_stack(vertices, false);
  std::vector<std::pair<Element, std::size_t>> calls;  // vertex, next edge
  std::uint32_t next_index = 0, components = 0;
  for (Element root = 0; root < vertices; ++root) {
    if (index[root] != kNone) continue;
    calls.push_back({root, offsets[root]});
    index[root] = low[root] = next_index++;
    stack.push_back(root);
    on_stack[root] = true;
    while (!calls.empty()) {
      auto& [v, edge] = calls.back();
      if (edge < offsets[v + 1]) {
        const Element w = targets[edge++];
        if (index[w] == kNone) {
          index[w] = low[w] = next_index++;
          stack.push_back(w);
          on_stack[w] = true;
          calls.push_back({w, offsets[w]});
        } else if (on_stack[w]) {
          low[v] = std::min(low[v], index[w]);
        }
        continue;
      }
      const Element done = v;
      calls.pop_back();
      if (!calls.empty()) low[calls.back().first] = std::min(low[calls.back().first], low[done]);
      if (low[done] != index[done]) continue;
      for (;;) {
        const Element w = stack.back();
        stack.pop_back();
        on_stack[w] = false;
        component[w] = components;
        if (w == done) break;
      }
      ++components;
    }
  }
  // Renumber by least vertex.
  std::vector<std::uint32_t> renumber(components, kNone);
  std::uint32_t used = 0;
  for (std::size_t v = 0; v < vertices; ++v) {
    if (renumber[component[v]] == kNone) renumber[component[v]] = used++;
    component[v] = renumber[component[v]];
  }
  *count = components;
  return component;
}

}  // namespace

template <class T>
struct MonoidBuilder {
  using Store = detail::MonoidStore<T>;

  // Grows the hash table to keep it at most half full.
  static void grow(TransitionMonoid& m, const Store& data) {
    const std::size_t n = m.degree_;
    std::vector<Element> slots(std::max<std::size_t>(16, m.slots_.size() * 2), 0);
    m.slots_.swap(slots);
    for (Element x = 0; x < m.parent_.size(); ++x) {
      const std::size_t i = probe(data, n, m.slots_, data.at(x));
      m.slots_[i] = x + 1;
    }
  }

  // The bytes a full vector would add while it grows by one more element (the old and the new
  // buffer are both alive while it reallocates).
  template <class V>
  static std::size_t growth(const V& v) {
    return v.size() < v.capacity() ? 0 : std::max<std::size_t>(1, 2 * v.capacity()) * sizeof(typename V::value_type);
  }

  // The bytes the monoid would hold at worst after one more step of the closure: a new block of
  // transformations, the BFS words and Cayley graph reallocating, the hash table doubling
  // (the old table is alive while the new one fills).
  static std::size_t next_footprint(const TransitionMonoid& m, const Store& data) {
    const std::size_t new_block = (data.count & ((std::size_t{1} << data.shift) - 1)) == 0
                                      ? (data.n * sizeof(T) << data.shift) + sizeof(std::vector<T>)
                                      : 0;
    const std::size_t new_slots =
        2 * (m.parent_.size() + 1) > m.slots_.size() ? 2 * m.slots_.size() * sizeof(Element) : 0;
    return m.memory_bytes() + new_block + growth(m.parent_) + growth(m.last_) + growth(m.right_) + new_slots;
  }

  static void build(TransitionMonoid& m, const Dfa& dfa, std::size_t max_elements, const MemoryLimit& memory,
                    const ProgressFn& progress) {
    const std::size_t n = dfa.num_states(), k = dfa.num_symbols();
    Store& data = m.data_.template emplace<Store>(n);
    auto check = [&] {
      const std::size_t needed = next_footprint(m, data);
      if (needed > memory.bytes)
        check_memory(memory, needed,
                     "transition monoid: " + std::to_string(m.parent_.size()) + " elements of " + std::to_string(n) +
                         " states each (with their hash table, Cayley graph and words) and more");
    };
    std::vector<T> next(n);
    for (std::size_t q = 0; q < n; ++q) next[q] = static_cast<T>(q);
    check();
    data.push(next.data());
    m.parent_.push_back(0);
    m.last_.push_back(0);
    grow(m, data);  // the identity goes in
    for (Element x = 0; x < m.parent_.size(); ++x) {
      report(progress, x, m.parent_.size());
      for (Symbol a = 0; a < k; ++a) {
        check();
        const T* t = data.at(x);
        for (std::size_t q = 0; q < n; ++q) next[q] = static_cast<T>(dfa.next(t[q], a));
        std::size_t slot = probe(data, n, m.slots_, next.data());
        if (m.slots_[slot] != 0) {
          m.right_.push_back(m.slots_[slot] - 1);
          continue;
        }
        if (m.parent_.size() == max_elements)
          throw LimitExceeded("transition monoid: more than " + std::to_string(max_elements) +
                              " elements (the limit; the DFA has " + std::to_string(n) + " states)");
        const auto y = static_cast<Element>(m.parent_.size());
        data.push(next.data());
        m.parent_.push_back(x);
        m.last_.push_back(a);
        m.right_.push_back(y);
        if (2 * m.parent_.size() > m.slots_.size()) {
          grow(m, data);
        } else {
          m.slots_[slot] = y + 1;
        }
      }
    }
    report(progress, m.parent_.size(), m.parent_.size());
  }

  static std::optional<Element> find(const TransitionMonoid& m, std::span<const State> t) {
    const Store& data = std::get<Store>(m.data_);
    std::vector<T> narrow(t.size());
    for (std::size_t q = 0; q < t.size(); ++q) {
      if (t[q] >= m.degree_) return std::nullopt;
      narrow[q] = static_cast<T>(t[q]);
    }
    const Element e = m.slots_[probe(data, m.degree_, m.slots_, narrow.data())];
    if (e == 0) return std::nullopt;
    return e - 1;
  }
};

State TransitionMonoid::image(Element x, State q) const {
  assert(x < size() && q < degree_);
  return std::visit([&](const auto& data) { return static_cast<State>(data.at(x)[q]); }, data_);
}

std::vector<State> TransitionMonoid::transformation(Element x) const {
  std::vector<State> t(degree_);
  std::visit(
      [&](const auto& data) {
        const auto* tx = data.at(x);
        for (std::size_t q = 0; q < degree_; ++q) t[q] = tx[q];
      },
      data_);
  return t;
}

std::size_t TransitionMonoid::memory_bytes() const {
  const std::size_t store = std::visit(
      [](const auto& data) {
        using T = std::remove_cvref_t<decltype(*data.at(0))>;
        return data.blocks.capacity() * sizeof(std::vector<T>) + data.blocks.size() * (data.n * sizeof(T) << data.shift);
      },
      data_);
  const auto held = [](const auto& v) { return v.capacity() * sizeof(v[0]); };
  return store + held(right_) + held(parent_) + held(last_) + held(slots_);
}

std::size_t TransitionMonoid::bytes_per_state() const {
  return std::visit([](const auto& data) { return sizeof(*data.at(0)); }, data_);
}

std::optional<Element> TransitionMonoid::find(std::span<const State> t) const {
  if (t.size() != degree_) return std::nullopt;
  switch (data_.index()) {
    case 0: return MonoidBuilder<std::uint8_t>::find(*this, t);
    case 1: return MonoidBuilder<std::uint16_t>::find(*this, t);
    default: return MonoidBuilder<std::uint32_t>::find(*this, t);
  }
}

Element TransitionMonoid::multiply(Element x, Element y) const {
  std::vector<State> t = transformation(x);
  for (State& q : t) q = image(y, q);
  const std::optional<Element> xy = find(t);
  assert(xy);  // the monoid is closed under products
  return *xy;
}

Element TransitionMonoid::element_of(std::span<const Symbol> word) const {
  Element x = identity();
  for (std::size_t i = 0; i < word.size(); ++i) {
    if (word[i] >= num_symbols())
      throw InvalidArgument("transition monoid: symbol " + std::to_string(word[i]) + " at position " +
                            std::to_string(i) + " is outside the alphabet of " + std::to_string(num_symbols()));
    x = right(x, word[i]);
  }
  return x;
}

Word TransitionMonoid::word(Element x) const {
  Word w;
  for (; x != identity(); x = parent_[x]) w.push_back(last_[x]);
  std::reverse(w.begin(), w.end());
  return w;
}

bool TransitionMonoid::is_idempotent(Element x) const {
  const std::vector<State> t = transformation(x);
  for (State q = 0; q < degree_; ++q)
    if (t[t[q]] != t[q]) return false;
  return true;
}

TransitionMonoid transition_monoid(const Dfa& dfa, std::size_t max_elements, const MemoryLimit& memory,
                                   const ProgressFn& progress) {
  if (max_elements == 0) throw InvalidArgument("the transition monoid's element limit must be at least 1");
  TransitionMonoid m;
  m.alphabet_ = dfa.alphabet();
  m.degree_ = dfa.num_states();
  if (m.degree_ <= 256) {
    MonoidBuilder<std::uint8_t>::build(m, dfa, max_elements, memory, progress);
  } else if (m.degree_ <= 65536) {
    MonoidBuilder<std::uint16_t>::build(m, dfa, max_elements, memory, progress);
  } else {
    MonoidBuilder<std::uint32_t>::build(m, dfa, max_elements, memory, progress);
  }
  return m;
}

TransitionMonoid syntactic_monoid(const Dfa& dfa, std::size_t max_elements, const MemoryLimit& memory,
                                  const ProgressFn& progress) {
  return transition_monoid(minimize(dfa), max_elements, memory, progress);
}

std::string_view to_string(MonoidClass c) {
  switch (c) {
    case MonoidClass::trivial: return "trivial";
    case MonoidClass::aperiodic: return "aperiodic";
    case MonoidClass::solvable: return "solvable";
    case MonoidClass::non_solvable: return "non-solvable";
  }
  return "?";
}

std::vector<const MaximalSubgroup*> MonoidAnalysis::nontrivial_groups() const {
  std::vector<const MaximalSubgroup*> out;
  for (const MaximalSubgroup& g : groups)
    if (g.order > 1) out.push_back(&g);
  return out;
}

namespace {

// The H-class of e (elements R- and L-equivalent to it) as a permutation group on e's image.
MaximalSubgroup maximal_subgroup(const TransitionMonoid& m, const MonoidAnalysis& a, Element e,
                                 const std::vector<Element>& r_class_members, const MemoryLimit& memory,
                                 std::size_t held) {
  MaximalSubgroup g;
  g.j_class = a.j_class[e];
  g.idempotent = e;
  for (State q = 0; q < m.degree(); ++q) g.points.push_back(m.image(e, q));
  std::sort(g.points.begin(), g.points.end());
  g.points.erase(std::unique(g.points.begin(), g.points.end()), g.points.end());
  const std::size_t r = g.points.size();
  std::vector<std::uint32_t> position(m.degree(), 0);
  for (std::size_t i = 0; i < r; ++i) position[g.points[i]] = static_cast<std::uint32_t>(i);

  std::vector<Element> members;
  for (Element x : r_class_members)
    if (a.l_class[x] == a.l_class[e]) members.push_back(x);
  g.order = members.size();
  // The H-class's elements as monoid elements (the hash set and queue below), then as
  // permutations of r points in the derived series.
  held += g.order * 64;
  check_memory(memory, held, "the maximal subgroup of order " + std::to_string(g.order) + " in J-class " +
                                 std::to_string(g.j_class) + " with the monoid and its analysis");

  std::vector<Perm> closure{identity_perm(r)};
  std::unordered_set<Element> covered{e};
  std::vector<Perm> elements_of_h;
  for (Element h : members) {
    if (covered.contains(h)) continue;
    Perm p(r);
    for (std::size_t i = 0; i < r; ++i) p[i] = position[m.image(h, g.points[i])];
    assert(is_permutation(p));
    g.generators.push_back(h);
    g.permutations.push_back(std::move(p));
    // The elements of H the generators reach so far, as monoid elements (products of members).
    std::vector<Element> reached{e};
    covered = {e};
    for (std::size_t i = 0; i < reached.size(); ++i)
      for (Element s : g.generators) {
        const Element y = m.multiply(reached[i], s);
        if (covered.insert(y).second) reached.push_back(y);
      }
  }
  assert(covered.size() == g.order);
  g.abelian = is_abelian(g.permutations);
  g.derived_series = derived_series_orders(g.permutations, r, memory, held + g.permutations.size() * r * sizeof(State));
  assert(g.derived_series.front() == g.order);
  g.solvable = g.derived_series.back() == 1;
  return g;
}

}  // namespace

MonoidAnalysis analyze(const TransitionMonoid& m, const MemoryLimit& memory, const ProgressFn& progress) {
  MonoidAnalysis a;
  const std::size_t size = m.size(), k = m.num_symbols(), n = m.degree();
  a.size = size;
  // What the analysis holds per element at most: the left Cayley graph (4k), the edges of both
  // graphs (8k) and their offsets (8), Tarjan's index, low, component, stack, call stack and
  // renumbering (about 40), the three class numbers (12), J-class records (24), R-class member
  // lists (28), idempotents (4); plus the letters' transformations and a few vectors of n states.
  const std::size_t held = m.memory_bytes() + size * (12 * k + 128) + (k + 4) * n * sizeof(State);
  check_memory(memory, held,
               "the analysis of a monoid of " + std::to_string(size) + " elements on " + std::to_string(n) + " states");

  // Left Cayley graph: a*x reads the letter a, then x.
  std::vector<std::vector<State>> letters(k);
  for (Symbol s = 0; s < k; ++s) letters[s] = m.transformation(m.right(m.identity(), s));
  std::vector<Element> left(size * k);
  std::vector<State> t(n);
  for (Element x = 0; x < size; ++x) {
    report(progress, x, size);
    const std::vector<State> tx = m.transformation(x);
    for (Symbol s = 0; s < k; ++s) {
      for (State q = 0; q < n; ++q) t[q] = tx[letters[s][q]];
      const std::optional<Element> y = m.find(t);
      assert(y);
      left[static_cast<std::size_t>(x) * k + s] = *y;
    }
  }
  report(progress, size, size);

  std::vector<std::size_t> offsets(size + 1);
  std::vector<Element> targets;
  auto components = [&](bool use_right, bool use_left, std::size_t* count) {
    targets.clear();
    for (Element x = 0; x < size; ++x) {
      offsets[x] = targets.size();
      for (Symbol s = 0; s < k; ++s) {
        if (use_right) targets.push_back(m.right(x, s));
        if (use_left) targets.push_back(left[static_cast<std::size_t>(x) * k + s]);
      }
    }
    offsets[size] = targets.size();
    return strong_components(size, offsets, targets, count);
  };
  std::size_t num_j = 0;
  a.r_class = components(true, false, &a.num_r_classes);
  a.l_class = components(false, true, &a.num_l_classes);
  a.j_class = components(true, true, &num_j);

  a.j_classes.resize(num_j);
  for (Element x = 0; x < size; ++x) {
    JClass& j = a.j_classes[a.j_class[x]];
    ++j.size;
    if (!m.is_idempotent(x)) continue;
    a.idempotents.push_back(x);
    j.regular = true;
    ++j.idempotents;
    if (!j.idempotent) j.idempotent = x;
  }

  std::vector<std::vector<Element>> r_members(a.num_r_classes);
  for (Element x = 0; x < size; ++x) r_members[a.r_class[x]].push_back(x);
  bool any_group = false, all_solvable = true;
  for (const JClass& j : a.j_classes) {
    if (!j.regular) continue;
    const Element e = *j.idempotent;
    a.groups.push_back(maximal_subgroup(m, a, e, r_members[a.r_class[e]], memory, held));
    any_group |= a.groups.back().order > 1;
    all_solvable &= a.groups.back().solvable;
  }
  a.monoid_class = size == 1       ? MonoidClass::trivial
                   : !any_group    ? MonoidClass::aperiodic
                   : all_solvable ? MonoidClass::solvable
                                  : MonoidClass::non_solvable;
  return a;
}

bool is_aperiodic_by_powers(const TransitionMonoid& m) {
  for (Element x = 0; x < m.size(); ++x) {
    std::vector<Element> powers{x};  // x, x^2, ...
    std::unordered_set<Element> seen{x};
    for (;;) {
      const Element next = m.multiply(powers.back(), x);
      if (next == powers.back()) break;              // x^m = x^(m+1)
      if (!seen.insert(next).second) return false;   // a cycle of length > 1: a group
      powers.push_back(next);
    }
  }
  return true;
}

}  // namespace statelab::automata
