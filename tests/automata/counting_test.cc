#include "automata/counting.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <map>
#include <string>

#include "automata/random_dfa.h"
#include "base/error.h"
#include "tests/support/generators.h"

namespace statelab::automata {
namespace {

using boost::multiprecision::cpp_int;

// Every word over k letters.
Dfa universal(std::size_t k) {
  Dfa dfa(testing::letters(k), 1);
  dfa.set_accepting(0);
  return dfa;  // the constructor points every transition at state 0
}

// Words of even length over {a, b}.
Dfa even_length() {
  Dfa dfa(testing::letters(2), 2);
  for (Symbol a = 0; a < 2; ++a) {
    dfa.set_next(0, a, 1);
    dfa.set_next(1, a, 0);
  }
  dfa.set_accepting(0);
  return dfa;
}

// Words over {a, b, c} with exactly one c and an even number of b's.  Of length 5 there are
// 5 * 2^4 / 2 = 40: the c in one of 5 places, the other 4 letters with an even number of b's.
// A walk choosing uniformly among the symbols that can still lead to acceptance would start
// with c a third of the time instead of a fifth, so the language separates exact samplers from
// naive ones.  States: 2 * seen_c + (number of b's mod 2), and 4 once a second c is read.
Dfa one_c_even_b() {
  Dfa dfa(testing::letters(3), 5);
  for (State seen_c = 0; seen_c < 2; ++seen_c) {
    for (State parity = 0; parity < 2; ++parity) {
      const State q = 2 * seen_c + parity;
      dfa.set_next(q, 0, q);                             // a
      dfa.set_next(q, 1, 2 * seen_c + (1 - parity));     // b
      dfa.set_next(q, 2, seen_c ? 4 : 2 + parity);       // c
    }
  }
  dfa.set_next(4, 0, 4);
  dfa.set_next(4, 1, 4);
  dfa.set_next(4, 2, 4);
  dfa.set_accepting(2);
  return dfa;
}

// The accepted words of exactly `length` symbols, in lexicographic order, by brute force.
std::vector<Word> accepted_of_length(const Dfa& dfa, std::size_t length) {
  std::vector<Word> words;
  for (const Word& w : testing::all_words(dfa.num_symbols(), length)) {
    if (w.size() == length && accepts(dfa, w)) words.push_back(w);
  }
  return words;  // all_words lists them shortlex, hence one length lexicographically
}

// Long enough to be interesting, short enough for brute force over all words.
std::size_t brute_force_length(const Dfa& dfa) { return dfa.num_symbols() == 3 ? 6 : 8; }

RC_GTEST_PROP(CountByLength, AgreesWithBruteForceEnumeration, (const Dfa& dfa)) {
  const std::size_t max_length = brute_force_length(dfa);
  std::vector<cpp_int> expected(max_length + 1);
  for (const Word& w : testing::all_words(dfa.num_symbols(), max_length)) {
    if (accepts(dfa, w)) ++expected[w.size()];
  }
  RC_ASSERT(count_by_length(dfa, max_length) == expected);
}

RC_GTEST_PROP(CountAccepted, IsTheLastCountByLength, (const Dfa& dfa)) {
  const auto length = *rc::gen::inRange<std::size_t>(0, 40);
  RC_ASSERT(count_accepted(dfa, length) == count_by_length(dfa, length).back());
}

TEST(CountByLength, CountsEveryWordOfTheUniversalLanguage) {
  for (std::size_t k = 1; k <= 4; ++k) {
    const std::vector<cpp_int> counts = count_by_length(universal(k), 100);
    ASSERT_EQ(counts.size(), 101u);
    for (unsigned n = 0; n <= 100; ++n) EXPECT_EQ(counts[n], boost::multiprecision::pow(cpp_int(k), n)) << k << " " << n;
  }
  // Beyond 64 bits: 4^100 = 2^200.
  EXPECT_EQ(count_accepted(universal(4), 100), cpp_int(1) << 200);
}

TEST(CountByLength, IsZeroForTheEmptyLanguage) {
  Dfa dfa = universal(2);
  dfa.set_accepting(0, false);
  EXPECT_EQ(count_by_length(dfa, 5), std::vector<cpp_int>(6, 0));
  EXPECT_EQ(count_accepted(dfa, 1000), 0);
}

TEST(CountByLength, IgnoresUnreachableAcceptingStates) {
  Dfa dfa = universal(2);
  dfa.set_accepting(0, false);
  dfa.add_state(true);  // accepting, looping on itself, unreachable from state 0
  EXPECT_EQ(count_by_length(dfa, 3), std::vector<cpp_int>(4, 0));
}

TEST(CountByLength, CountsEvenLengthsOnly) {
  const std::vector<cpp_int> counts = count_by_length(even_length(), 6);
  const std::vector<cpp_int> expected{1, 0, 4, 0, 16, 0, 64};
  EXPECT_EQ(counts, expected);
}

RC_GTEST_PROP(UniformSampler, CountsAsCountAcceptedDoes, (const Dfa& dfa)) {
  // Backward (completion counts, in packed limbs) and forward (reach counts, in cpp_int)
  // dynamic programming must agree, also beyond one limb (lengths up to 200: 317 bits over 3
  // letters).
  const auto length = *rc::gen::inRange<std::size_t>(0, 200);
  const UniformSampler sampler(dfa, length);
  RC_ASSERT(sampler.count() == count_accepted(dfa, length));
  RC_ASSERT(sampler.empty() == (sampler.count() == 0));
  RC_ASSERT(sampler.length() == length);
}

RC_GTEST_PROP(UniformSampler, UnranksTheAcceptedWordsInLexicographicOrder, (const Dfa& dfa)) {
  // sample() is unrank(uniform rank), so this bijection, with the uniform rank draw tested in
  // random_test.cc, is what makes sampling exactly uniform.
  const auto length = *rc::gen::inRange<std::size_t>(0, brute_force_length(dfa) + 1);
  const UniformSampler sampler(dfa, length);
  const std::vector<Word> expected = accepted_of_length(dfa, length);
  RC_ASSERT(sampler.count() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    RC_ASSERT(sampler.unrank(i) == expected[i]);
    RC_ASSERT(sampler.rank(expected[i]) == i);
  }
}

RC_GTEST_PROP(UniformSampler, RankRefusesWordsNotAcceptedAtItsLength, (const Dfa& dfa)) {
  const auto length = *rc::gen::inRange<std::size_t>(0, 7);
  const UniformSampler sampler(dfa, length);
  const Word w = *testing::gen_word(dfa.num_symbols(), 8);
  if (w.size() == length && accepts(dfa, w)) {
    RC_ASSERT(sampler.unrank(sampler.rank(w)) == w);
  } else {
    RC_ASSERT_THROWS_AS(sampler.rank(w), InvalidArgument);
  }
}

RC_GTEST_PROP(UniformSampler, UnrankIsIncreasingAndRankInvertsIt, (const Dfa& dfa, std::uint64_t seed)) {
  // At lengths too long for brute force, where the counts take several limbs.
  const auto length = *rc::gen::inRange<std::size_t>(0, 200);
  const UniformSampler sampler(dfa, length);
  RC_PRE(!sampler.empty());
  Rng rng = make_rng(seed);
  std::vector<cpp_int> ranks{0, sampler.count() - 1};
  for (int i = 0; i < 10; ++i) ranks.push_back(uniform_below(rng, sampler.count()));
  std::sort(ranks.begin(), ranks.end());
  Word previous;
  for (std::size_t i = 0; i < ranks.size(); ++i) {
    const Word w = sampler.unrank(ranks[i]);
    RC_ASSERT(w.size() == length);
    RC_ASSERT(accepts(dfa, w));
    RC_ASSERT(sampler.rank(w) == ranks[i]);
    if (i > 0) RC_ASSERT((ranks[i] == ranks[i - 1]) == (w == previous));
    if (i > 0) RC_ASSERT(previous <= w);
    previous = w;
  }
}

// The `length` digits of r in base k, most significant first.
Word base_k_digits(cpp_int r, std::size_t k, std::size_t length) {
  Word digits(length);
  for (std::size_t i = length; i-- > 0;) {
    digits[i] = static_cast<Symbol>(r % k);
    r /= k;
  }
  return digits;
}

TEST(UniformSampler, UnranksFullLanguagesAsNumbersInBaseK) {
  // When every word of the length is accepted, the r-th word is r written in base k: an oracle
  // independent of the sampler, for counts of one to several limbs.  even_length() adds rows
  // of zeros (odd lengths) in the middle of the walk.
  struct Case {
    Dfa dfa;
    std::size_t length;
  };
  const std::vector<Case> cases{{universal(2), 64}, {universal(3), 150}, {universal(26), 40}, {even_length(), 100}};
  Rng rng = make_rng(4);
  for (const auto& [dfa, length] : cases) {
    const std::size_t k = dfa.num_symbols();
    const UniformSampler sampler(dfa, length);
    ASSERT_EQ(sampler.count(), boost::multiprecision::pow(cpp_int(k), static_cast<unsigned>(length)));
    std::vector<cpp_int> ranks{0, 1, sampler.count() - 1, sampler.count() / 2};
    // Limb boundaries.  Unranking c + 2^(64 j) - 1, for c the count of words starting with the
    // least symbol, subtracts c from it: its lowest limb borrows, and the next limbs are equal
    // (0 - borrow wraps), the case random ranks almost never reach.
    for (unsigned j = 1; j <= 3; ++j) {
      const cpp_int boundary = cpp_int(1) << (64 * j);
      for (const cpp_int& r : std::vector<cpp_int>{boundary - 1, boundary, sampler.count() / k + boundary - 1}) {
        if (r < sampler.count()) ranks.push_back(r);
      }
    }
    for (int i = 0; i < 50; ++i) ranks.push_back(uniform_below(rng, sampler.count()));
    for (const cpp_int& r : ranks) {
      const Word expected = base_k_digits(r, k, length);
      EXPECT_EQ(sampler.unrank(r), expected) << "k " << k << " rank " << r;
      EXPECT_EQ(sampler.rank(expected), r) << "k " << k << " rank " << r;
    }
  }
}

TEST(UniformSampler, UnrankRefusesRanksOutOfRange) {
  const UniformSampler sampler(one_c_even_b(), 5);
  ASSERT_EQ(sampler.count(), 40);
  EXPECT_THROW(sampler.unrank(40), InvalidArgument);
  EXPECT_THROW(sampler.unrank(-1), InvalidArgument);
  EXPECT_THROW(sampler.rank(Word{0, 0, 0, 0, 0, 0}), InvalidArgument);  // wrong length
  EXPECT_THROW(sampler.rank(Word{0, 0, 0, 0, 7}), InvalidArgument);     // not a symbol
}

RC_GTEST_PROP(UniformSampler, SamplesAcceptedWordsOfTheLength, (const Dfa& dfa, std::uint64_t seed)) {
  const auto length = *rc::gen::inRange<std::size_t>(0, 40);
  const UniformSampler sampler(dfa, length);
  RC_PRE(!sampler.empty());
  Rng rng = make_rng(seed);
  for (int i = 0; i < 20; ++i) {
    const Word w = sampler.sample(rng);
    RC_ASSERT(w.size() == length);
    RC_ASSERT(accepts(dfa, w));
  }
}

TEST(UniformSampler, SamplesTheUniversalLanguageAsBinaryNumbers) {
  // Over {a, b} every word of length 8 is accepted, the r-th in lexicographic order is r written
  // in binary, and r is the top 8 bits of one engine call (uniform_below of a power of two): so
  // the samples follow from the engine alone, independently of the unranking code.
  const std::vector<Word> words = sample_uniform(universal(2), 8, 50, 77);
  Rng reference = make_rng(77);
  for (const Word& w : words) {
    const std::uint64_t r = reference() >> 56;
    Word expected;
    for (int bit = 7; bit >= 0; --bit) expected.push_back(static_cast<Symbol>((r >> bit) & 1));
    EXPECT_EQ(w, expected);
  }
}

TEST(UniformSampler, SameSeedSameSamples) {
  const Dfa dfa = random_dfa(30, 3, 11);
  const std::vector<Word> a = sample_uniform(dfa, 25, 100, 5);
  EXPECT_EQ(a, sample_uniform(dfa, 25, 100, 5));
  EXPECT_NE(a, sample_uniform(dfa, 25, 100, 6));
  EXPECT_EQ(a.size(), 100u);
}

TEST(UniformSampler, RefusesALengthWithoutAcceptedWords) {
  const UniformSampler sampler(even_length(), 7);
  EXPECT_TRUE(sampler.empty());
  EXPECT_EQ(sampler.count(), 0);
  Rng rng = make_rng(1);
  EXPECT_THROW(sampler.sample(rng), InvalidArgument);
  try {
    sample_uniform(even_length(), 7, 10, 1);
    FAIL() << "sample_uniform accepted a length without words";
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("no accepted word of length 7"), std::string::npos) << e.what();
  }
}

TEST(UniformSampler, SamplesTheEmptyWord) {
  EXPECT_EQ(sample_uniform(even_length(), 0, 3, 1), std::vector<Word>(3));
  Dfa empty = universal(2);
  empty.set_accepting(0, false);
  EXPECT_THROW(sample_uniform(empty, 0, 1, 1), InvalidArgument);
}

TEST(UniformSampler, HandlesLanguagesWithoutTrimTransitions) {
  // Only the empty word: the trim part is one accepting state without transitions.
  Dfa dfa(testing::letters(2), 2);
  for (Symbol a = 0; a < 2; ++a) {
    dfa.set_next(0, a, 1);
    dfa.set_next(1, a, 1);
  }
  dfa.set_accepting(0);
  EXPECT_EQ(UniformSampler(dfa, 0).count(), 1);
  EXPECT_TRUE(UniformSampler(dfa, 3).empty());
}

// The chi-square statistic of `samples` against the uniform distribution over `support`.
double chi_square(const std::vector<Word>& support, const std::vector<Word>& samples) {
  std::map<Word, int> observed;
  for (const Word& w : support) observed[w] = 0;
  for (const Word& w : samples) {
    auto it = observed.find(w);
    if (it == observed.end()) return std::numeric_limits<double>::infinity();  // outside the support
    ++it->second;
  }
  const double expected = static_cast<double>(samples.size()) / static_cast<double>(support.size());
  double statistic = 0;
  for (const auto& [w, count] : observed) statistic += (count - expected) * (count - expected) / expected;
  return statistic;
}

// A plausible but wrong sampler: at each step, a uniform choice among the symbols from which an
// accepted word of the remaining length still exists.
Word naive_walk(const Dfa& dfa, std::size_t length, Rng& rng) {
  Word word;
  State q = dfa.initial();
  for (std::size_t left = length; left > 0; --left) {
    std::vector<Symbol> viable;
    for (Symbol a = 0; a < dfa.num_symbols(); ++a) {
      Dfa from_successor = dfa;
      from_successor.set_initial(dfa.next(q, a));
      if (count_accepted(from_successor, left - 1) > 0) viable.push_back(a);
    }
    const Symbol a = viable[uniform_below(rng, viable.size())];
    word.push_back(a);
    q = dfa.next(q, a);
  }
  return word;
}

TEST(UniformSampler, PassesAChiSquareTestOfUniformity) {
  // 40 accepted words, 4000 samples (100 expected per word), 39 degrees of freedom.  The
  // critical value 96.13 is the 1 - 1e-6 quantile of chi-square(39): an exact sampler exceeds
  // it with probability one in a million, so with the seed fixed this deterministic test is
  // honest (the seed was not searched for), while the naive walk below, whose bias is large
  // (a c first with probability 1/3 instead of 1/5), exceeds it by far.
  constexpr double kCritical = 96.13;
  const Dfa dfa = one_c_even_b();
  const std::vector<Word> support = accepted_of_length(dfa, 5);
  ASSERT_EQ(support.size(), 40u);
  EXPECT_LT(chi_square(support, sample_uniform(dfa, 5, 4000, 20240607)), kCritical);

  Rng rng = make_rng(20240607);
  std::vector<Word> naive;
  for (int i = 0; i < 4000; ++i) naive.push_back(naive_walk(dfa, 5, rng));
  EXPECT_GT(chi_square(support, naive), kCritical);
}

}  // namespace
}  // namespace statelab::automata

