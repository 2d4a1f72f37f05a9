// Learning must be real: an LSTM with hidden size 32 trained on parity of random bit strings of
// lengths 1..40 recognises parity exactly on lengths 41..200; a 2-layer transformer trained the
// same way does not generalise to those lengths (the literature's result: Hahn 2020,
// Bhattamishra et al. 2020, Delétang et al. 2023).  models/ knows no languages, so
// the data (uniform random bits, label = number of ones mod 2) is generated here from a seed.
// Seeds 1..5 all reach 100% for the LSTM (checked with PARITY_SEED=s); PARITY_STEPS, PARITY_LR
// and PARITY_VERBOSE=1 help when the hyper-parameters change.
#include <gtest/gtest.h>

#include <cstdlib>

#include "base/random.h"
#include "models/train.h"

namespace statelab::models {
namespace {

std::vector<Example> parity_examples(int n, int min_length, int max_length, std::uint64_t seed) {
  Random random(seed);
  std::vector<Example> out(n);
  for (auto& e : out) {
    const int len = min_length + static_cast<int>(random.below(max_length - min_length + 1));
    int ones = 0;
    for (int t = 0; t < len; ++t) {
      e.tokens.push_back(static_cast<Token>(random.below(2)));
      ones += static_cast<int>(e.tokens.back());
    }
    e.target = {ones % 2};
  }
  return out;
}

int env_int(const char* name, int fallback) {
  const char* v = std::getenv(name);
  return v ? std::atoi(v) : fallback;
}

// Trains on train_set: 2,000 steps (PARITY_STEPS) of 32, warm-up 50 then cosine from lr
// (PARITY_LR) down to lr / 100, clipping 1, seed 3 (PARITY_SEED); PARITY_VERBOSE=1 prints the loss.
ModelParams<float> train_parity(const ModelConfig& c, float lr, const std::vector<Example>& train_set) {
  TrainConfig t;
  t.steps = env_int("PARITY_STEPS", 2000);
  t.batch_size = 32;
  t.lr = std::getenv("PARITY_LR") ? std::strtof(std::getenv("PARITY_LR"), nullptr) : lr;
  t.warmup_steps = 50;
  t.schedule = Schedule::cosine;
  t.min_lr = t.lr / 100;
  t.clip_norm = 1.0f;
  t.seed = static_cast<std::uint64_t>(env_int("PARITY_SEED", 3));
  TrainState state = make_train_state(c, t, init_params(c, t.seed));
  models::train(state, train_set, [&](std::int64_t step, const StepResult& r) {
    if (std::getenv("PARITY_VERBOSE") && step % 100 == 0)
      std::printf("step %lld loss %.5f norm %.3f lr %.5f\n", static_cast<long long>(step), r.loss, r.grad_norm, r.lr);
  });
  return std::move(state.params);
}

TEST(Learning, LstmLearnsParityAndGeneralisesFromLengths1To40To41To200) {
  ModelConfig c;
  c.cell = Cell::lstm;
  c.vocab_size = 2;
  c.embedding_dim = 8;
  c.hidden_size = 32;
  c.num_layers = 1;
  const auto train_set = parity_examples(4096, 1, 40, 1);
  const auto test_set = parity_examples(1000, 41, 200, 2);
  const auto params = train_parity(c, 1e-2f, train_set);
  EXPECT_EQ(accuracy(c, params, train_set), 1.0);
  EXPECT_EQ(accuracy(c, params, test_set), 1.0);
}

// The same data, steps, batch, warm-up, cosine schedule and clipping as the LSTM, at the usual
// transformer learning rate 1e-3 (at the LSTM's 1e-2 it stays at chance even on lengths 1..40:
// train 0.554, test 0.495 with PARITY_LR=0.01); a 2-layer causal transformer, d_model 32, 4 heads,
// FFN 64, GELU, sinusoidal positions (a learned table would not reach length 200).  It fits
// lengths 1..40 only partly and is at chance on 41..200: the test asserts the failure to
// generalise and prints the accuracies quoted in docs/models.md.
TEST(Learning, TwoLayerTransformerDoesNotGeneraliseParityFromLengths1To40To41To200) {
  ModelConfig c;
  c.cell = Cell::transformer;
  c.vocab_size = 2;
  c.embedding_dim = 8;
  c.hidden_size = 32;
  c.num_layers = 2;
  c.num_heads = 4;
  c.ffn_size = 64;
  c.positional = Positional::sinusoidal;
  c.causal = true;
  const auto train_set = parity_examples(4096, 1, 40, 1);
  const auto test_set = parity_examples(1000, 41, 200, 2);
  const auto params = train_parity(c, 1e-3f, train_set);
  const double train_accuracy = accuracy(c, params, train_set);
  const double test_accuracy = accuracy(c, params, test_set);
  std::printf("transformer parity: train (1..40) %.3f, test (41..200) %.3f\n", train_accuracy, test_accuracy);
  RecordProperty("train_accuracy", std::to_string(train_accuracy));
  RecordProperty("test_accuracy", std::to_string(test_accuracy));
  EXPECT_LT(test_accuracy, 0.6);  // chance is 0.5
}

}  // namespace
}  // namespace statelab::models

