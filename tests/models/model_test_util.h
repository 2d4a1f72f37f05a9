// Helpers shared by the models tests: random examples for every head, parameter casts, and the
// central-difference gradient checks (one tensor, the whole model, one state-space block).
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "base/random.h"
#include "models/model.h"

namespace statelab::models::testing {

/// Every tensor of a equals its namesake in b, bit for bit (a checkpoint round trip). Takes
/// copies because named_tensors hands out writable views.
inline void expect_same_parameters(const ModelConfig& c, ModelParams<float> a, ModelParams<float> b) {
  const auto ta = named_tensors(c, a), tb = named_tensors(c, b);
  ASSERT_EQ(ta.size(), tb.size());
  for (std::size_t i = 0; i < ta.size(); ++i)
    for (std::int64_t k = 0; k < ta[i].size; ++k) ASSERT_EQ(ta[i].data[k], tb[i].data[k]) << ta[i].name;
}

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

/// A small transformer (V 3, E 5, D 8, two blocks of two heads, F 12, max_length 16, hard-ALiBi
/// window 3) with a tag head of 3 classes.
inline ModelConfig small_transformer(Positional positional, bool causal) {
  ModelConfig c;
  c.cell = Cell::transformer;
  c.vocab_size = 3;
  c.embedding_dim = 5;
  c.hidden_size = 8;
  c.num_layers = 2;
  c.num_heads = 2;
  c.ffn_size = 12;
  c.max_length = 16;
  c.positional = positional;
  c.causal = causal;
  c.head = Head::tag;
  c.num_outputs = 3;
  c.hard_alibi_window = 3;
  return c;
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

/// Parameters whose every element matters at a visible scale: init_params(seed) in double, every
/// tensor then perturbed by U(±0.3) drawn from seed + 1000.
inline ModelParams<double> perturbed_params(const ModelConfig& c, std::uint64_t seed) {
  auto pf = init_params(c, seed);
  auto p = cast_params<double>(c, pf);
  Random random(seed + 1000);
  for (auto& t : named_tensors(c, p))
    for (std::int64_t k = 0; k < t.size; ++k) t.data[k] += 0.6 * random.uniform01() - 0.3;
  return p;
}

/// Central differences in double: for every element v of `values` (size elements), (loss(v + eps) -
/// loss(v - eps)) / 2 eps against the analytic gradient at the same place in `analytic`, within
/// 1e-8 absolute + 1e-6 relative (eps = 1e-6: truncation O(eps²) ~ 1e-12, rounding ~ 1e-10).
template <typename Loss>
void expect_central_differences(double* values, const double* analytic, std::int64_t size, Loss& loss,
                                const std::string& name) {
  const double eps = 1e-6;
  for (std::int64_t k = 0; k < size; ++k) {
    double& v = values[k];
    const double saved = v;
    v = saved + eps;
    const double up = loss();
    v = saved - eps;
    const double down = loss();
    v = saved;
    const double numeric = (up - down) / (2 * eps);
    EXPECT_LE(std::abs(numeric - analytic[k]), 1e-8 + 1e-6 * std::max(std::abs(numeric), std::abs(analytic[k])))
        << name << "[" << k << "]: analytic " << analytic[k] << ", numeric " << numeric;
  }
}

/// The same for every tensor of `values` against the tensor at the same place in `gradients`.
template <typename Loss>
void expect_central_differences(std::vector<NamedTensor<double>>& values, const std::vector<NamedTensor<double>>& gradients,
                                Loss loss) {
  for (std::size_t i = 0; i < values.size(); ++i)
    expect_central_differences(values[i].data, gradients[i].data, values[i].size, loss, values[i].name);
}

/// The same for one matrix or vector `values` against `analytic`, shaped like it.
template <typename M, typename A, typename Loss>
void check_gradient(M& values, const A& analytic, Loss loss, const std::string& name) {
  expect_central_differences(values.data(), analytic.data(), values.size(), loss, name);
}

/// The whole model's gradient check in double: the loss of random_examples(c, 6, ...) (lengths 0..6
/// for recognize, else 1..6, seed 11) against central differences for every parameter of `params`.
inline void expect_model_gradients_match_central_differences(const ModelConfig& c, ModelParams<double>& params) {
  const auto examples = random_examples(c, 6, c.head == Head::recognize ? 0 : 1, 6, 11);
  const SequenceBatch batch = make_batch(c, std::span<const Example>(examples));
  const double scale = 1.0 / static_cast<double>(loss_terms(c, batch));
  ModelCache<double> cache;
  auto loss_at = [&] {
    model_forward(c, params, batch, cache);
    return model_loss(c, batch, cache, scale);
  };
  auto grads = zero_params<double>(c);
  loss_at();
  model_backward(c, params, batch, cache, grads);
  auto p_tensors = named_tensors(c, params);
  expect_central_differences(p_tensors, named_tensors(c, grads), loss_at);
}

/// One state-space block on its own (LayerNorm, mixer, the GELU and out_proj where it has them,
/// residual), the first of `params` (a one-layer config c), including dL/dx: L = sum(R ⊙ out) over
/// a batch with lengths 6, 4, 4, 1, random inputs with zero padding; padding outputs stay zero.
inline void expect_ssm_block_gradients_match_central_differences(const ModelConfig& c, ModelParams<double>& params) {
  const ModelConfig& o = c;
  std::vector<Sequence> words = {Sequence(6, 0), Sequence(4, 0), Sequence(4, 0), Sequence(1, 0)};
  const SequenceBatch batch = make_batch(c, std::span<const Sequence>(words));
  SsmBlockParams<double>& p = params.ssm_blocks[0];
  Random random(5);
  Matrix<double> x(c.hidden_size, batch.columns()), r(c.hidden_size, batch.columns());
  for (Eigen::Index k = 0; k < x.size(); ++k) x.data()[k] = 2 * random.uniform01() - 1, r.data()[k] = 2 * random.uniform01() - 1;
  zero_padding(batch, x);
  zero_padding(batch, r);  // padding outputs are not outputs
  SsmBlockCache<double> cache;
  Matrix<double> out, d_x;
  auto loss = [&] {
    ssm_block_forward(o, p, batch, x, cache, out);
    return (r.array() * out.array()).sum();
  };
  loss();
  for (int j = 0; j < batch.columns(); ++j) {
    if (batch.tokens[j] < 0) {
      EXPECT_EQ(out.col(j).cwiseAbs().sum(), 0.0) << "padding column " << j;
    }
  }
  auto grads = zero_ssm_block<double>(o);
  ssm_block_backward(o, p, batch, x, cache, r, grads, d_x);
  std::vector<NamedTensor<double>> p_tensors, g_tensors;
  append_ssm_block_tensors(o, "", p, p_tensors);
  append_ssm_block_tensors(o, "", grads, g_tensors);
  p_tensors.push_back({"x", {}, x.data(), x.size(), false});
  g_tensors.push_back({"x", {}, d_x.data(), d_x.size(), false});
  expect_central_differences(p_tensors, g_tensors, loss);
}

/// The model in float and in double (the same parameters, rounded to float) on the same batch:
/// the loss within 1e-5 relative, every gradient within grad_atol + 1e-4 relative.
inline void expect_float_agrees_with_double(const ModelConfig& c, ModelParams<float>& params_f,
                                            const std::vector<Example>& examples, double grad_atol) {
  auto params_d = cast_params<double>(c, params_f);
  const SequenceBatch batch = make_batch(c, std::span<const Example>(examples));
  const auto terms = static_cast<double>(loss_terms(c, batch));
  ModelCache<float> cache_f;
  ModelCache<double> cache_d;
  model_forward(c, params_f, batch, cache_f);
  model_forward(c, params_d, batch, cache_d);
  const float loss_f = model_loss(c, batch, cache_f, static_cast<float>(1 / terms));
  const double loss_d = model_loss(c, batch, cache_d, 1 / terms);
  EXPECT_NEAR(loss_f, loss_d, 1e-5 * std::abs(loss_d));
  auto grads_f = zero_params<float>(c);
  auto grads_d = zero_params<double>(c);
  model_backward(c, params_f, batch, cache_f, grads_f);
  model_backward(c, params_d, batch, cache_d, grads_d);
  auto gf = named_tensors(c, grads_f);
  auto gd = named_tensors(c, grads_d);
  for (std::size_t i = 0; i < gf.size(); ++i)
    for (std::int64_t k = 0; k < gf[i].size; ++k)
      EXPECT_NEAR(gf[i].data[k], gd[i].data[k], grad_atol + 1e-4 * std::abs(gd[i].data[k])) << gf[i].name << "[" << k << "]";
}

}  // namespace statelab::models::testing
