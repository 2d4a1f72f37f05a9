// statelab against PyTorch on the fixtures of tools/make_torch_fixtures.py: for every cell
// (RNN, LSTM, GRU), 1 and 2 layers, and every head (seq: next-token cross-entropy with ignored
// prompt positions), for the transformer under every positional encoding, causal and
// bidirectional, GELU and ReLU, and for S4D, Mamba, IDS4, DeltaNet, mLSTM, sLSTM (against unstabilised
// PyTorch recurrences) and the negative-eigenvalue variants,
// the module saved by PyTorch loads through
// load_checkpoint, and the hidden states, logits and loss agree within 1e-5 relative and every
// gradient within 1e-4 relative (DeltaNet in float: 1e-3, see expect_fixture_agrees) (torch.allclose's convention: |a - b| <= atol + rtol |b|, with a
// small atol for values that are zero up to rounding).
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <type_traits>

#include "models/model.h"
#include "models/safetensors.h"
#include "tests/models/model_test_util.h"

namespace statelab::models {
namespace {

const std::string kDir = std::string(STATELAB_TEST_DATA) + "/torch/";

struct Fixture {
  Checkpoint model;
  SafetensorsFile data;
  std::vector<Example> examples;
};

Fixture load_fixture(const std::string& name) {
  Fixture f;
  f.data = read_safetensors(kDir + name + ".data.safetensors");
  SafetensorsFile module = read_safetensors(kDir + name + ".model.safetensors");
  const auto& meta = f.data.metadata;
  if (meta.at("head") != "recognize" && !module.metadata.count("statelab.model")) {
    // PyTorch's file cannot say which head a many-output Linear is: state it, as statelab does
    // (the transformer and state-space fixtures carry their whole config, as their checkpoints must).
    ModelConfig c;
    c.cell = parse_cell(meta.at("cell"));
    c.vocab_size = std::stoi(meta.at("vocab_size"));
    c.embedding_dim = std::stoi(meta.at("embedding_dim"));
    c.hidden_size = std::stoi(meta.at("hidden_size"));
    c.num_layers = std::stoi(meta.at("layers"));
    c.head = parse_head(meta.at("head"));
    c.num_outputs = std::stoi(meta.at("num_outputs"));
    module.metadata["statelab.model"] = to_json(c);
  }
  f.model = load_checkpoint(module, name);
  const auto& tokens = f.data.tensors.at("input.tokens");
  const auto values = tokens.to_int64();
  const auto lengths = f.data.tensors.at("input.lengths").to_int64();
  const std::int64_t B = tokens.shape[0], T = tokens.shape[1];
  const int O = f.model.config.num_outputs;
  const auto& targets = f.data.tensors.at("input.targets");
  std::vector<std::int64_t> target_values;
  if (targets.dtype == DType::i64) target_values = targets.to_int64();
  else for (float v : targets.to_float()) target_values.push_back(static_cast<std::int64_t>(v));
  for (std::int64_t b = 0; b < B; ++b) {
    Example e;
    for (std::int64_t t = 0; t < lengths[b]; ++t) e.tokens.push_back(static_cast<Token>(values[b * T + t]));
    switch (f.model.config.head) {
      case Head::recognize: e.target = {static_cast<std::int32_t>(target_values[b])}; break;
      case Head::tag:
      case Head::seq:
        for (std::int64_t t = 0; t < lengths[b]; ++t) e.target.push_back(static_cast<std::int32_t>(target_values[b * T + t]));
        break;
      case Head::next_set:
        for (std::int64_t t = 0; t < lengths[b]; ++t)
          for (int k = 0; k < O; ++k) e.target.push_back(static_cast<std::int32_t>(target_values[(b * T + t) * O + k]));
        break;
    }
    f.examples.push_back(std::move(e));
  }
  return f;
}

void expect_close(double actual, double expected, double rtol, double atol, const std::string& what) {
  EXPECT_LE(std::abs(actual - expected), atol + rtol * std::abs(expected))
      << what << ": statelab " << actual << ", torch " << expected;
}

double max_abs(const std::vector<float>& values) {
  double m = 0;
  for (float v : values) m = std::max(m, std::abs(static_cast<double>(v)));
  return m;
}

// The fixture's forward outputs, loss and gradients against statelab's computed in T, with the
// model's config changed by `adjust` (e.g. another computation of the same map).  Tolerance
// |ours - torch| <= atol + rtol |torch| with rtol 1e-5 (forward) and 1e-4 (gradients), and
// atol = 1e-7 + floor * (the largest |value| of that tensor): floor is 0 in double; in float it
// is 1e-6, because a value that is a sum of O(1) terms cancelling to nearly 0 (a logit of 0.001,
// say) carries an absolute float32 rounding error of ~1e-7 that no relative bound can meet.  The
// transformer keeps that floor in double too: its residual stream and logits are sums of terms of
// the tensor's own scale (up to ~5 here), and torch's float32 result itself differs from its
// float64 one by ~1e-6 of that scale.  DeltaNet's float gradients are compared within 1e-3
// relative (its double ones within 1e-4 as every other): it divides q and k by their norms, which
// are down to ~0.04 in these fixtures, and that division multiplies float32 rounding by ~25.
template <typename T, typename Adjust>
void expect_fixture_agrees(const std::string& name, Adjust adjust) {
  Fixture f = load_fixture(name);
  adjust(f.model.config);
  const ModelConfig& c = f.model.config;
  // deltaproduct in float: n_h reflections per token (beta up to 2) amplify float32 rounding about tenfold.
  const double float_floor = c.cell == Cell::deltaproduct ? 1e-5 : 1e-6;
  const double floor = std::is_same_v<T, float> ? float_floor : c.cell == Cell::transformer ? 1e-6 : 0.0;
  const ModelParams<T> params = testing::cast_params<T>(c, f.model.params);
  const SequenceBatch batch = make_batch(c, std::span<const Example>(f.examples));
  ModelCache<T> cache;
  model_forward(c, params, batch, cache);
  const T loss = model_loss(c, batch, cache, T(1) / static_cast<T>(loss_terms(c, batch)));
  const double rtol_forward = 1e-5, atol_forward = 1e-7;
  const auto expected_loss = f.data.tensors.at("output.loss").to_float();
  expect_close(loss, expected_loss[0], rtol_forward, atol_forward + floor * max_abs(expected_loss), "loss");

  const int B = batch.batch_size, H = c.hidden_size, O = c.num_outputs;
  const auto& hidden_t = f.data.tensors.at("output.hidden");
  const auto hidden = hidden_t.to_float();  // (B, T, H)
  const auto logits = f.data.tensors.at("output.logits").to_float();
  const double atol_hidden = atol_forward + floor * max_abs(hidden), atol_logits = atol_forward + floor * max_abs(logits);
  const std::int64_t T_ = hidden_t.shape[1];
  for (int b = 0; b < B; ++b) {
    const int src = batch.order[b];
    for (int t = 0; t < batch.lengths[b]; ++t) {
      for (int k = 0; k < H; ++k)
        expect_close(cache.outputs.back()(k, t * B + b), hidden[(src * T_ + t) * H + k], rtol_forward, atol_hidden,
                     "hidden[" + std::to_string(src) + "," + std::to_string(t) + "," + std::to_string(k) + "]");
      if (c.head != Head::recognize)
        for (int k = 0; k < O; ++k)
          expect_close(cache.logits(k, t * B + b), logits[(src * T_ + t) * O + k], rtol_forward, atol_logits, "logit");
    }
    if (c.head == Head::recognize) expect_close(cache.logits(0, b), logits[src], rtol_forward, atol_logits, "logit");
  }

  const double rtol_grad = std::is_same_v<T, float> && c.cell == Cell::deltanet ? 1e-3 : 1e-4;
  auto grads = zero_params<T>(c);
  model_backward(c, params, batch, cache, grads);
  std::vector<T> ours;
  for (const auto& tensor : named_tensors(c, grads)) {
    const auto expected = f.data.tensors.at("grad." + tensor.name).to_float();
    ASSERT_EQ(expected.size(), static_cast<std::size_t>(tensor.size)) << tensor.name;
    ours.resize(expected.size());
    copy_to_torch_order(tensor, ours.data());
    const double atol = 1e-7 + floor * max_abs(expected);
    for (std::size_t i = 0; i < ours.size(); ++i)
      expect_close(ours[i], expected[i], rtol_grad, atol, "grad." + tensor.name + "[" + std::to_string(i) + "]");
  }
}

class TorchEquality : public ::testing::TestWithParam<std::string> {};

TEST_P(TorchEquality, ForwardAndEveryGradientAgree) {
  expect_fixture_agrees<float>(GetParam(), [](ModelConfig&) {});
}

TEST_P(TorchEquality, ForwardAndEveryGradientAgreeInDouble) {
  expect_fixture_agrees<double>(GetParam(), [](ModelConfig&) {});
}

INSTANTIATE_TEST_SUITE_P(Fixtures, TorchEquality,
                         ::testing::Values("rnn_l1_recognize", "rnn_l2_recognize", "rnn_l2_tag", "rnn_l2_next-set",
                                           "lstm_l1_recognize", "lstm_l2_recognize", "lstm_l2_tag",
                                           "lstm_l2_next-set", "gru_l1_recognize", "gru_l2_recognize",
                                           "gru_l2_tag", "gru_l2_next-set", "lstm_l1_seq", "gru_l2_seq",
                                           "rnn_l1_seq", "transformer_learned_causal_recognize",
                                           "transformer_learned_bidirectional_recognize_relu",
                                           "transformer_none_causal_tag", "transformer_sinusoidal_bidirectional_next-set",
                                           "transformer_sinusoidal_causal_recognize", "transformer_alibi_causal_recognize",
                                           "transformer_alibi_bidirectional_tag", "transformer_hard-alibi_causal_next-set",
                                           "transformer_hard-alibi_bidirectional_tag_relu", "s4d_l2_recognize",
                                           "s4d_l2_tag", "s4d_l2_next-set", "s4d_negative_l2_recognize",
                                           "mamba_l2_recognize", "mamba_l2_tag", "mamba_l2_next-set",
                                           "mamba_negative_l2_recognize", "ids4_l2_recognize", "ids4_l2_tag",
                                           "ids4_l2_next-set", "deltanet_l2_recognize", "deltanet_l2_tag",
                                           "deltanet_negative_l2_next-set", "deltanet_negative_l2_recognize",
                                           "mlstm_l2_recognize", "mlstm_l2_tag", "mlstm_l2_next-set",
                                           "slstm_l2_recognize", "slstm_l2_tag", "slstm_l2_next-set"),
                         [](const auto& info) {
                           std::string s = info.param;
                           for (char& ch : s)
                             if (ch == '-') ch = '_';  // hard-alibi, next-set
                           return s;
                         });

// S4D by its convolution kernel agrees with PyTorch's recurrence as well.
TEST(TorchEquality, S4dByConvolutionAgrees) {
  for (const char* name : {"s4d_l2_recognize", "s4d_l2_tag", "s4d_l2_next-set", "s4d_negative_l2_recognize"}) {
    SCOPED_TRACE(name);
    expect_fixture_agrees<float>(name, [](ModelConfig& c) { c.s4d_convolution = true; });
    expect_fixture_agrees<double>(name, [](ModelConfig& c) { c.s4d_convolution = true; });
  }
}

// gated-deltanet and deltaproduct (issue 15): fla's GatedDeltaNet and GatedDeltaProduct layers as naive
// recurrences (tools/make_torch_fixtures.py, DeltaProductMixer); cdssm: CdssmMixer's complex scan.
INSTANTIATE_TEST_SUITE_P(DeltaRules, TorchEquality,
                         ::testing::Values("gated-deltanet_l2_recognize", "gated-deltanet_l2_tag",
                                           "gated-deltanet_negative_l2_next-set", "gated-deltanet_negative_l2_recognize",
                                           "deltaproduct_l2_recognize", "deltaproduct_l2_tag",
                                           "deltaproduct_negative_l2_next-set", "deltaproduct_negative_l2_recognize",
                                           "cdssm_l2_recognize", "cdssm_l2_tag", "cdssm_l2_next-set"),
                         [](const auto& info) {
                           std::string s = info.param;
                           for (char& ch : s)
                             if (ch == '-') ch = '_';
                           return s;
                         });

TEST(TorchEquality, AcceptProbabilityOfAPyTorchModuleIsSigmoidOfItsLogit) {
  Fixture f = load_fixture("gru_l2_recognize");
  EXPECT_EQ(f.model.config.cell, Cell::gru);
  EXPECT_EQ(f.model.config.num_layers, 2);
  EXPECT_EQ(f.model.metadata.at("alphabet"), R"(["a", "b", "c"])");
  std::vector<Sequence> words;
  for (const auto& e : f.examples) words.push_back(e.tokens);
  const auto p = accept_probability(f.model.config, f.model.params, words);
  const auto logits = f.data.tensors.at("output.logits").to_float();
  for (std::size_t i = 0; i < words.size(); ++i)
    expect_close(p[i], 1.0 / (1.0 + std::exp(-static_cast<double>(logits[i]))), 1e-5, 1e-7, "probability");
}

}  // namespace
}  // namespace statelab::models
