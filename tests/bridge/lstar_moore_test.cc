// L* for Moore machines: with an exact oracle it returns the minimal machine (its initial output
// settled, since the empty word shows none); with the abstraction and random-word oracles it
// learns a tagger whose hidden state is known exactly (one-hot states) and S3's Cayley automaton
// (these two for L# too).
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "automata/moore.h"
#include "base/error.h"
#include "bridge/lsharp.h"
#include "bridge/extract.h"
#include "bridge/lstar_moore.h"
#include "languages/registry.h"
#include "languages/task.h"
#include "tests/support/generators.h"

namespace statelab::bridge {
namespace {

using automata::MooreMachine;

RC_GTEST_PROP(LStarMoore, WithAnExactOracleReturnsTheMinimalMachine, ()) {
  const auto k = *rc::gen::inRange<std::size_t>(1, 4);
  const auto n = *rc::gen::inRange<std::size_t>(1, 13);
  const auto outputs = *rc::gen::inRange<std::size_t>(1, 4);
  const MooreMachine target =
      automata::random_moore(statelab::testing::letters(k), n, outputs, *rc::gen::arbitrary<std::uint64_t>());
  MooreTagger tagger(target);
  MooreExactOracle oracle(target);
  const auto r = lstar_moore(tagger, oracle);
  RC_ASSERT(r.complete);
  RC_ASSERT(!automata::find_counterexample(r.machine, target, 1));  // the same output at every position
  RC_ASSERT(r.machine.dfa.num_states() == complete_initial_output(target).dfa.num_states());
  RC_ASSERT(r.machine == automata::minimize(r.machine));  // minimal and canonical
  // Rivest-Schapire: every counterexample adds a state.
  RC_ASSERT(r.equivalence_queries <= r.machine.dfa.num_states() + 1);
}

TEST(LStarMoore, TheInitialOutputIsTheOneThatMakesTheMachineSmallest) {
  // Parity of a's, outputs even/odd; the initial state is re-entered by "a a".
  automata::Dfa dfa(automata::Alphabet({"a"}), 2);
  dfa.set_next(0, 0, 1);
  dfa.set_next(1, 0, 0);
  const auto settled = complete_initial_output(automata::make_moore(dfa, {"-", "odd"}));
  EXPECT_EQ(settled.dfa.num_states(), 2u);  // "a a" shows the initial state's "-": it stays
  // Three states where the initial one is the even state seen again: it becomes "even".
  automata::Dfa three(automata::Alphabet({"a"}), 3);
  three.set_next(0, 0, 1);
  three.set_next(1, 0, 2);
  three.set_next(2, 0, 1);
  const auto s = complete_initial_output(automata::make_moore(three, {"-", "odd", "even"}));
  EXPECT_EQ(s.dfa.num_states(), 2u);
  EXPECT_EQ(automata::state_output_names(s), (std::vector<std::string>{"even", "odd"}));
}

TEST(LStarMoore, LearnsAOneHotTaggerExactlyWithTheAbstractionOracle) {
  // A tagger whose hidden state is exactly the one-hot vector of its machine's state.
  for (std::uint64_t seed : {1, 2, 3, 4}) {
    const MooreMachine target = automata::random_moore(statelab::testing::letters(2), 8, 3, seed);
    MooreTagger tagger(target);
    MooreAbstractionOracle abstraction(tagger);
    MooreRandomWordsOracle random(200, 20, seed);
    MooreSequenceOracle oracle({&abstraction, &random});
    for (const auto& r : {lstar_moore(tagger, oracle), lsharp_moore(tagger, oracle)}) {  // L*, then L#
      EXPECT_TRUE(r.complete);
      EXPECT_FALSE(automata::find_counterexample(r.machine, target, 1)) << "seed " << seed;
      EXPECT_EQ(r.machine.dfa.num_states(), complete_initial_output(target).dfa.num_states()) << "seed " << seed;
    }
  }
}

TEST(LStarMoore, LearnsTheCayleyAutomatonOfS3FromItsTaggingTask) {
  const auto task = languages::make_task("word-problem:group=S3");
  TruthTagger truth(*task);
  MooreRandomWordsOracle oracle(500, 12, 1);
  for (const auto& r : {lstar_moore(truth, oracle), lsharp_moore(truth, oracle)}) {  // L*, then L#
    ASSERT_TRUE(r.complete);
    EXPECT_EQ(r.machine.dfa.num_states(), 6u);
    // State 0 (the initial one) is the identity, and every state's output is the product so far.
    EXPECT_EQ(automata::state_output_names(r.machine)[0], "e");
    for (std::uint64_t seed = 0; seed < 50; ++seed) {
      auto rng = make_rng(seed);
      const auto example = task->sample(1 + seed % 15, rng);
      const auto tags = truth.tags(std::span<const Word>(&example.input, 1)).front();
      for (std::size_t t = 0; t < example.input.size(); ++t)
        EXPECT_EQ(automata::output_of(r.machine, std::span(example.input).first(t + 1)), truth.name(tags[t]));
    }
  }
}

TEST(LStarMoore, RefusesATaggerWithoutHiddenStatesForTheAbstractionOracle) {
  const auto task = languages::make_task("word-problem:group=S3");
  TruthTagger truth(*task);
  EXPECT_THROW(MooreAbstractionOracle{truth}, InvalidArgument);
}

// The truth's Moore machine comes from what the source is (a task's state DFA, a regular
// language's DFA), not from a catalogue language that happens to share the task's name.
TEST(TruthMooreMachine, AWordProblemTaskIsItsCayleyAutomatonWithTheProductAtEveryState) {
  for (const std::string name : {"word-problem:group=S3", "word-problem:group=S4,gens=(1,2);(1,2,3,4)"}) {
    const Source source = load_source(name, models::Head::tag, "test");
    const TruthTagger truth(*source.task);
    const TruthMachine m = truth_moore_machine(source, truth);
    ASSERT_TRUE(m.machine) << name;
    EXPECT_TRUE(m.why_not.empty());
    EXPECT_EQ(m.machine->dfa.num_states(), name.find("S3") != std::string::npos ? 6u : 24u) << name;
    for (std::uint64_t seed = 0; seed < 30; ++seed) {
      auto rng = make_rng(seed);
      const auto example = source.task->sample(1 + seed % 12, rng);
      const auto tags = truth.tags(std::span<const Word>(&example.input, 1)).front();
      for (std::size_t t = 0; t < example.input.size(); ++t)
        EXPECT_EQ(automata::output_of(*m.machine, std::span(example.input).first(t + 1)), truth.name(tags[t]));
    }
  }
}

TEST(TruthMooreMachine, ARegularLanguageIsItsMinimalDfaWithTheTruthsOutputs) {
  const Source source = load_source("tomita:n=3", models::Head::next_set, "test");
  const TruthTagger truth(*source.language, models::Head::next_set);
  const TruthMachine m = truth_moore_machine(source, truth);
  ASSERT_TRUE(m.machine);
  for (const Word& w : {Word{0}, Word{1, 1, 0}, Word{1, 0, 1, 0, 0}}) {
    const auto tags = truth.tags(std::span<const Word>(&w, 1)).front();
    if (tags.back() != kNoOutput) {
      EXPECT_EQ(automata::output_of(*m.machine, w), truth.name(tags.back()));
    }
  }
}

TEST(TruthMooreMachine, SaysInOneLineWhyThereIsNone) {
  const Source copy = load_source("copy-task:k=2", models::Head::tag, "test");
  const TruthMachine a = truth_moore_machine(copy, TruthTagger(*copy.task));
  EXPECT_FALSE(a.machine);
  EXPECT_NE(a.why_not.find("copy-task:k=2"), std::string::npos) << a.why_not;
  const Source dyck = load_source("dyck:k=1", models::Head::next_set, "test");
  const TruthMachine b = truth_moore_machine(dyck, TruthTagger(*dyck.language, models::Head::next_set));
  EXPECT_FALSE(b.machine);
  EXPECT_NE(b.why_not.find("not regular"), std::string::npos) << b.why_not;
  EXPECT_EQ(b.why_not.find('\n'), std::string::npos);
}

// A next-set network says something after every prefix, also after those it calls impossible,
// where it was never trained.  This one is the truth wherever the truth asks something and noise
// (a hash of the prefix) on dead prefixes: the noise has no finite machine.
class NoisyOnDeadPrefixes final : public Tagger {
 public:
  explicit NoisyOnDeadPrefixes(const Tagger& truth) : truth_(truth) {}
  const Alphabet& alphabet() const override { return truth_.alphabet(); }
  models::Head head() const override { return models::Head::next_set; }
  const std::vector<std::string>& output_names() const override { return truth_.output_names(); }
  std::vector<std::vector<Output>> tags(std::span<const Word> words) const override {
    auto out = truth_.tags(words);
    const Output all = (Output{1} << (alphabet().size() + 1)) - 1;
    for (std::size_t i = 0; i < words.size(); ++i) {
      std::uint64_t hash = 1469598103934665603ULL;
      for (std::size_t t = 0; t < out[i].size(); ++t) {
        hash = (hash ^ (words[i][t] + 1)) * 1099511628211ULL;
        if (out[i][t] == kNoOutput) out[i][t] = 1 + (hash >> 17) % all;
      }
    }
    return out;
  }

