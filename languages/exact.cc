#include "languages/exact.h"

#include <string>

#include "base/error.h"

namespace statelab::languages {

Count binomial(std::uint64_t n, std::uint64_t k) {
  if (k > n) return 0;
  k = std::min(k, n - k);
  Count result = 1;
  for (std::uint64_t i = 1; i <= k; ++i) {
    result *= n - k + i;
    result /= i;  // exact: the product of i consecutive integers is divisible by i!
  }
  return result;
}

Count catalan(std::uint64_t m) { return binomial(2 * m, m) / (m + 1); }

Count power(std::uint64_t base, std::uint64_t exponent) { return boost::multiprecision::pow(Count(base), static_cast<unsigned>(exponent)); }

Count ballot(std::uint64_t steps, std::uint64_t height) {
  if (height > steps || (steps - height) % 2) return 0;
  return Count(height + 1) * binomial(steps + 1, (steps - height) / 2) / (steps + 1);
}

std::vector<bool> sample_dyck_shape(std::size_t length, Rng& rng) {
  if (length % 2) throw InvalidArgument("sample_dyck_shape: odd length " + std::to_string(length));
  // State (r steps left, height d, u up-steps left); paths(r, d) = (d+1)/(r+1) * B with
  // B = C(r+1, u).  Each step moves B by one exact small ratio.
  std::uint64_t r = length, d = 0, u = length / 2;
  Count b = binomial(r + 1, u);
  Count rank = uniform_below(rng, Count(d + 1) * b / (r + 1));
  std::vector<bool> shape;
  shape.reserve(length);
  while (r > 0) {
    Count b_up = u > 0 ? b * u / (r + 1) : Count(0);      // C(r, u-1)
    Count b_down = b * (r + 1 - u) / (r + 1);             // C(r, u)
    Count up = u > 0 ? Count(d + 2) * b_up / r : Count(0);  // paths(r-1, d+1)
    if (rank < up) {
      shape.push_back(true);
      b = std::move(b_up);
      --u;
      ++d;
    } else {
      rank -= up;
      shape.push_back(false);
      b = std::move(b_down);
      --d;
    }
    --r;
  }
  return shape;
}

std::shared_ptr<const automata::UniformSampler> DfaSamplerCache::sampler(std::size_t length) const {
  std::lock_guard lock(mutex_);
  auto& slot = samplers_[length];
  if (!slot) slot = std::make_shared<const automata::UniformSampler>(*dfa_, length);
  return slot;
}

std::optional<automata::Word> DfaSamplerCache::sample(std::size_t length, Rng& rng) const {
  auto s = sampler(length);
  if (s->empty()) return std::nullopt;
  return s->sample(rng);
}

}  // namespace statelab::languages
