// Extracting a DFA from a black-box recognizer with queries: Angluin's L* (1987) on an observation
// table, with Rivest and Schapire's (1993) counterexample processing, and the equivalence oracles
// it can be paired with:
//   - ExactOracle: a known target DFA (for tests and benchmarks: L* then returns the minimal DFA);
//   - RandomWordsOracle: conformance testing on seeded random words (a statistical oracle);
//   - AbstractionOracle: Weiss, Goldberg and Yahav (ICML 2018), which explores a finite abstraction
//     of the network's hidden-state space in parallel with the hypothesis, and refines the
//     abstraction with a separating hyperplane when the two disagree on whether two states differ.
//
// The table.  S is a prefix-closed set of access words whose rows are pairwise distinct (the
// states), E a suffix set starting with {epsilon}; a row is the membership of s.e for every e.
// The table is closed when every s.a has the row of some s' in S.  Rivest-Schapire: for a
// counterexample w, with u_i the access word of the hypothesis state after w[0..i), the answers
// alpha_i = member(u_i . w[i..]) differ at i = 0 and i = |w|; a binary search finds i with
// alpha_i != alpha_{i+1}, and the single suffix w[i+1..] is added to E.  Rows of S stay distinct,
// so the table is always consistent and every counterexample adds at least one state.
// Cost: at most n equivalence queries and O(k n^2 + n log m) membership queries for a minimal
// target of n states, k symbols and counterexamples of length <= m (each membership query is
// answered once; answers are cached, and every round's new queries go to the recognizer as one
// batch evaluated in parallel).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "automata/dfa.h"
#include "automata/limits.h"
#include "bridge/recognizer.h"

namespace statelab::bridge {

/// Limits on one extraction; 0 means "no limit" for the counts.  A limit that is hit stops the
/// run, which still returns its last hypothesis, marked incomplete, with the limit named.
struct Limits {
  double seconds = 0;                        // wall-clock time; 0: none (must not be negative)
  std::size_t max_states = 0;                // hypothesis states
  std::size_t max_membership_queries = 0;    // distinct words asked of the recognizer
  std::size_t max_equivalence_queries = 0;   // hypotheses submitted
  /// Called with (milliseconds elapsed, the time limit in milliseconds or 0) each time the
  /// limits are checked (automata/limits.h); the CLI draws it on a terminal.
  ProgressFn progress;
};

/// Throws InvalidArgument when a limit is negative or not finite.  `seconds = 0` passed by a user
/// means "no time at all" and is refused by the CLI; the library reads it as "no limit".
void validate(const Limits& limits);

/// Counts, clock and limits of one run, shared by the learner and its oracle.
class Budget {
 public:
  explicit Budget(const Limits& limits);
  const Limits& limits() const { return limits_; }
  double elapsed() const;
  /// The name of the first limit reached ("time", "states", "membership queries", ...), or "".
  std::string exhausted(std::size_t states) const;

  std::size_t membership_queries = 0;
  std::size_t equivalence_queries = 0;

 private:
  Limits limits_;
  std::chrono::steady_clock::time_point start_;
};

/// A hash of words (FNV-1a over the symbols), for caches keyed by Word.
struct WordHash {
  std::size_t operator()(const Word& w) const noexcept;
};

/// A prefix of a membership query, as a learner keeps it: the word, and -- when the recognizer
/// is a DFA (Recognizer::as_dfa) -- that DFA's state after it (else kNoState).  A learner extends
/// it symbol by symbol (`extend`), so the state costs one transition per symbol it ever adds.
struct Prefix {
  static constexpr automata::State kNoState = static_cast<automata::State>(-1);
  const Word* word = nullptr;
  automata::State state = kNoState;
};

/// Membership answers with a cache: every distinct word is asked of the recognizer once.
class MembershipOracle {
 public:
  /// Without `cache`, every word asked goes to the recognizer (and is counted): for cheap exact
  /// targets, where a cache of millions of words costs more memory than asking again.
  MembershipOracle(const Recognizer& recognizer, Budget& budget, bool cache = true)
      : recognizer_(recognizer), budget_(budget), use_cache_(cache), dfa_(recognizer.as_dfa()) {}
  /// Answers every word, asking the recognizer (in one parallel batch) about those not yet known.
  std::vector<bool> ask(std::span<const Word> words);
  bool ask(const Word& word);