namespace statelab::automata {
namespace {

TEST(CountAccepted, ReportsProgressOncePerLength) {
  std::vector<std::pair<std::uint64_t, std::uint64_t>> calls;
  const auto count = count_accepted(universal(2), 50, [&](std::uint64_t done, std::uint64_t total) {
    calls.emplace_back(done, total);
  });
  EXPECT_EQ(count, boost::multiprecision::cpp_int(1) << 50);
  ASSERT_EQ(calls.size(), 51u);
  for (std::uint64_t l = 0; l <= 50; ++l) EXPECT_EQ(calls[l], std::make_pair(l, std::uint64_t{50}));
}

TEST(UniformSampler, ReportsProgressAndStaysWithinItsMemoryLimit) {
  std::uint64_t last = 0;
  const UniformSampler sampler(even_length(), 200, {}, [&](std::uint64_t done, std::uint64_t total) {
    EXPECT_EQ(total, 200u);
    EXPECT_EQ(done, last + 1);
    last = done;
  });
  EXPECT_EQ(last, 200u);
  // Length 20000 over 2 states: about 20000 rows of up to 157 limbs per state, 50 MB.
  try {
    UniformSampler(even_length(), 20000, {std::size_t{1} << 20, "--max-memory"});
    FAIL() << "no LimitExceeded";
  } catch (const LimitExceeded& e) {
    EXPECT_NE(std::string(e.what()).find("would take more than 1 MiB (raise --max-memory)"), std::string::npos)
        << e.what();
  }
  EXPECT_THROW(sample_uniform(even_length(), 10, std::size_t{1} << 40, 1), LimitExceeded);
}

}  // namespace
}  // namespace statelab::automata
