// splitmix64's output function as a pure function: a seed derived from another (word i of a
// set from splitmix64(seed + i), a stream from splitmix64(seed ^ tag)), well mixed, the same on
// every platform.  The stateful generator of the same family is base/random.h's Random.
#pragma once

#include <cstdint>

namespace statelab {

/// splitmix64 of one value (Steele, Lea and Flood 2014): the first output of Random(x).
inline std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

}  // namespace statelab
