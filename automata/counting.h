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
#include "automata/random.h"

namespace statelab::automata {

/// counts[n] = the number of words of length n the DFA accepts, for n = 0..max_length.
/// Forward dynamic programming over the trim states.
/// Time O(n k + max_length m k) big-integer additions; space O(m) big integers + the result.
std::vector<boost::multiprecision::cpp_int> count_by_length(const Dfa& dfa, std::size_t max_length);

/// The number of words of length `length` the DFA accepts; the last entry of count_by_length.
/// Time O(n k + length m k) big-integer additions; space O(m) big integers.
boost::multiprecision::cpp_int count_accepted(const Dfa& dfa, std::size_t length);

/// Exact uniform sampling of the accepted words of one length.
///
/// With N[l][q] the number of words of length l leading from trim state q to an accepting
/// state, construction builds the cumulative completion counts
///   C[l][q.a] = sum of N[l-1][q.b] over the symbols b <= a,
/// one big integer per trim transition q.a and per l = 1..length (N[l][q] is the last of q's).
/// Time O(n k + length t) big-integer additions; space length * t big integers, where t <= m k
/// is the number of transitions between trim states (about 40 bytes each below 2^128, plus the
/// limbs above: a few MB for length 100 and m = 1000 over 2 letters).  Throws LimitExceeded when
/// length * t does not fit in memory's address space.  The sampler copies what it needs and
/// keeps no reference to the Dfa.
///
/// sample() draws r uniformly in [0, N[length][initial]) (uniform_below: exact and portable)
/// and unranks it: at each position it picks the symbol by binary search among the cumulative
/// counts of the current state (comparisons only) and subtracts once.  The result is the r-th
/// accepted word of that length in lexicographic order, so the same engine state gives the same
/// word on every platform.  Time O(length log k) big-integer comparisons and O(length)
/// subtractions per word.
class UniformSampler {
 public:
  UniformSampler(const Dfa& dfa, std::size_t length);

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
  /// lexicographic order (rank 0 is the least).  Time O(length log k) comparisons.
  /// Throws InvalidArgument unless 0 <= rank < count().
  Word unrank(const boost::multiprecision::cpp_int& rank) const;

  /// The inverse of unrank: how many accepted words of length length() come before `word` in
  /// lexicographic order.  Time O(length log k).
  /// Throws InvalidArgument when `word` is not an accepted word of length length().
  boost::multiprecision::cpp_int rank(std::span<const Symbol> word) const;

 private:
  // unrank for a rank already known to be in [0, count()); taken by value, as it is consumed.
  Word unrank_checked(boost::multiprecision::cpp_int rank) const;

  std::size_t length_ = 0;
  State initial_ = 0;  // in the trim numbering
  // The transitions between trim states, in compressed rows and symbol order: those of trim
  // state q are arc_symbol_/arc_target_[arc_begin_[q] .. arc_begin_[q + 1]).
  std::vector<std::size_t> arc_begin_;
  std::vector<Symbol> arc_symbol_;
  std::vector<State> arc_target_;
  // C[l][i] at cumulative_[(l - 1) * t + i], for l = 1..length and transition i.
  std::vector<boost::multiprecision::cpp_int> cumulative_;
  boost::multiprecision::cpp_int count_ = 0;
};

/// `count` words drawn independently and uniformly among the accepted words of length `length`,
/// from make_rng(seed): the same arguments give the same words everywhere.
/// Time: one UniformSampler construction, then count samples.
/// Throws InvalidArgument ("no accepted word of length 7") when there is no such word.
std::vector<Word> sample_uniform(const Dfa& dfa, std::size_t length, std::size_t count, std::uint64_t seed);

}  // namespace statelab::automata
