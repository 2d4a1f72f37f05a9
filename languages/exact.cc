#include "languages/exact.h"

#include <string>

#include "automata/error.h"

namespace statelab::languages {

Count uniform_below(const Count& bound, Rng& rng) {
  if (bound <= 0) throw InvalidArgument("uniform_below: the bound must be positive, got " + bound.str());
  if (bound == 1) return 0;
  const Count top = bound - 1;
  const std::size_t bits = boost::multiprecision::msb(top) + 1;
  const std::size_t words = (bits + 63) / 64;
  const std::size_t spare = words * 64 - bits;
  std::vector<std::uint64_t> chunks(words);
  while (true) {
    for (std::uint64_t& chunk : chunks) chunk = rng();
    if (spare) chunks[0] >>= spare;  // keep exactly `bits` random bits in all (most significant first)
    Count x;
    boost::multiprecision::import_bits(x, chunks.begin(), chunks.end(), 64);
    if (x < bound) return x;
  }
}

std::uint64_t uniform_index(std::uint64_t bound, Rng& rng) {
  if (bound == 0) throw InvalidArgument("uniform_index: the bound must be positive");
  // Rejection from the largest multiple of `bound` below 2^64: exactly uniform.
  const std::uint64_t limit = UINT64_MAX - UINT64_MAX % bound;
  while (true) {
    const std::uint64_t x = rng();
    if (x < limit) return x % bound;
  }
}

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
  Count rank = uniform_below(Count(d + 1) * b / (r + 1), rng);
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

DfaCounts::DfaCounts(const automata::Dfa& dfa, std::size_t max_length) {
  const std::size_t n = dfa.num_states(), k = dfa.num_symbols();
  rows_.reserve(max_length + 1);
  rows_.emplace_back(n);
  for (automata::State q = 0; q < n; ++q) rows_[0][q] = dfa.is_accepting(q) ? 1 : 0;
  for (std::size_t r = 1; r <= max_length; ++r) {
    std::vector<Count> row(n);
    const std::vector<Count>& prev = rows_.back();
    for (automata::State q = 0; q < n; ++q)
      for (automata::Symbol a = 0; a < k; ++a) row[q] += prev[dfa.next(q, a)];
    rows_.push_back(std::move(row));
  }
}

automata::Word unrank(const automata::Dfa& dfa, const DfaCounts& counts, std::size_t length, Count rank) {
  automata::Word word;
  word.reserve(length);
  automata::State q = dfa.initial();
  for (std::size_t left = length; left > 0; --left) {
    bool moved = false;
    for (automata::Symbol a = 0; a < dfa.num_symbols(); ++a) {
      const automata::State r = dfa.next(q, a);
      const Count& c = counts.at(left - 1, r);
      if (rank < c) {
        word.push_back(a);
        q = r;
        moved = true;
        break;
      }
      rank -= c;
    }
    if (!moved) throw InvalidArgument("unrank: rank out of range for length " + std::to_string(length));
  }
  return word;
}

std::shared_ptr<const DfaCounts> DfaCountCache::table(std::size_t length) const {
  std::lock_guard lock(mutex_);
  if (!table_ || table_->max_length() < length) {
    const std::size_t grown = table_ ? std::max(length, 2 * table_->max_length()) : std::max<std::size_t>(length, 16);
    table_ = std::make_shared<const DfaCounts>(*dfa_, grown);
  }
  return table_;
}

Count DfaCountCache::count(std::size_t length) const { return table(length)->at(length, dfa_->initial()); }

std::optional<automata::Word> DfaCountCache::sample(std::size_t length, Rng& rng) const {
  auto counts = table(length);
  const Count& total = counts->at(length, dfa_->initial());
  if (total == 0) return std::nullopt;
  return unrank(*dfa_, *counts, length, uniform_below(total, rng));
}

}  // namespace statelab::languages
