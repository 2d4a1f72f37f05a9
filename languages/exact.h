// Exact arithmetic for counting and uniform sampling: arbitrary-precision counts, exactly uniform
// random integers below a bound, the binomial and Catalan numbers the closed forms use, and
// counting / uniform sampling of the words of one length that a DFA accepts (by unranking one
// uniform integer, so every accepted word has probability exactly 1 / count).
#pragma once

#include <boost/multiprecision/cpp_int.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <span>
#include <vector>

#include "automata/dfa.h"

namespace statelab::languages {

/// An exact, unbounded non-negative count of words.
using Count = boost::multiprecision::cpp_int;

/// The random generator every sampler takes; the same type as automata::Rng.
using Rng = std::mt19937_64;

/// A uniform integer in [0, bound), exactly: rejection on the least power of two above the
/// bound, so the expected number of 64-bit draws is below 2 (bit_length / 64 + 1).
/// Throws InvalidArgument when bound <= 0.
Count uniform_below(const Count& bound, Rng& rng);

/// A uniform integer in [0, bound) for a machine-sized bound (exact: rejection, not modulo).
std::uint64_t uniform_index(std::uint64_t bound, Rng& rng);

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

/// Counts of the words a DFA accepts, by length and start state:
/// count(r, q) = number of words of length r accepted from q.  Built incrementally; time
/// O(L k n) big additions for lengths up to L, space O(L n) counts.
class DfaCounts {
 public:
  DfaCounts(const automata::Dfa& dfa, std::size_t max_length);
  std::size_t max_length() const { return rows_.size() - 1; }
  const Count& at(std::size_t length, automata::State q) const { return rows_[length][q]; }

 private:
  std::vector<std::vector<Count>> rows_;
};

/// The words of the i-th smallest rank in shortlex order among the words of length `length`
/// accepted from `dfa`'s initial state, for a rank below counts.at(length, initial).
/// Time O(length k) big comparisons.
automata::Word unrank(const automata::Dfa& dfa, const DfaCounts& counts, std::size_t length, Count rank);

/// A thread-safe cache of DfaCounts for one DFA, grown (doubling) when a longer length is asked.
/// Readers keep a shared snapshot, so growing never invalidates a table in use.
class DfaCountCache {
 public:
  explicit DfaCountCache(const automata::Dfa& dfa) : dfa_(&dfa) {}
  /// A table covering at least `length`.  Amortised time O(length k n) big additions.
  std::shared_ptr<const DfaCounts> table(std::size_t length) const;
  /// The number of accepted words of this length.
  Count count(std::size_t length) const;
  /// A uniform accepted word of this length, or nothing when there is none.
  std::optional<automata::Word> sample(std::size_t length, Rng& rng) const;

 private:
  const automata::Dfa* dfa_;
  mutable std::mutex mutex_;
  mutable std::shared_ptr<const DfaCounts> table_;
};

}  // namespace statelab::languages
