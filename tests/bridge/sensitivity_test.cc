// Average sensitivity: the known values (parity n, first 1, majority's closed form) by enumeration
// and by sampling; enumeration against the definition run word by word on random DFAs over 1..3
// symbols (a position counts when some other symbol there changes the decision); sampling
// reproducible from its seed whatever the threads; bad input refused before any work.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>
#include <tbb/global_control.h>

#include <cmath>

#include "automata/decide.h"
#include "base/error.h"
#include "bridge/sensitivity.h"
#include "languages/registry.h"
#include "tests/support/generators.h"

namespace statelab::bridge {
namespace {

double binomial(unsigned n, unsigned k) {
  double c = 1;
  for (unsigned i = 1; i <= k; ++i) c = c * (n - k + i) / i;
  return c;
}

Sensitivity of(const std::string& name, std::size_t n, std::size_t samples = 0, std::uint64_t seed = 0) {
  const auto language = languages::make_language(name);
  const LanguageRecognizer recognizer(*language);
  return average_sensitivity(recognizer, {n, samples, seed});
}

TEST(Sensitivity, OfParityIsTheLength) {
  for (std::size_t n = 0; n <= 14; ++n) {
    const Sensitivity s = of("parity", n);
    EXPECT_TRUE(s.exact);
    EXPECT_EQ(s.words, std::uint64_t{1} << n);
    EXPECT_DOUBLE_EQ(s.mean, static_cast<double>(n));
  }
  const Sensitivity s = of("parity", 64, 200, 7);
  EXPECT_FALSE(s.exact);
  EXPECT_DOUBLE_EQ(s.mean, 64);
  EXPECT_DOUBLE_EQ(s.low, 64);
  EXPECT_DOUBLE_EQ(s.high, 64);
}

TEST(Sensitivity, OfTheFirstSymbolIsOne) {
  for (std::size_t n = 1; n <= 12; ++n) EXPECT_DOUBLE_EQ(of("first", n).mean, 1);
  EXPECT_DOUBLE_EQ(of("first", 50, 100, 1).mean, 1);
}

TEST(Sensitivity, OfMajorityIsItsClosedForm) {
  for (unsigned n = 1; n <= 15; n += 2) {
    const double closed = n * binomial(n - 1, (n - 1) / 2) / std::pow(2.0, n - 1);
    EXPECT_NEAR(of("majority", n).mean, closed, 1e-12) << "n = " << n;
  }
  // By sampling: the closed form lies in the 95% interval (for these seeds: the draws are fixed).
  for (std::uint64_t seed : {1, 2, 3}) {
    const unsigned n = 21;
    const double closed = n * binomial(n - 1, (n - 1) / 2) / std::pow(2.0, n - 1);
    const Sensitivity s = of("majority", n, 2000, seed);
    EXPECT_LE(s.low, closed);
    EXPECT_GE(s.high, closed);
    EXPECT_LT(s.high - s.low, 0.5);
  }
}

// The definition, word by word.
double by_definition(const automata::Dfa& dfa, std::size_t n) {
  const std::size_t k = dfa.num_symbols();
  double total = 0, words = 0;
  Word x(n, 0);
  for (;;) {
    const bool fx = automata::accepts(dfa, x);
    for (std::size_t i = 0; i < n; ++i) {
      bool counts = false;
      for (Symbol b = 0; b < k; ++b) {
        if (b == x[i]) continue;
        Word y = x;
        y[i] = b;
        counts |= automata::accepts(dfa, y) != fx;
      }
      total += counts;
    }
    ++words;
    std::size_t i = n;
    while (i > 0 && x[i - 1] + 1 == k) x[--i] = 0;
    if (i == 0) break;
    ++x[i - 1];
  }
  return total / words;
}

RC_GTEST_PROP(Sensitivity, EnumerationFollowsTheDefinition, ()) {
  const std::size_t k = *rc::gen::inRange<std::size_t>(1, 4);
  const auto dfa = *statelab::testing::gen_dfa(k, 6);
  const std::size_t n = *rc::gen::inRange<std::size_t>(0, 7);
  const DfaRecognizer recognizer(dfa);
  const Sensitivity s = average_sensitivity(recognizer, {n, 0, 0});
  RC_ASSERT(std::abs(s.mean - by_definition(dfa, n)) < 1e-12);
  RC_ASSERT(s.mean >= 0);
  RC_ASSERT(s.mean <= static_cast<double>(n));
}

TEST(Sensitivity, SamplingDependsOnTheSeedOnlyNotOnTheThreads) {
  const auto language = languages::make_language("tomita:n=4");
  const LanguageRecognizer recognizer(*language);
  const Sensitivity a = average_sensitivity(recognizer, {40, 500, 9});
  Sensitivity b;
  {
    tbb::global_control one(tbb::global_control::max_allowed_parallelism, 1);
    b = average_sensitivity(recognizer, {40, 500, 9});
  }
  EXPECT_EQ(a.mean, b.mean);
  EXPECT_EQ(a.low, b.low);
  EXPECT_NE(a.mean, average_sensitivity(recognizer, {40, 500, 10}).mean);
}

TEST(Sensitivity, RefusesBadInputBeforeAnyWork) {
  const auto parity = languages::make_language("parity");
  const LanguageRecognizer recognizer(*parity);
  EXPECT_THROW(average_sensitivity(recognizer, {21, 0, 0}), InvalidArgument);  // 2^21 words
  EXPECT_NO_THROW(average_sensitivity(recognizer, {20, 0, 0}));
  EXPECT_THROW(average_sensitivity(recognizer, {30, 1, 0}), InvalidArgument);
  EXPECT_THROW(average_sensitivity(recognizer, {100000, 1000000, 0}), InvalidArgument);
  try {
    average_sensitivity(recognizer, {25, 0, 0});
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("--length 25"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("--samples"), std::string::npos) << e.what();
  }
}

TEST(Sensitivity, OfRandomInitialisations) {
  RandomInitOptions o;
  o.config.cell = models::Cell::lstm;
  o.config.hidden_size = 6;
  o.config.embedding_dim = 3;
  o.inits = 12;
  o.weight_range = 5;
  o.seed = 4;
  o.sensitivity.length = 7;
  const auto d = random_init_sensitivity(o);
  ASSERT_EQ(d.values.size(), 12u);
  EXPECT_TRUE(d.exact);
  for (double v : d.values) {
    EXPECT_GE(v, 0);
    EXPECT_LE(v, 7);
  }
  EXPECT_LE(d.min, d.q10);
  EXPECT_LE(d.q10, d.q25);
  EXPECT_LE(d.q25, d.median);
  EXPECT_LE(d.median, d.q75);
  EXPECT_LE(d.q75, d.q90);
  EXPECT_LE(d.q90, d.max);
  EXPECT_EQ(random_init_sensitivity(o).values, d.values);
  // Initialisation i is the network of random_params(seed * golden + i): its own sensitivity.
  const Alphabet binary({"0", "1"});
  const ModelRecognizer third(o.config, random_params(o.config, InitDistribution::uniform, 5, 4 * 0x9E3779B97F4A7C15ULL + 2), binary);
  EXPECT_EQ(average_sensitivity(third, {7, 0, 0}).mean, d.values[2]);
  o.inits = 0;
  EXPECT_THROW(random_init_sensitivity(o), InvalidArgument);
  o.inits = 1;
  o.weight_range = -1;
  EXPECT_THROW(random_init_sensitivity(o), InvalidArgument);
}

TEST(Sensitivity, UniformParametersStayInTheirRange) {
  models::ModelConfig config;
  config.cell = models::Cell::gru;
  config.hidden_size = 5;
  auto params = random_params(config, InitDistribution::uniform, 0.25, 1);
  std::size_t count = 0;
  float largest = 0;
  models::for_each_tensor<float>(config, params, [&](const models::NamedTensor<float>& t) {
    for (std::int64_t i = 0; i < t.size; ++i) largest = std::max(largest, std::abs(t.data[i])), ++count;
  });
  EXPECT_EQ(static_cast<std::int64_t>(count), models::parameter_count(config));
  EXPECT_LE(largest, 0.25f);
  EXPECT_GT(largest, 0.2f);
}

TEST(Sensitivity, NormalParametersHaveMeanZeroAndTheScaleAsStandardDeviation) {
  models::ModelConfig config;
  config.cell = models::Cell::lstm;
  config.hidden_size = 32;
  auto params = random_params(config, InitDistribution::normal, 10, 3);
  double sum = 0, squares = 0, beyond = 0, count = 0;
  models::for_each_tensor<float>(config, params, [&](const models::NamedTensor<float>& t) {
    for (std::int64_t i = 0; i < t.size; ++i) {
      sum += t.data[i], squares += double(t.data[i]) * t.data[i], ++count;
      beyond += std::abs(t.data[i]) > 10;  // about 32% of a normal lies beyond one sd
    }
  });
  ASSERT_GT(count, 4000);
  const double mean = sum / count, sd = std::sqrt(squares / count - mean * mean);
  EXPECT_NEAR(mean, 0, 0.5);
  EXPECT_NEAR(sd, 10, 0.5);
  EXPECT_NEAR(beyond / count, 0.3173, 0.03);
  EXPECT_EQ(parse_init_distribution("normal"), InitDistribution::normal);
  EXPECT_STREQ(init_distribution_name(parse_init_distribution("uniform")), "uniform");
  EXPECT_THROW(parse_init_distribution("gauss"), InvalidArgument);
}

TEST(Sensitivity, QuantilesInterpolate) {
  EXPECT_DOUBLE_EQ(quantile({1, 2, 3, 4, 5}, 0.5), 3);
  EXPECT_DOUBLE_EQ(quantile({1, 2}, 0.25), 1.25);
  EXPECT_DOUBLE_EQ(quantile({7}, 0.9), 7);
}

}  // namespace
}  // namespace statelab::bridge
