// Exact counting and exact uniform sampling of the words of a context-free grammar by length.
//
// What is counted is derivation trees: for an unambiguous grammar (each word has at most one
// derivation tree, i.e. one leftmost derivation) that is the number of words, and sampling is
// uniform over the words of the length; for an ambiguous grammar the count exceeds the number
// of words and a word is drawn in proportion to its number of derivation trees.  A grammar in
// which some word has infinitely many derivations (a nonterminal that derives itself through
// unit rules and nullable symbols, or derives the empty word in infinitely many ways) is
// ambiguous in the strongest sense and is refused: InvalidArgument.  Unambiguity itself is
// undecidable, so it is the caller's promise; the Dyck, palindrome and a^n b^n grammars of the
// catalogue keep it.
//
// Counts are exact (boost::multiprecision::cpp_int); randomness comes from the caller's Rng
// only, through base/random_big.h's uniform_below, so a sample reproduces from its seed on
// every platform.
#pragma once

#include <boost/multiprecision/cpp_int.hpp>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include "automata/cfg.h"
#include "base/random_big.h"

namespace statelab::automata {

using BigCount = boost::multiprecision::cpp_int;

/// The counting tables of a grammar for lengths 0..max_length, and sampling from them.
///
/// Construction: trim useless symbols; binarise the rules (A -> X1 X2 ... Xk becomes a chain
/// of two-symbol rules, a bijection on derivations); count the derivations of the empty word
/// e(A) in topological order of the nullable rules; then build the grammar of non-empty
/// derivations, where a rule A -> X Y with X nullable also yields the unit rule A -> Y with
/// weight e(X); order its unit rules topologically (a cycle means infinitely many derivations);
/// finally c(A, n) = sum of w * c(Y, n) over unit rules + sum over binary rules A -> X Y of
/// sum_{t=1}^{n-1} c(X, t) c(Y, n-t).
/// Time O(max_length^2 |G|) big-integer products, space O(max_length |G|) big integers.
class CfgCounter {
 public:
  /// Throws InvalidArgument when some word has infinitely many derivations.
  CfgCounter(const Cfg& cfg, std::size_t max_length);

  std::size_t max_length() const { return max_length_; }
  const Alphabet& terminals() const { return terminals_; }

  /// The number of derivation trees of words of `length` (of words, when unambiguous).
  /// Throws InvalidArgument when length > max_length().
  const BigCount& count(std::size_t length) const;

  /// A word of `length`, each drawn with probability (its derivation trees) / count(length):
  /// one uniform integer below the count of each node chosen, top-down.
  /// Time O(length^2 |G|) in the worst case, O(length |G|) typically.
  /// Throws InvalidArgument when length > max_length() or no word has that length.
  Word sample(std::size_t length, Rng& rng) const;

 private:
  // A node is a nonterminal of the binarised grammar (>= 0) or a terminal a (-(a+1)).
  struct Rule {
    std::int64_t x, y;  // y == kNone for a unit rule
    BigCount weight;
  };
  static constexpr std::int64_t kNone = std::numeric_limits<std::int64_t>::min();
  const BigCount& table(std::int64_t node, std::size_t length) const;

  Alphabet terminals_;
  std::size_t max_length_ = 0;
  std::int64_t start_ = kNone;  // kNone: the grammar derives nothing
  std::vector<std::vector<Rule>> rules_;  // per nonterminal: the rules of its non-empty derivations
  std::vector<std::vector<BigCount>> counts_;  // counts_[A][n]: derivations of A of length n (n = 0: e(A))
  BigCount zero_ = 0, one_ = 1;
};

/// CfgCounter(cfg, max_length).count(n) for n = 0..max_length.
std::vector<BigCount> count_words(const Cfg& cfg, std::size_t max_length);

}  // namespace statelab::automata
