// Linear state probes: the optimiser converges to its tolerance (separable and not), a network
// built to hold the DFA state is decoded at every position (and extracted exactly), the controls
// fall to chance, and a language without a per-position state is refused in one line.
#include "bridge/probe.h"

#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include "base/error.h"
#include "base/random.h"
#include "bridge/extract.h"
#include "bridge_test_util.h"
#include "languages/registry.h"

namespace statelab::bridge {
namespace {

using testing::message_of;
using testing::saturated_rnn;

// n points in d dimensions of `classes` Gaussian clusters (centres `spread` apart), labels by cluster.
void clusters(int n, int d, int classes, double spread, std::uint64_t seed, Eigen::MatrixXf& x, std::vector<int>& y) {
  Random r(seed);
  Eigen::MatrixXf centres(d, classes);
  for (int c = 0; c < classes; ++c)
    for (int i = 0; i < d; ++i) centres(i, c) = static_cast<float>(spread * r.normal());
  x.resize(d, n);
  y.resize(static_cast<std::size_t>(n));
  for (int j = 0; j < n; ++j) {
    y[static_cast<std::size_t>(j)] = j % classes;
    for (int i = 0; i < d; ++i) x(i, j) = centres(i, j % classes) + static_cast<float>(r.normal());
  }
}

double train_accuracy(const LogisticModel& m, const Eigen::MatrixXf& x, const std::vector<int>& y) {
  const auto p = predict(m, x);
  std::size_t ok = 0;
  for (std::size_t i = 0; i < y.size(); ++i) ok += p[i] == y[i];
  return static_cast<double>(ok) / static_cast<double>(y.size());
}

TEST(FitLogistic, ConvergesBelowTheToleranceOnSeparableData) {
  Eigen::MatrixXf x;
  std::vector<int> y;
  clusters(300, 5, 3, 20.0, 1, x, y);  // clusters far apart: linearly separable
  LogisticOptions o;
  o.tolerance = 1e-7;
  const LogisticModel m = fit_logistic(x, y, 3, o);
  EXPECT_TRUE(m.converged);
  EXPECT_LE(m.gradient_norm, 1e-7);
  EXPECT_EQ(train_accuracy(m, x, y), 1.0);
}

TEST(FitLogistic, ConvergesBelowTheToleranceOnOverlappingClasses) {
  Eigen::MatrixXf x;
  std::vector<int> y;
  clusters(400, 4, 4, 0.7, 2, x, y);  // heavy overlap: not separable
  LogisticOptions o;
  o.tolerance = 1e-7;
  o.l2 = 0;  // not separable, so the minimiser exists without a penalty
  const LogisticModel m = fit_logistic(x, y, 4, o);
  EXPECT_TRUE(m.converged);
  EXPECT_LE(m.gradient_norm, 1e-7);
  const double acc = train_accuracy(m, x, y);
  EXPECT_GT(acc, 0.3);
  EXPECT_LT(acc, 1.0);
}

TEST(FitLogistic, TheMinimumIsAMinimum) {
  // At the returned point, moving any single parameter a little raises the loss (a convex
  // function whose gradient is ~0): checked through the fitted model's loss against a refit
  // that starts nowhere else but is stopped early.
  Eigen::MatrixXf x;
  std::vector<int> y;
  clusters(200, 3, 3, 1.0, 3, x, y);
  LogisticOptions tight, loose;
  tight.tolerance = 1e-8;
  loose.max_iterations = 3;
  const LogisticModel a = fit_logistic(x, y, 3, tight), b = fit_logistic(x, y, 3, loose);
  EXPECT_TRUE(a.converged);
  EXPECT_FALSE(b.converged);
  EXPECT_LT(a.loss, b.loss);
}

TEST(FitLogistic, RefusesLabelsThatDoNotFit) {
  const Eigen::MatrixXf x = Eigen::MatrixXf::Zero(2, 3);
  const std::vector<int> y{0, 1, 5};
  EXPECT_THROW(fit_logistic(x, y, 2), InvalidArgument);
  EXPECT_THROW(fit_logistic(Eigen::MatrixXf(2, 0), std::vector<int>{}, 2), InvalidArgument);
}

ProbeOptions small_options() {
  ProbeOptions o;
  o.train_lengths = {1, 8};
  o.test_lengths = {1, 40};
  o.train_words = 16;
  o.test_words = 4;
  return o;
}

ProbeResult probe_of(const ModelRecognizer& net, const languages::Language& l, const ProbeOptions& o) {
  return probe(net.config(), net.params(), net.tokens(), l, o);
}

TEST(Probe, ASaturatedOneHotNetworkIsDecodedAtEveryPositionAndExtractedExactly) {
  for (const char* name : {"tomita:n=3", "modular-count:m=3", "parity", "tomita:n=5"}) {
    SCOPED_TRACE(name);
    const auto l = languages::make_language(name);
    const ModelRecognizer net = saturated_rnn(*l->dfa());
    const ProbeResult r = probe_of(net, *l, small_options());
    ASSERT_EQ(r.layers.size(), 1u);
    EXPECT_EQ(r.classes, l->dfa()->num_states());
    const ProbeCurve& c = r.layers[0].model;
    EXPECT_TRUE(c.converged);
    EXPECT_FALSE(c.retention_end.has_value());
    for (std::size_t t = 0; t < c.accuracy.size(); ++t) EXPECT_EQ(c.accuracy[t], 1.0) << "position " << t;
    // The network is the DFA: L* with the abstraction oracle recovers it exactly.
    ExtractOptions eo;
    const ExtractionReport e = extract(net, eo, l.get());
    EXPECT_EQ(e.states, l->dfa()->num_states());
    ASSERT_TRUE(e.equivalent_to_truth.has_value());
    EXPECT_TRUE(*e.equivalent_to_truth);
  }
}

TEST(Probe, ShuffledLabelsAndARandomNetworkFallToChanceWhereTheStateIsHidden) {
  const auto l = languages::make_language("modular-count:m=3");
  const ModelRecognizer net = saturated_rnn(*l->dfa());
  const ProbeResult r = probe_of(net, *l, small_options());
  const LayerProbe& p = r.layers[0];
  EXPECT_EQ(p.model.test_accuracy, 1.0);
  // Three states, near-uniform: chance is about a third.
  EXPECT_LT(p.shuffled.test_accuracy, 0.5);
  double chance = 0;
  for (double m : r.majority) chance = std::max(chance, m);
  EXPECT_LT(p.shuffled.test_accuracy, chance + 0.1);
  EXPECT_TRUE(p.shuffled.converged);
  EXPECT_LT(p.random_init->test_accuracy, 0.9);
}

TEST(Probe, AnyNetworksTrajectoriesGiveTheSameFitsWithoutTheRandomInitControl) {
  // One layer: the trajectories are the layer's states, so the model and shuffled fits agree with
  // the checkpoint's probe bit for bit; the random-init control needs an architecture, so is absent.
  const auto l = languages::make_language("tomita:n=4");
  const auto net = testing::tiny_lstm(3);
  const ProbeResult a = probe_of(net, *l, small_options());
  const ProbeStates s =
      trajectory_states([&](std::span<const Word> w) { return net.trajectories(w); }, net.state_dim(), 7);
  const ProbeResult b = probe(s, *l, small_options());
  ASSERT_EQ(b.layers.size(), 1u);
  EXPECT_EQ(b.layers[0].model.accuracy, a.layers[0].model.accuracy);
  EXPECT_EQ(b.layers[0].model.train_accuracy, a.layers[0].model.train_accuracy);
  EXPECT_EQ(b.layers[0].shuffled.accuracy, a.layers[0].shuffled.accuracy);
  EXPECT_TRUE(a.layers[0].random_init.has_value());
  EXPECT_FALSE(b.layers[0].random_init.has_value());
  EXPECT_NE(to_json(b).find("\"random_init\":null"), std::string::npos);
  // States of the wrong shape are one clear line.
  ProbeStates bad = s;
  bad.width = 5;
  EXPECT_NE(message_of([&] { (void)probe(bad, *l, small_options()); }).find("expected (5, "), std::string::npos);
}

TEST(Probe, ALanguageWithoutAPerPositionStateIsOneClearLine) {
  const auto net = testing::tiny_lstm();
  for (const char* name : {"copy", "palindrome"}) {
    const auto l = languages::make_language(name);
    const std::string m = message_of([&] { (void)probe_of(net, *l, small_options()); });
    EXPECT_NE(m.find("has no per-position state"), std::string::npos) << m;
    EXPECT_EQ(m.find('\n'), std::string::npos);
  }
}

TEST(Probe, TargetsSelectTheStackDepthOrTheCounters) {
  const auto dyck = languages::make_language("dyck:k=2");
  EXPECT_EQ(probe_components(*dyck, ProbeTarget::stack_depth).size(), 1u);
  const auto anbncn = languages::make_language("anbncn");
  EXPECT_EQ(probe_components(*anbncn, ProbeTarget::counter).size(), 2u);
  const auto parity = languages::make_language("parity");
  EXPECT_NE(message_of([&] { probe_components(*parity, ProbeTarget::stack_depth); }).find("has no stack depth"),
            std::string::npos);
  EXPECT_NE(message_of([&] { probe_components(*parity, ProbeTarget::counter); }).find("has no counter machine"),
            std::string::npos);
  EXPECT_THROW(parse_probe_target("depth"), InvalidArgument);
}

TEST(Probe, BoundsAreCheckedBeforeAnyWork) {
  const auto l = languages::make_language("parity");
  const auto net = testing::tiny_lstm();
  ProbeOptions o = small_options();
  o.max_work = 10;
  EXPECT_THROW((void)probe_of(net, *l, o), LimitExceeded);
  o = small_options();
  o.test_lengths = {1, 5000};
  EXPECT_THROW((void)probe_of(net, *l, o), LimitExceeded);
  o = small_options();
  o.layer = 1;
  EXPECT_NE(message_of([&] { (void)probe_of(net, *l, o); }).find("--layer 1"), std::string::npos);
}

TEST(Probe, TheResultDoesNotDependOnTheThreads) {
  const auto l = languages::make_language("tomita:n=4");
  const auto net = testing::tiny_lstm(3);
  const std::string all = to_json(probe_of(net, *l, small_options()));
  tbb::global_control one(tbb::global_control::max_allowed_parallelism, 1);
  EXPECT_EQ(to_json(probe_of(net, *l, small_options())), all);
}

}  // namespace
}  // namespace statelab::bridge
