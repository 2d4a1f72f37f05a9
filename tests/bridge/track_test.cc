// track: a network built to be the DFA tracks to the maximum length, with a probe at 100% and no
// counterexample; an untrained one fails at once; the training lengths come from the checkpoint.
#include "bridge/track.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "automata/json_io.h"
#include "automata/monoid.h"
#include "automata/nfa.h"
#include "base/error.h"
#include "bridge/checkpoint_meta.h"
#include "bridge/expressivity.h"
#include "bridge_test_util.h"
#include "languages/registry.h"

namespace statelab::bridge {
namespace {

LoadedModel loaded(const ModelRecognizer& net, const std::string& train_lengths) {
  LoadedModel m{net.config(), net.params(), net.alphabet(), {}, "net.safetensors"};
  if (!train_lengths.empty()) m.metadata[std::string(kTrainingKey)] = "{\"train-lengths\": \"" + train_lengths + "\"}";
  return m;
}

TEST(Track, ANetworkThatIsTheDfaTracksToTheMaximumLength) {
  const auto l = languages::make_language("modular-count:m=3");
  const LoadedModel m = loaded(testing::saturated_rnn(*l->dfa()), "1..5");
  TrackOptions o;
  o.count = 16;
  o.tests = 200;
  const TrackResult r = track(m, "modular-count:m=3", o);
  EXPECT_EQ(r.max_length, 40u);  // 8 x 5
  EXPECT_TRUE(r.tracks);
  EXPECT_FALSE(r.first_below.has_value());
  ASSERT_EQ(r.by_length.size(), 40u);
  ASSERT_TRUE(r.prediction.has_value());
  EXPECT_EQ(r.prediction->answer, Answer::yes);  // rnn: every DFA
  EXPECT_TRUE(r.checked);
  EXPECT_TRUE(r.agree);
  ASSERT_TRUE(r.probe.has_value());
  EXPECT_FALSE(r.probe->layers[0].model.retention_end.has_value());
  EXPECT_EQ(r.probe->layers[0].model.test_accuracy, 1.0);
}

TEST(Track, AnUntrainedNetworkFailsWithTheMinimalCounterexample) {
  const LoadedModel m = loaded(testing::tiny_lstm(), "1..4");
  TrackOptions o;
  o.count = 16;
  o.tests = 200;
  const TrackResult r = track(m, "parity", o);
  EXPECT_FALSE(r.tracks);
  ASSERT_TRUE(r.first_below.has_value());
  ASSERT_TRUE(r.counterexample.has_value());
  // The shrinker ends at the shortest disagreeing word: every shorter word agrees.
  const auto parity = languages::make_language("parity");
  const auto net = testing::tiny_lstm();
  EXPECT_NE(net.accepts(*r.counterexample), parity->contains(*r.counterexample));
  for (std::size_t n = 0; n < r.counterexample->size(); ++n)
    for (std::uint64_t bits = 0; bits < (std::uint64_t{1} << n); ++bits) {
      Word w(n);
      for (std::size_t i = 0; i < n; ++i) w[i] = static_cast<Symbol>((bits >> i) & 1);
      EXPECT_EQ(net.accepts(w), parity->contains(w));
    }
}

TEST(Track, TrainingLengthsAreReadFromTheCheckpointOrAskedFor) {
  const LoadedModel m = loaded(testing::tiny_lstm(), "");
  const std::string msg = testing::message_of([&] { (void)track(m, "parity"); });
  EXPECT_NE(msg.find("records no training lengths"), std::string::npos) << msg;
  TrackOptions o;
  o.train_lengths = languages::LengthRange{1, 3};
  o.max_length = 5000;
  EXPECT_THROW((void)track(m, "parity", o), LimitExceeded);
}

TEST(Track, ALanguageWithoutStateOrRegularTruthLeavesThosePartsOutWithAReason) {
  const LoadedModel m = loaded(testing::tiny_lstm(), "1..3");
  const auto copy = languages::make_language("copy:k=2");
  LoadedModel c = m;
  c.alphabet = copy->alphabet();
  TrackOptions o;
  o.count = 8;
  o.tests = 50;
  o.max_length = 6;
  const TrackResult r = track(c, "copy:k=2", o);
  EXPECT_FALSE(r.probe.has_value());
  EXPECT_NE(r.probe_note.find("no per-position state"), std::string::npos) << r.probe_note;
  EXPECT_FALSE(r.prediction.has_value());
  EXPECT_NE(r.prediction_note.find("not regular"), std::string::npos) << r.prediction_note;
}

// The prediction is that of the language, not of an automaton that accepts it: a redundant DFA for
// every word over {0, 1} (two accepting states that 1 swaps) has the transition monoid Z2, the
// language's syntactic monoid is trivial.  Mamba [0, 1] cannot track Z2, so a prediction read off
// the file's own monoid would be "no" where the language (one state) is "yes".
TEST(Track, ThePredictionIsTheMinimalAutomatonsNotTheFilesOne) {
  std::string name = "statelab_track_test_";  // appends: GCC 12 warns falsely (-Wrestrict) on "x" + std::string
  name += std::to_string(::getpid());
  name += ".json";
  const auto path = std::filesystem::temp_directory_path() / name;
  std::ofstream(path) << R"({"format": "statelab-automaton", "version": 1, "kind": "dfa",
    "alphabet": ["0", "1"], "states": 2, "initial": [0], "accepting": [0, 1],
    "transitions": [[0, "0", 0], [0, "1", 1], [1, "0", 1], [1, "1", 0]]})";
  const std::string lang = "file:" + path.string();
  const auto redundant = automata::transition_monoid(automata::determinize(automata::read_json_file(path)));
  ASSERT_EQ(redundant.size(), 2u);
  for (const Prediction& p : predict(algebraic_facts(redundant, automata::analyze(redundant))))
    if (p.architecture == "mamba") {
      EXPECT_EQ(p.answer, Answer::no);  // what the file's monoid would say
    }

