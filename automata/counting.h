// Exact counting and exact uniform sampling of the words a DFA accepts, by length.
// Counts are arbitrary-precision integers (Boost.Multiprecision cpp_int): a DFA over k symbols
// accepts up to k^n words of length n, which overflows 64 bits from n = 64 over two letters.
// Uniform sampling draws one big integer r uniformly below the number of accepted words and
// walks the table of completion counts to the r-th word (in lexicographic order), so every
// accepted word of the length has exactly the same probability: no floating point anywhere.
//
// Everything here first restricts the DFA to its trim part, the states both accessible and
// coaccessible (automata/reachability.h); below, m is the number of those states (m <= n) and
// k the number of symbols.  Numbers of words of length up to L have O(L log2 k) bits, so one
// big-integer addition costs O(L log k / 64) machine words.
#pragma once

#include <boost/multiprecision/cpp_int.hpp>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "automata/alphabet.h"
#include "automata/dfa.h"
#include "automata/limits.h"
#include "base/random.h"
#include "base/random_big.h"

namespace statelab::automata {

/// counts[n] = the number of words of length n the DFA accepts, for n = 0..max_length.
/// Forward dynamic programming over the trim states.
/// Time O(n k + max_length m k) big-integer additions; space O(m) big integers + the result.
/// `progress` is called with (lengths done, max_length) after each length.
std::vector<boost::multiprecision::cpp_int> count_by_length(const Dfa& dfa, std::size_t max_length,
                                                            const ProgressFn& progress = {});

/// The number of words of length `length` the DFA accepts; the last entry of count_by_length.
/// Time O(n k + length m k) big-integer additions of O(length log2 k) bits, so quadratic in the
/// length: callers bound it (the CLI by --max-length).  Space O(m) big integers.
/// `progress` is called with (lengths done, length) after each length.
boost::multiprecision::cpp_int count_accepted(const Dfa& dfa, std::size_t length, const ProgressFn& progress = {});

/// Exact uniform sampling of the accepted words of one length.
///
/// Construction builds the completion counts N[l][q], the number of words of length l leading
/// from trim state q to an accepting state, for l = 0..length: (length + 1) m numbers, each row
/// l stored as fixed-width 64-bit limbs, as wide as its largest entry (O(l log2 k / 64) limbs).
/// Time O(n k + length m k) additions of such rows' entries; space about
/// (length + 1) m (length log2 k / 128 + 1) words of 8 bytes: 200 KB for length 100 and m = 100
/// over 4 letters, 130 MB for length 1000 and m = 1000 over 4 letters (the space is quadratic
/// in the length).  Throws LimitExceeded when the table cannot be addressed or when it would
/// hold more than `memory` (checked row by row as it grows, before each row is allocated).
/// `progress` is called with (rows done, length) after each row.  The sampler
/// copies what it needs and keeps no reference to the Dfa.
///
/// sample() draws r uniformly in [0, N[length][initial]) (uniform_below: exact and portable)
/// and unranks it: at each position it takes the first symbol, in symbol order, whose
/// successor's count exceeds what is left of r, subtracting the counts it passes.  The result
/// is the r-th accepted word of that length in lexicographic order, so the same engine state
/// gives the same word on every platform.  Time O(length k) comparisons and subtractions of
/// O(length log2 k / 64)-limb numbers per word, no allocation but the word and r.
class UniformSampler {
 public:
  UniformSampler(const Dfa& dfa, std::size_t length, const MemoryLimit& memory = {},
                 const ProgressFn& progress = {});

  std::size_t length() const { return length_; }
  /// The number of accepted words of this length.
  const boost::multiprecision::cpp_int& count() const { return count_; }
  /// True when the DFA accepts no word of this length (sample() would throw).
  bool empty() const { return count_ == 0; }

  /// One accepted word of length length(), each with probability 1 / count():
  /// unrank(uniform_below(rng, count())).
  /// Throws InvalidArgument ("no accepted word of length 7") when empty().
  Word sample(Rng& rng) const;

  /// The accepted word of length length() with `rank` accepted words of that length before it in
  /// lexicographic order (rank 0 is the least).  Time as sample().
  /// Throws InvalidArgument unless 0 <= rank < count().
  Word unrank(const boost::multiprecision::cpp_int& rank) const;

  /// The inverse of unrank: how many accepted words of length length() come before `word` in
  /// lexicographic order.  Time as sample().
  /// Throws InvalidArgument when `word` is not an accepted word of length length().
  boost::multiprecision::cpp_int rank(std::span<const Symbol> word) const;

 private:
  using Limb = std::uint64_t;

  // unrank for a rank already known to be in [0, count()).
  Word unrank_checked(const boost::multiprecision::cpp_int& rank) const;

  std::size_t length_ = 0;
  State initial_ = 0;  // in the trim numbering
  // The transitions between trim states, in compressed rows and symbol order: those of trim
  // state q are arc_symbol_/arc_target_[arc_begin_[q] .. arc_begin_[q + 1]).
  std::vector<std::size_t> arc_begin_;
  std::vector<Symbol> arc_symbol_;
  std::vector<State> arc_target_;
  // Row l of N, l = 0..length: N[l][q] is rows_[l][q * widths_[l] ..][0 .. widths_[l]), in
  // little-endian 64-bit limbs.  One vector per row, so the table grows without reallocating.
  std::vector<std::vector<Limb>> rows_;
  std::vector<std::size_t> widths_;
  std::size_t max_width_ = 0;  // the widest row
  boost::multiprecision::cpp_int count_ = 0;
};

/// `count` words drawn independently and uniformly among the accepted words of length `length`,
/// from make_rng(seed): the same arguments give the same words everywhere.
/// Time: one UniformSampler construction, then count samples.
/// Throws InvalidArgument ("no accepted word of length 7") when there is no such word, and as
/// UniformSampler past `memory`.  `progress` follows the sampler's construction.
std::vector<Word> sample_uniform(const Dfa& dfa, std::size_t length, std::size_t count, std::uint64_t seed,
                                 const MemoryLimit& memory = {}, const ProgressFn& progress = {});

}  // namespace statelab::automata
