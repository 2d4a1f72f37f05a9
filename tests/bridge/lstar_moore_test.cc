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

}  // namespace
}  // namespace statelab::bridge
