#include "automata/counting.h"

#include <algorithm>
#include <cassert>
#include <limits>
#include <string>

#include "automata/error.h"
#include "automata/reachability.h"

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

std::string no_word_message(const char* function, std::size_t length) {
  return std::string(function) + ": no accepted word of length " + std::to_string(length) +
         " (the DFA accepts no word of that length)";
}

// Calls on_length(length, count) for length = 0..max_length, where count is the number of
// accepted words of that length: forward dynamic programming from the initial state.
// It is not called at all when the language is empty (every count is 0).
template <typename OnLength>
void for_each_count(const Dfa& dfa, std::size_t max_length, OnLength on_length) {
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

std::vector<cpp_int> count_by_length(const Dfa& dfa, std::size_t max_length) {
  if (max_length == std::numeric_limits<std::size_t>::max())
    throw InvalidArgument("count_by_length: max_length " + std::to_string(max_length) + " is too large");
  std::vector<cpp_int> counts(max_length + 1);
  for_each_count(dfa, max_length, [&](std::size_t length, cpp_int&& count) { counts[length] = std::move(count); });
  return counts;
}

cpp_int count_accepted(const Dfa& dfa, std::size_t length) {
  cpp_int last = 0;
  for_each_count(dfa, length, [&](std::size_t, cpp_int&& count) { last = std::move(count); });
  return last;
}

UniformSampler::UniformSampler(const Dfa& dfa, std::size_t length) : length_(length) {
  TrimDfa t = trim(dfa);
  if (t.num_states == 0) return;  // count_ stays 0
  const std::size_t m = t.num_states;
  initial_ = t.initial;
  arc_begin_ = std::move(t.arc_begin);
  arc_symbol_ = std::move(t.arc_symbol);
  arc_target_ = std::move(t.arc_target);
  const std::size_t arcs = arc_target_.size();
  if (arcs != 0 && length > cumulative_.max_size() / arcs)
    throw LimitExceeded("UniformSampler: a table of " + std::to_string(length) + " x " + std::to_string(arcs) +
                        " counts is too large");
  cumulative_.resize(length * arcs);

  // Rolling rows of N: `previous` holds N[l-1][.], `current` N[l][.].  Only the cumulative sums
  // are kept, as N[l][q] is the last of q's, and sampling needs nothing else.
  std::vector<cpp_int> previous(m), current(m);
  for (State q = 0; q < m; ++q) previous[q] = t.accepting[q] ? 1 : 0;
  for (std::size_t l = 1; l <= length; ++l) {
    cpp_int* row = cumulative_.data() + (l - 1) * arcs;
    for (State q = 0; q < m; ++q) {
      cpp_int sum = 0;
      for (std::size_t i = arc_begin_[q]; i < arc_begin_[q + 1]; ++i) {
        sum += previous[arc_target_[i]];
        row[i] = sum;
      }
      current[q] = std::move(sum);
    }
    previous.swap(current);
  }
  count_ = previous[initial_];
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

Word UniformSampler::unrank_checked(cpp_int r) const {
  const std::size_t arcs = arc_target_.size();
  // Invariant: r < N[l][q], with l symbols left to choose from state q.  The words of length l
  // from q are ordered by their first symbol, and C[l][q.a] counts those whose first symbol is
  // a or less, so the r-th starts with the first a such that r < C[l][q.a]; its rank among the
  // words starting with a is r minus the cumulative count before a.  Search by comparisons
  // (cheap: they stop at the first differing limb), one subtraction (not cheap) per position.
  Word word(length_);
  State q = initial_;
  for (std::size_t position = 0; position < length_; ++position) {
    const cpp_int* row = cumulative_.data() + (length_ - position - 1) * arcs;
    const cpp_int* first = row + arc_begin_[q];
    const cpp_int* chosen = std::upper_bound(first, row + arc_begin_[q + 1], r);
    assert(chosen != row + arc_begin_[q + 1]);
    if (chosen != first) r -= *(chosen - 1);
    const auto i = static_cast<std::size_t>(chosen - row);
    word[position] = arc_symbol_[i];
    q = arc_target_[i];
  }
  assert(r == 0);
  return word;
}

cpp_int UniformSampler::rank(std::span<const Symbol> word) const {
  const auto not_accepted = [&] {
    return InvalidArgument("UniformSampler::rank: the word is not an accepted word of length " +
                           std::to_string(length_));
  };
  if (empty() || word.size() != length_) throw not_accepted();
  const std::size_t arcs = arc_target_.size();
  cpp_int r = 0;
  State q = initial_;
  for (std::size_t position = 0; position < length_; ++position) {
    const auto begin = arc_symbol_.begin() + static_cast<std::ptrdiff_t>(arc_begin_[q]);
    const auto end = arc_symbol_.begin() + static_cast<std::ptrdiff_t>(arc_begin_[q + 1]);
    // A symbol missing from q's trim transitions leads to a dead state: no accepted word.
    const auto found = std::lower_bound(begin, end, word[position]);
    if (found == end || *found != word[position]) throw not_accepted();
    const auto i = static_cast<std::size_t>(found - arc_symbol_.begin());
    const cpp_int* row = cumulative_.data() + (length_ - position - 1) * arcs;
    // The words before it in this subtree are those whose next symbol is smaller.  When as
    // many come before as up to and including this symbol, no word of the remaining length
    // completes from the successor (at the last position: the successor does not accept).
    const cpp_int& before = found == begin ? cpp_int(0) : row[i - 1];
    if (row[i] == before) throw not_accepted();
    r += before;
    q = arc_target_[i];
  }
  return r;
}

std::vector<Word> sample_uniform(const Dfa& dfa, std::size_t length, std::size_t count, std::uint64_t seed) {
  const UniformSampler sampler(dfa, length);
  if (sampler.empty()) throw InvalidArgument(no_word_message("sample_uniform", length));
  Rng rng = make_rng(seed);
  std::vector<Word> words;
  words.reserve(count);
  for (std::size_t i = 0; i < count; ++i) words.push_back(sampler.sample(rng));
  return words;
}

}  // namespace statelab::automata
