#include "automata/counting.h"

#include <algorithm>
#include <cassert>
#include <limits>
#include <string>

#include "automata/reachability.h"
#include "base/error.h"

namespace statelab::automata {

using boost::multiprecision::cpp_int;

namespace {

constexpr State kNotTrim = std::numeric_limits<State>::max();

// The DFA restricted to its trim states (accessible and coaccessible), renumbered 0..m-1 in the
// order of the original ids, with only the transitions between trim states, in symbol order.
// Every other state has no accepted word of any length and contributes only zeros, so dropping
// it changes no count and keeps the numbers (and the work) out of sink states, where they would
// grow fastest.
struct TrimDfa {
  std::size_t num_states = 0;  // 0 when the language is empty
  State initial = 0;
  std::vector<bool> accepting;
  std::vector<std::size_t> arc_begin{0};
  std::vector<Symbol> arc_symbol;
  std::vector<State> arc_target;
};

TrimDfa trim(const Dfa& dfa) {
  const std::vector<bool> accessible = reachable_states(dfa);
  const std::vector<bool> coaccessible = live_states(dfa);
  std::vector<State> renumber(dfa.num_states(), kNotTrim);
  TrimDfa t;
  for (State q = 0; q < dfa.num_states(); ++q) {
    if (accessible[q] && coaccessible[q]) renumber[q] = static_cast<State>(t.num_states++);
  }
  if (renumber[dfa.initial()] == kNotTrim) return TrimDfa{};  // the initial state is dead
  t.initial = renumber[dfa.initial()];
  t.accepting.reserve(t.num_states);
  t.arc_begin.reserve(t.num_states + 1);
  for (State q = 0; q < dfa.num_states(); ++q) {
    if (renumber[q] == kNotTrim) continue;
    t.accepting.push_back(dfa.is_accepting(q));
    const auto row = dfa.row(q);
    for (Symbol a = 0; a < row.size(); ++a) {
      if (renumber[row[a]] == kNotTrim) continue;
      t.arc_symbol.push_back(a);
      t.arc_target.push_back(renumber[row[a]]);
    }
    t.arc_begin.push_back(t.arc_symbol.size());
  }
  return t;
}

// The message names no function: it reaches the users of the command line as it is.
std::string no_word_message(const char* /*function*/, std::size_t length) {
  return "no accepted word of length " + std::to_string(length) + " (the DFA accepts no word of that length)";
}

// Calls on_length(length, count) for length = 0..max_length, where count is the number of
// accepted words of that length: forward dynamic programming from the initial state.
// It is not called at all when the language is empty (every count is 0).
template <typename OnLength>
void for_each_count(const Dfa& dfa, std::size_t max_length, const ProgressFn& progress, OnLength on_length) {
  const TrimDfa t = trim(dfa);
  if (t.num_states == 0) return;
  // reach[q] = the number of words of the current length leading from the initial state to q.
  std::vector<cpp_int> reach(t.num_states), next(t.num_states);
  reach[t.initial] = 1;
  for (std::size_t length = 0;; ++length) {
    cpp_int count = 0;
    for (State q = 0; q < t.num_states; ++q) {
      if (t.accepting[q]) count += reach[q];
    }
    on_length(length, std::move(count));
    report(progress, length, max_length);
    if (length == max_length) break;
    for (cpp_int& c : next) c = 0;
    for (State q = 0; q < t.num_states; ++q) {
      if (reach[q].is_zero()) continue;
      for (std::size_t i = t.arc_begin[q]; i < t.arc_begin[q + 1]; ++i) next[t.arc_target[i]] += reach[q];
    }
    reach.swap(next);
  }
}

}  // namespace

std::vector<cpp_int> count_by_length(const Dfa& dfa, std::size_t max_length, const ProgressFn& progress) {
  // One big integer per length: bounded before allocating (2^62 lengths threw std::length_error).
  if (max_length >= MemoryLimit{}.bytes / sizeof(cpp_int))
    throw LimitExceeded("counting the words of every length up to " + std::to_string(max_length) +
                        ": the table of counts would take more than " + bytes_text(MemoryLimit{}.bytes));
  std::vector<cpp_int> counts(max_length + 1);
  for_each_count(dfa, max_length, progress,
                 [&](std::size_t length, cpp_int&& count) { counts[length] = std::move(count); });
  return counts;
}

cpp_int count_accepted(const Dfa& dfa, std::size_t length, const ProgressFn& progress) {
  cpp_int last = 0;
  for_each_count(dfa, length, progress, [&](std::size_t, cpp_int&& count) { last = std::move(count); });
  return last;
}

// Fixed-width unsigned arithmetic on little-endian arrays of 64-bit limbs, for the sampler's
// table.  Why not cpp_int there: each cpp_int is a 32-byte object whose limbs go to the heap
// beyond 128 bits, so a table of them costs several times the numbers' size and every access
// chases a pointer; packed limbs of one width per length are dense and allocation-free.
namespace {
namespace limbs {

using Limb = std::uint64_t;

// The number of limbs up to the most significant nonzero one (0 for zero).
std::size_t significant(const Limb* a, std::size_t n) {
  while (n > 0 && a[n - 1] == 0) --n;
  return n;
}

// a < b, for a of na limbs and b of nb limbs (missing limbs are zeros).
bool less(const Limb* a, std::size_t na, const Limb* b, std::size_t nb) {
  for (std::size_t i = std::max(na, nb); i-- > 0;) {
    const Limb x = i < na ? a[i] : 0;
    const Limb y = i < nb ? b[i] : 0;
    if (x != y) return x < y;
  }
  return false;
}

// a += b, for nb <= na; the sum must fit in na limbs.
void add(Limb* a, std::size_t na, const Limb* b, std::size_t nb) {
  assert(nb <= na);
  Limb carry = 0;
  for (std::size_t i = 0; i < na && (i < nb || carry); ++i) {
    const Limb y = i < nb ? b[i] : 0;
    const Limb sum = a[i] + y;
    const Limb out = sum + carry;
    carry = static_cast<Limb>(sum < y) | static_cast<Limb>(out < sum);
    a[i] = out;
  }
  assert(carry == 0);
}

// a -= b, for nb <= na and a >= b.
void subtract(Limb* a, std::size_t na, const Limb* b, std::size_t nb) {
  assert(nb <= na);
  Limb borrow = 0;
  for (std::size_t i = 0; i < na && (i < nb || borrow); ++i) {
    const Limb y = i < nb ? b[i] : 0;
    const Limb difference = a[i] - y;
    const Limb out = difference - borrow;
    borrow = static_cast<Limb>(a[i] < y) | static_cast<Limb>(difference < borrow);
    a[i] = out;
  }
  assert(borrow == 0);
}

cpp_int to_cpp_int(const Limb* a, std::size_t n) {
  cpp_int x = 0;
  if (n > 0) import_bits(x, a, a + n, 64, false);
  return x;
}

// x into n limbs, for 0 <= x < 2^(64 n) and n >= 1 (export_bits writes one limb for zero).
void from_cpp_int(const cpp_int& x, Limb* a, std::size_t n) {
  assert(n >= 1 && x >= 0 && msb(x + 1) <= 64 * n);
  std::fill(a, a + n, Limb{0});
  export_bits(x, a, 64, false);
}

}  // namespace limbs
}  // namespace

UniformSampler::UniformSampler(const Dfa& dfa, std::size_t length, const MemoryLimit& memory,
                               const ProgressFn& progress)
    : length_(length) {
  TrimDfa t = trim(dfa);
  if (t.num_states == 0) return;  // count_ stays 0
  const std::size_t m = t.num_states;
  initial_ = t.initial;
  arc_begin_ = std::move(t.arc_begin);
  arc_symbol_ = std::move(t.arc_symbol);
  arc_target_ = std::move(t.arc_target);
  if (length >= rows_.max_size())
    throw LimitExceeded("sampling words of length " + std::to_string(length) + ": the length is too large");

  // What the table holds so far: its rows (and their bookkeeping) and the scratch row of sums.
  const std::string what = "the table of completion counts for sampling words of length " + std::to_string(length) +
                           " over " + std::to_string(m) + " states";
  std::size_t bytes = (length + 1) * (sizeof(std::vector<Limb>) + sizeof(std::size_t));
  check_memory(memory, bytes + m * sizeof(Limb), what);
  bytes += m * sizeof(Limb);
  // Row 0: N[0][q] = 1 when q accepts; a trim DFA has an accepting state, so one limb.
  rows_.reserve(length + 1);
  widths_.reserve(length + 1);
  rows_.emplace_back(m);
  for (State q = 0; q < m; ++q) rows_[0][q] = t.accepting[q] ? 1 : 0;
  widths_.push_back(1);
  max_width_ = 1;
  // Row l from row l - 1: a sum of at most k < 2^64 numbers below 2^(64 w) is below
  // 2^(64 (w + 1)), so it is summed at width w + 1, then stored at the width of the row's
  // largest entry (counts need not grow with l: they can even vanish at some lengths).
  std::vector<Limb> sums;
  for (std::size_t l = 1; l <= length; ++l) {
    const std::size_t previous_width = widths_[l - 1];
    const Limb* previous = rows_[l - 1].data();
    const std::size_t wide = previous_width + 1;
    // The sums at width w + 1 and the row stored at most as wide: check both before allocating.
    check_memory(memory, bytes + 2 * m * wide * sizeof(Limb), what);
    sums.assign(m * wide, 0);
    std::size_t row_width = 0;
    for (State q = 0; q < m; ++q) {
      Limb* sum = sums.data() + q * wide;
      for (std::size_t i = arc_begin_[q]; i < arc_begin_[q + 1]; ++i)
        limbs::add(sum, wide, previous + arc_target_[i] * previous_width, previous_width);
      row_width = std::max(row_width, limbs::significant(sum, wide));
    }
    std::vector<Limb>& row = rows_.emplace_back(m * row_width);
    for (State q = 0; q < m; ++q) std::copy_n(sums.data() + q * wide, row_width, row.data() + q * row_width);
    widths_.push_back(row_width);
    max_width_ = std::max(max_width_, row_width);
    bytes += m * row_width * sizeof(Limb);
    report(progress, l, length);
  }
  count_ = limbs::to_cpp_int(rows_[length].data() + initial_ * widths_[length], widths_[length]);
}

Word UniformSampler::sample(Rng& rng) const {
  if (empty()) throw InvalidArgument(no_word_message("UniformSampler::sample", length_));
  return unrank_checked(uniform_below(rng, count_));
}

Word UniformSampler::unrank(const cpp_int& rank) const {
  if (empty()) throw InvalidArgument(no_word_message("UniformSampler::unrank", length_));
  if (rank < 0 || rank >= count_)
    throw InvalidArgument("UniformSampler::unrank: rank " + rank.str() + " is not in [0, " + count_.str() + ")");
  return unrank_checked(rank);
}

Word UniformSampler::unrank_checked(const cpp_int& rank) const {
  // Invariant: r < N[l][q], with l symbols left to choose from state q.  The words of length l
  // from q are ordered by their first symbol, so the r-th starts with the first symbol a (in
  // order) such that r < N[l-1][q.a] once the counts of the symbols before a are subtracted,
  // and what is left of r is its rank among the words starting with a.  r lives in max_width_
  // limbs; r_width bounds its significant ones, so comparisons stay short.
  std::vector<Limb> r(max_width_);
  limbs::from_cpp_int(rank, r.data(), max_width_);
  std::size_t r_width = widths_[length_];
  Word word(length_);
  State q = initial_;
  for (std::size_t position = 0; position < length_; ++position) {
    const std::size_t level = length_ - position - 1;
    const std::size_t w = widths_[level];
    const Limb* row = rows_[level].data();
    std::size_t i = arc_begin_[q];
    for (;; ++i) {
      assert(i < arc_begin_[q + 1]);
      const Limb* c = row + arc_target_[i] * w;
      if (limbs::less(r.data(), r_width, c, w)) break;
      limbs::subtract(r.data(), std::max(r_width, w), c, w);
    }
    word[position] = arc_symbol_[i];
    q = arc_target_[i];
    r_width = w;  // r < N[level][q] < 2^(64 w)
  }
  assert(limbs::significant(r.data(), r.size()) == 0);
  return word;
}

cpp_int UniformSampler::rank(std::span<const Symbol> word) const {
  const auto not_accepted = [&] {
    return InvalidArgument("UniformSampler::rank: the word is not an accepted word of length " +
                           std::to_string(length_));
  };
  if (empty() || word.size() != length_) throw not_accepted();
  // r < count() < 2^(64 max_width_) throughout, as it counts words before `word`.
  std::vector<Limb> r(max_width_, 0);
  State q = initial_;
  for (std::size_t position = 0; position < length_; ++position) {
    const std::size_t level = length_ - position - 1;
    const std::size_t w = widths_[level];
    const Limb* row = rows_[level].data();
    // The words before it in this subtree are those whose next symbol is smaller.  A symbol
    // without a transition to a trim state, or to one with no word of the remaining length
    // (at the last position: one that does not accept), reads no accepted word.
    std::size_t i = arc_begin_[q];
    for (; i < arc_begin_[q + 1] && arc_symbol_[i] < word[position]; ++i)
      limbs::add(r.data(), max_width_, row + arc_target_[i] * w, w);
    if (i == arc_begin_[q + 1] || arc_symbol_[i] != word[position]) throw not_accepted();
    q = arc_target_[i];
    if (limbs::significant(row + q * w, w) == 0) throw not_accepted();
  }
  return limbs::to_cpp_int(r.data(), max_width_);
}

std::vector<Word> sample_uniform(const Dfa& dfa, std::size_t length, std::size_t count, std::uint64_t seed,
                                 const MemoryLimit& memory, const ProgressFn& progress) {
  const std::size_t each = sizeof(Word) + length * sizeof(Symbol);
  check_memory(memory, count > SIZE_MAX / each ? SIZE_MAX : count * each,
               "sampling " + std::to_string(count) + " words of length " + std::to_string(length));
  const UniformSampler sampler(dfa, length, memory, progress);
  if (sampler.empty()) throw InvalidArgument(no_word_message("sample_uniform", length));
  Rng rng = make_rng(seed);
  std::vector<Word> words;
  words.reserve(count);
  for (std::size_t i = 0; i < count; ++i) words.push_back(sampler.sample(rng));
  return words;
}

}  // namespace statelab::automata
