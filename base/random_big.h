// Uniform draws below a big integer (Boost.Multiprecision's cpp_int), for exact samplers over
// counts that overflow 64 bits.  Apart from base/random.h so that statelab::models, which never
// needs it, does not compile Boost.Multiprecision.
#pragma once

#include <boost/multiprecision/cpp_int.hpp>

#include "base/random.h"

namespace statelab {

/// A uniform big integer in [0, bound), exactly, by the same rejection on the bit length as the
/// 64-bit uniform_below: ceil(b / 64) engine calls per try for a b-bit bound, the most significant
/// 64 bits drawn first, fewer than 2 tries on average.  For a bound below 2^64 it draws exactly
/// what the 64-bit overload draws.  Time O(b) per try.  Throws InvalidArgument when bound <= 0.
boost::multiprecision::cpp_int uniform_below(Rng& rng, const boost::multiprecision::cpp_int& bound);

}  // namespace statelab
