// Counting against closed forms computed here, and sampling against the uniform distribution.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <map>

#include "automata/engine_json.h"
#include "automata/random_dfa.h"
#include "base/error.h"
#include "base/file.h"
#include "languages/exact.h"
#include "languages/registry.h"

namespace statelab::languages {
namespace {

// Catalan numbers by their recurrence C(m+1) = sum C(i) C(m-i), independent of the binomial form.
std::vector<Count> catalan_by_recurrence(std::size_t up_to) {
  std::vector<Count> c{1};
  for (std::size_t m = 0; m < up_to; ++m) {
    Count next = 0;
    for (std::size_t i = 0; i <= m; ++i) next += c[i] * c[m - i];
    c.push_back(next);
  }
  return c;
}

Count pow_int(std::size_t base, std::size_t exponent) {
  Count out = 1;
  for (std::size_t i = 0; i < exponent; ++i) out *= base;
  return out;
}

TEST(Counting, DyckKIsCatalanTimesKToTheHalfLength) {
  const auto catalan_numbers = catalan_by_recurrence(60);
  for (std::size_t k = 1; k <= 4; ++k) {
    const auto dyck = make_language("dyck:k=" + std::to_string(k));
    for (std::size_t n = 0; n <= 120; ++n) {
      const Count expected = n % 2 ? Count(0) : catalan_numbers[n / 2] * pow_int(k, n / 2);
      ASSERT_EQ(dyck->count_exactly(n), expected) << "k=" << k << " n=" << n;
    }
  }
}

TEST(Counting, BoundedDyckWithDepthAtLeastHalfTheLengthIsUnbounded) {
  // A word of length n nests at most n/2 deep, so the regular entry (counted on its DFA) agrees
  // with the closed form there.
  const auto bounded = make_language("dyck:k=2,depth=8");
  const auto unbounded = make_language("dyck:k=2");
  for (std::size_t n = 0; n <= 16; ++n) EXPECT_EQ(bounded->count_exactly(n), unbounded->count_exactly(n)) << n;
  EXPECT_LT(bounded->count_exactly(18), unbounded->count_exactly(18));
}

TEST(Counting, ParityHasHalfOfAllWords) {
  const auto parity = make_language("parity");
  EXPECT_EQ(parity->count_exactly(0), 0);
  for (std::size_t n = 1; n <= 200; ++n) ASSERT_EQ(parity->count_exactly(n), pow_int(2, n - 1)) << n;
}

TEST(Counting, ClosedFormsOfTheOtherEntries) {
  // Sums of binomials built from Pascal's triangle here, not from languages::binomial.
  std::vector<std::vector<Count>> pascal{{1}};
  for (std::size_t n = 1; n <= 80; ++n) {
    std::vector<Count> row(n + 1, 1);
    for (std::size_t j = 1; j < n; ++j) row[j] = pascal[n - 1][j - 1] + pascal[n - 1][j];
    pascal.push_back(row);
  }
  const auto majority = make_language("majority");
  const auto modular = make_language("modular-count:m=3");
  for (std::size_t n = 0; n <= 80; ++n) {
    Count more_ones = 0, divisible = 0;
    for (std::size_t j = 0; j <= n; ++j) {
      if (2 * j > n) more_ones += pascal[n][j];
      if (j % 3 == 0) divisible += pascal[n][j];
    }
    ASSERT_EQ(majority->count_exactly(n), more_ones) << n;
    ASSERT_EQ(modular->count_exactly(n), divisible) << n;
  }
  const auto palindrome = make_language("palindrome:k=3");
  const auto copy = make_language("copy:k=3");
  const auto marked = make_language("marked-copy:k=3");
  const auto anbncn = make_language("anbncn");
  for (std::size_t n = 0; n <= 100; ++n) {
    ASSERT_EQ(palindrome->count_exactly(n), pow_int(3, (n + 1) / 2));
    ASSERT_EQ(copy->count_exactly(n), n % 2 ? Count(0) : pow_int(3, n / 2));
    ASSERT_EQ(marked->count_exactly(n), n % 2 ? pow_int(3, n / 2) : Count(0));
    ASSERT_EQ(anbncn->count_exactly(n), n % 3 ? 0 : 1);
  }
  // Shuffle of k Dyck-1 languages, k = 1: Dyck-1 itself.
  const auto shuffle1 = make_language("shuffle-dyck:k=1");
  const auto dyck1 = make_language("dyck:k=1");
  for (std::size_t n = 0; n <= 60; ++n) ASSERT_EQ(shuffle1->count_exactly(n), dyck1->count_exactly(n));
}

TEST(Counting, WordProblemCountsAreReturnsToTheIdentity) {
  // Over all elements of G, a word of length n >= 1 multiplies to e exactly when its last letter
  // is the inverse of the product of the others: |G|^(n-1) words.
  for (const char* group : {"Z3", "S3", "A4", "Z2xZ2"}) {
    const auto lang = make_language(std::string("word-problem:group=") + group);
    const std::size_t order = lang->alphabet().size();
    EXPECT_EQ(lang->count_exactly(0), 1);
    for (std::size_t n = 1; n <= 30; ++n) ASSERT_EQ(lang->count_exactly(n), pow_int(order, n - 1)) << group << " " << n;
  }
}

// Pearson's chi-square statistic of `draws` uniform draws over the `cells` words of one length.
// With df = cells - 1 the statistic has mean df and standard deviation sqrt(2 df); the threshold
// df + 6 sqrt(2 df) + 10 is passed by a uniform sampler except with probability far below 1e-6
// (the seed is fixed, so the test is deterministic), while a sampler that gives even a few words
// twice their share fails it (every cell holds 200 expected draws).
void expect_uniform(const std::string& name, std::size_t length, bool negatives = false) {
  const auto lang = make_language(name);
  const Count total = negatives ? power(lang->alphabet().size(), length) - lang->count_exactly(length)
                                : lang->count_exactly(length);
  ASSERT_GT(total, 1);
  ASSERT_LE(total, 2000);
  const auto cells = static_cast<std::size_t>(total);
  const std::size_t draws = 200 * cells;
  Rng rng(20240601);
  std::map<Word, std::size_t> seen;
  for (std::size_t i = 0; i < draws; ++i) {
    auto w = negatives ? lang->sample_negative(length, rng) : lang->sample(length, rng);
    ASSERT_TRUE(w);
    ASSERT_EQ(lang->contains(*w), !negatives);
    ++seen[*w];
  }
  EXPECT_EQ(seen.size(), cells) << name << ": some words never drawn";
  const double expected = 200.0;
  double chi2 = 0;
  for (const auto& [w, observed] : seen) chi2 += (observed - expected) * (observed - expected) / expected;
  chi2 += (cells - seen.size()) * expected;  // cells never seen
  const double df = static_cast<double>(cells - 1);
  EXPECT_LT(chi2, df + 6 * std::sqrt(2 * df) + 10) << name << " length " << length << ": chi2 = " << chi2;
}

TEST(Sampling, IsUniformOnTheWordsOfOneLength) {
  expect_uniform("parity", 6);
  expect_uniform("tomita:n=3", 7);
  expect_uniform("dyck:k=2", 6);
  expect_uniform("dyck:k=1", 12);
  expect_uniform("dyck:k=2,depth=2", 8);
  expect_uniform("shuffle-dyck:k=2", 6);
  expect_uniform("majority", 7);
  expect_uniform("word-problem:group=S3", 3);
  expect_uniform("palindrome:k=3", 5);
  expect_uniform("marked-reversal", 7);
  expect_uniform("marked-copy:k=2", 7);
  expect_uniform("flip-flop", 8);
}

// Machines read from files sample through their own engines: a deterministic real-time counter
// machine by its configurations, a deterministic PDA through the grammar of its runs.
TEST(Sampling, FileMachinesSampleUniformly) {
  const auto dir = std::filesystem::temp_directory_path();
  const auto counter = dir / ("statelab-exact-test-" + std::to_string(::getpid()) + "-shuffle.json");
  const auto pda = dir / ("statelab-exact-test-" + std::to_string(::getpid()) + "-dyck.json");
  write_file(counter, automata::write_json(*make_language("shuffle-dyck:k=2")->counter_machine()));
  write_file(pda, automata::write_json(*make_language("dyck:k=2")->pda()));
  expect_uniform("file:" + counter.string(), 6);
  expect_uniform("file:" + pda.string(), 6);
  std::filesystem::remove(counter);
  std::filesystem::remove(pda);
}

TEST(Sampling, NegativesAreUniformOnTheComplement) {
  expect_uniform("parity", 6, true);
  expect_uniform("dyck:k=1", 8, true);
  expect_uniform("tomita:n=1", 6, true);
}

TEST(Exact, BinomialsAndBallotNumbers) {
  EXPECT_EQ(binomial(60, 30), Count("118264581564861424"));  // 60 choose 30 (OEIS A000984(30))
  EXPECT_EQ(binomial(5, 7), 0);
  for (std::uint64_t m = 0; m <= 30; ++m) EXPECT_EQ(ballot(2 * m, 0), catalan(m));
  // Paths from height d down to 0 in r steps satisfy the ballot recurrence.
  for (std::uint64_t r = 1; r <= 40; ++r)
    for (std::uint64_t d = 0; d <= r; ++d)
      ASSERT_EQ(ballot(r, d), ballot(r - 1, d + 1) + (d > 0 ? ballot(r - 1, d - 1) : Count(0))) << r << " " << d;
}

// The sampler cache holds at most its byte budget: a tiny budget empties it before each new
// length, and the words drawn are exactly those of an unbounded cache.
TEST(DfaSamplerCache, ABoundedCacheDrawsTheSameWords) {
  const automata::Dfa dfa = automata::random_dfa(12, 3, 7);
  const DfaSamplerCache unbounded(dfa);
  const DfaSamplerCache bounded(dfa, 1);  // one byte: every new length empties it
  for (int round = 0; round < 2; ++round)
    for (std::size_t n = 0; n <= 40; n += 3) {
      Rng a = make_rng(n), b = make_rng(n);
      EXPECT_EQ(unbounded.sample(n, a), bounded.sample(n, b)) << n;
    }
}

}  // namespace
}  // namespace statelab::languages
