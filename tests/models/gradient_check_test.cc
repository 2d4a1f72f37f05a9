// Central-difference gradient checks, in double, for every layer and head through the whole
// model (embedding -> 1 or 2 recurrent layers or transformer blocks -> head -> loss): every parameter element's
// analytic gradient against (L(p + eps) - L(p - eps)) / 2 eps.  In double with eps = 1e-6 the
// truncation error is O(eps^2) ~ 1e-12 and the rounding error ~ 1e-16 / eps = 1e-10, so the
// tolerance 1e-8 absolute + 1e-6 relative is tight and honest.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "models/model.h"
#include "models/random.h"
#include "tests/models/model_test_util.h"

namespace statelab::models {
namespace {

using testing::cast_params;
using testing::random_examples;

struct Case {
  Cell cell;
  Head head;
  int layers;
  Positional positional = Positional::learned;  // transformer only
  bool causal = true;                           // transformer only
  Activation activation = Activation::gelu;     // transformer only
};

std::string case_name(const ::testing::TestParamInfo<Case>& info) {
  const Case& k = info.param;
  std::string name = std::string(cell_name(k.cell)) + "_" +
                     (k.head == Head::next_set ? std::string("next_set") : head_name(k.head)) + "_L" +
                     std::to_string(k.layers);
  if (k.cell == Cell::transformer) {
    std::string pos = positional_name(k.positional);
    if (pos == "hard-alibi") pos = "hard_alibi";
    name += "_" + pos + (k.causal ? "_causal" : "_bidirectional") + "_" + activation_name(k.activation);
  }
  return name;
}

ModelConfig config_for(const Case& k) {
  ModelConfig c;
  c.cell = k.cell;
  c.vocab_size = 3;
  c.embedding_dim = 4;
  c.hidden_size = 5;
  c.num_layers = k.layers;
  c.head = k.head;
  c.num_outputs = k.head == Head::recognize ? 1 : k.head == Head::tag || k.head == Head::seq ? 3 : 4;
  if (k.cell == Cell::transformer) {  // D = 6, 2 heads of 3, F = 7, window 2 for head 0
    c.hidden_size = 6;
    c.num_heads = 2;
    c.ffn_size = 7;
    c.max_length = 8;
    c.positional = k.positional;
    c.causal = k.causal;
    c.ffn_activation = k.activation;
    c.hard_alibi_heads = 1;
    c.hard_alibi_window = 2;
  }
  return c;
}

class GradientCheck : public ::testing::TestWithParam<Case> {};

TEST_P(GradientCheck, AnalyticGradientsMatchCentralDifferences) {
  const ModelConfig c = config_for(GetParam());
  auto params_f = init_params(c, 7);
  auto params = cast_params<double>(c, params_f);
  // Lengths 0..6 so that padding, shrinking batches and the empty word are all exercised.
  const auto examples = random_examples(c, 6, c.head == Head::recognize ? 0 : 1, 6, 11);
  const SequenceBatch batch = make_batch(c, std::span<const Example>(examples));
  const double scale = 1.0 / static_cast<double>(loss_terms(c, batch));

  ModelCache<double> cache;
  auto loss_at = [&](const ModelParams<double>& p) {
    model_forward(c, p, batch, cache);
    return model_loss(c, batch, cache, scale);
  };
  auto grads = zero_params<double>(c);
  loss_at(params);
  model_backward(c, params, batch, cache, grads);

  const double eps = 1e-6;
  auto p_tensors = named_tensors(c, params);
  auto g_tensors = named_tensors(c, grads);
  double worst = 0;
  for (std::size_t i = 0; i < p_tensors.size(); ++i) {
    for (std::int64_t k = 0; k < p_tensors[i].size; ++k) {
      double& v = p_tensors[i].data[k];
      const double saved = v;
      v = saved + eps;
      const double up = loss_at(params);
      v = saved - eps;
      const double down = loss_at(params);
      v = saved;
      const double numeric = (up - down) / (2 * eps);
      const double analytic = g_tensors[i].data[k];
      const double error = std::abs(numeric - analytic);
      worst = std::max(worst, error);
      EXPECT_LE(error, 1e-8 + 1e-6 * std::max(std::abs(numeric), std::abs(analytic)))
          << p_tensors[i].name << "[" << k << "]: analytic " << analytic << ", numeric " << numeric;
    }
  }
  RecordProperty("worst_abs_error", std::to_string(worst));
}

TEST_P(GradientCheck, FloatAgreesWithDouble) {
  const ModelConfig c = config_for(GetParam());
  auto params_f = init_params(c, 3);
  auto params_d = cast_params<double>(c, params_f);
  const auto examples = random_examples(c, 5, 1, 7, 5);
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
      EXPECT_NEAR(gf[i].data[k], gd[i].data[k], 1e-6 + 1e-4 * std::abs(gd[i].data[k])) << gf[i].name << "[" << k << "]";
}

INSTANTIATE_TEST_SUITE_P(
    AllLayersAndHeads, GradientCheck,
    ::testing::Values(Case{Cell::rnn, Head::recognize, 1}, Case{Cell::rnn, Head::recognize, 2},
                      Case{Cell::lstm, Head::recognize, 1}, Case{Cell::lstm, Head::recognize, 2},
                      Case{Cell::gru, Head::recognize, 1}, Case{Cell::gru, Head::recognize, 2},
                      Case{Cell::rnn, Head::tag, 2}, Case{Cell::lstm, Head::tag, 2}, Case{Cell::gru, Head::tag, 2},
                      Case{Cell::rnn, Head::next_set, 2}, Case{Cell::lstm, Head::next_set, 2},
                      Case{Cell::gru, Head::next_set, 2}, Case{Cell::rnn, Head::seq, 1}, Case{Cell::lstm, Head::seq, 2},
                      Case{Cell::gru, Head::seq, 2}, Case{Cell::transformer, Head::seq, 2, Positional::alibi, true},
                      Case{Cell::transformer, Head::recognize, 1, Positional::learned, true},
                      Case{Cell::transformer, Head::recognize, 2, Positional::learned, false, Activation::relu},
                      Case{Cell::transformer, Head::recognize, 2, Positional::none, true},
                      Case{Cell::transformer, Head::tag, 2, Positional::sinusoidal, true},
                      Case{Cell::transformer, Head::tag, 2, Positional::alibi, false},
                      Case{Cell::transformer, Head::next_set, 2, Positional::alibi, true},
                      Case{Cell::transformer, Head::next_set, 2, Positional::hard_alibi, true, Activation::relu},
                      Case{Cell::transformer, Head::tag, 2, Positional::hard_alibi, false},
                      Case{Cell::transformer, Head::seq, 2, Positional::learned, true}),
    case_name);

// Each recurrent layer on its own, including dL/dx: L = sum(R ⊙ out) for a fixed random R, over a
// batch with lengths 5, 3, 3, 1 (inputs are random, not embeddings).
class LayerGradientCheck : public ::testing::TestWithParam<Cell> {};

TEST_P(LayerGradientCheck, InputAndParameterGradientsMatchCentralDifferences) {
  const Cell cell = GetParam();
  const int I = 3, H = 4, G = gate_count(cell);
  ModelConfig c;  // only to build a batch
  c.vocab_size = 1;
  std::vector<Sequence> words = {Sequence(5, 0), Sequence(3, 0), Sequence(3, 0), Sequence(1, 0)};
  const SequenceBatch batch = make_batch(c, std::span<const Sequence>(words));
  Random random(13);
  auto fill = [&](auto& m) {
    for (Eigen::Index k = 0; k < m.size(); ++k) m.data()[k] = 2.0 * random.uniform01() - 1.0;
  };
  RecurrentParams<double> p;
  p.w_ih.resize(G * H, I), p.w_hh.resize(G * H, H), p.b_ih.resize(G * H), p.b_hh.resize(G * H);
  fill(p.w_ih), fill(p.w_hh), fill(p.b_ih), fill(p.b_hh);
  Matrix<double> x(I, batch.columns()), r(H, batch.columns());
  fill(x), fill(r);
  for (int j = 0; j < batch.columns(); ++j)
    if (batch.tokens[j] < 0) x.col(j).setZero();  // padding is zero by contract

  RecurrentCache<double> cache;
  Matrix<double> out;
  auto loss = [&] {
    recurrent_forward(cell, p, batch, x, cache, out);
    return (r.array() * out.array()).sum();
  };
  loss();
  RecurrentParams<double> g{Matrix<double>::Zero(G * H, I), Matrix<double>::Zero(G * H, H),
                            Vector<double>::Zero(G * H), Vector<double>::Zero(G * H)};
  Matrix<double> d_out = r, d_x;
  for (int j = 0; j < batch.columns(); ++j)
    if (batch.tokens[j] < 0) d_out.col(j).setZero();  // padding outputs are not outputs
  recurrent_backward(cell, p, batch, x, out, cache, d_out, g, &d_x);

  auto check = [&](auto& values, const auto& analytic, const std::string& name) {
    testing::check_gradient(values, analytic, loss, name);
  };
  check(p.w_ih, g.w_ih, "w_ih");
  check(p.w_hh, g.w_hh, "w_hh");
  check(p.b_ih, g.b_ih, "b_ih");
  check(p.b_hh, g.b_hh, "b_hh");
  Matrix<double> d_x_valid = d_x;
  check(x, d_x_valid, "x");  // padding columns: both zero (out ignores them)
}

INSTANTIATE_TEST_SUITE_P(AllCells, LayerGradientCheck, ::testing::Values(Cell::rnn, Cell::lstm, Cell::gru),
                         [](const auto& info) { return std::string(cell_name(info.param)); });

}  // namespace
}  // namespace statelab::models
