// A second, naive permutation-group closure, kept only as a test oracle for automata/perm_group.h
// (which statelab uses everywhere): no hashing, no breadth-first queue, no shared code; the set of
// generators is closed under products of any two elements until nothing new appears.
// Time O(|G|^2 log |G| degree) per round: for groups of a few hundred elements.
#pragma once

#include <cstdint>
#include <set>
#include <vector>

namespace statelab::test {

using OraclePerm = std::vector<std::uint32_t>;

inline std::set<OraclePerm> oracle_closure(const std::vector<OraclePerm>& generators, std::size_t degree) {
  OraclePerm identity(degree);
  for (std::size_t x = 0; x < degree; ++x) identity[x] = static_cast<std::uint32_t>(x);
  std::set<OraclePerm> group{identity};
  group.insert(generators.begin(), generators.end());
  for (bool grew = true; grew;) {
    grew = false;
    const std::vector<OraclePerm> now(group.begin(), group.end());
    for (const OraclePerm& g : now)
      for (const OraclePerm& h : now) {
        OraclePerm gh(degree);
        for (std::size_t x = 0; x < degree; ++x) gh[x] = h[g[x]];  // g first, then h
        grew |= group.insert(std::move(gh)).second;
      }
  }
  return group;
}

}  // namespace statelab::test
