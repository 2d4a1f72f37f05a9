// Randomness for every statelab library, seeded explicitly, with draws whose algorithms are
// written here rather than taken from <random>'s distributions.  Two engines, each with a job:
// `Rng` (the standard's mt19937_64) for the exact samplers of automata/ and languages/ (words,
// random DFAs, uniform draws below big counts: see base/random_big.h), and `Random` (splitmix64,
// cheap and small) for statelab::models' initialisation and data order.  Each fixes a stream that
// tests, fixtures and published results depend on, so neither replaces the other.
// Why: the standard fixes the output of std::mt19937_64 bit for bit, but not the algorithms of
// std::uniform_int_distribution, std::bernoulli_distribution and friends, which differ between
// libstdc++, libc++ and MSVC.  Drawing through the functions below, a result that names its seed
// reproduces on every platform and standard library.
#pragma once

#include <cmath>
#include <cstdint>
#include <random>
#include <utility>

#include "base/splitmix.h"

namespace statelab {

/// The engine every statelab sampler takes.  Its output sequence is fixed by the C++ standard.
using Rng = std::mt19937_64;

/// An engine seeded with `seed` (the standard's single-integer seeding of mt19937_64).
Rng make_rng(std::uint64_t seed);

/// A uniform integer in [0, bound), exactly: draws as many bits as `bound - 1` has and rejects
/// values >= bound (fewer than 2 engine calls on average).  Throws InvalidArgument when bound is 0.
std::uint64_t uniform_below(Rng& rng, std::uint64_t bound);

/// A uniform double in [0, 1) on the grid of multiples of 2^-53 (one engine call, top 53 bits).
double uniform_unit(Rng& rng);

/// True with probability `p` (p <= 0 never, p >= 1 always), from one uniform_unit draw.
/// Throws InvalidArgument when p is NaN.
bool bernoulli(Rng& rng, double p);

/// The seeded generator of statelab::models: splitmix64, with uniform and normal draws defined
/// here bit for bit (std::uniform_real_distribution and std::normal_distribution differ between
/// standard libraries), so a seed gives the same initialisation and data order everywhere.
class Random {
 public:
  explicit Random(std::uint64_t seed) : state_(seed) {}

  /// The next 64 random bits: splitmix64 of the state, which then steps by the golden ratio
  /// (splitmix64(x) mixes x + that step, so this is the stream Random(seed) always gave).
  std::uint64_t next() { return splitmix64(std::exchange(state_, state_ + 0x9e3779b97f4a7c15ULL)); }
  /// Uniform in [0, 1) with 53 random bits.
  double uniform01() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  /// Uniform in [a, b).
  float uniform(float a, float b) { return static_cast<float>(a + (b - a) * uniform01()); }
  /// Standard normal (Box-Muller, one draw per call).
  float normal() {
    const double u1 = 1.0 - uniform01();  // (0, 1]
    const double u2 = uniform01();
    return static_cast<float>(std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2));
  }
  /// Uniform integer in [0, n), n >= 1 (by scaling 53 random bits; bias below n / 2^53).
  std::uint64_t below(std::uint64_t n) { return static_cast<std::uint64_t>(uniform01() * static_cast<double>(n)); }

 private:
  std::uint64_t state_;
};

}  // namespace statelab
