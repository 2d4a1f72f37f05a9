#include "languages/exact.h"

#include <algorithm>
#include <cmath>
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
  if (length % 2) throw InvalidArgument("sampling a Dyck word: there is none of odd length " + std::to_string(length));
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
  if (auto it = samplers_.find(length); it != samplers_.end()) return it->second;
  // The table's size as automata/counting.h states it: (length + 1) m (length log2 k / 64 + 1)
  // limbs of 8 bytes, m states over k symbols (an upper bound: the trim DFA may be smaller).
  const double bits_per_symbol = std::log2(std::max<double>(2, static_cast<double>(dfa_->num_symbols())));
  const double limbs = static_cast<double>(length) * bits_per_symbol / 64 + 1;
  const double estimate = static_cast<double>(length + 1) * static_cast<double>(dfa_->num_states()) * limbs * 8;
  const std::size_t bytes = estimate > 1e18 ? std::size_t{1} << 60 : static_cast<std::size_t>(estimate);
  if (bytes_ + bytes > max_bytes_) {
    samplers_.clear();
    bytes_ = 0;
  }
  auto sampler = std::make_shared<const automata::UniformSampler>(*dfa_, length);
  samplers_.emplace(length, sampler);
  bytes_ += bytes;
  return sampler;
}

std::optional<automata::Word> DfaSamplerCache::sample(std::size_t length, Rng& rng) const {
  auto s = sampler(length);
  if (s->empty()) return std::nullopt;
  return s->sample(rng);
}

}  // namespace statelab::languages
