// The autoregressive next-token head (seq): greedy decoding against a step-by-step loop over
// model_logits, exact-match accuracy of the decoded output, the teacher-forcing layout it
// requires, targets -1 that tag and seq skip, and the accuracy of the last training batch.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "base/random.h"
#include "models/error.h"
#include "models/kv_cache.h"
#include "models/train.h"
#include "tests/models/model_test_util.h"

namespace statelab::models {
namespace {

ModelConfig seq_config(Cell cell) {
  ModelConfig c;
  c.cell = cell;
  c.vocab_size = 4;
  c.embedding_dim = 5;
  c.hidden_size = 6;
  c.num_layers = 2;
  c.head = Head::seq;
  c.num_outputs = 4;
  return c;
}

std::vector<Sequence> random_prompts(int n, int max_length, std::uint64_t seed) {
  Random random(seed);
  std::vector<Sequence> out(n);
  for (auto& s : out) {
    const int len = 1 + static_cast<int>(random.below(max_length));
    for (int t = 0; t < len; ++t) s.push_back(static_cast<Token>(random.below(4)));
  }
  return out;
}

Token argmax(const Matrix<float>& logits, int column) {
  Eigen::Index best;
  logits.col(column).maxCoeff(&best);
  return static_cast<Token>(best);
}

TEST(GreedyDecode, AgreesWithAStepByStepLoopOverModelLogits) {
  for (Cell cell : {Cell::rnn, Cell::lstm, Cell::gru}) {
    const ModelConfig c = seq_config(cell);
    const auto params = init_params(c, 5);
    const auto prompts = random_prompts(9, 6, 7);
    const std::vector<int> steps = {0, 1, 2, 3, 4, 5, 6, 7, 3};
    const auto decoded = greedy_decode(c, params, prompts, steps);
    for (std::size_t i = 0; i < prompts.size(); ++i) {
      Sequence current = prompts[i];
      Sequence expected;
      for (int j = 0; j < steps[i]; ++j) {  // one sequence at a time, the whole prefix each time
        const auto logits = model_logits(c, params, std::span<const Sequence>(&current, 1));
        expected.push_back(argmax(logits[0], static_cast<int>(current.size()) - 1));
        current.push_back(expected.back());
      }
      EXPECT_EQ(decoded[i], expected) << cell_name(cell) << " prompt " << i;
    }
  }
}

// The reference decoding: one sequence at a time, a forward pass over the whole prefix per token
// (model_logits, with the same KV bound), the argmax at the last position.  The decoded tokens
// must equal it up to the first position where the reference's two best logits lie within 1e-4
// (a causal transformer decodes incrementally, its attention summing in another order, so a
// near-tie may go either way; after it the continuations differ).
void expect_reference_decoding(const ModelConfig& c, const ModelParams<float>& params,
                               const std::vector<Sequence>& prompts, const std::vector<int>& steps,
                               const KvBound* kv, const std::string& what) {
  const auto decoded = greedy_decode(c, params, prompts, steps, kv);
  ASSERT_EQ(decoded.size(), prompts.size());
  for (std::size_t i = 0; i < prompts.size(); ++i) {
    ASSERT_EQ(decoded[i].size(), static_cast<std::size_t>(steps[i])) << what;
    Sequence current = prompts[i];
    for (int j = 0; j < steps[i]; ++j) {
      const auto logits = model_logits(c, params, std::span<const Sequence>(&current, 1), kv);
      const auto column = logits[0].col(static_cast<Eigen::Index>(current.size()) - 1);
      const Token expected = argmax(logits[0], static_cast<int>(current.size()) - 1);
      if (decoded[i][j] != expected) {
        const float gap = column(expected) - column(decoded[i][j]);
        EXPECT_LT(gap, 1e-4f) << what << " prompt " << i << " token " << j;
        break;
      }
      current.push_back(expected);
    }
  }
}

TEST(GreedyDecode, TransformersAgreeWithAFullPassPerTokenUnderEveryPositionMaskAndBound) {
  const auto prompts = random_prompts(12, 7, 21);
  const std::vector<int> steps = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 3, 1};
  int seed = 30;
  for (Positional positional : kPositionals)
    for (bool strict : {false, true}) {
      ModelConfig c = testing::small_transformer(positional, true);
      c.vocab_size = 4;
      c.max_length = 24;
      c.head = Head::seq;
      c.num_outputs = 4;
      c.strict_mask = strict;
      const auto params = init_params(c, ++seed);
      const std::string what = std::string(positional_name(positional)) + (strict ? " strict" : "");
      expect_reference_decoding(c, params, prompts, steps, nullptr, what);
      for (KvPolicy policy : {KvPolicy::window, KvPolicy::sink, KvPolicy::tova, KvPolicy::h2o}) {
        const KvBound bound{3, policy, -1};
        expect_reference_decoding(c, params, prompts, steps, &bound, what + " " + to_string(bound));
      }
    }
}

TEST(GreedyDecode, RefusesAPrefixBeyondTheLearnedPositions) {
  ModelConfig c = testing::small_transformer(Positional::learned, true);
  c.head = Head::seq;
  c.num_outputs = c.vocab_size;
  const auto params = init_params(c, 4);
  const std::vector<Sequence> prompts = {{0, 1, 2}};
  EXPECT_EQ(greedy_decode(c, params, prompts, std::vector<int>{c.max_length - 2}).front().size(),
            static_cast<std::size_t>(c.max_length - 2));
  EXPECT_THROW(greedy_decode(c, params, prompts, std::vector<int>{c.max_length - 1}), ModelError);
  const std::vector<Sequence> unknown = {{0, 3}};
  EXPECT_THROW(greedy_decode(c, params, unknown, std::vector<int>{1}), ModelError);
}

TEST(GreedyDecode, RefusesAnotherHeadAndAnEmptyPrompt) {
  ModelConfig c = seq_config(Cell::lstm);
  const auto params = init_params(c, 1);
  const std::vector<Sequence> empty = {{}};
  EXPECT_THROW(greedy_decode(c, params, empty, std::vector<int>{1}), ModelError);
  c.head = Head::tag;
  EXPECT_THROW(greedy_decode(c, params, random_prompts(1, 3, 1), std::vector<int>{1}), ModelError);
}

// Examples whose outputs are the model's own greedy outputs: all right; the same with the last
// output token changed: all wrong.
TEST(SeqAccuracy, IsTheExactMatchOfTheGreedyOutput) {
  const ModelConfig c = seq_config(Cell::lstm);
  const auto params = init_params(c, 3);
  const auto prompts = random_prompts(20, 5, 11);
  std::vector<int> steps;
  for (std::size_t i = 0; i < prompts.size(); ++i) steps.push_back(1 + static_cast<int>(i % 4));
  const auto outputs = greedy_decode(c, params, prompts, steps);
  std::vector<Example> right, wrong;
  for (std::size_t i = 0; i < prompts.size(); ++i) {
    Example e;
    e.tokens = prompts[i];
    e.tokens.insert(e.tokens.end(), outputs[i].begin(), outputs[i].end() - 1);  // teacher forcing
    e.target.assign(prompts[i].size() - 1, -1);
    for (Token y : outputs[i]) e.target.push_back(static_cast<std::int32_t>(y));
    right.push_back(e);
    e.target.back() = (e.target.back() + 1) % c.vocab_size;
    wrong.push_back(e);
  }
  EXPECT_EQ(accuracy(c, params, right), 1.0);
  EXPECT_EQ(accuracy(c, params, wrong), 0.0);
  // Grouped by a caller's lengths (here the output length).
  const auto by_length = accuracy_by_length(c, params, right, steps);
  ASSERT_EQ(by_length.size(), 4u);
  EXPECT_EQ(by_length[0].length, 1);
  EXPECT_EQ(by_length[0].examples, 5);
}

TEST(SeqHead, RefusesAnOutputThatIsNotTeacherForced) {
  const ModelConfig c = seq_config(Cell::gru);
  Example e{{0, 1, 2, 3}, {-1, 2, 3, 0}};  // prompt "0 1", output "2 3 0"
  EXPECT_NO_THROW(make_batch(c, std::span<const Example>(&e, 1)));
  e.target = {-1, 2, 1, 0};  // the target at position 2 is 1 but token 3 follows
  try {
    make_batch(c, std::span<const Example>(&e, 1));
    FAIL() << "accepted";
  } catch (const ModelError& error) {
    EXPECT_NE(std::string(error.what()).find("teacher forcing"), std::string::npos) << error.what();
  }
  e.target = {-1, -1, -1, -1};
  EXPECT_THROW(make_batch(c, std::span<const Example>(&e, 1)), ModelError);
  ModelConfig wrong_outputs = c;
  wrong_outputs.num_outputs = 3;
  EXPECT_THROW(validate(wrong_outputs), ModelError);
}

// Tag with targets -1: the loss is the mean cross-entropy over the other positions, computed here
// from model_logits by log-softmax.
TEST(TagHead, SkipsPositionsWithoutATarget) {
  ModelConfig c = seq_config(Cell::rnn);
  c.head = Head::tag;
  c.num_outputs = 3;
  const auto params = init_params(c, 2);
  const std::vector<Example> examples = {{{0, 1, 2, 3}, {-1, 2, -1, 0}}, {{3, 3}, {1, -1}}, {{2}, {-1}}};
  const SequenceBatch batch = make_batch(c, std::span<const Example>(examples));
  EXPECT_EQ(loss_terms(c, batch), 3);
  ModelCache<float> cache;
  model_forward(c, params, batch, cache);
  const float loss = model_loss(c, batch, cache, 1.0f / 3);
  std::vector<Sequence> words;
  for (const auto& e : examples) words.push_back(e.tokens);
  const auto logits = model_logits(c, params, words);
  double expected = 0;
  for (std::size_t i = 0; i < examples.size(); ++i)
    for (std::size_t t = 0; t < examples[i].tokens.size(); ++t) {
      const int y = examples[i].target[t];
      if (y < 0) continue;
      const auto z = logits[i].col(static_cast<Eigen::Index>(t)).cast<double>();
      expected += std::log(z.array().exp().sum()) - z(y);
    }
  EXPECT_NEAR(loss, expected / 3, 1e-5 * expected);
  for (Eigen::Index j = 0; j < cache.d_logits.cols(); ++j) {
    if (batch.targets[j] < 0) {
      EXPECT_EQ(cache.d_logits.col(j).norm(), 0.0f) << "column " << j;
    }
  }
}

// batch_accuracy reads the forward passes of the step; it must equal accuracy() of the
// parameters before the update on the same examples.
TEST(BatchAccuracy, EqualsTheAccuracyOfTheParametersBeforeTheStep) {
  for (Head head : {Head::recognize, Head::tag, Head::next_set, Head::seq}) {
    ModelConfig c = seq_config(Cell::lstm);
    c.head = head;
    c.num_outputs = head == Head::recognize ? 1 : head == Head::seq ? c.vocab_size : 3;
    const auto data = testing::random_examples(c, 40, 1, 6, 9);
    TrainConfig t;
    t.batch_size = 40;
    t.chunk_size = 7;
    TrainState state = make_train_state(c, t, init_params(c, 4));
    for (int step = 0; step < 3; ++step) {
      const auto before = state.params;
      const auto batch = next_batch(state, data);
      train_step(state, batch);
      std::vector<Example> examples;
      for (const Example* e : batch) examples.push_back(*e);
      double expected = 0;
      if (head == Head::seq) {  // teacher-forced: every target position right
        std::vector<Sequence> words;
        for (const auto& e : examples) words.push_back(e.tokens);
        const auto logits = model_logits(c, before, words);
        for (std::size_t i = 0; i < examples.size(); ++i) {
          bool ok = true;
          for (std::size_t p = 0; p < examples[i].tokens.size(); ++p)
            if (examples[i].target[p] >= 0) ok = ok && argmax(logits[i], static_cast<int>(p)) == static_cast<Token>(examples[i].target[p]);
          expected += ok;
        }
        expected /= static_cast<double>(examples.size());
      } else {
        expected = accuracy(c, before, examples);
      }
      EXPECT_DOUBLE_EQ(batch_accuracy(state), expected) << head_name(head) << " step " << step;
    }
  }
}

TEST(ParseCell, KnowsTheBuildsCellsAndSaysWhichPlannedOnesAreMissing) {
  EXPECT_EQ(parse_cell("lstm"), Cell::lstm);
  EXPECT_EQ(parse_cell("gru"), Cell::gru);
  EXPECT_EQ(parse_cell("rnn"), Cell::rnn);
  EXPECT_NE(available_cells().find("rnn, lstm, gru"), std::string::npos);
  try {
    parse_cell("lstn");
    FAIL() << "accepted";
  } catch (const ModelError& e) {
    EXPECT_NE(std::string(e.what()).find("unknown model 'lstn'"), std::string::npos) << e.what();
  }
  EXPECT_EQ(parse_head("next-set"), Head::next_set);
  EXPECT_EQ(parse_head("seq"), Head::seq);
  EXPECT_THROW(parse_head("tagging"), ModelError);
}

}  // namespace
}  // namespace statelab::models
