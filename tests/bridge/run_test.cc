// Runs (bridge/run.h): the spec's canonical forms round-trip, every option is checked with one
// line naming it, empty evaluation sets are errors, a run repeats from its metrics, and the
// default recipe learns (a short version: tomita:n=1 and parity at small lengths).
#include "bridge/run.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "base/error.h"
#include "tests/bridge/bridge_test_util.h"

namespace statelab::bridge {
namespace {

using testing::message_of;

RunSpec tiny(const std::string& lang) {
  RunSpec s;
  s.lang = lang;
  s.hidden = 8;
  s.embedding = 4;
  s.train_lengths = "1..6";
  s.test_lengths = "7..8";
  s.train_count = 16;
  s.train_draws = 1;
  s.test_count = 8;
  s.steps = 20;
  return s;
}

TEST(RunSpec, JsonRoundTripIsExactAndCanonical) {
  RunSpec s = tiny("tomita:n=3");
  s.model = "transformer";
  set_option(s, "heads", "2");
  set_option(s, "pos", "alibi");
  s.lr = 3e-3;
  s.validation_lengths = "0..4";
  s.validation_independent = false;
  const std::string j = spec_to_json(s);
  EXPECT_EQ(spec_from_json(j), s);
  EXPECT_EQ(spec_to_json(spec_from_json(j)), j);
  EXPECT_NE(j.find("\"lr\":0.003,"), std::string::npos) << j;
  EXPECT_EQ(j.find("\"state\""), std::string::npos) << "unset options are left out: " << j;
}

TEST(RunSpec, OptionMapRoundTrip) {
  RunSpec s = tiny("parity");
  set_option(s, "state", "4");
  s.model = "mamba";
  set_option(s, "negative-eigenvalues", "true");
  const auto options = spec_options(s);
  EXPECT_EQ(options.at("lr"), "0.01");
  EXPECT_EQ(options.at("negative-eigenvalues"), "true");
  EXPECT_EQ(spec_from_options(options), s);
}

// Metrics files hold the spec's JSON and experiments read its keys: specs that statelab wrote
// before the architectures' options became rows of models' kOptionalFields (af5aa97, statelab train
// --steps 5 with these options) read back to the same text, every option in its old place.
TEST(RunSpec, SpecsOfOlderMetricsReadBackToTheSameJson) {
  const std::string tail =
      R"("train-lengths":"1..8","test-lengths":"9..10","train-count":100,"test-count":100,"validation-count":32,)"
      R"("train-draws":8,"validation-independent":true,"steps":5,"batch":32,"lr":0.01,"schedule":"cosine","warmup":50,)"
      R"("min-lr":0.0001,"weight-decay":0.01,"clip":1.0,"seed":1,"chunk-size":8,"eval-every":200,"patience":0,)"
      R"("target-accuracy":1.0})";
  const std::string head = R"({"lang":"parity","task":"recognize",)";
  for (const char* options :
       {R"("model":"transformer","layers":1,"hidden":16,"embedding":8,"heads":4,"pos":"hard-alibi","bidirectional":false,)"
        R"("ffn-size":12,"ffn-activation":"relu","max-length":30,"hard-alibi-heads":1,"hard-alibi-window":3,)"
        R"("negative-eigenvalues":false,)",
        R"("model":"deltaproduct","layers":1,"hidden":16,"embedding":8,"heads":2,"bidirectional":false,"householder":3,)"
        R"("negative-eigenvalues":true,)",
        R"("model":"mamba","layers":1,"hidden":16,"embedding":8,"state":4,"bidirectional":false,)"
        R"("negative-eigenvalues":false,)"}) {
    const std::string old = head + std::string(options) + tail;
    const RunSpec spec = spec_from_json(old);
    EXPECT_EQ(spec_to_json(spec), old);
    validate(spec);
  }
}

RC_GTEST_PROP(RunSpec, AnyCountsAndRatesRoundTrip, (unsigned hidden, unsigned steps, std::uint64_t seed)) {
  RunSpec s;
  s.lang = "parity";
  s.hidden = static_cast<int>(hidden % 1000) + 1;
  s.steps = static_cast<int>(steps % 100000);
  s.seed = seed;
  s.lr = *rc::gen::inRange(1, 1000000) * 1e-7;
  RC_ASSERT(spec_from_json(spec_to_json(s)) == s);
  RC_ASSERT(spec_from_options(spec_options(s)) == s);
}

TEST(RunSpec, EveryOptionNamesItselfWhenRefused) {
  RunSpec s;
  EXPECT_EQ(message_of([&] { set_option(s, "lr", "0"); }), "--lr 0: must be positive");
  EXPECT_EQ(message_of([&] { set_option(s, "min-lr", "-1"); }), "--min-lr -1: must not be negative");
  EXPECT_EQ(message_of([&] { set_option(s, "target-accuracy", "2"); }), "--target-accuracy 2: must be between 0 and 1");
  EXPECT_EQ(message_of([&] { set_option(s, "clip", "nan"); }), "--clip nan: must be a number");
  EXPECT_EQ(message_of([&] { set_option(s, "seed", "-1"); }), "--seed -1: must be a whole number of at least 0");
  EXPECT_EQ(message_of([&] { set_option(s, "hidden", "0"); }), "--hidden 0: must be a whole number of at least 1");
  EXPECT_EQ(message_of([&] { set_option(s, "schedule", "linear"); }), "--schedule linear: must be one of constant, cosine");
  EXPECT_EQ(message_of([&] { set_option(s, "train-lengths", "5..2"); }),
            "--train-lengths 5..2: the range is inverted (expected A <= B)");
  EXPECT_EQ(message_of([&] { set_option(s, "nope", "1"); }), "unknown run option 'nope' (see statelab train --help)");
  EXPECT_EQ(message_of([] { spec_from_json(R"({"lang":"parity","lr":0})"); }), "run spec: --lr 0: must be positive");
  EXPECT_EQ(message_of([] { spec_from_json(R"({"lang":"parity","lr":[1]})"); }),
            "run spec: option \"lr\" is [1], expected a string, number or boolean");
}

// The architectures' options are held as set_option leaves them; a spec built by hand that holds
// them otherwise is refused with one line, before anything runs.
TEST(RunSpec, ArchitectureOptionsBuiltByHandAreChecked) {
  RunSpec s = tiny("parity");
  set_option(s, "bidirectional", "false");
  EXPECT_EQ(s, tiny("parity")) << "a false flag is the default, held as nothing";
  s.model = "transformer";
  EXPECT_EQ(spec_options(s).at("bidirectional"), "false");
  set_option(s, "heads", "02");
  EXPECT_EQ(s.architecture_options.at("heads"), "2");
  validate(s);
  s.architecture_options = {{"heads", "02"}};
  EXPECT_EQ(message_of([&] { validate(s); }), "train: the spec holds --heads as '02', not as its canonical text '2'");
  s.architecture_options = {{"heads", "x"}};
  EXPECT_EQ(message_of([&] { validate(s); }), "--heads x: must be a whole number of at least 1");
  s.architecture_options = {{"bidirectional", "false"}};
  EXPECT_EQ(message_of([&] { validate(s); }), "train: the spec holds --bidirectional as 'false': a false flag is left out");
  s.architecture_options = {{"lr", "0.1"}};
  EXPECT_EQ(message_of([&] { validate(s); }), "train: 'lr' is not an option of an architecture (see statelab train --help)");
  s.architecture_options = {{"state", "4"}};
  EXPECT_EQ(message_of([&] { validate(s); }), "train: --state applies to --model s4d, mamba, ids4, cdssm only (not transformer)");
}

TEST(Run, AnEmptyTestSetIsAnErrorNotAnAccuracy) {
  RunSpec s = tiny("parity");
  s.test_count = 1;  // balanced labels: one word per length rounds down to none
  EXPECT_EQ(message_of([&] { run(s); }),
            "train: no test example of parity at lengths 7..8 with --test-count 1 (labels are balanced per length: give "
            "--test-count 2 or more)");
}

TEST(Run, AnEmptyValidationSetIsAnError) {
  RunSpec s = tiny("first");  // words that start with 1: few words of length 1 and 2 outside the training set
  s.validation_count = 2;
  s.validation_independent = false;
  s.validation_lengths = "1";
  EXPECT_NE(message_of([&] { run(s); }).find("train: no validation example of first at lengths 1"), std::string::npos);
}

TEST(Run, NothingIsWrittenWhenAnOptionIsBad) {
  const auto dir = std::filesystem::temp_directory_path() / "statelab_run_test_bad";
  std::filesystem::create_directories(dir);
  RunSpec s = tiny("parity");
  s.model = "transformer";
  set_option(s, "max-length", "1");
  RunOptions how;
  how.output = dir / "m.safetensors";
  how.checkpoint_every = 5;
  EXPECT_EQ(message_of([&] { run(s, how); }),
            "train: --max-length 1 is shorter than the longest sequence of the data (8 tokens)");
  EXPECT_FALSE(std::filesystem::exists(how.output));
  std::filesystem::remove_all(dir);
}

TEST(Run, RepeatsFromItsMetrics) {
  const auto dir = std::filesystem::temp_directory_path() / "statelab_run_test_repeat";
  std::filesystem::create_directories(dir);
  RunOptions how;
  how.output = dir / "a.safetensors";
  const RunResult a = run(tiny("parity"), how);
  const RunSpec again = spec_from_metrics_file(metrics_path(how.output));
  EXPECT_EQ(again, tiny("parity"));
  const RunResult b = run(again);
  EXPECT_EQ(a.test_accuracy, b.test_accuracy);
  EXPECT_EQ(nlohmann::json::parse(a.metrics)["final_loss"], nlohmann::json::parse(b.metrics)["final_loss"]);
  std::filesystem::remove_all(dir);
}

// The default recipe, short: only the language and the lengths are given.
RunResult with_defaults(const std::string& lang, const std::string& train_lengths, const std::string& test_lengths) {
  RunSpec s;
  s.lang = lang;
  s.train_lengths = train_lengths;
  s.test_lengths = test_lengths;
  return run(s);
}

TEST(Run, DefaultsLearnTomita1) {
  const RunResult r = with_defaults("tomita:n=1", "0..10", "11..20");
  EXPECT_EQ(r.validation_accuracy, 1.0);
  EXPECT_EQ(r.test_accuracy, 1.0);
  EXPECT_LT(r.steps, RunSpec{}.steps) << "stops early once validation is perfect";
  EXPECT_NE(r.summary.find("validation accuracy reached 1.0000; kept step"), std::string::npos) << r.summary;
}

// A run whose validation accuracy stays 0 (A5 at length 4 in 400 steps, evaluated only at the
// start and the end) keeps the end's parameters, whose validation loss is lower, not step 0's.
TEST(Run, EqualValidationAccuracyKeepsTheLowerLossNotTheInitialisation) {
  RunSpec s;
  s.lang = "word-problem:group=A5";
  s.task = "tag";
  s.hidden = 64;
  s.embedding = 32;
  s.train_lengths = "4..4";
  s.test_lengths = "4..4";
  s.steps = 400;
  s.eval_every = 1000;
  const RunResult r = run(s);
  EXPECT_EQ(r.validation_accuracy, 0.0) << r.summary;
  EXPECT_EQ(r.best_step, 400) << r.summary;
  const auto metrics = nlohmann::json::parse(r.metrics);
  ASSERT_TRUE(metrics.contains("validation_loss"));
  EXPECT_LT(metrics["validation_loss"].get<double>(), std::log(60.0)) << "below the loss of a uniform guess";
}

// The learning curve holds every evaluation: step 0 first, every eval_every steps, the last step;
// the kept step's entry is the validation accuracy and loss the metrics report.
TEST(Run, ValidationHistoryHoldsEveryEvaluationAndTheKeptOne) {
  RunSpec s = tiny("parity");
  s.steps = 30;
  s.eval_every = 10;
  const auto metrics = nlohmann::json::parse(run(s).metrics);
  ASSERT_TRUE(metrics.contains("validation_history")) << metrics.dump();
  std::vector<std::int64_t> steps, expected;
  for (const auto& e : metrics["validation_history"]) steps.push_back(e["step"].get<std::int64_t>());
  const auto taken = metrics["steps"].get<std::int64_t>();  // fewer than 30 if validation reached 100%
  for (std::int64_t k = 0; k < taken; k += 10) expected.push_back(k);
  expected.push_back(taken);
  EXPECT_EQ(steps, expected);
  bool kept = false;
  for (const auto& e : metrics["validation_history"])
    if (e["step"] == metrics["best_step"]) {
      kept = true;
      EXPECT_EQ(e["accuracy"], metrics["validation_accuracy"]);
      EXPECT_EQ(e["loss"], metrics["validation_loss"]);
    }
  EXPECT_TRUE(kept);
  s.validation_count = 0;  // no validation set: no curve
  EXPECT_FALSE(nlohmann::json::parse(run(s).metrics).contains("validation_history"));
}

// A seed's numbers depend on the instruction sets the arithmetic runs with: the metrics name
// them and the CPU, so that a number can be traced to the kind of machine that made it.
TEST(Run, MetricsNameTheMachine) {
  RunSpec s = tiny("parity");
  s.steps = 2;
  const auto metrics = nlohmann::json::parse(run(s).metrics);
  ASSERT_TRUE(metrics.contains("machine")) << metrics.dump();
  const std::string simd = metrics["machine"]["simd"].get<std::string>();
  EXPECT_EQ(simd.rfind("Eigen: ", 0), 0u) << simd;
  EXPECT_NE(simd.find("; loops: "), std::string::npos) << simd;
  EXPECT_FALSE(metrics["machine"]["cpu"].get<std::string>().empty());
}

TEST(Run, DefaultsLearnParityAtSmallLengths) {
  const RunResult r = with_defaults("parity", "1..10", "11..20");
  EXPECT_EQ(r.test_accuracy, 1.0) << r.summary;
}

}  // namespace
}  // namespace statelab::bridge
