// xLSTM's mixers, mlstm and slstm (models/mlstm.h, models/slstm.h): central-difference gradient
// checks in double through the whole model for every head and per block including dL/dx, float
// against double, the stabiliser (sLSTM's output does not move when every input-gate
// pre-activation is shifted by 100, where exp would overflow float without it; mLSTM stays finite
// and equal to its double computation), hidden states, config JSON, checkpoints and a
// PyTorch-written file with a disagreeing config.  Agreement with PyTorch's unstabilised
// reference recurrences (tools/make_torch_fixtures.py) is in torch_equality_test.cc.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "models/error.h"
#include "models/model.h"
#include "models/safetensors.h"
#include "models/train.h"
#include "tests/models/model_test_util.h"

namespace statelab::models {
namespace {

using testing::cast_params;
using testing::random_examples;

ModelConfig xlstm_config(Cell cell, Head head = Head::recognize, int layers = 2) {
  ModelConfig c;
  c.cell = cell;
  c.vocab_size = 3;
  c.embedding_dim = 4;
  c.hidden_size = 6;
  c.num_heads = 2;  // d = 3
  c.num_layers = layers;
  c.head = head;
  c.num_outputs = head == Head::recognize ? 1 : head == Head::tag || head == Head::seq ? 3 : 4;
  return c;
}

struct Case {
  Cell cell;
  Head head;
};

std::string case_name(const ::testing::TestParamInfo<Case>& info) {
  const Head h = info.param.head;
  return std::string(cell_name(info.param.cell)) + "_" + (h == Head::next_set ? "next_set" : head_name(h));
}

class XlstmGradientCheck : public ::testing::TestWithParam<Case> {};

TEST_P(XlstmGradientCheck, AnalyticGradientsMatchCentralDifferences) {
  const ModelConfig c = xlstm_config(GetParam().cell, GetParam().head);
  auto params = testing::perturbed_params(c, 7);
  testing::expect_model_gradients_match_central_differences(c, params);
}

TEST_P(XlstmGradientCheck, FloatAgreesWithDouble) {
  const ModelConfig c = xlstm_config(GetParam().cell, GetParam().head);
  auto params_d = testing::perturbed_params(c, 3);
  auto params_f = cast_params<float>(c, params_d);
  testing::expect_float_agrees_with_double(c, params_f, random_examples(c, 5, 1, 7, 5), 1e-5);
}

// One block on its own (LayerNorm, mixer, residual), including dL/dx (model_test_util.h).
TEST_P(XlstmGradientCheck, BlockInputAndParameterGradientsMatchCentralDifferences) {
  if (GetParam().head != Head::recognize) GTEST_SKIP() << "the block does not see the head";
  ModelConfig c = xlstm_config(GetParam().cell);
  c.num_layers = 1;
  auto params = testing::perturbed_params(c, 21);
  testing::expect_ssm_block_gradients_match_central_differences(c, params);
}

INSTANTIATE_TEST_SUITE_P(EveryHead, XlstmGradientCheck,
                         ::testing::Values(Case{Cell::mlstm, Head::recognize}, Case{Cell::mlstm, Head::tag},
                                           Case{Cell::mlstm, Head::next_set}, Case{Cell::mlstm, Head::seq},
                                           Case{Cell::slstm, Head::recognize}, Case{Cell::slstm, Head::tag},
                                           Case{Cell::slstm, Head::next_set}, Case{Cell::slstm, Head::seq}),
                         case_name);

// ---- the stabiliser -----------------------------------------------------------------------------

// Adds `shift` to every input-gate pre-activation of every block.
void shift_input_gates(const ModelConfig& c, ModelParams<float>& p, float shift) {
  for (auto& block : p.ssm_blocks) {
    if (c.cell == Cell::slstm) mixer_params<Cell::slstm>(block).in_bias.head(c.hidden_size).array() += shift;
    else mixer_params<Cell::mlstm>(block).i_bias.array() += shift;
  }
}

TEST(Xlstm, SlstmIsInvariantToShiftingItsInputGatesAndTheStabiliserKeepsItFinite) {
  // c_t / n_t does not change when i~ moves by a constant (both scale by e^shift); exp(100)
  // overflows float, so without the stabiliser the shifted model would give inf / inf.
  const ModelConfig c = xlstm_config(Cell::slstm, Head::tag);
  auto pd = testing::perturbed_params(c, 5);
  auto p = cast_params<float>(c, pd);
  const std::vector<Sequence> words = {{0, 1, 2, 2, 1, 0, 1, 1, 2, 0, 0, 1}, {2, 1}, {1}};
  const auto before = hidden_states(c, p, words);
  shift_input_gates(c, p, 100.0f);
  const auto after = hidden_states(c, p, words);
  for (std::size_t i = 0; i < words.size(); ++i) {
    ASSERT_TRUE(after[i].allFinite());
    EXPECT_LE((after[i] - before[i]).cwiseAbs().maxCoeff(), 1e-5) << "sequence " << i;
  }
}

TEST(Xlstm, MlstmWithHugeInputGatesStaysFiniteAndEqualsItsDoubleComputation) {
  const ModelConfig c = xlstm_config(Cell::mlstm, Head::tag);
  auto pd = testing::perturbed_params(c, 5);
  auto p = cast_params<float>(c, pd);
  shift_input_gates(c, p, 100.0f);
  auto back = cast_params<double>(c, p);
  const std::vector<Example> examples = random_examples(c, 4, 1, 12, 8);
  const SequenceBatch batch = make_batch(c, std::span<const Example>(examples));
  ModelCache<float> cf;
  ModelCache<double> cd;
  model_forward(c, p, batch, cf);
  model_forward(c, back, batch, cd);
  ASSERT_TRUE(cf.logits.allFinite());
  // 1e-3: with i~ ~ 100, exp(-m) ~ e^-100 and the denominator is |nᵀq| itself, which float
  // rounds relative to |n| |q| (measured: 2e-4 here).
  EXPECT_LE((cf.logits.cast<double>() - cd.logits).cwiseAbs().maxCoeff(), 1e-3);
}

// ---- training, inference, config, checkpoints -----------------------------------------------------

TEST(Xlstm, EveryHeadTrainsAndLowersItsLoss) {
  for (Cell cell : {Cell::mlstm, Cell::slstm})
    for (Head head : {Head::recognize, Head::tag, Head::next_set, Head::seq}) {
      ModelConfig c = xlstm_config(cell, head);
      c.hidden_size = 8;
      auto data = random_examples(c, 64, 1, 8, 3);
      TrainConfig train;
      train.steps = 40;
      train.lr = 0.01f;
      train.batch_size = 16;
      TrainState state = make_train_state(c, train, init_params(c, 1));
      float first = 0;
      const StepResult last = models::train(state, data, [&](std::int64_t step, const StepResult& r) {
        if (step == 1) first = r.loss;
      });
      EXPECT_LT(last.loss, first) << cell_name(cell) << " " << head_name(head);
    }
}

TEST(Xlstm, HiddenStatesAreCausalResidualStreams) {
  for (Cell cell : {Cell::mlstm, Cell::slstm}) {
    const ModelConfig c = xlstm_config(cell);
    const auto params = init_params(c, 4);
    const std::vector<Sequence> words = {{0, 1, 2, 1, 0}}, prefix = {{0, 1}};
    const auto states = hidden_states(c, params, words);
    ASSERT_EQ(states[0].rows(), c.num_layers * c.hidden_size);
    ASSERT_EQ(states[0].cols(), 5);
    EXPECT_EQ(states[0].leftCols(2), hidden_states(c, params, prefix)[0]) << cell_name(cell);
  }
}

TEST(Xlstm, ConfigReadsItsFieldsOnly) {
  for (Cell cell : {Cell::mlstm, Cell::slstm}) {
    ModelConfig c = xlstm_config(cell, Head::tag);
    EXPECT_EQ(model_config_from_json(to_json(c)), c);
    EXPECT_EQ(to_json(c).find("state_size"), std::string::npos);
    EXPECT_TRUE(reads_field(cell, "num_heads"));
    EXPECT_FALSE(reads_field(cell, "negative_eigenvalues"));
    EXPECT_EQ(parse_cell(cell_name(cell)), cell);
    c.num_heads = 4;  // 6 is not a multiple of 4
    EXPECT_THROW(validate(c), ModelError);
    c.num_heads = 3;
    c.negative_eigenvalues = true;
    EXPECT_THROW(validate(c), ModelError);
  }
}

TEST(Xlstm, CheckpointsRoundTripAndADisagreeingConfigIsOneLine) {
  for (Cell cell : {Cell::mlstm, Cell::slstm}) {
    const ModelConfig c = xlstm_config(cell, Head::tag);
    const auto params = init_params(c, 9);
    const SafetensorsFile file = checkpoint_tensors(c, params, {{"language", "parity"}});
    const Checkpoint back = load_checkpoint(parse_safetensors(serialize_safetensors(file), "mem"), "mem");
    EXPECT_EQ(back.config, c);
    ASSERT_NO_FATAL_FAILURE(testing::expect_same_parameters(c, params, back.params));
    SafetensorsFile torch_like = file;  // what a PyTorch module with these names saves
    torch_like.metadata = {{"statelab.model", to_json(c)}};
    EXPECT_EQ(load_checkpoint(torch_like, "torch").config, c);
    for (const std::string& replacement :
         {std::string(R"("num_heads":3)"), std::string(R"("cell":")") + (cell == Cell::mlstm ? "slstm" : "mlstm") + "\""}) {
      std::string json = to_json(c);
      const std::string wrong = replacement.starts_with(R"("num)") ? R"("num_heads":2)"
                                                                    : std::string(R"("cell":")") + cell_name(cell) + "\"";
      json.replace(json.find(wrong), wrong.size(), replacement);
      SafetensorsFile bad = file;
      bad.metadata["statelab.model"] = json;
      try {
        load_checkpoint(bad, "mem");
        ADD_FAILURE() << "accepted " << json;
      } catch (const CheckpointError& e) {
        EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos) << e.what();
      }
    }
  }
}

}  // namespace
}  // namespace statelab::models
