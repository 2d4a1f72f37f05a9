// statelab's one library of finite permutation groups, given by generators: the closure of a
// generating set, commutativity, the derived series and solvability (the questions of
// Barrington's theorem that the maximal subgroups of a transition monoid, automata/monoid.h,
// are asked), cycle notation, a group with its multiplication table (PermutationGroup), and the
// named groups of the literature (Zm, Sn, An, Dn and direct products such as A4xZ5) that the
// catalogue's word problems (languages/) are built on.
//
// Conventions (those of GAP): a permutation of 0..n-1 is its list of images; products act on the
// right, so compose(g, h) applies g first and then h (as the product of two words read left to
// right).  In cycle notation the points are 1..n: "(1,2,3)(4,5)", fixed points left out, and the
// identity prints as "e"; the names contain no whitespace, so they are valid Alphabet symbols.
// (tests/support/perm_oracle.h holds a naive second closure the tests check this one against.)
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "automata/limits.h"

namespace statelab::automata {

/// image[x] is where x goes.
using Perm = std::vector<std::uint32_t>;

/// The identity on `degree` points.
Perm identity_perm(std::size_t degree);

/// g then h.  Both of the same degree (asserted).  Time O(degree).
Perm compose(const Perm& g, const Perm& h);

/// The inverse.  Time O(degree).
Perm inverse(const Perm& g);

/// The order of g: the least m >= 1 with g^m the identity, the lcm of its cycle lengths.
/// Time O(degree).
std::uint64_t perm_order(const Perm& g);

/// Whether `p` is a permutation of 0..p.size()-1.  Time O(degree).
bool is_permutation(std::span<const std::uint32_t> p);

/// Whether g fixes every point.  Time O(degree).
bool is_identity(const Perm& g);

/// Cycle notation with commas and 1-based points, cycles by their least point, each cycle starting
/// at its least point, fixed points left out; "e" for the identity.  Time O(degree).
std::string cycle_notation(const Perm& g);

/// Parses cycle notation ("(1,2,3)(4,5)", or "e" / "()" for the identity) into a permutation of
/// `degree` points.  Throws InvalidArgument naming the text and what was expected on a malformed
/// cycle, a point outside 1..degree or a point repeated.  Time O(length + degree).
Perm parse_cycles(std::string_view text, std::size_t degree);

/// Every element of the group the generators generate (all of degree `degree`): the identity
/// first, then breadth-first in the order of the generators.  Throws LimitExceeded when the
/// group has more than `max_order` elements, InvalidArgument when a generator is not a
/// permutation of `degree` points, or when the elements (with `held` bytes the caller already
/// holds) would take more than `memory`, checked before each element is added.
/// Time O(|G| |gens| degree) expected (hashing); space about 2 |G| (4 degree + 48) bytes.
std::vector<Perm> group_closure(std::span<const Perm> generators, std::size_t degree,
                                std::size_t max_order = 10'000'000, const MemoryLimit& memory = {},
                                std::size_t held = 0);

/// Whether the group the generators generate is abelian: every two generators commute.
/// Time O(|gens|^2 degree).
bool is_abelian(std::span<const Perm> generators);

/// Generators of the derived (commutator) subgroup [G, G]: the normal closure in G of the
/// commutators of G's generators.  Time O(|G'| |gens| (|gens| + |gens'|) degree) expected;
/// space about |G'| (4 degree + 96) bytes, within `memory` with `held` as group_closure.
std::vector<Perm> derived_subgroup_generators(std::span<const Perm> generators, std::size_t degree,
                                              const MemoryLimit& memory = {}, std::size_t held = 0);

/// The orders |G| = |G0| > |G1| > ... of the derived series G_{i+1} = [G_i, G_i], until it
/// reaches the trivial group (the group is solvable) or stops at a perfect subgroup G_i =
/// G_{i+1} > 1 (it is not: the last order is repeated once to show it).  Time: a derived
/// subgroup per term, at most log2 |G| terms; space about |G| (4 degree + 96) bytes, within
/// `memory` with `held` as group_closure.
std::vector<std::size_t> derived_series_orders(std::span<const Perm> generators, std::size_t degree,
                                               const MemoryLimit& memory = {}, std::size_t held = 0);

/// Whether the group is solvable: its derived series reaches the trivial group.
bool is_solvable(std::span<const Perm> generators, std::size_t degree);

/// The derived length of a solvable group, given its derived series (derived_series_orders):
/// the least k with G^(k) = 1, which is also the length of its shortest subnormal series with
/// abelian factors (0 for the trivial group, 1 for a non-trivial abelian one, 2 for S3 and A4,
/// 3 for S4); nothing when the series stops at a perfect subgroup (the group is not solvable).
std::optional<std::size_t> derived_length(std::span<const std::size_t> derived_series);

/// The same from generators.  Time and space as derived_series_orders.
std::optional<std::size_t> derived_length(std::span<const Perm> generators, std::size_t degree,
                                          const MemoryLimit& memory = {}, std::size_t held = 0);

/// A finite permutation group given by its elements.  Element 0 is the identity; the others are
/// numbered in breadth-first order from the identity, multiplying on the right by the generators
/// in the order given (group_closure's order), so the numbering is canonical for a generating list.
class PermutationGroup {
 public:
  /// The closure of `generators` (all of degree `degree`).  Time O(|G| |gens| degree) with hashing;
  /// throws LimitExceeded naming the group when it would have more than `max_order` elements and
  /// InvalidArgument when a generator is not a permutation of `degree` points.
  PermutationGroup(std::string name, std::size_t degree, std::vector<Perm> generators,
                   std::size_t max_order = kDefaultMaxOrder);