  const LoadedModel m = loaded(testing::tiny_lstm(7, models::Cell::mamba), "1..3");
  TrackOptions o;
  o.count = 8;
  o.tests = 50;
  o.max_length = 6;
  const TrackResult r = track(m, lang, o);
  std::filesystem::remove(path);
  EXPECT_EQ(r.architecture, "mamba");
  ASSERT_TRUE(r.prediction.has_value()) << r.prediction_note;
  EXPECT_EQ(r.prediction->answer, Answer::yes) << r.prediction->reason;
}

}  // namespace
}  // namespace statelab::bridge

namespace statelab::bridge {
namespace {

// The column of classify's table that speaks for a checkpoint (expressivity.h's names).
TEST(Track, ExpressivityArchitectureNamesTheVariantOfTheTable) {
  models::ModelConfig c;
  c.cell = models::Cell::gated_deltanet;
  c.negative_eigenvalues = true;
  EXPECT_EQ(expressivity_architecture(c), "gated-deltanet-negative");
  c.cell = models::Cell::deltanet;
  EXPECT_EQ(expressivity_architecture(c), "deltanet-negative");
  c.cell = models::Cell::mamba;
  EXPECT_EQ(expressivity_architecture(c), "mamba-negative");
  c.negative_eigenvalues = false;
  EXPECT_EQ(expressivity_architecture(c), "mamba");
  c.cell = models::Cell::transformer;
  c.positional = models::Positional::none;
  EXPECT_EQ(expressivity_architecture(c), "transformer");  // reads its own position and the last letter
  c.strict_mask = true;
  EXPECT_EQ(expressivity_architecture(c), "transformer");
  c.end_marker = true;
  EXPECT_EQ(expressivity_architecture(c), "transformer-nope");  // Li and Cotterell's model
  c.causal = false;
  c.strict_mask = false;
  EXPECT_EQ(expressivity_architecture(c), "transformer");
  c.causal = true;
  c.positional = models::Positional::learned;
  EXPECT_EQ(expressivity_architecture(c), "transformer");
  for (std::string_view arch : {"transformer-nope", "gated-deltanet-negative", "deltanet-negative"})
    EXPECT_NE(std::find(architectures().begin(), architectures().end(), arch), architectures().end()) << arch;
}

}  // namespace
}  // namespace statelab::bridge
