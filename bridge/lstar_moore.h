// L* for Moore machines: extracting the state machine of a network with a per-position head (tag:
// the class after each prefix; next-set: the set of symbols that may follow it), with the same
// limits, budget and kinds of equivalence oracle as the DFA learner (bridge/lstar.h).
//
// The table.  As for DFAs (lstar.h), but a cell holds the output of s.e instead of a bit, and the
// row of s is (out(s.e)) for e in E, E starting with {epsilon}: the output of a state is its
// row's epsilon cell.  The empty word has no position, so no output (kNoOutput): the initial
// state's row is the only one holding it.  Counterexamples are processed as Rivest and Schapire do,
// with alpha_i = out(u_i . w[i..]) now an output: a binary search keeps alpha(lo) != alpha(hi) and
// adds the suffix w[hi..] (never epsilon: the table is closed, so alpha(|w|-1) = alpha(|w|)).
// Once the oracle finds no counterexample, the initial state's output -- which no position shows --
// is settled as the one that makes the machine smallest (complete_initial_output), so that a
// network tracking S3 comes out as S3's 6-state Cayley automaton, its initial state the identity.
// Cost: as lstar.h's, one output query (cached; every prefix of a word asked is cached with it,
// since a network gives all its positions at once) per cell.
#pragma once

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "automata/moore.h"
#include "bridge/lstar.h"
#include "bridge/recognizer.h"

namespace statelab::bridge {

/// Output queries with a cache: the output after each whole word (kNoOutput for the empty word).
/// Each word not yet known is asked once (in one parallel batch per call), and the outputs at its
/// prefixes are cached with it.  Counts one membership query per word asked of the tagger.
class OutputOracle {
 public:
  OutputOracle(const Tagger& tagger, Budget& budget) : tagger_(tagger), budget_(budget) {}
  std::vector<Output> ask(std::span<const Word> words);
  Output ask(const Word& word);
  const Tagger& tagger() const { return tagger_; }
  Budget& budget() { return budget_; }

 private:
  const Tagger& tagger_;
  Budget& budget_;
  std::unordered_map<Word, Output, WordHash> cache_;
};

/// A hypothesis: transitions, and an output per state (kNoOutput for the initial state while its
/// output is unknown).
struct MooreHypothesis {
  automata::Dfa dfa;
  std::vector<Output> outputs;
};

/// The hypothesis as a Moore machine whose outputs are named by the tagger ("-" for kNoOutput).
automata::MooreMachine to_machine(const MooreHypothesis& hypothesis, const Tagger& tagger);

/// An equivalence oracle for Moore hypotheses: a non-empty word after which the hypothesis and the
/// tagger give different outputs, or nothing when it finds none.
class MooreEquivalenceOracle {
 public:
  virtual ~MooreEquivalenceOracle() = default;
  virtual std::optional<Word> counterexample(const MooreHypothesis& hypothesis, OutputOracle& out) = 0;
  virtual std::string name() const = 0;
};

/// The target is a known Moore machine (named as the tagger names its outputs): the shortest, then
/// shortlex-least, non-empty word on which they differ.
class MooreExactOracle final : public MooreEquivalenceOracle {
 public:
  explicit MooreExactOracle(automata::MooreMachine target) : target_(std::move(target)) {}
  std::optional<Word> counterexample(const MooreHypothesis& hypothesis, OutputOracle& out) override;
  std::string name() const override { return "exact"; }

 private:
  automata::MooreMachine target_;
};

/// Conformance testing on `tests` random words per query (lengths uniform in 1..max_length,
/// symbols uniform, from make_rng(seed, query number)): every position of each word is compared,
/// and the shortest (then shortlex-least) disagreeing prefix is returned.
class MooreRandomWordsOracle final : public MooreEquivalenceOracle {
 public:
  MooreRandomWordsOracle(std::size_t tests, std::size_t max_length, std::uint64_t seed)
      : tests_(tests), max_length_(max_length), seed_(seed) {}
  std::optional<Word> counterexample(const MooreHypothesis& hypothesis, OutputOracle& out) override;
  std::string name() const override { return "random-words"; }

 private:
  std::size_t tests_, max_length_;
  std::uint64_t seed_;
  std::uint64_t round_ = 0;
};

/// Weiss, Goldberg and Yahav's abstraction-refinement oracle (lstar.h's AbstractionOracle) for a
/// tagger with hidden states: the exploration pairs the network's abstract state with the
/// hypothesis state and compares outputs instead of acceptance; the tree starts as one leaf.
class MooreAbstractionOracle final : public MooreEquivalenceOracle {
 public:
  /// Throws InvalidArgument when the tagger exposes no hidden state.
  explicit MooreAbstractionOracle(const Tagger& tagger, std::size_t max_leaves = 4096);
  std::optional<Word> counterexample(const MooreHypothesis& hypothesis, OutputOracle& out) override;
  std::string name() const override { return "abstraction"; }
  std::size_t refinements() const { return tree_.refinements(); }

 private:
  const Tagger& tagger_;
  std::size_t max_leaves_;
  HyperplaneTree tree_;
};

/// Asks several oracles in order; the first counterexample wins.
class MooreSequenceOracle final : public MooreEquivalenceOracle {
 public:
  explicit MooreSequenceOracle(std::vector<MooreEquivalenceOracle*> oracles) : oracles_(std::move(oracles)) {}
  std::optional<Word> counterexample(const MooreHypothesis& hypothesis, OutputOracle& out) override;
  std::string name() const override;

 private:
  std::vector<MooreEquivalenceOracle*> oracles_;
};

struct MooreLStarResult {
  automata::MooreMachine machine;  // minimal, canonical order, initial output settled
  bool complete = false;
  std::string stopped_by;
  std::size_t membership_queries = 0;  // distinct words asked of the tagger
  std::size_t equivalence_queries = 0;
  std::size_t counterexamples = 0;
  double seconds = 0;
};

/// The smallest machine that agrees with `machine` on every non-empty word: the output of the
/// empty word alone (a fresh initial state with the old one's transitions) is set to each output in
/// turn and the smallest minimisation kept (when none is smaller than keeping the initial output,
/// it is kept; ties: the first output).  Time: (outputs + 1) minimisations.
automata::MooreMachine complete_initial_output(const automata::MooreMachine& machine);

/// A learner's result from its last hypothesis: complete_initial_output of it, with the counts and
/// seconds of the budget (shared by lstar_moore and lsharp_moore).
MooreLStarResult moore_learned(const MooreHypothesis& hypothesis, const Tagger& tagger, bool complete,
                               std::string stopped_by, const Budget& budget, std::size_t counterexamples);

/// L* for Moore machines (see the file comment).  Throws InvalidArgument on an empty alphabet,
/// invalid limits or an oracle whose counterexample is none.
MooreLStarResult lstar_moore(const Tagger& tagger, MooreEquivalenceOracle& oracle, const Limits& limits = {});

}  // namespace statelab::bridge
