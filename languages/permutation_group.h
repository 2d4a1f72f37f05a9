// A small library of finite permutation groups, enough to define group word problems exactly:
// permutations of the points 1..n written in cycle notation, the closure of a generating set,
// a multiplication table, and the named groups of the literature (Zm, Sn, An, Dn and direct
// products such as A4xZ5).
//
// Conventions (those of GAP): points are 1..n in cycle notation and 0..n-1 in memory;
// permutations act on the right, so the product g*h applies g first and then h, and the product
// of a word g1 g2 ... gm applies g1 first.  An element prints in cycle notation with commas,
// "(1,2,3)(4,5)", fixed points left out, and the identity prints as "e"; the names contain no
// whitespace, so they are valid Alphabet symbols.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace statelab::languages {

/// A permutation of 0..degree-1: image[x] is where x goes.
struct Permutation {
  std::vector<std::uint16_t> image;

  std::size_t degree() const { return image.size(); }
  friend bool operator==(const Permutation&, const Permutation&) = default;
  friend auto operator<=>(const Permutation&, const Permutation&) = default;
};

/// The identity on `degree` points.
Permutation identity_permutation(std::size_t degree);

/// g*h: apply g, then h.  Throws InvalidArgument when the degrees differ.  Time O(degree).
Permutation compose(const Permutation& g, const Permutation& h);

/// The inverse permutation.  Time O(degree).
Permutation inverse(const Permutation& g);

bool is_identity(const Permutation& g);

/// The order of g (the least m >= 1 with g^m = e): the lcm of its cycle lengths.
std::size_t element_order(const Permutation& g);

/// Cycle notation with commas and 1-based points, cycles by their least point, each cycle starting
/// at its least point, fixed points left out; "e" for the identity.  Time O(degree).
std::string cycle_notation(const Permutation& g);

/// Parses cycle notation ("(1,2,3)(4,5)", or "e" / "()" for the identity) into a permutation of
/// `degree` points.  Throws InvalidArgument naming the text and what was expected on a malformed
/// cycle, a point outside 1..degree or a point repeated.  Time O(length + degree).
Permutation parse_cycles(std::string_view text, std::size_t degree);

/// A finite permutation group given by its elements.  Element 0 is the identity; the others are
/// numbered in breadth-first order from the identity, multiplying on the right by the generators
/// in the order given, so the numbering is canonical for a generating list.
class PermutationGroup {
 public:
  /// The closure of `generators` (all of degree `degree`).  Time O(|G| |gens| degree) with hashing;
  /// throws LimitExceeded when the group would have more than `max_order` elements and
  /// InvalidArgument when a generator has the wrong degree.
  PermutationGroup(std::string name, std::size_t degree, std::vector<Permutation> generators,
                   std::size_t max_order = kDefaultMaxOrder);

  /// The largest group built unless asked otherwise (|S8| = 40320).
  static constexpr std::size_t kDefaultMaxOrder = 40320;
  /// Up to this order the multiplication table is stored (|G|^2 entries); beyond it products are
  /// computed by composing and looking up.
  static constexpr std::size_t kMaxTableOrder = 1024;

  const std::string& name() const { return name_; }
  std::size_t degree() const { return degree_; }
  std::size_t order() const { return elements_.size(); }
  const Permutation& element(std::uint32_t i) const { return elements_.at(i); }
  const std::vector<Permutation>& elements() const { return elements_; }
  /// The generators as given (their indices in `elements()`).
  const std::vector<std::uint32_t>& generators() const { return generators_; }
  /// The element's name in cycle notation ("e" for the identity).
  std::string element_name(std::uint32_t i) const { return cycle_notation(element(i)); }

  /// The index of g, or nothing when g is not in the group.  Time O(degree) expected.
  std::optional<std::uint32_t> find(const Permutation& g) const;
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
    std::size_t operator()(const Permutation& p) const;
  };

  std::string name_;
  std::size_t degree_;
  std::vector<Permutation> elements_;
  std::vector<std::uint32_t> generators_;
  std::unordered_map<Permutation, std::uint32_t, Hash> index_;
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

}  // namespace statelab::languages
