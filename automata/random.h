// Randomness for every statelab library: one engine type, seeded explicitly, and draws whose
// algorithms are written here rather than taken from <random>'s distributions.
// Why: the standard fixes the output of std::mt19937_64 bit for bit, but not the algorithms of
// std::uniform_int_distribution, std::bernoulli_distribution and friends, which differ between
// libstdc++, libc++ and MSVC.  Drawing through the functions below, a result that names its seed
// reproduces on every platform and standard library.
#pragma once

#include <boost/multiprecision/cpp_int.hpp>
#include <cstdint>
#include <random>

namespace statelab::automata {

/// The engine every statelab sampler takes.  Its output sequence is fixed by the C++ standard.
using Rng = std::mt19937_64;

/// An engine seeded with `seed` (the standard's single-integer seeding of mt19937_64).
Rng make_rng(std::uint64_t seed);

/// A uniform integer in [0, bound), exactly: draws as many bits as `bound - 1` has and rejects
/// values >= bound (fewer than 2 engine calls on average).  Throws InvalidArgument when bound is 0.
std::uint64_t uniform_below(Rng& rng, std::uint64_t bound);

/// A uniform big integer in [0, bound), exactly, by the same rejection on the bit length:
/// ceil(b / 64) engine calls per try for a b-bit bound, the most significant 64 bits drawn first,
/// fewer than 2 tries on average.  For a bound below 2^64 it draws exactly what the 64-bit
/// overload draws.  Time O(b) per try.  Throws InvalidArgument when bound <= 0.
boost::multiprecision::cpp_int uniform_below(Rng& rng, const boost::multiprecision::cpp_int& bound);

/// A uniform double in [0, 1) on the grid of multiples of 2^-53 (one engine call, top 53 bits).
double uniform_unit(Rng& rng);

/// True with probability `p` (p <= 0 never, p >= 1 always), from one uniform_unit draw.
/// Throws InvalidArgument when p is NaN.
bool bernoulli(Rng& rng, double p);

}  // namespace statelab::automata
