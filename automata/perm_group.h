// Finite permutation groups given by generators, as much as the algebra of a language needs:
// the closure of a generating set, commutativity, the derived series and solvability.  The
// maximal subgroups of a transition monoid (automata/monoid.h) act on the states of an
// idempotent's image, and these functions answer, for such a group, the questions of
// Barrington's theorem: is it abelian, is it solvable.
//
// Conventions: a permutation of 0..n-1 is its list of images; products act on the right, so
// compose(g, h) applies g first and then h (as the product of two words read left to right).
// (languages/permutation_group.h is the catalogue's own group library for word problems; this
// one sits below it, in automata/, and the tests check the two against each other.)
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
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

}  // namespace statelab::automata