  /// One column of a table: the membership of p.word . suffix for every prefix p.  When the
  /// recognizer is a DFA, each answer runs the suffix from p.state (or, for more prefixes than
  /// the DFA has states, looks it up in the suffix's answers from every state: n |suffix| steps);
  /// every prefix counts as one query and nothing is cached (the table asks no cell twice).
  /// Otherwise the words are built and asked as by `ask`.
  std::vector<bool> ask_column(std::span<const Prefix> prefixes, std::span<const Symbol> suffix);
  /// The recognizer's DFA state after the empty word (kNoState when it is no DFA).
  automata::State initial_state() const { return dfa_ ? dfa_->initial() : Prefix::kNoState; }
  /// The state after prefix . a, from the state after prefix.
  automata::State extend(automata::State state, Symbol a) const {
    return dfa_ ? dfa_->next(state, a) : Prefix::kNoState;
  }
  /// The DFA's answer for a prefix ending in `state` (only when the recognizer is a DFA); counts one query.
  bool ask_state(automata::State state) {
    ++budget_.membership_queries;
    return dfa_->is_accepting(state);
  }
  bool exact_dfa() const { return dfa_ != nullptr; }

  const Recognizer& recognizer() const { return recognizer_; }
  Budget& budget() { return budget_; }

 private:
  const Recognizer& recognizer_;
  Budget& budget_;
  bool use_cache_;
  const automata::Dfa* dfa_;
  std::unordered_map<Word, bool, WordHash> cache_;
};

/// An equivalence oracle: a word on which the hypothesis and the target differ, or nothing when
/// it finds none (within its own effort and the budget).
class EquivalenceOracle {
 public:
  virtual ~EquivalenceOracle() = default;
  virtual std::optional<Word> counterexample(const automata::Dfa& hypothesis, MembershipOracle& member) = 0;
  /// A short name for reports ("exact", "random-words", "abstraction").
  virtual std::string name() const = 0;
};

/// The target is a known DFA: the shortest, shortlex-least word on which they differ.
class ExactOracle final : public EquivalenceOracle {
 public:
  explicit ExactOracle(automata::Dfa target) : target_(std::move(target)) {}
  std::optional<Word> counterexample(const automata::Dfa& hypothesis, MembershipOracle& member) override;
  std::string name() const override { return "exact"; }

 private:
  automata::Dfa target_;
};

/// Conformance testing: `tests` words per query, lengths uniform in 0..max_length, symbols uniform,
/// drawn from make_rng(seed + query number); returns the shortest (then shortlex-least)
/// disagreeing word among them.  The words are asked through the membership oracle (counted).
class RandomWordsOracle final : public EquivalenceOracle {
 public:
  RandomWordsOracle(std::size_t tests, std::size_t max_length, std::uint64_t seed)
      : tests_(tests), max_length_(max_length), seed_(seed) {}
  std::optional<Word> counterexample(const automata::Dfa& hypothesis, MembershipOracle& member) override;
  std::string name() const override { return "random-words"; }

 private:
  std::size_t tests_, max_length_;
  std::uint64_t seed_;
  std::uint64_t round_ = 0;
};

/// The abstraction of Weiss, Goldberg and Yahav: a decision tree of hyperplanes over the hidden-state
/// space, whose leaves are the abstract states.  Shared by the DFA and Moore abstraction oracles.
class HyperplaneTree {
 public:
  /// One leaf, or -- given a read-out -- two: accepting and rejecting states.
  explicit HyperplaneTree(const std::optional<Readout>& root = std::nullopt);
  /// The leaf (abstract state) of a hidden state.  Time: the tree's depth x the state's dimension.
  int leaf_of(const Eigen::VectorXf& h) const;
  /// Splits the leaf of `a` by the perpendicular bisector of a and b (a stays in the old leaf).
  void split(const Eigen::VectorXf& a, const Eigen::VectorXf& b);
  std::size_t leaves() const { return leaves_; }
  std::size_t refinements() const { return refinements_; }