  /// The largest group built unless asked otherwise (|S8| = 40320).
  static constexpr std::size_t kDefaultMaxOrder = 40320;
  /// Up to this order the multiplication table is stored (|G|^2 entries); beyond it products are
  /// computed by composing and looking up.
  static constexpr std::size_t kMaxTableOrder = 1024;

  const std::string& name() const { return name_; }
  std::size_t degree() const { return degree_; }
  std::size_t order() const { return elements_.size(); }
  const Perm& element(std::uint32_t i) const { return elements_.at(i); }
  const std::vector<Perm>& elements() const { return elements_; }
  /// The generators as given (their indices in `elements()`).
  const std::vector<std::uint32_t>& generators() const { return generators_; }
  /// The generators as given, as permutations (for group_closure, is_solvable, ...).
  std::vector<Perm> generator_perms() const;
  /// The element's name in cycle notation ("e" for the identity).
  std::string element_name(std::uint32_t i) const { return cycle_notation(element(i)); }

  /// The index of g, or nothing when g is not in the group.  Time O(degree) expected.
  std::optional<std::uint32_t> find(const Perm& g) const;
  /// The index of the element named `text` in cycle notation; throws InvalidArgument naming the
  /// text and the group when it is malformed or not an element of this group.
  std::uint32_t element_named(std::string_view text) const;

  static constexpr std::uint32_t identity() { return 0; }
  /// The index of elements[i] * elements[j] (apply i first).  O(1) through the table when the
  /// order is at most kMaxTableOrder, else O(degree).
  std::uint32_t multiply(std::uint32_t i, std::uint32_t j) const;
  std::uint32_t inverse_of(std::uint32_t i) const;

 private:
  struct Hash {
    std::size_t operator()(const Perm& p) const;
  };

  std::string name_;
  std::size_t degree_;
  std::vector<Perm> elements_;
  std::vector<std::uint32_t> generators_;
  std::unordered_map<Perm, std::uint32_t, Hash> index_;
  std::vector<std::uint32_t> table_;  // order x order when order <= kMaxTableOrder, else empty
};

/// A group by name: `Zm` (cyclic, m >= 1, acting on the sum of the prime powers of m, so Z60 =
/// Z4 x Z3 x Z5 on 12 points), `Sn` (symmetric, n >= 1), `An` (alternating, n >= 1), `Dn`
/// (dihedral of order 2n, the symmetries of an n-gon, n >= 3), and direct products of these joined
/// by `x` ("A4xZ5"), each factor acting on its own points.  The generators are the standard ones:
/// Sn: (1,2) and (1,...,n); An: (1,2,3) and (1,...,n) for odd n or (2,...,n) for even n; Dn: the
/// rotation (1,...,n) and the reflection fixing 1; Zm: one element of order m; a product: the
/// union of its factors' generators.  Throws InvalidArgument naming the bad part and listing the
/// forms that exist, LimitExceeded past `max_order`.  Time O(|G| |gens| degree).
PermutationGroup make_group(std::string_view name, std::size_t max_order = PermutationGroup::kDefaultMaxOrder);

}  // namespace statelab::automata
