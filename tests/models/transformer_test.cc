// The transformer's layers on their own: central-difference gradient checks (in double) for
// LayerNorm, attention under every mask and bias, and the whole pre-LN block, inputs included;
// properties that hold whatever the weights (a sequence's outputs do not depend on the other
// sequences of its batch nor on padding; causal outputs do not depend on later tokens; a hard
// window hides what lies outside it); the ALiBi slopes; config JSON and checkpoint round trips.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <string>

#include "base/random.h"
#include "models/error.h"
#include "models/model.h"
#include "models/safetensors.h"
#include "tests/models/model_test_util.h"

namespace statelab::models {
namespace {

using testing::check_gradient;
using testing::small_transformer;

// A batch of token-0 sequences of the given lengths (only its layout matters here).
SequenceBatch layout(std::vector<int> lengths) {
  ModelConfig c;
  c.vocab_size = 1;
  std::vector<Sequence> words;
  for (int n : lengths) words.push_back(Sequence(static_cast<std::size_t>(n), 0));
  return make_batch(c, std::span<const Sequence>(words));
}

template <typename M>
void fill(M& m, Random& random) {
  for (Eigen::Index k = 0; k < m.size(); ++k) m.data()[k] = 2.0 * random.uniform01() - 1.0;
}

TEST(LayerNorm, GradientsMatchCentralDifferences) {
  Random random(3);
  LayerNormParams<double> p{Vector<double>(5), Vector<double>(5)};
  fill(p.weight, random), fill(p.bias, random);
  Matrix<double> x(5, 7), r(5, 7), y;
  fill(x, random), fill(r, random);
  LayerNormCache<double> cache;
  auto loss = [&] {
    layer_norm_forward(p, x, cache, y);
    return (r.array() * y.array()).sum();
  };
  loss();
  LayerNormGrads<double> g{Vector<double>::Zero(5), Vector<double>::Zero(5)};
  Matrix<double> d_x;
  layer_norm_backward(p, cache, r, g, d_x);
  check_gradient(p.weight, g.weight, loss, "weight");
  check_gradient(p.bias, g.bias, loss, "bias");
  check_gradient(x, d_x, loss, "x");
}

TEST(LayerNorm, NormalisesEveryColumnToMeanZeroVarianceOne) {
  Random random(4);
  LayerNormParams<double> p{Vector<double>::Ones(6), Vector<double>::Zero(6)};
  Matrix<double> x(6, 4), y;
  fill(x, random);
  x *= 10;
  LayerNormCache<double> cache;
  layer_norm_forward(p, x, cache, y);
  for (int j = 0; j < 4; ++j) {
    EXPECT_NEAR(y.col(j).mean(), 0, 1e-12);
    EXPECT_NEAR((y.col(j).array().square().mean()), 1, 1e-5);  // var / (var + eps)
  }
}

struct AttentionCase {
  Positional positional;
  bool causal;
};

class AttentionGradient : public ::testing::TestWithParam<AttentionCase> {};

TEST_P(AttentionGradient, MatchesCentralDifferences) {
  const auto [positional, causal] = GetParam();
  const int A = 2, dh = 3, D = A * dh;
  const AttentionSpec spec = attention_spec(A, causal, positional, 1, 2);
  const SequenceBatch batch = layout({5, 3, 3, 1});
  Random random(17);
  Matrix<double> qkv(3 * D, batch.columns()), r(D, batch.columns()), context;
  fill(qkv, random), fill(r, random);
  zero_padding(batch, qkv);
  zero_padding(batch, r);
  AttentionCache<double> cache;
  auto loss = [&] {
    attention_forward(spec, batch, qkv, cache, context);
    return (r.array() * context.array()).sum();
  };
  loss();
  Matrix<double> d_qkv;
  attention_backward(spec, batch, qkv, cache, r, d_qkv);
  check_gradient(qkv, d_qkv, loss, "qkv");  // padding columns: both zero
}

INSTANTIATE_TEST_SUITE_P(
    AllMasks, AttentionGradient,
    ::testing::Values(AttentionCase{Positional::none, true}, AttentionCase{Positional::none, false},
                      AttentionCase{Positional::alibi, true}, AttentionCase{Positional::alibi, false},
                      AttentionCase{Positional::hard_alibi, true}, AttentionCase{Positional::hard_alibi, false}),
    [](const auto& info) {
      std::string pos = positional_name(info.param.positional);
      if (pos == "hard-alibi") pos = "hard_alibi";
      return pos + (info.param.causal ? "_causal" : "_bidirectional");
    });

class BlockGradient : public ::testing::TestWithParam<Activation> {};

TEST_P(BlockGradient, ParametersAndInputMatchCentralDifferences) {
  const Activation activation = GetParam();
  const int D = 6, F = 5;
  const AttentionSpec spec = attention_spec(3, true, Positional::alibi, 0, 0);
  const SequenceBatch batch = layout({4, 4, 2});
  Random random(23);
  TransformerBlockParams<double> p;
  auto linear = [&](LinearParams<double>& l, int out, int in) {
    l.weight.resize(out, in), l.bias.resize(out);
    fill(l.weight, random), fill(l.bias, random);
  };
  auto norm = [&](LayerNormParams<double>& n) {
    n.weight.resize(D), n.bias.resize(D);
    fill(n.weight, random), fill(n.bias, random);
  };
  linear(p.in_proj, 3 * D, D), linear(p.out_proj, D, D), linear(p.linear1, F, D), linear(p.linear2, D, F);
  norm(p.norm1), norm(p.norm2);
  Matrix<double> x(D, batch.columns()), r(D, batch.columns()), out;
  fill(x, random), fill(r, random);
  zero_padding(batch, x);
  zero_padding(batch, r);
  TransformerBlockCache<double> cache;
  auto loss = [&] {
    transformer_block_forward(spec, activation, p, batch, x, cache, out);
    return (r.array() * out.array()).sum();
  };
  loss();
  TransformerBlockGrads<double> g = p;
  for (auto* l : {&g.in_proj, &g.out_proj, &g.linear1, &g.linear2}) l->weight.setZero(), l->bias.setZero();
  for (auto* n : {&g.norm1, &g.norm2}) n->weight.setZero(), n->bias.setZero();
  Matrix<double> d_x;
  transformer_block_backward(spec, activation, p, batch, cache, r, g, d_x);
  check_gradient(p.in_proj.weight, g.in_proj.weight, loss, "in_proj_weight");
  check_gradient(p.in_proj.bias, g.in_proj.bias, loss, "in_proj_bias");
  check_gradient(p.out_proj.weight, g.out_proj.weight, loss, "out_proj.weight");
  check_gradient(p.out_proj.bias, g.out_proj.bias, loss, "out_proj.bias");
  check_gradient(p.linear1.weight, g.linear1.weight, loss, "linear1.weight");
  check_gradient(p.linear1.bias, g.linear1.bias, loss, "linear1.bias");
  check_gradient(p.linear2.weight, g.linear2.weight, loss, "linear2.weight");
  check_gradient(p.linear2.bias, g.linear2.bias, loss, "linear2.bias");
  check_gradient(p.norm1.weight, g.norm1.weight, loss, "norm1.weight");
  check_gradient(p.norm1.bias, g.norm1.bias, loss, "norm1.bias");
  check_gradient(p.norm2.weight, g.norm2.weight, loss, "norm2.weight");
  check_gradient(p.norm2.bias, g.norm2.bias, loss, "norm2.bias");
  check_gradient(x, d_x, loss, "x");
}

INSTANTIATE_TEST_SUITE_P(BothActivations, BlockGradient, ::testing::Values(Activation::gelu, Activation::relu),
                         [](const auto& info) { return std::string(activation_name(info.param)); });


const Positional kAllPositional[] = {Positional::none, Positional::learned, Positional::sinusoidal, Positional::alibi,
                                     Positional::hard_alibi};

TEST(Transformer, ASequenceOutputsTheSameAloneAsInABatchWithPadding) {
  for (Positional positional : kAllPositional) {
    for (bool causal : {true, false}) {
      const ModelConfig c = small_transformer(positional, causal);
      const auto params = init_params(c, 5);
      std::vector<Sequence> words;
      Random random(9);
      for (int len : {7, 1, 12, 4, 4, 9}) {
        Sequence w;
        for (int t = 0; t < len; ++t) w.push_back(static_cast<Token>(random.below(3)));
        words.push_back(w);
      }
      const auto together = model_logits(c, params, words);
      for (std::size_t i = 0; i < words.size(); ++i) {
        const auto alone = model_logits(c, params, std::span<const Sequence>(&words[i], 1));
        ASSERT_EQ(alone[0].cols(), together[i].cols());
        EXPECT_LE((alone[0] - together[i]).cwiseAbs().maxCoeff(), 1e-5)
            << positional_name(positional) << (causal ? " causal" : " bidirectional") << " word " << i;
      }
    }
  }
}

TEST(Transformer, CausalOutputsDoNotDependOnLaterTokens) {
  for (Positional positional : kAllPositional) {
    const ModelConfig c = small_transformer(positional, true);
    const auto params = init_params(c, 6);
    const Sequence word = {0, 2, 1, 1, 0, 2, 2, 1, 0};
    const Sequence changed_tail = {0, 2, 1, 1, 2, 0, 1, 0, 0, 1, 2};  // same first 4 tokens
    const auto a = hidden_states(c, params, std::span<const Sequence>(&word, 1))[0];
    const auto b = hidden_states(c, params, std::span<const Sequence>(&changed_tail, 1))[0];
    EXPECT_LE((a.leftCols(4) - b.leftCols(4)).cwiseAbs().maxCoeff(), 1e-5) << positional_name(positional);
    EXPECT_GT((a.col(4) - b.col(4)).cwiseAbs().maxCoeff(), 1e-4) << positional_name(positional);
  }
}

TEST(Transformer, AHardWindowHidesWhatLiesOutsideIt) {
  // One layer of hard-alibi heads only (window 3): position t reads tokens t-2..t, so changing
  // token 0 changes positions 0..2 and nothing after.
  ModelConfig c = small_transformer(Positional::hard_alibi, true);
  c.num_layers = 1;
  c.hard_alibi_heads = c.num_heads;
  const auto params = init_params(c, 8);
  const Sequence a = {0, 1, 2, 1, 0, 1, 2}, b = {2, 1, 2, 1, 0, 1, 2};
  const auto ha = hidden_states(c, params, std::span<const Sequence>(&a, 1))[0];
  const auto hb = hidden_states(c, params, std::span<const Sequence>(&b, 1))[0];
  for (int t = 0; t < 3; ++t) EXPECT_GT((ha.col(t) - hb.col(t)).cwiseAbs().maxCoeff(), 1e-4) << t;
  EXPECT_LE((ha.rightCols(4) - hb.rightCols(4)).cwiseAbs().maxCoeff(), 1e-6);
}

TEST(Transformer, StrictMaskingHidesTheQueryItsOwnKeyAndGivesPositionZeroNothing) {
  // Li and Cotterell's strict future masking: query j reads keys 0..j-1 only. So the context of
  // query 0 is 0, and changing key and value j changes no context before j + 1; without strict
  // masking it changes context j.
  for (Positional positional : {Positional::none, Positional::alibi, Positional::hard_alibi}) {
    AttentionSpec spec = attention_spec(2, true, positional, 1, 3);
    spec.strict = true;
    const int n = 5, D = 4;
    const SequenceBatch batch = layout({n});
    Matrix<double> qkv = Matrix<double>::Random(3 * D, n), changed = qkv;
    changed.block(D, 2, 2 * D, 1).setRandom();  // key and value of position 2
    AttentionCache<double> cache;
    Matrix<double> a, b;
    attention_forward(spec, batch, qkv, cache, a);
    attention_forward(spec, batch, changed, cache, b);
    EXPECT_EQ(a.col(0).cwiseAbs().maxCoeff(), 0.0) << positional_name(positional);
    EXPECT_LE((a.leftCols(3) - b.leftCols(3)).cwiseAbs().maxCoeff(), 1e-15) << positional_name(positional);
    EXPECT_GT((a.col(3) - b.col(3)).cwiseAbs().maxCoeff(), 1e-6) << positional_name(positional);
    spec.strict = false;
    attention_forward(spec, batch, qkv, cache, a);
    attention_forward(spec, batch, changed, cache, b);
    EXPECT_GT((a.col(2) - b.col(2)).cwiseAbs().maxCoeff(), 1e-6) << positional_name(positional);
  }
}

TEST(Transformer, StrictMaskingIsACausalModelsAndOnlyWrittenWhenSet) {
  ModelConfig c = small_transformer(Positional::none, true);
  EXPECT_EQ(to_json(c).find("strict_mask"), std::string::npos);  // configs written before it: unchanged
  c.strict_mask = true;
  EXPECT_NE(to_json(c).find("\"strict_mask\":true"), std::string::npos);
  EXPECT_EQ(model_config_from_json(to_json(c)), c);
  EXPECT_TRUE(attention_spec(c).strict);
  c.causal = false;
  EXPECT_THROW(validate(c), ModelError);
  ModelConfig lstm = c;
  lstm.cell = Cell::lstm;
  lstm.causal = true;
  EXPECT_THROW(validate(lstm), ModelError);  // a field the LSTM does not read, set: refused
}

TEST(Transformer, StaggeredWindowsLetHeadHSeeTheLastHPlusOneTokens) {
  // Window 0 is Jelassi et al.'s: windowed head h sees the last h + 1 tokens. One layer of 4 such
  // heads (windows 1..4): token 0 reaches positions 0..3 (through head 3) and nothing after.
  ModelConfig c = small_transformer(Positional::hard_alibi, true);
  c.num_layers = 1;
  c.num_heads = 4;
  c.hard_alibi_heads = 4;
  c.hard_alibi_window = 0;
  EXPECT_EQ(attention_spec(c).windows, (std::vector<int>{1, 2, 3, 4}));
  c.hard_alibi_heads = 0;  // half of them: the other two are NoPE
  EXPECT_EQ(attention_spec(c).windows, (std::vector<int>{1, 2, 0, 0}));
  c.hard_alibi_heads = 4;
  const auto params = init_params(c, 8);
  const Sequence a = {0, 1, 2, 1, 0, 1, 2, 0}, b = {2, 1, 2, 1, 0, 1, 2, 0};
  const auto ha = hidden_states(c, params, std::span<const Sequence>(&a, 1))[0];
  const auto hb = hidden_states(c, params, std::span<const Sequence>(&b, 1))[0];
  for (int t = 0; t < 4; ++t) EXPECT_GT((ha.col(t) - hb.col(t)).cwiseAbs().maxCoeff(), 1e-4) << t;
  EXPECT_LE((ha.rightCols(4) - hb.rightCols(4)).cwiseAbs().maxCoeff(), 1e-6);
}

TEST(Transformer, HiddenStatesAreTheResidualStreamAfterEachBlock) {
  const ModelConfig c = small_transformer(Positional::learned, true);
  const auto params = init_params(c, 2);
  const std::vector<Sequence> words = {{0, 1, 2, 2}, {1}};
  const auto hidden = hidden_states(c, params, words);
  ASSERT_EQ(hidden[0].rows(), 2 * c.hidden_size);
  ASSERT_EQ(hidden[0].cols(), 4);
  ASSERT_EQ(hidden[1].cols(), 1);
  // The head reads the final LayerNorm of the top block's stream: recompute the tag logits.
  const auto logits = model_logits(c, params, words);
  LayerNormCache<float> cache;
  Matrix<float> top = hidden[0].bottomRows(c.hidden_size), normed;
  layer_norm_forward(params.final_norm, top, cache, normed);
  const Matrix<float> expected = (params.head.weight * normed).colwise() + params.head.bias;
  EXPECT_LE((expected - logits[0]).cwiseAbs().maxCoeff(), 1e-5);
}

TEST(Transformer, AlibiSlopesAreThePapers) {
  const auto eight = alibi_slopes(8);
  for (int h = 0; h < 8; ++h) EXPECT_DOUBLE_EQ(eight[h], std::pow(2.0, -(h + 1)));
  const auto four = alibi_slopes(4);
  for (int h = 0; h < 4; ++h) EXPECT_DOUBLE_EQ(four[h], std::pow(2.0, -2 * (h + 1)));
  // 6 heads: the 4-head slopes, then every other slope of 8 heads (get_slopes of Press et al.).
  const std::vector<double> six = {0.25, 0.0625, 0.015625, 0.00390625, 0.5, 0.125};
  EXPECT_EQ(alibi_slopes(6), six);
}

TEST(Transformer, HardAlibiWindowsTheFirstHeadsAndLeavesTheOthersNoPE) {
  ModelConfig c = small_transformer(Positional::hard_alibi, true);
  c.num_heads = 4;
  c.hard_alibi_heads = 0;  // half, rounded up
  c.hard_alibi_window = 5;
  const AttentionSpec spec = attention_spec(c);
  EXPECT_EQ(spec.windows, (std::vector<int>{5, 5, 0, 0}));
  EXPECT_EQ(spec.slopes, (std::vector<double>{0, 0, 0, 0}));
  c.hard_alibi_heads = 3;
  EXPECT_EQ(attention_spec(c).windows, (std::vector<int>{5, 5, 5, 0}));
}

TEST(Transformer, ConfigRoundTripsThroughJsonAndOldConfigsStillLoad) {
  ModelConfig c = small_transformer(Positional::hard_alibi, false);
  c.ffn_activation = Activation::relu;
  c.hard_alibi_heads = 1;
  EXPECT_EQ(model_config_from_json(to_json(c)), c);
  const ModelConfig old = model_config_from_json(
      R"({"cell":"lstm","vocab_size":2,"embedding_dim":4,"hidden_size":8,"num_layers":1,"head":"recognize","num_outputs":1})");
  EXPECT_EQ(old.num_heads, ModelConfig{}.num_heads);
  EXPECT_EQ(to_json(old).find("num_heads"), std::string::npos);  // recurrent configs are unchanged
  EXPECT_THROW(model_config_from_json(R"({"cell":"transformer","vocab_size":2,"embedding_dim":4,"hidden_size":6,)"
                                      R"("num_layers":1,"head":"recognize","num_outputs":1,"num_heads":4})"),
               ModelError);  // 6 is not a multiple of 4
  EXPECT_THROW(model_config_from_json(R"({"cell":"transformer","vocab_size":2,"embedding_dim":4,"hidden_size":8,)"
                                      R"("num_layers":1,"head":"recognize","num_outputs":1,"positional":"rope"})"),
               ModelError);
  // An enum field that is not a string: one "model config: " prefix, naming the field (it was doubled).
  try {
    model_config_from_json(R"({"cell":"transformer","vocab_size":2,"embedding_dim":4,"hidden_size":8,)"
                           R"("num_layers":1,"head":"recognize","num_outputs":1,"ffn_activation":3})");
    ADD_FAILURE() << "no error";
  } catch (const ModelError& e) {
    EXPECT_EQ(std::string(e.what()), "model config: 'ffn_activation' is 3, expected a string");
  }
}

TEST(Transformer, EveryTensorIsInitialisedAsTorchsModuleDeclaresIt) {
  // Each tensor says its initialisation where the family declares it (FamilyOf::tensors); the
  // values follow: LayerNorm 1 / 0, the attention's biases 0, in_proj_weight Xavier-uniform,
  // every other Linear U(±1/sqrt(fan_in)), the embedding and learned positions N(0, 1).
  ModelConfig c = small_transformer(Positional::learned, true);
  c.ffn_size = 6;
  auto params = init_params(c, 4);
  const float D = static_cast<float>(c.hidden_size);
  int normals = 0;
  for (const auto& t : named_tensors(c, params)) {
    const Eigen::Map<const Eigen::ArrayXf> v(t.data, t.size);
    const auto ends_with = [&](const std::string& s) { return t.name.ends_with(s); };
    if (t.name.find("norm") != std::string::npos) {
      EXPECT_EQ(t.init.kind, TensorInit::constant) << t.name;
      EXPECT_TRUE((v == (ends_with(".weight") ? 1.0f : 0.0f)).all()) << t.name;
    } else if (ends_with("in_proj_bias") || ends_with("out_proj.bias")) {
      EXPECT_TRUE((v == 0.0f).all()) << t.name;
    } else if (t.name == "embedding.weight" || t.name == "positions.weight") {
      EXPECT_EQ(t.init.kind, TensorInit::normal) << t.name;
      ++normals;
    } else {
      const float fan_in = ends_with("in_proj_weight") ? 0.0f
                           : t.name.starts_with("input_proj") ? static_cast<float>(c.embedding_dim)
                           : t.name.find("linear2") != std::string::npos ? 6.0f
                                                                          : D;
      const float bound = fan_in == 0 ? std::sqrt(6.0f / (4 * D)) : 1.0f / std::sqrt(fan_in);
      EXPECT_EQ(t.init.kind, TensorInit::uniform) << t.name;
      EXPECT_FLOAT_EQ(t.init.value, bound) << t.name;
      EXPECT_LE(v.abs().maxCoeff(), bound) << t.name;
      if (t.size >= 16) {
        EXPECT_GT(v.abs().maxCoeff(), 0.5f * bound) << t.name;  // drawn, not left at zero
      }
    }
  }
  EXPECT_EQ(normals, 2);
  // The recurrent family declares every tensor too (torch's U(±1/sqrt(H)), the embedding N(0, 1)).
  for (Cell cell : {Cell::rnn, Cell::lstm, Cell::gru}) {
    ModelConfig r;
    r.cell = cell;
    auto p = zero_params<float>(r);
    for (const auto& t : named_tensors(r, p)) EXPECT_NE(t.init.kind, TensorInit::none) << t.name;
  }
}

TEST(Transformer, LearnedPositionsRefuseSequencesLongerThanTheTable) {
  ModelConfig c = small_transformer(Positional::learned, true);
  c.max_length = 4;
  const std::vector<Sequence> words = {{0, 1, 2, 0, 1}};
  try {
    make_batch(c, std::span<const Sequence>(words));
    FAIL() << "no error";
  } catch (const ModelError& e) {
    EXPECT_NE(std::string(e.what()).find("max_length"), std::string::npos) << e.what();
  }
  c.positional = Positional::sinusoidal;  // a fixed function: any length
  EXPECT_NO_THROW(model_logits(c, init_params(c, 1), words));
}

TEST(Transformer, CheckpointRoundTripsAndNeedsItsConfig) {
  const ModelConfig c = small_transformer(Positional::learned, false);
  const auto params = init_params(c, 12);
  const auto dir = std::filesystem::temp_directory_path() / "statelab_transformer_test";
  std::filesystem::create_directories(dir);
  const auto path = dir / "tf.safetensors";
  save_checkpoint(path, c, params, {{"language", "parity"}});
  const Checkpoint back = load_checkpoint(path);
  EXPECT_EQ(back.config, c);
  EXPECT_EQ(back.metadata.at("language"), "parity");
  ASSERT_NO_FATAL_FAILURE(testing::expect_same_parameters(c, params, back.params));

  SafetensorsFile file = checkpoint_tensors(c, params);
  EXPECT_TRUE(file.tensors.count("transformer.layers.1.self_attn.out_proj.weight"));
  EXPECT_TRUE(file.tensors.count("transformer.norm.bias"));
  file.metadata.erase("statelab.model");
  try {
    load_checkpoint(file, "tf");
    FAIL() << "no error";
  } catch (const CheckpointError& e) {
    EXPECT_NE(std::string(e.what()).find("needs its config"), std::string::npos) << e.what();
  }
  ModelConfig wrong = c;
  wrong.ffn_size = 10;
  file = checkpoint_tensors(c, params);
  file.metadata["statelab.model"] = to_json(wrong);
  try {
    load_checkpoint(file, "tf");
    FAIL() << "no error";
  } catch (const CheckpointError& e) {
    EXPECT_NE(std::string(e.what()).find("linear1.weight' has shape (12, 8), expected (10, 8)"), std::string::npos)
        << e.what();
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace statelab::models
