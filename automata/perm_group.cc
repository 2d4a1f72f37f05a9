#include "automata/perm_group.h"

#include <algorithm>
#include <cassert>
#include <charconv>
#include <numeric>
#include <string>
#include <string_view>
#include <unordered_set>

#include "automata/io_util.h"
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

// A generator for a message: its cycle notation when it is a permutation, else its images.
std::string cycle_notation_or_images(const Perm& g) {
  if (is_permutation(g)) return cycle_notation(g);
  std::string out = "[";
  for (std::size_t x = 0; x < g.size(); ++x) out += (x ? "," : "") + std::to_string(g[x]);
  return out + "]";
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

bool is_identity(const Perm& p) {
  for (std::size_t x = 0; x < p.size(); ++x)
    if (p[x] != x) return false;
  return true;
}

std::string cycle_notation(const Perm& g) {
  std::string out;
  std::vector<bool> seen(g.size(), false);
  for (std::size_t x = 0; x < g.size(); ++x) {
    if (seen[x] || g[x] == x) continue;
    out += '(';
    for (std::size_t y = x; !seen[y]; y = g[y]) {
      seen[y] = true;
      if (y != x) out += ',';
      out += std::to_string(y + 1);
    }
    out += ')';
  }
  return out.empty() ? "e" : out;
}

Perm parse_cycles(std::string_view text, std::size_t degree) {
  auto fail = [&](const std::string& what) -> Perm {
    throw InvalidArgument("permutation " + detail::quote(text) + ": " + what + " (expected cycle notation on points 1.." +
                          std::to_string(degree) + " such as (1,2,3)(4,5), or e for the identity)");
  };
  Perm p = identity_perm(degree);
  if (text == "e" || text == "()") return p;
  if (text.empty()) return fail("empty");
  std::vector<bool> used(degree, false);
  std::size_t pos = 0;
  while (pos < text.size()) {
    if (text[pos] != '(') return fail("expected '(' at offset " + std::to_string(pos));
    ++pos;
    std::vector<std::size_t> cycle;
    while (true) {
      std::size_t value = 0;
      auto [end, ec] = std::from_chars(text.data() + pos, text.data() + text.size(), value);
      if (ec != std::errc() || end == text.data() + pos) return fail("expected a point at offset " + std::to_string(pos));
      pos = static_cast<std::size_t>(end - text.data());
      if (value < 1 || value > degree) return fail("point " + std::to_string(value) + " out of range");
      if (used[value - 1]) return fail("point " + std::to_string(value) + " appears twice");
      used[value - 1] = true;
      cycle.push_back(value - 1);
      if (pos < text.size() && text[pos] == ',') {
        ++pos;
        continue;
      }
      if (pos < text.size() && text[pos] == ')') {
        ++pos;
        break;
      }
      return fail("expected ',' or ')' at offset " + std::to_string(pos));
    }
    for (std::size_t i = 0; i < cycle.size(); ++i) p[cycle[i]] = static_cast<std::uint32_t>(cycle[(i + 1) % cycle.size()]);
  }
  return p;
}

std::vector<Perm> group_closure(std::span<const Perm> generators, std::size_t degree, std::size_t max_order,
                                const MemoryLimit& memory, std::size_t held) {
  for (const Perm& g : generators)
    if (g.size() != degree || !is_permutation(g))
      throw InvalidArgument("permutation group: the generator " + cycle_notation_or_images(g) +
                            " is not a permutation of " + std::to_string(degree) + " points");
  std::vector<Perm> elements{identity_perm(degree)};
  PermSet seen{elements.front()};
  const std::size_t each = set_element_bytes(degree) + degree * sizeof(std::uint32_t) + 48;  // + the vector's copy
  for (std::size_t i = 0; i < elements.size(); ++i) {
    for (const Perm& g : generators) {
      Perm next = compose(elements[i], g);
      if (seen.contains(next)) continue;
      if (elements.size() == max_order)
        throw LimitExceeded("permutation group: more than " + std::to_string(max_order) + " elements");
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

std::optional<std::size_t> derived_length(std::span<const std::size_t> series) {
  if (series.empty() || series.back() != 1) return std::nullopt;
  return series.size() - 1;
}

std::optional<std::size_t> derived_length(std::span<const Perm> generators, std::size_t degree,
                                          const MemoryLimit& memory, std::size_t held) {
  const std::vector<std::size_t> series = derived_series_orders(generators, degree, memory, held);
  return derived_length(std::span<const std::size_t>(series));
}

std::size_t PermutationGroup::Hash::operator()(const Perm& p) const {
  std::size_t h = 1469598103934665603ull;
  for (std::uint32_t x : p) h = (h ^ x) * 1099511628211ull;
  return h;
}

PermutationGroup::PermutationGroup(std::string name, std::size_t degree, std::vector<Perm> generators,
                                   std::size_t max_order)
    : name_(std::move(name)), degree_(degree) {
  for (const Perm& g : generators)
    if (g.size() != degree || !is_permutation(g))
      throw InvalidArgument("group " + name_ + ": generator " + cycle_notation_or_images(g) +
                            " is not a permutation of " + std::to_string(degree) + " points");
  // Breadth-first closure: every element is a product of generators, and a finite group is
  // closed under products alone (inverses are positive powers).
  try {
    elements_ = group_closure(generators, degree, max_order);
  } catch (const LimitExceeded&) {
    throw LimitExceeded("group " + name_ + ": more than " + std::to_string(max_order) + " elements");
  }
  index_.reserve(elements_.size());
  for (std::size_t i = 0; i < elements_.size(); ++i) index_.emplace(elements_[i], static_cast<std::uint32_t>(i));
  for (const Perm& g : generators) generators_.push_back(index_.at(g));
  if (order() <= kMaxTableOrder) {
    const std::size_t n = order();
    table_.resize(n * n);
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = 0; j < n; ++j) table_[i * n + j] = index_.at(compose(elements_[i], elements_[j]));
  }
}

std::vector<Perm> PermutationGroup::generator_perms() const {
  std::vector<Perm> out;
  for (std::uint32_t i : generators_) out.push_back(elements_[i]);
  return out;
}

std::optional<std::uint32_t> PermutationGroup::find(const Perm& g) const {
  auto it = index_.find(g);
  if (it == index_.end()) return std::nullopt;
  return it->second;
}

std::uint32_t PermutationGroup::element_named(std::string_view text) const {
  Perm p = parse_cycles(text, degree_);
  if (auto i = find(p)) return *i;
  throw InvalidArgument("permutation " + detail::quote(text) + " is not an element of " + name_);
}

std::uint32_t PermutationGroup::multiply(std::uint32_t i, std::uint32_t j) const {
  if (!table_.empty()) return table_[static_cast<std::size_t>(i) * order() + j];
  return index_.at(compose(elements_.at(i), elements_.at(j)));
}

std::uint32_t PermutationGroup::inverse_of(std::uint32_t i) const { return index_.at(inverse(elements_.at(i))); }

namespace {

const char* const kGroupForms =
    "Zm (cyclic, m >= 1), Sn (symmetric, n >= 1), An (alternating, n >= 1), Dn (dihedral of order 2n, n >= 3), "
    "and direct products joined by x such as A4xZ5";

// A cycle on the points first..first+length-1 of a permutation of `degree` points.
Perm cycle_on(std::size_t degree, std::size_t first, std::size_t length) {
  Perm p = identity_perm(degree);
  for (std::size_t i = 0; i < length; ++i) p[first + i] = static_cast<std::uint32_t>(first + (i + 1) % length);
  return p;
}

struct Factor {
  std::size_t degree;
  std::vector<Perm> generators;
};

Factor make_factor(std::string_view whole, std::string_view text) {
  auto fail = [&](const std::string& what) -> Factor {
    throw InvalidArgument("group '" + std::string(whole) + "': " + what + "; groups are " + kGroupForms);
  };
  if (text.size() < 2) return fail("unknown factor '" + std::string(text) + "'");
  const char kind = text[0];
  std::size_t n = 0;
  auto [end, ec] = std::from_chars(text.data() + 1, text.data() + text.size(), n);
  if (ec != std::errc() || end != text.data() + text.size() || text[1] == '0')
    return fail("factor '" + std::string(text) + "' is not a letter followed by a positive number");
  if (n > 4096) return fail("factor '" + std::string(text) + "' is too large");
  switch (kind) {
    case 'Z': {
      if (n < 1) return fail("Z needs m >= 1");
      // Z_m = product of Z_{p^e} over its prime powers: the smallest faithful action.
      std::vector<std::size_t> powers;
      std::size_t m = n;
      for (std::size_t p = 2; p * p <= m; ++p) {
        if (m % p) continue;
        std::size_t q = 1;
        while (m % p == 0) {
          m /= p;
          q *= p;
        }
        powers.push_back(q);
      }
      if (m > 1) powers.push_back(m);
      std::size_t degree = 0;
      for (std::size_t q : powers) degree += q;
      if (degree == 0) return Factor{1, {}};
      Perm g = identity_perm(degree);
      std::size_t first = 0;
      for (std::size_t q : powers) {
        g = compose(g, cycle_on(degree, first, q));
        first += q;
      }
      return Factor{degree, {g}};
    }
    case 'S': {
      if (n < 2) return Factor{n, {}};
      std::vector<Perm> gens{cycle_on(n, 0, 2)};
      if (n > 2) gens.push_back(cycle_on(n, 0, n));
      return Factor{n, gens};
    }
    case 'A': {
      if (n < 3) return Factor{n, {}};
      std::vector<Perm> gens{cycle_on(n, 0, 3)};
      if (n > 3) gens.push_back(n % 2 ? cycle_on(n, 0, n) : cycle_on(n, 1, n - 1));
      return Factor{n, gens};
    }
    case 'D': {
      if (n < 3) return fail("D needs n >= 3 (Dn is the dihedral group of order 2n)");
      Perm reflection = identity_perm(n);
      for (std::size_t i = 1; i < n; ++i) reflection[i] = static_cast<std::uint32_t>(n - i);
      return Factor{n, {cycle_on(n, 0, n), reflection}};
    }
    default:
      return fail("unknown factor '" + std::string(text) + "'");
  }
}

}  // namespace

PermutationGroup make_group(std::string_view name, std::size_t max_order) {
  if (name.empty()) throw InvalidArgument(std::string("group: empty name; groups are ") + kGroupForms);
  std::vector<Factor> factors;
  std::size_t pos = 0;
  while (true) {
    std::size_t end = name.find('x', pos);
    std::string_view part = name.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
    factors.push_back(make_factor(name, part));
    if (end == std::string_view::npos) break;
    pos = end + 1;
  }
  std::size_t degree = 0;
  for (const Factor& f : factors) degree += f.degree;
  std::vector<Perm> generators;
  std::size_t offset = 0;
  for (const Factor& f : factors) {
    for (const Perm& g : f.generators) {
      Perm lifted = identity_perm(degree);
      for (std::size_t x = 0; x < f.degree; ++x) lifted[offset + x] = static_cast<std::uint32_t>(offset + g[x]);
      generators.push_back(std::move(lifted));
    }
    offset += f.degree;
  }
  return PermutationGroup(std::string(name), degree, std::move(generators), max_order);
}

}  // namespace statelab::automata
