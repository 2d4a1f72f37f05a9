#include "languages/permutation_group.h"

#include <algorithm>
#include <charconv>
#include <deque>
#include <numeric>

#include "base/error.h"

namespace statelab::languages {

Permutation identity_permutation(std::size_t degree) {
  Permutation p;
  p.image.resize(degree);
  std::iota(p.image.begin(), p.image.end(), std::uint16_t{0});
  return p;
}

Permutation compose(const Permutation& g, const Permutation& h) {
  if (g.degree() != h.degree())
    throw InvalidArgument("compose: permutations of different degrees " + std::to_string(g.degree()) + " and " +
                          std::to_string(h.degree()));
  Permutation out;
  out.image.resize(g.degree());
  for (std::size_t x = 0; x < g.degree(); ++x) out.image[x] = h.image[g.image[x]];
  return out;
}

Permutation inverse(const Permutation& g) {
  Permutation out;
  out.image.resize(g.degree());
  for (std::size_t x = 0; x < g.degree(); ++x) out.image[g.image[x]] = static_cast<std::uint16_t>(x);
  return out;
}

bool is_identity(const Permutation& g) {
  for (std::size_t x = 0; x < g.degree(); ++x)
    if (g.image[x] != x) return false;
  return true;
}

std::size_t element_order(const Permutation& g) {
  std::vector<bool> seen(g.degree(), false);
  std::size_t order = 1;
  for (std::size_t x = 0; x < g.degree(); ++x) {
    if (seen[x]) continue;
    std::size_t length = 0;
    for (std::size_t y = x; !seen[y]; y = g.image[y]) {
      seen[y] = true;
      ++length;
    }
    order = std::lcm(order, length);
  }
  return order;
}

std::string cycle_notation(const Permutation& g) {
  std::string out;
  std::vector<bool> seen(g.degree(), false);
  for (std::size_t x = 0; x < g.degree(); ++x) {
    if (seen[x] || g.image[x] == x) continue;
    out += '(';
    for (std::size_t y = x; !seen[y]; y = g.image[y]) {
      seen[y] = true;
      if (y != x) out += ',';
      out += std::to_string(y + 1);
    }
    out += ')';
  }
  return out.empty() ? "e" : out;
}

Permutation parse_cycles(std::string_view text, std::size_t degree) {
  auto fail = [&](const std::string& what) -> Permutation {
    throw InvalidArgument("permutation '" + std::string(text) + "': " + what +
                          " (expected cycle notation on points 1.." + std::to_string(degree) +
                          " such as (1,2,3)(4,5), or e for the identity)");
  };
  Permutation p = identity_permutation(degree);
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
    for (std::size_t i = 0; i < cycle.size(); ++i)
      p.image[cycle[i]] = static_cast<std::uint16_t>(cycle[(i + 1) % cycle.size()]);
  }
  return p;
}

std::size_t PermutationGroup::Hash::operator()(const Permutation& p) const {
  std::size_t h = 1469598103934665603ull;
  for (std::uint16_t x : p.image) h = (h ^ x) * 1099511628211ull;
  return h;
}

PermutationGroup::PermutationGroup(std::string name, std::size_t degree, std::vector<Permutation> generators,
                                   std::size_t max_order)
    : name_(std::move(name)), degree_(degree) {
  if (degree > UINT16_MAX) throw InvalidArgument("group " + name_ + ": degree " + std::to_string(degree) + " too large");
  for (const Permutation& g : generators)
    if (g.degree() != degree)
      throw InvalidArgument("group " + name_ + ": generator " + cycle_notation(g) + " has degree " +
                            std::to_string(g.degree()) + ", expected " + std::to_string(degree));
  // Breadth-first closure: every element is a product of generators, and a finite group is
  // closed under products alone (inverses are positive powers).
  const std::vector<Permutation>& gens = generators;
  elements_.push_back(identity_permutation(degree));
  index_.emplace(elements_[0], 0);
  for (std::size_t i = 0; i < elements_.size(); ++i) {
    for (const Permutation& g : gens) {
      Permutation h = compose(elements_[i], g);
      if (index_.contains(h)) continue;
      if (elements_.size() >= max_order)
        throw LimitExceeded("group " + name_ + ": more than " + std::to_string(max_order) + " elements");
      index_.emplace(h, static_cast<std::uint32_t>(elements_.size()));
      elements_.push_back(std::move(h));
    }
  }
  generators_.clear();
  for (const Permutation& g : gens) generators_.push_back(index_.at(g));
  if (order() <= kMaxTableOrder) {
    const std::size_t n = order();
    table_.resize(n * n);
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = 0; j < n; ++j) table_[i * n + j] = index_.at(compose(elements_[i], elements_[j]));
  }
}

std::optional<std::uint32_t> PermutationGroup::find(const Permutation& g) const {
  auto it = index_.find(g);
  if (it == index_.end()) return std::nullopt;
  return it->second;
}

std::uint32_t PermutationGroup::element_named(std::string_view text) const {
  Permutation p = parse_cycles(text, degree_);
  if (auto i = find(p)) return *i;
  throw InvalidArgument("permutation '" + std::string(text) + "' is not an element of " + name_);
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
Permutation cycle_on(std::size_t degree, std::size_t first, std::size_t length) {
  Permutation p = identity_permutation(degree);
  for (std::size_t i = 0; i < length; ++i) p.image[first + i] = static_cast<std::uint16_t>(first + (i + 1) % length);
  return p;
}

struct Factor {
  std::size_t degree;
  std::vector<Permutation> generators;
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
      Permutation g = identity_permutation(degree);
      std::size_t first = 0;
      for (std::size_t q : powers) {
        g = compose(g, cycle_on(degree, first, q));
        first += q;
      }
      return Factor{degree, {g}};
    }
    case 'S': {
      if (n < 2) return Factor{n, {}};
      std::vector<Permutation> gens{cycle_on(n, 0, 2)};
      if (n > 2) gens.push_back(cycle_on(n, 0, n));
      return Factor{n, gens};
    }
    case 'A': {
      if (n < 3) return Factor{n, {}};
      std::vector<Permutation> gens{cycle_on(n, 0, 3)};
      if (n > 3) gens.push_back(n % 2 ? cycle_on(n, 0, n) : cycle_on(n, 1, n - 1));
      return Factor{n, gens};
    }
    case 'D': {
      if (n < 3) return fail("D needs n >= 3 (Dn is the dihedral group of order 2n)");
      Permutation reflection = identity_permutation(n);
      for (std::size_t i = 1; i < n; ++i) reflection.image[i] = static_cast<std::uint16_t>(n - i);
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
  std::vector<Permutation> generators;
  std::size_t offset = 0;
  for (const Factor& f : factors) {
    for (const Permutation& g : f.generators) {
      Permutation lifted = identity_permutation(degree);
      for (std::size_t x = 0; x < f.degree; ++x) lifted.image[offset + x] = static_cast<std::uint16_t>(offset + g.image[x]);
      generators.push_back(std::move(lifted));
    }
    offset += f.degree;
  }
  return PermutationGroup(std::string(name), degree, std::move(generators), max_order);
}

}  // namespace statelab::languages
