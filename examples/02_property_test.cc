// Example 2: property-test a trained network against the ground truth, in your own GoogleTest
// suite, with RapidCheck.  The network is an LSTM trained here on Tomita 2 ((10)*), once; the
// properties say it agrees with the grammar on each kind of word bridge/rapidcheck.h generates.
// When a property fails, RapidCheck shrinks the word to the shortest disagreeing word, then the
// shortlex-least of that length; the last test shows that on a deliberately wrong "model".
//
// Run: ./build/examples/02_property_test   (RC_PARAMS="seed=..." replays a failure)
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <iostream>

#include "automata/decide.h"
#include "bridge/rapidcheck.h"
#include "bridge/training.h"
#include "languages/registry.h"

namespace {

using namespace statelab;
using bridge::WordKind;

const languages::Language& tomita2() {
  static const auto language = languages::make_language("tomita:n=2");
  return *language;
}

// Trained once, on words of lengths 0..20.
const bridge::ModelRecognizer& network() {
  static const bridge::TrainedRecognizer trained = [] {
    // The default recipe with more draws: Tomita 2 has one positive word of each even length, so
    // a draw holds one negative beside it, and near misses need many draws of negatives.
    bridge::RunSpec t;
    t.lang = "tomita:n=2";
    t.train_lengths = "0..20";
    t.test_lengths = "21..30";
    t.train_draws = 64;
    return bridge::train_recognizer(t);
  }();
  return trained.recognizer;
}

RC_GTEST_PROP(TrainedLstm, AgreesWithTomita2OnPositives, ()) {
  const auto w = *bridge::gen_word(tomita2(), WordKind::positive, 0, 20);
  RC_ASSERT(bridge::agrees(network(), tomita2(), w));
}

RC_GTEST_PROP(TrainedLstm, AgreesWithTomita2OnNearMisses, ()) {
  const auto w = *bridge::gen_word(tomita2(), WordKind::near_miss, 1, 20);
  RC_ASSERT(bridge::agrees(network(), tomita2(), w));
}

RC_GTEST_PROP(TrainedLstm, AgreesWithTomita2OnUniformWords, ()) {
  const auto w = *bridge::gen_word(tomita2(), WordKind::uniform, 0, 20);
  RC_ASSERT(bridge::agrees(network(), tomita2(), w));
}

// Beyond the training lengths (21..80) a network may or may not generalise; this property says
// whether this one did.
RC_GTEST_PROP(TrainedLstm, AgreesWithTomita2BeyondTheTrainingLengths, ()) {
  const auto w = *bridge::gen_word(tomita2(), WordKind::long_word, 0, 20);
  RC_ASSERT(bridge::agrees(network(), tomita2(), w));
}

// What a failure looks like: a "model" that is really Tomita 4's DFA, checked against Tomita 3.
// RapidCheck's shrinking ends at the shortest, shortlex-least word on which they differ.
TEST(Shrinking, EndsAtTheMinimalCounterexample) {
  const auto truth = languages::make_language("tomita:n=3");
  const auto other = languages::make_language("tomita:n=4");
  const bridge::DfaRecognizer model(*other->dfa());
  bridge::Word last;
  const auto result = rc::detail::checkTestable([&] {
    const auto w = *bridge::gen_word(*truth, WordKind::uniform, 0, 20);
    const bool ok = bridge::agrees(model, *truth, w);
    if (!ok) last = w;
    RC_ASSERT(ok);
  });
  ASSERT_TRUE(result.template is<rc::detail::FailureResult>());
  std::cout << "shrunk to \"" << truth->alphabet().format_word(last) << "\"\n";
  EXPECT_EQ(last, *automata::find_counterexample(*other->dfa(), *truth->dfa()));
}

}  // namespace
