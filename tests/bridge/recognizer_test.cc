// The adapters: ground truths through Language::contains, DFAs with one-hot states, networks in
// memory and from checkpoints (symbols mapped to tokens by name), batched evaluation.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "automata/minimize.h"
#include "automata/random_dfa.h"
#include "base/error.h"
#include "bridge/cluster.h"
#include "bridge/recognizer.h"
#include "languages/registry.h"
#include "models/error.h"
#include "models/safetensors.h"
#include "tests/bridge/bridge_test_util.h"
#include "tests/support/generators.h"

namespace statelab::bridge {
namespace {

TEST(LanguageRecognizer, AnswersAsTheLanguageForEveryEngine) {
  for (const char* name : {"tomita:n=3", "dyck:k=2", "anbn", "parity"}) {
    const auto language = languages::make_language(name);
    LanguageRecognizer r(*language);
    const auto words = statelab::testing::all_words(language->alphabet().size(), 5);
    const auto got = accepts_all(r, words, 7);
    for (std::size_t i = 0; i < words.size(); ++i) ASSERT_EQ(got[i], language->contains(words[i])) << name;
  }
}

TEST(ModelRecognizer, ScoresStatesAndReadoutAgreeWithTheModel) {
  const auto net = testing::tiny_lstm(5);
  const auto words = statelab::testing::all_words(2, 6);
  const auto scores = scores_all(net, words, 5);
  const auto probability = models::accept_probability(net.config(), net.params(), words);
  const auto traj = net.trajectories(words);
  const auto readout = net.readout();
  ASSERT_TRUE(readout.has_value());
  for (std::size_t i = 0; i < words.size(); ++i) {
    EXPECT_FLOAT_EQ(static_cast<float>(scores[i]), probability[i]);
    ASSERT_EQ(traj[i].cols(), static_cast<Eigen::Index>(words[i].size()) + 1);
    EXPECT_EQ(traj[i].col(0).squaredNorm(), 0.0f);
    const float logit = readout->weight.dot(traj[i].col(traj[i].cols() - 1)) + readout->bias;
    EXPECT_NEAR(1.0 / (1.0 + std::exp(-logit)), scores[i], 1e-5);
  }
  const auto finals = final_states(net, words, 3);
  for (std::size_t i = 0; i < words.size(); ++i) EXPECT_EQ(finals[i], traj[i].col(traj[i].cols() - 1));
}

TEST(ModelRecognizer, ATransformerIsARecognizerWithStatesButNoAffineReadout) {
  models::ModelConfig c;
  c.cell = models::Cell::transformer;
  c.vocab_size = 2;
  c.embedding_dim = 8;
  c.hidden_size = 8;
  c.num_heads = 2;
  c.max_length = 32;
  const ModelRecognizer net(c, models::init_params(c, 3), Alphabet::from_chars("01"));
  EXPECT_FALSE(net.readout().has_value());  // its head reads the LayerNorm of the stream
  const auto words = statelab::testing::all_words(2, 4);
  const auto scores = scores_all(net, words, 4);
  const auto probability = models::accept_probability(c, net.params(), words);
  for (std::size_t i = 0; i < words.size(); ++i) EXPECT_FLOAT_EQ(static_cast<float>(scores[i]), probability[i]);
  const auto traj = net.trajectories(words);
  for (std::size_t i = 0; i < words.size(); ++i) EXPECT_EQ(traj[i].rows(), 8);
}

TEST(DfaRecognizer, HiddenStatesAreOneHotStates) {
  const auto dfa = automata::random_dfa(6, 2, 3);
  DfaRecognizer r(dfa);
  const Word w{0, 1, 1, 0};
  const auto t = r.trajectories(std::vector<Word>{w})[0];
  automata::State q = dfa.initial();
  for (std::size_t i = 0; i <= w.size(); ++i) {
    EXPECT_EQ(t(q, static_cast<Eigen::Index>(i)), 1.0f);
    EXPECT_EQ(t.col(static_cast<Eigen::Index>(i)).sum(), 1.0f);
    if (i < w.size()) q = dfa.next(q, w[i]);
  }
}

class CheckpointTest : public ::testing::Test {
 protected:
  std::filesystem::path path_ = std::filesystem::temp_directory_path() /
                                ("bridge_recognizer_test_" + std::to_string(::getpid()) + ".safetensors");
  void TearDown() override { std::filesystem::remove(path_); }
};

TEST_F(CheckpointTest, MapsTheLanguagesSymbolsToTokensByName) {
  const auto net = testing::tiny_lstm(8);
  // The checkpoint lists its vocabulary as ["1", "0"]: token 0 is the symbol "1".
  models::save_checkpoint(path_, net.config(), net.params(), {{"alphabet", R"(["1", "0"])"}});
  const auto loaded = load_model(path_);
  EXPECT_EQ(loaded.alphabet.names(), (std::vector<std::string>{"1", "0"}));
  const auto language = languages::make_language("tomita:n=1");  // alphabet 0 1
  const auto mapped = model_recognizer(loaded, language->alphabet());
  const auto words = statelab::testing::all_words(2, 5);
  for (const Word& w : words) {
    Word flipped = w;
    for (Symbol& s : flipped) s = 1 - s;
    EXPECT_EQ(mapped->score(w), net.score(flipped));
  }
}

TEST_F(CheckpointTest, RefusesAMismatchedOrMissingAlphabet) {
  const auto net = testing::tiny_lstm(8);
  models::save_checkpoint(path_, net.config(), net.params(), {{"alphabet", R"(["a", "b"])"}});
  const auto loaded = load_model(path_);
  const auto language = languages::make_language("tomita:n=1");
  try {
    model_recognizer(loaded, language->alphabet());
    FAIL() << "expected InvalidArgument";
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("does not match the language's alphabet"), std::string::npos) << e.what();
  }
  models::save_checkpoint(path_, net.config(), net.params(), {});
  EXPECT_THROW(load_model(path_), InvalidArgument);
  models::save_checkpoint(path_, net.config(), net.params(), {{"alphabet", R"(["0", "1", "2"])"}});
  EXPECT_THROW(load_model(path_), InvalidArgument);
  models::save_checkpoint(path_, net.config(), net.params(), {{"alphabet", "not json"}});
  EXPECT_THROW(load_model(path_), InvalidArgument);
  // What the file layer and models' reader refuse reach the caller as they are, under the one root.
  EXPECT_THROW(load_model(path_.string() + ".missing"), IoError);
  std::ofstream(path_, std::ios::binary | std::ios::trunc) << "not a checkpoint";
  EXPECT_THROW(load_model(path_), models::CheckpointError);
  EXPECT_THROW(load_model(path_), Error);
}

TEST(ModelRecognizer, LoadsAPyTorchCheckpointAndAgreesWithTorchsLogits) {
  // tests/data/torch/lstm_l1_recognize: an nn.LSTM recognizer saved by PyTorch with metadata
  // "alphabet" ["a", "b", "c"], and torch's logits on a batch (tools/make_torch_fixtures.py).
  const std::string dir = std::string(STATELAB_TEST_DATA) + "/torch/";
  const auto model = load_model(dir + "lstm_l1_recognize.model.safetensors");
  EXPECT_EQ(model.alphabet.names(), (std::vector<std::string>{"a", "b", "c"}));
  const auto net = model_recognizer(model);
  const auto data = models::read_safetensors(dir + "lstm_l1_recognize.data.safetensors");
  const auto& tokens = data.tensors.at("input.tokens");
  const auto values = tokens.to_int64();
  const auto lengths = data.tensors.at("input.lengths").to_int64();
  const auto logits = data.tensors.at("output.logits").to_float();
  std::vector<Word> words(lengths.size());
  for (std::size_t b = 0; b < words.size(); ++b)
    for (std::int64_t t = 0; t < lengths[b]; ++t)
      words[b].push_back(static_cast<Symbol>(values[static_cast<std::int64_t>(b) * tokens.shape[1] + t]));
  const auto scores = scores_all(*net, words);
  for (std::size_t b = 0; b < words.size(); ++b)
    EXPECT_NEAR(scores[b], 1.0 / (1.0 + std::exp(-static_cast<double>(logits[b]))), 1e-5);
}

TEST(Cluster, RecoversADfaFromItsOneHotStates) {
  for (std::uint64_t seed : {1, 2, 3}) {
    const auto dfa = automata::random_dfa(6, 2, seed);
    DfaRecognizer r(dfa);
    ClusterOptions options;
    options.clusters = 6;
    options.words = 300;
    options.max_length = 15;
    options.seed = seed;
    const auto result = cluster_extract(r, options);
    // Every reachable state is visited; k-means++ on distinct one-hot points puts each in its own
    // cluster, so majority votes reproduce the transitions exactly.
    EXPECT_EQ(result.dfa, automata::minimize(dfa)) << "seed " << seed;
  }
}

TEST(Cluster, ReportsProgressUpToItsTotal) {
  DfaRecognizer r(automata::random_dfa(6, 2, 1));
  ClusterOptions options;
  options.clusters = 6;
  options.words = 300;
  std::uint64_t last = 0, total = 0, calls = 0;
  options.progress = [&](std::uint64_t done, std::uint64_t t) {
    last = std::max(last, done);
    total = t;
    ++calls;
  };
  const auto result = cluster_extract(r, options);
  EXPECT_EQ(total, options.words + options.iterations);
  EXPECT_GE(last, options.words + result.iterations);
  EXPECT_LE(last, total);
  EXPECT_GT(calls, 1u);
}

TEST(Cluster, RefusesMoreClustersThanItsVoteBoundBeforeWorking) {
  DfaRecognizer r(automata::random_dfa(6, 2, 1));
  ClusterOptions options;
  options.clusters = 20000;  // 20000 x 2 x 20000 counters: 6.4 GB
  options.words = 1;
  try {
    cluster_extract(r, options);
    FAIL() << "expected LimitExceeded";
  } catch (const LimitExceeded& e) {
    EXPECT_NE(std::string(e.what()).find("--clusters 20000"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace statelab::bridge
