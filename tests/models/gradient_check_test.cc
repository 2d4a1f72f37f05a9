// Central-difference gradient checks, in double, for every layer and head through the whole
// model (embedding -> 1 or 2 recurrent layers or transformer blocks -> head -> loss): every parameter element's
// analytic gradient against (L(p + eps) - L(p - eps)) / 2 eps.  In double with eps = 1e-6 the
// truncation error is O(eps^2) ~ 1e-12 and the rounding error ~ 1e-16 / eps = 1e-10, so the
// tolerance 1e-8 absolute + 1e-6 relative is tight and honest.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "base/random.h"
#include "models/model.h"
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
  bool strict = false;                          // transformer only: strict masking
  bool end_marker = false;                      // recognize only
};

std::string case_name(const ::testing::TestParamInfo<Case>& info) {
  const Case& k = info.param;
  std::string name = std::string(cell_name(k.cell)) + "_" +
                     (k.head == Head::next_set ? std::string("next_set") : head_name(k.head)) + "_L" +
                     std::to_string(k.layers);
  if (k.cell == Cell::transformer) {
    std::string pos = positional_name(k.positional);
    if (pos == "hard-alibi") pos = "hard_alibi";
    name += "_" + pos + (k.causal ? (k.strict ? "_strict" : "_causal") : "_bidirectional") + "_" +
            activation_name(k.activation);
  }
  if (k.end_marker) name += "_end_marker";
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
  c.end_marker = k.end_marker;
  if (k.cell == Cell::transformer) {  // D = 6, 2 heads of 3, F = 7, window 2 for head 0
    c.hidden_size = 6;
    c.num_heads = 2;
    c.ffn_size = 7;
    c.max_length = 8;
    c.positional = k.positional;
    c.causal = k.causal;
    c.strict_mask = k.strict;
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

  auto p_tensors = named_tensors(c, params);
  testing::expect_central_differences(p_tensors, named_tensors(c, grads), [&] { return loss_at(params); });
}

TEST_P(GradientCheck, FloatAgreesWithDouble) {
  const ModelConfig c = config_for(GetParam());
  auto params_f = init_params(c, 3);
  testing::expect_float_agrees_with_double(c, params_f, random_examples(c, 5, 1, 7, 5), 1e-6);
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
                      Case{Cell::transformer, Head::tag, 2, Positional::none, true, Activation::gelu, true},
                      Case{Cell::transformer, Head::next_set, 2, Positional::hard_alibi, true, Activation::relu, true},
                      Case{Cell::transformer, Head::tag, 2, Positional::sinusoidal, true},
                      Case{Cell::transformer, Head::tag, 2, Positional::alibi, false},
                      Case{Cell::transformer, Head::next_set, 2, Positional::alibi, true},
                      Case{Cell::transformer, Head::next_set, 2, Positional::hard_alibi, true, Activation::relu},
                      Case{Cell::transformer, Head::tag, 2, Positional::hard_alibi, false},
                      Case{Cell::transformer, Head::seq, 2, Positional::learned, true},
                      Case{.cell = Cell::lstm, .head = Head::recognize, .layers = 2, .end_marker = true},
                      Case{Cell::transformer, Head::recognize, 2, Positional::none, true, Activation::gelu, true, true}),
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
  check(x, d_x, "x");  // padding columns: both zero (out ignores them)
}

INSTANTIATE_TEST_SUITE_P(AllCells, LayerGradientCheck, ::testing::Values(Cell::rnn, Cell::lstm, Cell::gru),
                         [](const auto& info) { return std::string(cell_name(info.param)); });

}  // namespace
}  // namespace statelab::models
