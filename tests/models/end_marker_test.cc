// The end marker (ModelConfig::end_marker): a recognizer that reads one more token after the word
// and decides there.  Differential: the same parameters in a model without the marker and one more
// vocabulary token, fed the word followed by that token, give the same logits and states.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "models/error.h"
#include "models/model.h"
#include "models/safetensors.h"
#include "tests/models/model_test_util.h"

namespace statelab::models {
namespace {

ModelConfig with_marker(Cell cell) {
  ModelConfig c;
  c.cell = cell;
  c.vocab_size = 3;
  c.embedding_dim = 4;
  c.hidden_size = 8;
  c.num_layers = 2;
  c.end_marker = true;
  if (cell == Cell::transformer) {
    c.positional = Positional::none;
    c.strict_mask = true;
  }
  return c;
}

// The words of lengths 0..5 over 3 tokens, a few of each.
std::vector<Sequence> some_words() {
  std::vector<Sequence> out;
  for (const Example& e : testing::random_examples(with_marker(Cell::lstm), 24, 0, 5, 17)) out.push_back(e.tokens);
  return out;
}

class EndMarker : public ::testing::TestWithParam<Cell> {};

TEST_P(EndMarker, IsOneMoreTokenAfterTheWord) {
  const ModelConfig c = with_marker(GetParam());
  ModelConfig plain = c;  // the marker as an ordinary token vocab_size, appended by hand
  plain.end_marker = false;
  plain.vocab_size = c.vocab_size + 1;
  const ModelParams<float> params = init_params(c, 5);
  ASSERT_EQ(params.embedding.weight.cols(), c.vocab_size + 1);
  const std::vector<Sequence> words = some_words();
  std::vector<Sequence> marked = words;
  for (Sequence& s : marked) s.push_back(static_cast<Token>(c.vocab_size));

  const auto p = accept_probability(c, params, words);
  const auto q = accept_probability(plain, params, marked);
  ASSERT_EQ(p.size(), words.size());
  for (std::size_t i = 0; i < words.size(); ++i) EXPECT_FLOAT_EQ(p[i], q[i]) << "word " << i;

  // The states are the word's positions only: those of the marked word but its last.
  const auto h = hidden_states(c, params, words);
  const auto g = hidden_states(plain, params, marked);
  for (std::size_t i = 0; i < words.size(); ++i) {
    ASSERT_EQ(h[i].cols(), static_cast<Eigen::Index>(words[i].size()));
    EXPECT_EQ(h[i], g[i].leftCols(h[i].cols())) << "word " << i;
  }
}

TEST_P(EndMarker, IsNotATokenTheDataMayHold) {
  const ModelConfig c = with_marker(GetParam());
  const std::vector<Sequence> words = {{0, 1, static_cast<Token>(c.vocab_size)}};
  EXPECT_THROW(make_batch(c, std::span<const Sequence>(words)), ModelError);
}

INSTANTIATE_TEST_SUITE_P(Families, EndMarker, ::testing::Values(Cell::lstm, Cell::transformer, Cell::mamba),
                         [](const auto& info) { return std::string(cell_name(info.param)); });

TEST(EndMarker, IsARecognizersWrittenOnlyWhenSetAndSurvivesACheckpoint) {
  ModelConfig c = with_marker(Cell::gru);
  EXPECT_NE(to_json(c).find("\"end_marker\":true"), std::string::npos);
  EXPECT_EQ(model_config_from_json(to_json(c)), c);
  c.end_marker = false;
  EXPECT_EQ(to_json(c).find("end_marker"), std::string::npos);  // configs written before it: unchanged
  c.end_marker = true;
  for (Head head : {Head::tag, Head::next_set}) {
    ModelConfig other = c;
    other.head = head;
    other.num_outputs = 3;
    EXPECT_THROW(validate(other), ModelError) << head_name(head);
  }

  const auto params = init_params(c, 3);
  const std::string path = ::testing::TempDir() + "/end_marker.safetensors";
  save_checkpoint(path, c, params);
  const Checkpoint back = load_checkpoint(path);
  EXPECT_EQ(back.config, c);
  testing::expect_same_parameters(c, params, back.params);
}

}  // namespace
}  // namespace statelab::models
