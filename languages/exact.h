// Exact arithmetic for the catalogue's closed forms: arbitrary-precision counts, the binomial,
// Catalan and ballot numbers, and exactly uniform Dyck shapes; and a thread-safe cache of the
// exact DFA samplers of automata/counting.h, one per length.  Random draws go through
// base/random.h, whose algorithms are fixed, so a seed gives the same words everywhere.
#pragma once

#include <boost/multiprecision/cpp_int.hpp>

#include <algorithm>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <span>
#include <vector>

#include "automata/counting.h"
#include "automata/dfa.h"
#include "base/random_big.h"

namespace statelab::languages {

/// An exact, unbounded non-negative count of words.
using Count = boost::multiprecision::cpp_int;

/// The random generator every sampler takes (base/random.h).
using statelab::Rng;
using statelab::make_rng;
using statelab::uniform_below;

/// The binomial coefficient C(n, k) (0 when k > n).  Time O(k) big multiplications.
Count binomial(std::uint64_t n, std::uint64_t k);

/// The m-th Catalan number C(2m, m) / (m + 1): the number of Dyck-1 words of length 2m.
Count catalan(std::uint64_t m);

/// base^exponent.
Count power(std::uint64_t base, std::uint64_t exponent);

/// The number of paths of `steps` steps +1/-1 from height `height` down to 0 that never go below
/// 0 (the ballot numbers): (height + 1) / (steps + 1) * C(steps + 1, (steps - height) / 2), or 0
/// when the parity is wrong or height > steps.  Time O(steps) big multiplications.
Count ballot(std::uint64_t steps, std::uint64_t height);

/// A uniformly random word of Dyck-1 shape with `length` steps: true for an up (open) step.
/// Requires an even length.  Time O(length) big operations (the ballot numbers are updated by
/// exact small ratios, not recomputed).
std::vector<bool> sample_dyck_shape(std::size_t length, Rng& rng);

/// The exact samplers of one DFA, one automata::UniformSampler per length, built on first use and
/// shared by every thread (a sampler is immutable; the map is guarded by a mutex).
/// Space: the samplers' tables, quadratic in each length used, at most `max_bytes` in all: a
/// sampler that would take the cache past it first empties the cache (samplers in use stay alive
/// with their users), so sampling every length of 1..B holds O(B^2), not O(B^3).  One sampler
/// alone is bounded by automata::UniformSampler's own memory limit.
class DfaSamplerCache {
 public:
  /// What the cache keeps unless told otherwise.
  static constexpr std::size_t kDefaultMaxBytes = std::size_t{1} << 30;

  explicit DfaSamplerCache(const automata::Dfa& dfa, std::size_t max_bytes = kDefaultMaxBytes)
      : dfa_(&dfa), max_bytes_(max_bytes) {}
  std::shared_ptr<const automata::UniformSampler> sampler(std::size_t length) const;
  /// A uniform accepted word of this length, or nothing when there is none.
  std::optional<automata::Word> sample(std::size_t length, Rng& rng) const;

 private:
  const automata::Dfa* dfa_;
  std::size_t max_bytes_;
  mutable std::mutex mutex_;
  mutable std::map<std::size_t, std::shared_ptr<const automata::UniformSampler>> samplers_;
  mutable std::size_t bytes_ = 0;  // the estimated size of samplers_
};

/// A table of exact counts (or any table indexed by length) grown on demand: get(n) returns a
/// table covering at least lengths 0..n, rebuilt at max(n, twice the previous cover) so that a
/// growing series of requests costs a constant factor more than the last.  Readers share the
/// immutable snapshot they got; the rebuild is guarded by a mutex.
template <class Table>
class GrowingTable {
 public:
  explicit GrowingTable(std::function<Table(std::size_t)> build) : build_(std::move(build)) {}
  std::shared_ptr<const Table> get(std::size_t length) const {
    std::lock_guard lock(mutex_);
    if (!table_ || covered_ < length) {
      covered_ = std::max(length, 2 * covered_);
      table_ = std::make_shared<const Table>(build_(covered_));
    }
    return table_;
  }

 private:
  std::function<Table(std::size_t)> build_;
  mutable std::mutex mutex_;
  mutable std::size_t covered_ = 0;
  mutable std::shared_ptr<const Table> table_;
};

}  // namespace statelab::languages