namespace statelab::models {
namespace {

// Grazzi et al. 2024: a one-layer Mamba (or DeltaNet) whose transitions lie in [0, 1] cannot represent parity at
// arbitrary lengths; with transitions in [-1, 1] it can.  Trains both from the same seed on
// lengths 1..PARITY_TRAIN_MAX and reports accuracy on longer words.
double parity_accuracy(Cell cell, bool negative, std::uint64_t seed, int steps, double* train_accuracy) {
  ModelConfig c;
  c.cell = cell;
  c.num_heads = 1;  // deltanet: one head of width 16
  c.vocab_size = 2;
  c.embedding_dim = 8;
  c.hidden_size = env_int("PARITY_HIDDEN", 16);
  c.state_size = env_int("PARITY_STATE", 4);
  c.num_layers = 1;
  c.negative_eigenvalues = negative;
  const int train_max = env_int("PARITY_TRAIN_MAX", 20);
  const auto train_set = parity_examples(4096, 1, train_max, 1);
  const auto test_set = parity_examples(500, train_max + 1, 2 * train_max, 2);
  TrainConfig t;
  t.steps = steps;
  t.batch_size = 32;
  t.lr = 3e-3f * static_cast<float>(env_int("PARITY_LR_X", 1));
  t.warmup_steps = 50;
  t.schedule = Schedule::cosine;
  t.min_lr = 1e-4f;
  t.seed = seed;
  TrainState state = make_train_state(c, t, init_params(c, seed));
  models::train(state, train_set, [&](std::int64_t step, const StepResult& r) {
    if (std::getenv("PARITY_VERBOSE") && step % 100 == 0)
      std::printf("%s step %lld loss %.5f\n", negative ? "[-1,1]" : "[0,1]", static_cast<long long>(step), r.loss);
  });
  *train_accuracy = accuracy(c, state.params, train_set);
  return accuracy(c, state.params, test_set);
}

// Measured with PARITY_SEED=s (hidden 16, N 4, lengths 1..20, tested on 500 words of 21..40),
// accuracy train / test, [-1, 1] vs [0, 1]:
//   2000 steps (the default): s=1 1.000/0.998 vs 0.669/0.510; s=2 1.000/0.996 vs 0.708/0.486;
//                             s=3 1.000/1.000 vs 0.709/0.492; s=4 1.000/0.978 vs 0.659/0.516
//   1000 steps: seeds 1 and 2 learn (0.998/0.986, 0.998/0.968), seeds 3 and 4 not yet (~0.6/0.5).
// 23-42 s for both models on the shared 2-core machine at load ~10.
TEST(Learning, MambaLearnsParityOnlyWithNegativeEigenvalues) {
  const int steps = env_int("PARITY_STEPS", 2000);
  const auto seed = static_cast<std::uint64_t>(env_int("PARITY_SEED", 1));
  double train_neg = 0, train_pos = 0;
  const double neg = parity_accuracy(Cell::mamba, true, seed, steps, &train_neg);
  const double pos = parity_accuracy(Cell::mamba, false, seed, steps, &train_pos);
  if (std::getenv("PARITY_VERBOSE"))
    std::printf("[-1,1]: train %.3f test %.3f   [0,1]: train %.3f test %.3f\n", train_neg, neg, train_pos, pos);
  EXPECT_GE(train_neg, 0.95);
  EXPECT_GE(neg, 0.9);
  EXPECT_LE(train_pos, 0.8);
  EXPECT_LE(pos, 0.7);
}

// The same for DeltaNet (one layer, one head of width 16; Grazzi et al. 2025, Theorem 1 and
// Proposition 1): beta in (0, 2) gives the transition I - beta k kᵀ an eigenvalue near -1, which
// parity needs; beta in (0, 1) does not.  600 steps, seed 1 (PARITY_STEPS, PARITY_SEED as above).
// Measured, accuracy train / test, [-1, 1] vs [0, 1], 600 steps: s=1 1.000/0.984 vs 0.676/0.558;
// s=2 0.719/0.550 vs 0.628/0.490 (not learned; 0.858/0.570 after 1500 steps); s=3 1.000/0.978 vs
// 0.610/0.514; s=4 1.000/0.992 vs 0.631/0.498.  About 5 s for both models.
TEST(Learning, DeltaNetLearnsParityOnlyWithNegativeEigenvalues) {
  const int steps = env_int("PARITY_STEPS", 600);
  const auto seed = static_cast<std::uint64_t>(env_int("PARITY_SEED", 1));
  double train_neg = 0, train_pos = 0;
  const double neg = parity_accuracy(Cell::deltanet, true, seed, steps, &train_neg);
  const double pos = parity_accuracy(Cell::deltanet, false, seed, steps, &train_pos);
  std::printf("deltanet [-1,1]: train %.3f test %.3f   [0,1]: train %.3f test %.3f\n", train_neg, neg, train_pos, pos);
  EXPECT_GE(train_neg, 0.95);
  EXPECT_GE(neg, 0.9);
  EXPECT_LE(train_pos, 0.8);
  EXPECT_LE(pos, 0.7);
}

}  // namespace
}  // namespace statelab::models
