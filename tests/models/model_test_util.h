// Helpers shared by the models tests: random examples for every head, parameter casts, and a
// central-difference gradient check.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "models/model.h"
#include "models/random.h"

namespace statelab::models::testing {

/// n examples with lengths drawn from [min_length, max_length] and random tokens and targets
/// valid for the config's head.
inline std::vector<Example> random_examples(const ModelConfig& c, int n, int min_length, int max_length,
                                            std::uint64_t seed) {
  Random random(seed);
  std::vector<Example> out(n);
  for (auto& e : out) {
    const int len = min_length + static_cast<int>(random.below(max_length - min_length + 1));
    for (int t = 0; t < len; ++t) e.tokens.push_back(static_cast<Token>(random.below(c.vocab_size)));
    switch (c.head) {
      case Head::recognize: e.target = {static_cast<std::int32_t>(random.below(2))}; break;
      case Head::tag:
        for (int t = 0; t < len; ++t) e.target.push_back(static_cast<std::int32_t>(random.below(c.num_outputs)));
        break;
      case Head::next_set:
        for (int i = 0; i < len * c.num_outputs; ++i) e.target.push_back(static_cast<std::int32_t>(random.below(2)));
        break;
      case Head::seq: {  // a prompt tokens[0..p], then the teacher-forced output (needs len >= 1)
        const int p = static_cast<int>(random.below(len));
        e.target.assign(len, -1);
        for (int t = p; t + 1 < len; ++t) e.target[t] = static_cast<std::int32_t>(e.tokens[t + 1]);
        e.target[len - 1] = static_cast<std::int32_t>(random.below(c.vocab_size));
        break;
      }
    }
  }
  return out;
}

/// The same parameters in another scalar type.
template <typename To, typename From>
ModelParams<To> cast_params(const ModelConfig& c, ModelParams<From>& from) {
  auto to = zero_params<To>(c);
  auto src = named_tensors(c, from);
  auto dst = named_tensors(c, to);
  for (std::size_t i = 0; i < src.size(); ++i)
    for (std::int64_t k = 0; k < src[i].size; ++k) dst[i].data[k] = static_cast<To>(src[i].data[k]);
  return to;
}

/// Checks analytic (shaped like values) against the central differences (L(v + eps) - L(v - eps))
/// / 2 eps of loss() in every element v of values (double; eps 1e-6, tolerance 1e-8 + 1e-6 relative).
template <typename M, typename A, typename F>
void check_gradient(M& values, const A& analytic, F loss, const std::string& name) {
  const double eps = 1e-6;
  for (Eigen::Index k = 0; k < values.size(); ++k) {
    double& v = values.data()[k];
    const double saved = v;
    v = saved + eps;
    const double up = loss();
    v = saved - eps;
    const double down = loss();
    v = saved;
    const double numeric = (up - down) / (2 * eps);
    EXPECT_NEAR(analytic.data()[k], numeric, 1e-8 + 1e-6 * std::abs(numeric)) << name << "[" << k << "]";
  }
}

}  // namespace statelab::models::testing
