// L*: with an exact DFA as oracle it returns the minimal DFA; with the abstraction and random-word
// oracles it learns the catalogue's DFAs; a network's extraction is deterministic for a seed.
// (Limits and the Tomita grammars, for L* and L# alike: lsharp_test.cc.)
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>
#include <tbb/global_control.h>

#include "automata/decide.h"
#include "automata/minimize.h"
#include "automata/random_dfa.h"
#include "base/error.h"
#include "bridge/check.h"
#include "bridge/extract.h"
#include "bridge/lstar.h"
#include "languages/registry.h"
#include "tests/bridge/bridge_test_util.h"
#include "tests/support/generators.h"

namespace statelab::bridge {
namespace {

using automata::Dfa;

RC_GTEST_PROP(LStar, WithAnExactOracleReturnsTheMinimalDfa, ()) {
  const std::size_t k = *rc::gen::inRange<std::size_t>(1, 4);
  const Dfa target = *statelab::testing::gen_dfa(k, 12);
  DfaRecognizer recognizer(target);
  ExactOracle oracle(target);
  const auto r = lstar(recognizer, oracle);
  const Dfa minimal = automata::minimize(target);
  RC_ASSERT(r.complete);
  RC_ASSERT(r.dfa == minimal);
  // Rivest-Schapire: every counterexample adds a state, so at most n equivalence queries.
  RC_ASSERT(r.equivalence_queries <= minimal.num_states());
  RC_ASSERT(r.access_words.size() == minimal.num_states());
}

TEST(LStar, LearnsLargeRandomDfasExactly) {
  for (std::uint64_t seed : {1, 2, 3}) {
    const Dfa target = automata::random_dfa(200, 3, seed);
    DfaRecognizer recognizer(target);
    ExactOracle oracle(target);
    const auto r = lstar(recognizer, oracle);
    EXPECT_TRUE(r.complete);
    EXPECT_EQ(r.dfa, automata::minimize(target)) << "seed " << seed;
  }
}

TEST(AbstractionOracle, ReturnsAWordTheHypothesisMisclassifies) {
  // Tomita 1 (1*): the first hypothesis accepts everything; "0" is the first word explored that
  // the network rejects.
  const auto language = languages::make_language("tomita:n=1");
  DfaRecognizer recognizer(*language->dfa());
  AbstractionOracle abstraction(recognizer);
  const auto r = lstar(recognizer, abstraction);
  EXPECT_TRUE(r.complete);
  EXPECT_EQ(r.dfa, *language->dfa());
}

TEST(AbstractionOracle, SplitsAnAbstractStateTheNetworkAndHypothesisBothSeparate) {
  // Tomita 2 ((10)*): "1" and "0" both reach rejecting states, so the read-out puts them in one
  // abstract state; the correct hypothesis separates them by "0", the network too, so the oracle
  // refines (one split) and then finds no counterexample.
  const auto language = languages::make_language("tomita:n=2");
  DfaRecognizer recognizer(*language->dfa());
  AbstractionOracle abstraction(recognizer);
  EXPECT_EQ(abstraction.leaves(), 2u);
  Budget budget(Limits{});
  MembershipOracle member(recognizer, budget);
  EXPECT_FALSE(abstraction.counterexample(*language->dfa(), member).has_value());
  EXPECT_EQ(abstraction.refinements(), 1u);
  EXPECT_EQ(abstraction.leaves(), 3u);
  // A wrong hypothesis (Tomita 1's automaton) gets a word it misclassifies.
  const auto other = languages::make_language("tomita:n=1");
  const auto w = abstraction.counterexample(*other->dfa(), member);
  ASSERT_TRUE(w.has_value());
  EXPECT_NE(automata::accepts(*other->dfa(), *w), language->contains(*w));
}

TEST(LStar, ReportsProgressAgainstItsTimeLimit) {
  const Dfa target = automata::random_dfa(20, 2, 7);
  DfaRecognizer recognizer(target);
  ExactOracle oracle(target);
  Limits limits;
  limits.seconds = 60;
  std::size_t calls = 0;
  std::uint64_t last = 0;
  limits.progress = [&](std::uint64_t done, std::uint64_t total) {
    ++calls;
    EXPECT_EQ(total, 60'000u);  // milliseconds
    EXPECT_LE(last, done);
    last = done;
  };
  const auto r = lstar(recognizer, oracle, limits);
  EXPECT_TRUE(r.complete);
  EXPECT_GT(calls, 0u);
}

TEST(LStar, NegativeTimeLimitIsRefused) {
  DfaRecognizer recognizer(automata::random_dfa(3, 2, 1));
  ExactOracle oracle(recognizer.dfa());
  Limits limits;
  limits.seconds = -1;
  EXPECT_THROW(lstar(recognizer, oracle, limits), InvalidArgument);
}

TEST(LStar, AbstractionOracleNeedsHiddenStates) {
  const auto language = languages::make_language("parity");
  LanguageRecognizer recognizer(*language);
  EXPECT_THROW(AbstractionOracle{recognizer}, InvalidArgument);
}

TEST(Extract, NetworkExtractionIsDeterministicForASeed) {
  const auto network = testing::tiny_lstm(11);
  ExtractOptions options;
  options.limits.max_states = 12;
  options.random_tests = 300;
  options.random_max_length = 12;
  options.fidelity_words = 300;
  options.seed = 4;
  const auto a = extract(network, options);
  const auto b = extract(network, options);
  EXPECT_EQ(a.dfa, b.dfa);
  EXPECT_EQ(a.membership_queries, b.membership_queries);
  EXPECT_EQ(a.equivalence_queries, b.equivalence_queries);
  EXPECT_EQ(a.fidelity, b.fidelity);
  EXPECT_LE(a.states, 12u);
  options.method = Method::cluster;
  options.cluster.words = 200;
  options.cluster.seed = 4;
  const auto c = extract(network, options);
  const auto d = extract(network, options);
  EXPECT_EQ(c.dfa, d.dfa);
  EXPECT_EQ(c.fidelity, d.fidelity);
}

TEST(Extract, ResultsDoNotDependOnTheNumberOfThreads) {
  const auto network = testing::tiny_lstm(13);
  const auto language = languages::make_language("tomita:n=3");
  ExtractOptions options;
  options.limits.max_states = 10;
  options.random_tests = 300;
  options.fidelity_words = 300;
  CheckOptions check_options;
  check_options.tests = 300;
  const auto a = extract(network, options, language.get());
  const auto c = check(network, *language, check_options);
  ExtractionReport b;
  CheckResult d;
  {
    tbb::global_control one(tbb::global_control::max_allowed_parallelism, 1);
    b = extract(network, options, language.get());
    d = check(network, *language, check_options);
  }
  EXPECT_EQ(a.dfa, b.dfa);
  EXPECT_EQ(a.membership_queries, b.membership_queries);
  EXPECT_EQ(a.fidelity, b.fidelity);
  EXPECT_EQ(a.counterexample, b.counterexample);
  ASSERT_EQ(c.counterexamples.size(), d.counterexamples.size());
  for (std::size_t i = 0; i < c.counterexamples.size(); ++i) EXPECT_EQ(c.counterexamples[i].word, d.counterexamples[i].word);
}

TEST(Extract, TrainedFixtureNetworkIsExtractedExactlyAndDeterministically) {
  // tests/data/bridge/tomita1_lstm.safetensors: examples/03_extract_tomita's LSTM for tomita:n=1.
  const auto model = load_model(std::string(STATELAB_TEST_DATA) + "/bridge/tomita1_lstm.safetensors");
  const auto language = languages::make_language("tomita:n=1");
  const auto network = model_recognizer(model, language->alphabet());
  ExtractOptions options;
  options.random_tests = 500;
  options.fidelity_words = 500;
  options.seed = 3;
  const auto a = extract(*network, options, language.get());
  const auto b = extract(*network, options, language.get());
  EXPECT_TRUE(a.complete);
  EXPECT_EQ(a.dfa, *language->dfa());
  EXPECT_TRUE(*a.equivalent_to_truth);
  EXPECT_EQ(a.fidelity, 1.0);
  EXPECT_EQ(a.dfa, b.dfa);
  EXPECT_EQ(a.membership_queries, b.membership_queries);
  EXPECT_EQ(a.equivalence_queries, b.equivalence_queries);
}

TEST(Extract, ReportsEquivalenceWithARegularTruthAndRefusesANonRegularOne) {
  const auto language = languages::make_language("tomita:n=3");
  DfaRecognizer exact(*language->dfa());
  ExtractOptions options;
  options.abstraction_oracle = false;  // DfaRecognizer: random words alone
  options.random_tests = 500;
  const auto r = extract(exact, options, language.get());
  ASSERT_TRUE(r.equivalent_to_truth.has_value());
  EXPECT_TRUE(*r.equivalent_to_truth);
  EXPECT_FALSE(r.counterexample.has_value());
  EXPECT_EQ(r.fidelity, 1.0);
  EXPECT_EQ(*r.accuracy, 1.0);
  // A wrong recognizer: the report names the shortest word where its automaton and the truth differ.
  const auto other = languages::make_language("tomita:n=4");
  DfaRecognizer wrong(*other->dfa());
  const auto w = extract(wrong, options, language.get());
  ASSERT_TRUE(w.counterexample.has_value());
  EXPECT_EQ(*w.counterexample, *automata::find_counterexample(*other->dfa(), *language->dfa()));
  EXPECT_NE(*w.truth_on_counterexample, *w.network_on_counterexample > 0.5);
  const auto dyck = languages::make_language("dyck:k=1");
  EXPECT_THROW(difference_with_truth(r.dfa, *dyck), InvalidArgument);
}

}  // namespace
}  // namespace statelab::bridge
