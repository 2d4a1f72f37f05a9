#include "base/random.h"

#include <bit>
#include <cmath>
#include <string>

#include "base/error.h"
#include "base/random_big.h"

namespace statelab {

using boost::multiprecision::cpp_int;

Rng make_rng(std::uint64_t seed) { return Rng(seed); }

namespace {

// The `bits` high bits of one engine call (1 <= bits <= 64).  The high bits rather than a mask
// of the low ones, by habit: for Mersenne Twister both are equally good, for weaker engines the
// high bits are the better ones.
std::uint64_t draw_bits(Rng& rng, unsigned bits) {
  const std::uint64_t x = rng();
  return bits == 64 ? x : x >> (64 - bits);
}

}  // namespace

std::uint64_t uniform_below(Rng& rng, std::uint64_t bound) {
  if (bound == 0) throw InvalidArgument("a uniform draw among 0 values: there is nothing to draw (the bound must be positive)");
  if (bound == 1) return 0;  // no bits to draw: the engine is not advanced
  const auto bits = static_cast<unsigned>(std::bit_width(bound - 1));
  for (;;) {
    const std::uint64_t x = draw_bits(rng, bits);
    if (x < bound) return x;
  }
}

cpp_int uniform_below(Rng& rng, const cpp_int& bound) {
  if (bound <= 0) throw InvalidArgument("a uniform draw among " + bound.str() +
                                         " values: there is nothing to draw (the bound must be positive)");
  if (bound == 1) return 0;
  const cpp_int max = bound - 1;
  const std::size_t bits = msb(max) + 1;
  const std::size_t top_bits = (bits - 1) % 64 + 1;  // bits in the most significant chunk, 1..64
  const std::size_t chunks = (bits + 63) / 64;
  cpp_int x;
  for (;;) {
    x = draw_bits(rng, static_cast<unsigned>(top_bits));
    for (std::size_t i = 1; i < chunks; ++i) {
      x <<= 64;
      x |= rng();
    }
    if (x < bound) return x;
  }
}

double uniform_unit(Rng& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

bool bernoulli(Rng& rng, double p) {
  if (std::isnan(p)) throw InvalidArgument("bernoulli: the probability is NaN");
  // Always draw, even for p = 0 or 1, so the number of engine calls does not depend on p.
  return uniform_unit(rng) < p;
}

}  // namespace statelab
