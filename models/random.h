// The seeded generator of statelab::models: splitmix64, with uniform and normal draws defined
// here bit for bit (std::uniform_real_distribution and std::normal_distribution differ between
// standard libraries), so a seed gives the same initialisation and data order everywhere.
#pragma once

#include <cmath>
#include <cstdint>

namespace statelab::models {

class Random {
 public:
  explicit Random(std::uint64_t seed) : state_(seed) {}

  /// The next 64 random bits (splitmix64).
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
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

}  // namespace statelab::models