 private:
  const Tagger& truth_;
};

RC_GTEST_PROP(LiveNextSetTagger, LeavesANextSetTruthAsItIs, ()) {
  // The truth excludes a symbol exactly when reading it kills the prefix.
  const std::string name = *rc::gen::element<std::string>("tomita:n=3", "tomita:n=5", "dyck:k=1,depth=2",
                                                          "dyck:k=2,depth=2", "regex:(aa)*", "regex:a.*b.*");
  const Source source = load_source(name, models::Head::next_set, "test");
  const TruthTagger truth(*source.language, models::Head::next_set);
  const auto k = source.language->alphabet().size();
  const auto words = *rc::gen::container<std::vector<Word>>(
      rc::gen::resize(12, rc::gen::nonEmpty(rc::gen::container<Word>(rc::gen::inRange<Symbol>(0, static_cast<Symbol>(k))))));
  RC_ASSERT(LiveNextSetTagger(truth).tags(words) == truth.tags(words));
}

TEST(LiveNextSetTagger, SaysNothingPastASymbolItExcluded) {
  const Source source = load_source("dyck:k=1,depth=2", models::Head::next_set, "test");
  const TruthTagger truth(*source.language, models::Head::next_set);
  const NoisyOnDeadPrefixes network(truth);
  const Word word = {0, 1, 1, 0, 0};  // "( ) ) ( (": dead from the second ")"
  const auto said = network.tags(std::span<const Word>(&word, 1)).front();
  const auto live = LiveNextSetTagger(network).tags(std::span<const Word>(&word, 1)).front();
  EXPECT_NE(said[2], kNoOutput);
  EXPECT_EQ(std::vector<Output>(live.begin(), live.begin() + 2), std::vector<Output>(said.begin(), said.begin() + 2));
  EXPECT_EQ(std::vector<Output>(live.begin() + 2, live.end()), std::vector<Output>(3, kNoOutput));
  EXPECT_THROW(LiveNextSetTagger{MooreTagger(automata::random_moore(statelab::testing::letters(2), 2, 2, 1))},
               InvalidArgument);
}

TEST(ExtractMoore, ANextSetNetworkIsLearnedOnThePrefixesItCallsLive) {
  // The noise on dead prefixes would keep L* adding states until its time limit; on the prefixes
  // the network calls live it is the truth, so extraction ends with the truth's machine.
  for (const std::string name : {"tomita:n=3", "tomita:n=4"}) {
    const Source source = load_source(name, models::Head::next_set, "test");
    const TruthTagger truth(*source.language, models::Head::next_set);
    for (Symbol a = 0; a < 2; ++a) {  // no output precedes the first symbol: these never kill it
      const Word first = {a};
      ASSERT_NE(truth.tags(std::span<const Word>(&first, 1)).front().front(), kNoOutput) << name;
    }
    const TruthMachine machine = truth_moore_machine(source, truth);
    ASSERT_TRUE(machine.machine) << name;
    const NoisyOnDeadPrefixes network(truth);
    ExtractOptions options;
    options.abstraction_oracle = false;  // no hidden states
    options.random_tests = 500;
    options.random_max_length = 30;
    options.limits.seconds = 20;
    options.limits.max_states = 100;  // the noise would pass it at once
    options.seed = 1;
    const auto report = extract_moore(network, options, &truth, &*machine.machine);
    EXPECT_TRUE(report.complete) << name << ": stopped by " << report.stopped_by;
    EXPECT_TRUE(report.equivalent_to_truth.value_or(false)) << name;
    EXPECT_LE(report.states, machine.machine->dfa.num_states() + 1) << name;
    EXPECT_EQ(report.fidelity, 1.0) << name;
  }
}

}  // namespace
}  // namespace statelab::bridge
