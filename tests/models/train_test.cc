// Training: AdamW and clipping against torch, the learning-rate schedule, bit-identical results
// with 1 and 2 threads, and a clear stop on NaN.
#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <cmath>
#include <cstring>
#include <limits>

#include "models/error.h"
#include "models/safetensors.h"
#include "models/train.h"
#include "tests/models/model_test_util.h"

namespace statelab::models {
namespace {

using testing::random_examples;

const std::string kDir = std::string(STATELAB_TEST_DATA) + "/torch/";

std::vector<const Example*> pointers(const std::vector<Example>& examples) {
  std::vector<const Example*> out;
  for (const auto& e : examples) out.push_back(&e);
  return out;
}

TEST(AdamW, ThreeStepsWithClippingMatchTorch) {
  const Checkpoint start = load_checkpoint(std::filesystem::path(kDir + "adamw.model.safetensors"));
  const SafetensorsFile data = read_safetensors(kDir + "adamw.data.safetensors");
  const auto tokens = data.tensors.at("input.tokens").to_int64();
  const auto lengths = data.tensors.at("input.lengths").to_int64();
  const auto targets = data.tensors.at("input.targets").to_float();
  const std::int64_t T = data.tensors.at("input.tokens").shape[1];
  std::vector<Example> examples(lengths.size());
  for (std::size_t b = 0; b < examples.size(); ++b) {
    for (std::int64_t t = 0; t < lengths[b]; ++t) examples[b].tokens.push_back(static_cast<Token>(tokens[b * T + t]));
    examples[b].target = {static_cast<std::int32_t>(targets[b])};
  }
  TrainConfig train;
  train.steps = 3;
  train.lr = 0.01f;
  train.adamw.weight_decay = 0.1f;
  train.clip_norm = 0.5f;
  train.chunk_size = 3;  // two chunks: the reduction path is part of what is compared
  TrainState state = make_train_state(start.config, train, start.params);
  const auto batch = pointers(examples);
  for (int step = 1; step <= 3; ++step) {
    const StepResult r = train_step(state, batch);
    const float torch_norm = data.tensors.at("norm" + std::to_string(step)).to_float()[0];
    EXPECT_NEAR(r.grad_norm, torch_norm, 1e-5 * torch_norm) << "step " << step;
    std::vector<float> ours;
    for (const auto& tensor : named_tensors(state.config, state.params)) {
      const auto expected = data.tensors.at("step" + std::to_string(step) + "." + tensor.name).to_float();
      ours.resize(expected.size());
      copy_to_torch_order(tensor, ours.data());
      for (std::size_t i = 0; i < ours.size(); ++i)
        EXPECT_NEAR(ours[i], expected[i], 1e-6 + 1e-5 * std::abs(expected[i]))
            << "step " << step << " " << tensor.name << "[" << i << "]";
    }
  }
}

TEST(LearningRate, WarmsUpLinearlyThenDecaysByCosine) {
  const LrSchedule s{1.0f, 4, Schedule::cosine, 14, 0.1f};
  EXPECT_FLOAT_EQ(learning_rate(s, 0), 0.25f);
  EXPECT_FLOAT_EQ(learning_rate(s, 3), 1.0f);
  EXPECT_FLOAT_EQ(learning_rate(s, 4), 1.0f);
  EXPECT_FLOAT_EQ(learning_rate(s, 9), 0.55f);
  EXPECT_FLOAT_EQ(learning_rate(s, 14), 0.1f);
  EXPECT_FLOAT_EQ(learning_rate({1.0f, 0, Schedule::constant, 10, 0}, 7), 1.0f);
}

TEST(ClipGradNorm, ScalesTheGlobalNormDownToTheMaximum) {
  ModelConfig c;
  c.hidden_size = 4;
  auto grads = init_params(c, 9);
  const double before = global_norm(c, grads);
  EXPECT_DOUBLE_EQ(clip_grad_norm(c, grads, 0.5), before);
  EXPECT_NEAR(global_norm(c, grads), 0.5, 1e-5);
  EXPECT_NEAR(clip_grad_norm(c, grads, 10.0), 0.5, 1e-5);  // below the maximum: unchanged
  EXPECT_NEAR(global_norm(c, grads), 0.5, 1e-5);
}

// The parameters after `steps` steps with at most `threads` threads.
ModelParams<float> train_with_threads(Cell cell, int threads, int steps) {
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
  ModelConfig c;
  c.cell = cell;
  c.vocab_size = 3;
  c.embedding_dim = 8;
  c.hidden_size = 16;
  c.num_layers = 2;
  const auto data = random_examples(c, 200, 1, 30, 17);
  TrainConfig train;
  train.steps = steps;
  train.batch_size = 40;
  train.chunk_size = 4;
  train.warmup_steps = 3;
  train.schedule = Schedule::cosine;
  train.seed = 5;
  TrainState state = make_train_state(c, train, init_params(c, 4));
  models::train(state, data);
  return state.params;
}

TEST(Train, SameSeedGivesBitIdenticalParametersWithOneOrTwoThreads) {
  for (Cell cell : {Cell::lstm, Cell::gru, Cell::rnn, Cell::transformer, Cell::s4d, Cell::mamba, Cell::ids4,
                    Cell::deltanet, Cell::mlstm, Cell::slstm, Cell::gated_deltanet, Cell::deltaproduct,
                    Cell::cdssm}) {
    auto one = train_with_threads(cell, 1, 12);
    auto two = train_with_threads(cell, 2, 12);
    ModelConfig c;
    c.cell = cell;
    c.vocab_size = 3;
    c.embedding_dim = 8;
    c.hidden_size = 16;
    c.num_layers = 2;
    auto a = named_tensors(c, one);
    auto b = named_tensors(c, two);
    for (std::size_t i = 0; i < a.size(); ++i)
      EXPECT_EQ(0, std::memcmp(a[i].data, b[i].data, sizeof(float) * a[i].size)) << cell_name(cell) << " " << a[i].name;
  }
}

TEST(Train, LossDecreasesOnALearnableTask) {
  // Recognise "the first token is 1": a one-step dependency every cell learns at once.
  ModelConfig c;
  c.hidden_size = 8;
  c.embedding_dim = 4;
  auto data = random_examples(c, 256, 1, 12, 3);
  for (auto& e : data) e.target = {static_cast<std::int32_t>(e.tokens[0] == 1)};
  TrainConfig train;
  train.steps = 150;
  train.lr = 0.01f;
  TrainState state = make_train_state(c, train, init_params(c, 1));
  float first = 0;
  const StepResult last = models::train(state, data, [&](std::int64_t step, const StepResult& r) {
    if (step == 1) first = r.loss;
  });
  EXPECT_LT(last.loss, 0.25f * first);
  EXPECT_EQ(accuracy(c, state.params, data), 1.0);
}

TEST(Train, EarlyStoppingKeepsTheBestParametersAndStopsAtTheTarget) {
  ModelConfig c;
  c.hidden_size = 8;
  c.embedding_dim = 4;
  auto data = random_examples(c, 256, 1, 12, 3);
  for (auto& e : data) e.target = {static_cast<std::int32_t>(e.tokens[0] == 1)};
  const std::vector<Example> validation(data.begin(), data.begin() + 64);
  TrainConfig train;
  train.steps = 1000;
  train.lr = 0.01f;
  TrainState state = make_train_state(c, train, init_params(c, 1));
  const TrainOutcome outcome = train_with_validation(state, data, validation, EarlyStopping{10, 5, 1.0});
  EXPECT_TRUE(outcome.stopped_early);
  EXPECT_EQ(outcome.best_accuracy, 1.0);
  EXPECT_EQ(outcome.best_step, state.step);
  EXPECT_EQ(outcome.best_step % 10, 0);
  EXPECT_EQ(accuracy(c, state.params, validation), 1.0);
  const auto by_length = accuracy_by_length(c, state.params, validation);
  std::int64_t total = 0;
  for (const auto& l : by_length) total += l.examples;
  EXPECT_EQ(total, 64);
  EXPECT_EQ(by_length.front().length, 1);
}

// The noise task: random tags of 5 classes at each of 6 positions, which a network this small
// almost never gets entirely right, so that many validation accuracies tie (at 0) and the loss
// decides.
ModelConfig noise_config() {
  ModelConfig c;
  c.head = Head::tag;
  c.num_outputs = 5;
  c.hidden_size = 4;
  c.embedding_dim = 2;
  return c;
}

// Trained on the noise task, evaluated every 5 steps (patience 0: no patience, the whole budget).
TrainOutcome train_on_noise(int threads, ModelParams<float>* kept = nullptr, int patience = 0) {
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
  const ModelConfig c = noise_config();
  const auto data = random_examples(c, 200, 6, 6, 11);  // random tags
  const std::vector<Example> validation(data.begin(), data.begin() + 48);
  TrainConfig train;
  train.steps = 300;
  train.lr = 0.003f;
  TrainState state = make_train_state(c, train, init_params(c, 2));
  TrainOutcome outcome = train_with_validation(state, data, validation, EarlyStopping{5, patience, 1.0});
  const Evaluation again = evaluate(c, state.params, validation);
  EXPECT_EQ(again.accuracy, outcome.best_accuracy);
  EXPECT_EQ(again.loss, outcome.best_loss);
  if (kept) *kept = state.params;
  return outcome;
}

TEST(Train, KeptParametersHaveTheBestAccuracyThenTheLowestLossOfAllEvaluations) {
  const TrainOutcome outcome = train_on_noise(2);
  ASSERT_EQ(outcome.evaluations.size(), 61u);  // step 0 and every 5 steps
  // The first evaluation of the maximum of (accuracy, -loss) is the one kept.
  const Evaluation* best = &outcome.evaluations.front();
  for (const Evaluation& e : outcome.evaluations) {
    EXPECT_TRUE(e.accuracy < outcome.best_accuracy || (e.accuracy == outcome.best_accuracy && e.loss >= outcome.best_loss))
        << "step " << e.step << " beats the kept step " << outcome.best_step;
    if (e.accuracy > best->accuracy || (e.accuracy == best->accuracy && e.loss < best->loss)) best = &e;
  }
  EXPECT_EQ(best->step, outcome.best_step);
  EXPECT_EQ(best->accuracy, outcome.best_accuracy);
  EXPECT_EQ(best->loss, outcome.best_loss);
  // The tie-break is exercised: an earlier evaluation had the kept accuracy with a higher loss.
  int earlier_ties = 0;
  for (const Evaluation& e : outcome.evaluations) earlier_ties += e.accuracy == outcome.best_accuracy && e.step < outcome.best_step;
  EXPECT_GT(earlier_ties, 0);
}

TEST(Train, PatienceStopsThatManyEvaluationsAfterTheLastImprovementAndZeroNever) {
  const TrainOutcome whole = train_on_noise(2);
  EXPECT_FALSE(whole.stopped_early);
  EXPECT_EQ(whole.evaluations.back().step, 300);
  EXPECT_EQ(EarlyStopping{}.patience, 0);  // the library's default is the CLI's: no patience
  for (const int patience : {1, 3}) {
    const TrainOutcome o = train_on_noise(2, nullptr, patience);
    ASSERT_TRUE(o.stopped_early) << patience;
    EXPECT_EQ(o.evaluations.back().step - o.best_step, 5 * patience);
    // Every evaluation up to the stop is the unstopped run's (same seed, same steps).
    for (std::size_t i = 0; i < o.evaluations.size(); ++i) EXPECT_EQ(o.evaluations[i].loss, whole.evaluations[i].loss) << i;
  }
}

TEST(Train, EarlyStoppingIsBitIdenticalWithOneOrTwoThreads) {
  ModelParams<float> one, two;
  const TrainOutcome a = train_on_noise(1, &one);
  const TrainOutcome b = train_on_noise(2, &two);
  EXPECT_EQ(a.best_step, b.best_step);
  ASSERT_EQ(a.evaluations.size(), b.evaluations.size());
  for (std::size_t i = 0; i < a.evaluations.size(); ++i) {
    EXPECT_EQ(a.evaluations[i].accuracy, b.evaluations[i].accuracy);
    EXPECT_EQ(0, std::memcmp(&a.evaluations[i].loss, &b.evaluations[i].loss, sizeof(double))) << i;
  }
  const ModelConfig c = noise_config();
  auto x = named_tensors(c, one);
  auto y = named_tensors(c, two);
  for (std::size_t i = 0; i < x.size(); ++i) EXPECT_EQ(0, std::memcmp(x[i].data, y[i].data, sizeof(float) * x[i].size)) << x[i].name;
}

TEST(Train, NanLossStopsWithAClearErrorAndKeepsTheParameters) {
  ModelConfig c;
  c.hidden_size = 4;
  const auto data = random_examples(c, 16, 1, 5, 2);
  auto params = init_params(c, 1);
  params.head.bias(0) = std::numeric_limits<float>::quiet_NaN();
  TrainState state = make_train_state(c, TrainConfig{}, params);
  const auto before = state.params.layers[0].w_hh;
  try {
    train_step(state, pointers(data));
    FAIL() << "expected DivergenceError";
  } catch (const DivergenceError& e) {
    EXPECT_NE(std::string(e.what()).find("at step 1: the loss is nan"), std::string::npos) << e.what();
  }
  EXPECT_EQ(state.step, 0);
  EXPECT_TRUE(state.params.layers[0].w_hh == before);
}

TEST(Train, RefusesBadConfigurations) {
  ModelConfig c;
  TrainConfig t;
  t.batch_size = 0;
  EXPECT_THROW(make_train_state(c, t, init_params(c, 1)), ModelError);
  c.hidden_size = 0;
  EXPECT_THROW(init_params(c, 1), ModelError);
}

TEST(MakeBatch, RefusesTokensOutsideTheVocabularyAndBadTargets) {
  ModelConfig c;  // vocab 2, recognize
  std::vector<Example> bad_token = {{{0, 1, 2}, {1}}};
  EXPECT_THROW(make_batch(c, std::span<const Example>(bad_token)), ModelError);
  std::vector<Example> bad_target = {{{0, 1}, {2}}};
  EXPECT_THROW(make_batch(c, std::span<const Example>(bad_target)), ModelError);
}

TEST(Model, HandsOutTheHiddenStateOfEveryLayerAtEveryPosition) {
  ModelConfig c;
  c.cell = Cell::gru;
  c.num_layers = 2;
  c.hidden_size = 3;
  const auto params = init_params(c, 2);
  const std::vector<Sequence> words = {{0, 1, 1}, {1}, {}};
  const auto states = hidden_states(c, params, words);
  ASSERT_EQ(states.size(), 3u);
  EXPECT_EQ(states[0].rows(), 6);
  EXPECT_EQ(states[0].cols(), 3);
  EXPECT_EQ(states[1].cols(), 1);
  EXPECT_EQ(states[2].cols(), 0);
  // A prefix's states are the word's first states (causality), whatever the batch around it.
  const auto alone = hidden_states(c, params, std::vector<Sequence>{{0, 1}});
  EXPECT_TRUE(alone[0].isApprox(states[0].leftCols(2)));
}

}  // namespace
}  // namespace statelab::models