 private:
  struct Node {
    Eigen::VectorXf normal;  // internal node: go to `above` when normal . h + offset > 0
    float offset = 0;
    int above = -1, below = -1;
    int leaf = -1;  // >= 0 for a leaf: its id
  };
  int node_of_leaf(const Eigen::VectorXf& h) const;
  std::vector<Node> tree_;
  std::size_t leaves_ = 0;
  std::size_t refinements_ = 0;
};

/// The shortest (then least) word after which p and q are classified differently by `differ`
/// (acceptance, or a Moore machine's outputs), breadth-first over pairs of states; nothing when
/// no pair reachable from (p, q) differs.  Time O(k n^2).
std::optional<Word> separating_suffix(const automata::Dfa& dfa, automata::State p, automata::State q,
                                      const std::function<bool(automata::State, automata::State)>& differ);

/// What the abstraction oracle's exploration needs of a hypothesis and a network, DFA or Moore alike.
struct Exploration {
  const automata::Dfa& hypothesis;                                       // its transitions
  std::function<bool(automata::State, automata::State)> differ;          // two states' outputs differ
  std::function<std::vector<bool>(std::span<const Word>)> wrong;         // the hypothesis is wrong on each word (asks the network)
  std::function<std::vector<Eigen::VectorXf>(std::span<const Word>)> hidden;  // the network's state after each word
  bool empty_word_shows = true;  // false for Moore machines: the empty word has no output to compare
};

/// The exploration of AbstractionOracle (below) with `tree` as the abstraction, shared by the DFA
/// and Moore oracles: a word on which the hypothesis is wrong, or nothing (also when the budget is
/// spent or the tree has max_leaves leaves).
std::optional<Word> explore_abstraction(HyperplaneTree& tree, std::size_t max_leaves, Budget& budget,
                                        const Exploration& e);

/// Weiss, Goldberg and Yahav's abstraction-refinement oracle, for recognizers with hidden states.
///
/// The abstraction is a decision tree of hyperplanes over the hidden-state space; its leaves are
/// the abstract states.  It starts coarse: one hyperplane, the network's own read-out when it has
/// one (accepting vs rejecting states), else a single leaf.  A query explores words breadth-first
/// (symbols in order) from epsilon, pairing the network's abstract state with the hypothesis state:
///   - the network and the hypothesis classify the word differently: that word is returned;
///   - a leaf first seen with hypothesis state q is met again with q' != q: let s be the shortest
///     word separating q and q' in the hypothesis; if the network disagrees with the hypothesis on
///     w.s or w'.s, that word is returned; otherwise the network separates the two states as the
///     hypothesis does, so the leaf is split by the hyperplane bisecting the two hidden states
///     (the perpendicular bisector; Weiss et al. fit an SVM to all the leaf's states) and the
///     exploration restarts;
///   - a leaf first seen: paired with q, and its successors are explored.
/// When the exploration ends without a counterexample, the hypothesis equals the abstraction's
/// quotient of the network, and nothing is returned.  The refined tree persists between queries.
/// Each exploration visits at most (leaves x k) words; each refinement adds one leaf; the
/// exploration also stops at `max_leaves` leaves or when the budget is spent (nothing returned).
class AbstractionOracle final : public EquivalenceOracle {
 public:
  /// Throws InvalidArgument when the recognizer exposes no hidden state.
  explicit AbstractionOracle(const Recognizer& recognizer, std::size_t max_leaves = 4096);
  std::optional<Word> counterexample(const automata::Dfa& hypothesis, MembershipOracle& member) override;
  std::string name() const override { return "abstraction"; }
  std::size_t leaves() const { return tree_.leaves(); }
  std::size_t refinements() const { return tree_.refinements(); }

 private:
  const Recognizer& recognizer_;
  std::size_t max_leaves_;
  HyperplaneTree tree_;
};

/// Asks several oracles in order; the first counterexample wins.  Records which oracle found it.
class SequenceOracle final : public EquivalenceOracle {
 public:
  explicit SequenceOracle(std::vector<EquivalenceOracle*> oracles) : oracles_(std::move(oracles)) {}
  std::optional<Word> counterexample(const automata::Dfa& hypothesis, MembershipOracle& member) override;
  std::string name() const override;
  /// Counterexamples found by each oracle, in the order given.
  const std::vector<std::size_t>& found() const { return found_; }

 private:
  std::vector<EquivalenceOracle*> oracles_;
  std::vector<std::size_t> found_ = std::vector<std::size_t>(oracles_.size());
};

struct LStarResult {
  automata::Dfa dfa;  // the last hypothesis: minimal for what the table has seen, canonical order
  bool complete = false;            // the oracle found no counterexample to it
  std::string stopped_by;           // the limit that stopped the run ("" when complete)
  std::size_t membership_queries = 0;
  std::size_t equivalence_queries = 0;
  std::size_t counterexamples = 0;
  double seconds = 0;
  std::vector<Word> access_words;   // S, one per state of the table's hypothesis
  std::vector<Word> suffixes;       // E
};

/// A learner's result from its last hypothesis: in canonical order when `complete`, else minimised;
/// counts and seconds from the budget (suffixes are left to the learner).
LStarResult learned(const automata::Dfa& hypothesis, bool complete, std::string stopped_by, const Budget& budget,
                    std::size_t counterexamples, std::vector<Word> access_words);

/// L* with Rivest-Schapire counterexample processing (see the file comment), the recognizer as
/// membership oracle (answers cached unless `cache_queries` is false).  Throws InvalidArgument on an
/// empty alphabet or invalid limits.
LStarResult lstar(const Recognizer& recognizer, EquivalenceOracle& oracle, const Limits& limits = {},
                  bool cache_queries = true);

}  // namespace statelab::bridge
