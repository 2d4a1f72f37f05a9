#include "automata/perm_group.h"

#include <cassert>
#include <numeric>
#include <string>
#include <string_view>
#include <unordered_set>

#include "base/error.h"

namespace statelab::automata {

namespace {

struct PermHash {
  std::size_t operator()(const Perm& p) const {
    return std::hash<std::string_view>{}(
        std::string_view(reinterpret_cast<const char*>(p.data()), p.size() * sizeof(std::uint32_t)));
  }
};

using PermSet = std::unordered_set<Perm, PermHash>;

// The bytes one element of a closure costs as a hash set node (the permutation, its heap block,
// the node, the bucket) and a pointer in the breadth-first queue.
std::size_t set_element_bytes(std::size_t degree) { return degree * sizeof(std::uint32_t) + 96; }

std::string closure_what(std::size_t elements, std::size_t degree) {
  return "a permutation group: " + std::to_string(elements) + " elements on " + std::to_string(degree) +
         " points and more";
}

// The elements of the group the generators generate, as a set only (one copy of each).
PermSet closure_members(std::span<const Perm> generators, std::size_t degree, const MemoryLimit& memory,
                        std::size_t held) {
  PermSet members{identity_perm(degree)};
  std::vector<const Perm*> queue{&*members.begin()};  // set nodes do not move
  const std::size_t each = set_element_bytes(degree);
  for (std::size_t i = 0; i < queue.size(); ++i) {
    for (const Perm& g : generators) {
      Perm next = compose(*queue[i], g);
      if (members.contains(next)) continue;
      check_memory(memory, held + (members.size() + 1) * each, closure_what(members.size(), degree));
      queue.push_back(&*members.insert(std::move(next)).first);
    }
  }
  return members;
}

bool is_identity(const Perm& p) {
  for (std::size_t x = 0; x < p.size(); ++x)
    if (p[x] != x) return false;
  return true;
}

// x^-1 y^-1 x y
Perm commutator(const Perm& x, const Perm& y) { return compose(compose(inverse(x), inverse(y)), compose(x, y)); }

}  // namespace

Perm identity_perm(std::size_t degree) {
  Perm p(degree);
  for (std::size_t x = 0; x < degree; ++x) p[x] = static_cast<std::uint32_t>(x);
  return p;
}

Perm compose(const Perm& g, const Perm& h) {
  assert(g.size() == h.size());
  Perm r(g.size());
  for (std::size_t x = 0; x < g.size(); ++x) r[x] = h[g[x]];
  return r;
}

Perm inverse(const Perm& g) {
  Perm r(g.size());
  for (std::size_t x = 0; x < g.size(); ++x) r[g[x]] = static_cast<std::uint32_t>(x);
  return r;
}

std::uint64_t perm_order(const Perm& g) {
  std::uint64_t order = 1;
  std::vector<bool> seen(g.size(), false);
  for (std::size_t x = 0; x < g.size(); ++x) {
    if (seen[x]) continue;
    std::uint64_t length = 0;
    for (std::size_t y = x; !seen[y]; y = g[y]) {
      seen[y] = true;
      ++length;
    }
    order = std::lcm(order, length);
  }
  return order;
}

bool is_permutation(std::span<const std::uint32_t> p) {
  std::vector<bool> seen(p.size(), false);
  for (std::uint32_t y : p) {
    if (y >= p.size() || seen[y]) return false;
    seen[y] = true;
  }
  return true;
}

std::vector<Perm> group_closure(std::span<const Perm> generators, std::size_t degree, std::size_t max_order,
                                const MemoryLimit& memory, std::size_t held) {
  for (const Perm& g : generators)
    if (g.size() != degree || !is_permutation(g))
      throw InvalidArgument("group_closure: a generator is not a permutation of " + std::to_string(degree) + " points");
  std::vector<Perm> elements{identity_perm(degree)};
  PermSet seen{elements.front()};
  const std::size_t each = set_element_bytes(degree) + degree * sizeof(std::uint32_t) + 48;  // + the vector's copy
  for (std::size_t i = 0; i < elements.size(); ++i) {
    for (const Perm& g : generators) {
      Perm next = compose(elements[i], g);
      if (seen.contains(next)) continue;
      if (elements.size() == max_order)
        throw LimitExceeded("group_closure: the group has more than " + std::to_string(max_order) + " elements");
      check_memory(memory, held + (elements.size() + 1) * each, closure_what(elements.size(), degree));
      seen.insert(next);
      elements.push_back(std::move(next));
    }
  }
  return elements;
}

bool is_abelian(std::span<const Perm> generators) {
  for (std::size_t i = 0; i < generators.size(); ++i)
    for (std::size_t j = i + 1; j < generators.size(); ++j)
      if (compose(generators[i], generators[j]) != compose(generators[j], generators[i])) return false;
  return true;
}

std::vector<Perm> derived_subgroup_generators(std::span<const Perm> generators, std::size_t degree,
                                              const MemoryLimit& memory, std::size_t held) {
  // N starts as the subgroup the generators' commutators generate; a conjugate g^-1 n g of one
  // of N's generators by one of G's that falls outside N joins N's generators, until N is normal.
  std::vector<Perm> gens;
  for (std::size_t i = 0; i < generators.size(); ++i)
    for (std::size_t j = i + 1; j < generators.size(); ++j) {
      Perm c = commutator(generators[i], generators[j]);
      if (!is_identity(c)) gens.push_back(std::move(c));
    }
  PermSet members = closure_members(gens, degree, memory, held);
  for (std::size_t i = 0; i < gens.size(); ++i) {  // gens grows while we walk it
    for (const Perm& g : generators) {
      Perm conjugate = compose(compose(inverse(g), gens[i]), g);
      if (members.contains(conjugate)) continue;
      gens.push_back(std::move(conjugate));
      members.clear();  // freed before the larger closure is built
      members = closure_members(gens, degree, memory, held);
    }
  }
  return gens;
}

std::vector<std::size_t> derived_series_orders(std::span<const Perm> generators, std::size_t degree,
                                               const MemoryLimit& memory, std::size_t held) {
  std::vector<Perm> gens(generators.begin(), generators.end());
  std::vector<std::size_t> orders{closure_members(gens, degree, memory, held).size()};
  while (orders.back() > 1) {
    gens = derived_subgroup_generators(gens, degree, memory, held);
    orders.push_back(closure_members(gens, degree, memory, held).size());
    if (orders.back() == orders[orders.size() - 2]) break;  // perfect: G' = G > 1
  }
  return orders;
}

bool is_solvable(std::span<const Perm> generators, std::size_t degree) {
  return derived_series_orders(generators, degree).back() == 1;
}

}  // namespace statelab::automata
