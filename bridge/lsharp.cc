#include "bridge/lsharp.h"

#include <algorithm>
#include <cassert>
#include <deque>
#include <unordered_map>

#include "automata/decide.h"
#include "base/error.h"
#include "automata/minimize.h"

namespace statelab::bridge {

using automata::Dfa;
using automata::State;

namespace {

constexpr std::int32_t kNone = -1;

// The observation tree: node 0 is the empty word; every node knows its parent, the symbol that
// reaches it, the recognizer's DFA state after its word (when the recognizer is a DFA) and its
// answer (-1 while its word has not been asked).
class Tree {
 public:
  Tree(MembershipOracle& member, std::size_t k) : member_(member), k_(k) { add(kNone, 0, member.initial_state()); }

  std::int32_t child(std::int32_t n, Symbol a) const { return children_[static_cast<std::size_t>(n) * k_ + a]; }

  std::int32_t make_child(std::int32_t n, Symbol a) {
    if (const std::int32_t c = child(n, a); c != kNone) return c;
    const std::int32_t c = add(n, a, member_.extend(nodes_[n].target, a));
    children_[static_cast<std::size_t>(n) * k_ + a] = c;
    return c;
  }

  // The node of n's word . w, made as needed.
  std::int32_t walk(std::int32_t n, std::span<const Symbol> w) {
    for (Symbol a : w) n = make_child(n, a);
    return n;
  }

  // n's answer, asking the recognizer when it is not known yet.
  bool answer(std::int32_t n) {
    Node& node = nodes_[n];
    if (node.answer < 0) node.answer = (member_.exact_dfa() ? member_.ask_state(node.target) : member_.ask(word(n))) ? 1 : 0;
    return node.answer == 1;
  }
  std::int8_t known(std::int32_t n) const { return nodes_[n].answer; }

  Word word(std::int32_t n) const { return path(0, n); }

  // The suffix leading from `from` down to its descendant `to`.
  Word path(std::int32_t from, std::int32_t to) const {
    Word w;
    for (; to != from; to = nodes_[to].parent) w.push_back(nodes_[to].symbol);
    std::reverse(w.begin(), w.end());
    return w;
  }

  // A node x below p whose counterpart below q has a different answer (p and q are apart, with
  // witness path(p, x)), or kNone when they are compatible.  Walks the common subtree: at most
  // the size of the smaller one.
  std::int32_t conflict(std::int32_t p, std::int32_t q) const {
    stack_.clear();
    stack_.emplace_back(p, q);
    while (!stack_.empty()) {
      const auto [x, y] = stack_.back();
      stack_.pop_back();
      const auto ax = nodes_[x].answer, ay = nodes_[y].answer;
      if (ax >= 0 && ay >= 0 && ax != ay) return x;
      const std::size_t bx = static_cast<std::size_t>(x) * k_, by = static_cast<std::size_t>(y) * k_;
      for (std::size_t a = 0; a < k_; ++a)
        if (children_[bx + a] != kNone && children_[by + a] != kNone) stack_.emplace_back(children_[bx + a], children_[by + a]);
    }
    return kNone;
  }
  bool apart(std::int32_t p, std::int32_t q) const { return conflict(p, q) != kNone; }

  std::size_t size() const { return nodes_.size(); }

 private:
  struct Node {
    std::int32_t parent;
    Symbol symbol;
    State target;
    std::int8_t answer = -1;
  };

  std::int32_t add(std::int32_t parent, Symbol a, State target) {
    nodes_.push_back({parent, a, target});
    children_.resize(children_.size() + k_, kNone);
    return static_cast<std::int32_t>(nodes_.size() - 1);
  }

  MembershipOracle& member_;
  std::size_t k_;
  std::vector<Node> nodes_;
  std::vector<std::int32_t> children_;  // nodes x symbols
  mutable std::vector<std::pair<std::int32_t, std::int32_t>> stack_;
};

class LSharp {
 public:
  LSharp(MembershipOracle& member, std::size_t k) : member_(member), k_(k), tree_(member, k) {
    tree_.answer(0);
    promote_node(0);
  }

  // Applies promotion, extension and separation until every frontier node is compatible with
  // exactly one basis node; false when a limit stopped it first (named in stopped_by).
  bool stabilise(std::string& stopped_by) {
    while (!work_.empty()) {
      stopped_by = member_.budget().exhausted(basis_.size());
      if (!stopped_by.empty()) return false;
      const std::size_t f = work_.front();
      work_.pop_front();
      Frontier& fr = frontier_[f];
      if (fr.node == kNone) continue;  // promoted meanwhile
      if (fr.candidates.empty()) {
        stopped_by = member_.budget().exhausted(basis_.size() + 1);
        if (!stopped_by.empty()) {
          work_.push_front(f);
          return false;
        }
        promote(f);
        continue;
      }
      if (fr.candidates.size() == 1) continue;
      // Separation: ask the witness of two of its candidates, then drop those it is now apart from.
      const Word& sigma = witness(fr.candidates[0], fr.candidates[1]);
      tree_.answer(tree_.walk(fr.node, sigma));
      refilter(f);
      work_.push_back(f);
    }
    return true;
  }

  // The hypothesis: state i is basis node i; a frontier node goes to its first candidate (its only
  // one once stable).
  Dfa hypothesis(const Alphabet& alphabet) const {
    Dfa dfa(alphabet, basis_.size());
    for (std::size_t i = 0; i < basis_.size(); ++i) {
      dfa.set_accepting(static_cast<State>(i), tree_.known(basis_[i]) == 1);
      for (Symbol a = 0; a < k_; ++a) {
        const std::int32_t c = tree_.child(basis_[i], a);
        State to = 0;
        if (const std::size_t b = entry(basis_of_, c); b != kNoEntry)
          to = static_cast<State>(b);
        else if (const std::size_t f = entry(frontier_of_, c); f != kNoEntry && !frontier_[f].candidates.empty())
          to = static_cast<State>(frontier_[f].candidates[0]);
        dfa.set_next(static_cast<State>(i), a, to);
      }
    }
    return dfa;
  }

  // The shortest word of the tree whose answer the hypothesis contradicts, if any.
  std::optional<Word> tree_counterexample(const Dfa& hypothesis) const {
    std::deque<std::pair<std::int32_t, State>> queue{{0, hypothesis.initial()}};
    while (!queue.empty()) {
      const auto [n, q] = queue.front();
      queue.pop_front();
      if (tree_.known(n) >= 0 && (tree_.known(n) == 1) != hypothesis.is_accepting(q)) return tree_.word(n);
      for (Symbol a = 0; a < k_; ++a)
        if (const std::int32_t c = tree_.child(n, a); c != kNone) queue.emplace_back(c, hypothesis.next(q, a));
    }
    return std::nullopt;
  }

  // Rivest-Schapire on the tree (see lsharp.h); false when w is no counterexample.
  bool process(const Dfa& hypothesis, const Word& w) {
    // Only nodes below the basis nodes walked from (and the frontier nodes on those walks) gain
    // answers, so only frontier nodes with such a candidate, or on such a walk, can become apart.
    std::vector<char> touched(basis_.size(), 0);
    std::vector<std::size_t> walked;
    auto alpha = [&](std::size_t i) {
      const State q = automata::run(hypothesis, hypothesis.initial(), std::span<const Symbol>(w).first(i));
      touched[q] = 1;
      if (i < w.size())
        if (const std::size_t f = entry(frontier_of_, tree_.child(basis_[q], w[i])); f != kNoEntry)
          walked.push_back(f);
      return tree_.answer(tree_.walk(basis_[q], std::span<const Symbol>(w).subspan(i)));
    };
    std::size_t lo = 0, hi = w.size();
    const bool a_lo = alpha(lo);
    if (a_lo == alpha(hi)) return false;
    while (hi - lo > 1) {
      const std::size_t mid = (lo + hi) / 2;
      (alpha(mid) == a_lo ? lo : hi) = mid;
    }
    for (std::size_t f : walked)
      if (refilter(f)) work_.push_back(f);
    for (std::size_t f = 0; f < frontier_.size(); ++f) {
      const auto& c = frontier_[f].candidates;
      if (frontier_[f].node != kNone && std::any_of(c.begin(), c.end(), [&](std::uint32_t b) { return touched[b]; }) &&
          refilter(f))
        work_.push_back(f);
    }
    return true;
  }

  std::vector<Word> access_words() const {
    std::vector<Word> out;
    for (std::int32_t b : basis_) out.push_back(tree_.word(b));
    return out;
  }
  std::size_t states() const { return basis_.size(); }

 private:
  struct Frontier {
    std::int32_t node;
    std::vector<std::uint32_t> candidates;  // basis indices it is not apart from
  };

  static constexpr std::size_t kNoEntry = static_cast<std::size_t>(-1);

  static std::size_t entry(const std::vector<std::size_t>& v, std::int32_t node) {
    return node >= 0 && static_cast<std::size_t>(node) < v.size() ? v[static_cast<std::size_t>(node)] : kNoEntry;
  }
  // Makes v[node] addressable (kNoEntry for nodes not seen before).
  static void grow(std::vector<std::size_t>& v, std::int32_t node) {
    if (static_cast<std::size_t>(node) >= v.size()) v.resize(static_cast<std::size_t>(node) + 1, kNoEntry);
  }

  // Drops the candidates f is apart from; true when some were dropped.
  bool refilter(std::size_t f) {
    Frontier& fr = frontier_[f];
    const std::size_t before = fr.candidates.size();
    std::erase_if(fr.candidates, [&](std::uint32_t b) { return tree_.apart(fr.node, basis_[b]); });
    return fr.candidates.size() != before;
  }

  const Word& witness(std::uint32_t b1, std::uint32_t b2) {
    if (b1 > b2) std::swap(b1, b2);
    const std::uint64_t key = (std::uint64_t{b1} << 32) | b2;
    auto it = witnesses_.find(key);
    if (it == witnesses_.end()) {
      const std::int32_t x = tree_.conflict(basis_[b1], basis_[b2]);
      assert(x != kNone);  // basis nodes are pairwise apart
      it = witnesses_.emplace(key, tree_.path(basis_[b1], x)).first;
    }
    return it->second;
  }

  // Promotion of frontier entry f, then extension of the new basis node.
  void promote(std::size_t f) {
    const std::int32_t node = frontier_[f].node;
    frontier_[f].node = kNone;
    frontier_of_[node] = kNoEntry;
    promote_node(node);
  }

  void promote_node(std::int32_t node) {
    const auto b = static_cast<std::uint32_t>(basis_.size());
    basis_.push_back(node);
    grow(basis_of_, node);
    basis_of_[node] = b;
    for (std::size_t f = 0; f < frontier_.size(); ++f)
      if (frontier_[f].node != kNone && !tree_.apart(frontier_[f].node, node)) {
        frontier_[f].candidates.push_back(b);
        if (frontier_[f].candidates.size() == 2) work_.push_back(f);
      }
    for (Symbol a = 0; a < k_; ++a) {
      const std::int32_t c = tree_.make_child(node, a);
      tree_.answer(c);
      if (entry(basis_of_, c) != kNoEntry) continue;
      Frontier fr{c, {}};
      for (std::uint32_t i = 0; i < basis_.size(); ++i)
        if (!tree_.apart(c, basis_[i])) fr.candidates.push_back(i);
      grow(frontier_of_, c);
      frontier_of_[c] = frontier_.size();
      frontier_.push_back(std::move(fr));
      work_.push_back(frontier_.size() - 1);
    }
  }

  MembershipOracle& member_;
  std::size_t k_;
  Tree tree_;
  std::vector<std::int32_t> basis_;                          // basis index -> node
  std::vector<std::size_t> basis_of_;                        // node -> basis index, or kNoEntry
  std::vector<Frontier> frontier_;                           // promoted entries have node kNone
  std::vector<std::size_t> frontier_of_;                     // node -> frontier entry, or kNoEntry
  std::deque<std::size_t> work_;                             // frontier entries to look at
  std::unordered_map<std::uint64_t, Word> witnesses_;        // basis pair -> witness
};

}  // namespace

LStarResult lsharp(const Recognizer& recognizer, EquivalenceOracle& oracle, const Limits& limits) {
  const Alphabet& alphabet = recognizer.alphabet();
  if (alphabet.empty()) throw InvalidArgument("extract --method lsharp: the recognizer's alphabet is empty");
  Budget budget(limits);
  MembershipOracle member(recognizer, budget);
  LSharp learner(member, alphabet.size());
  std::size_t counterexamples = 0;
  auto finish = [&](const Dfa& dfa, bool complete, std::string stopped_by) {
    return learned(dfa, complete, std::move(stopped_by), budget, counterexamples, learner.access_words());
  };
  std::optional<Word> last;  // the last counterexample: often one for the next hypothesis too
  for (;;) {
    std::string stopped_by;
    if (!learner.stabilise(stopped_by)) return finish(learner.hypothesis(alphabet), false, stopped_by);
    const Dfa hypothesis = learner.hypothesis(alphabet);
    if (last && learner.process(hypothesis, *last)) continue;  // checked in O(|w|) before the whole tree
    if (const auto w = learner.tree_counterexample(hypothesis)) {
      [[maybe_unused]] const bool progress = learner.process(hypothesis, *w);  // no query needed
      assert(progress);  // the tree contradicts the hypothesis, so w is a counterexample
      continue;
    }
    if (stopped_by = budget.exhausted(learner.states()); !stopped_by.empty())
      return finish(hypothesis, false, stopped_by);
    if (limits.max_equivalence_queries && budget.equivalence_queries >= limits.max_equivalence_queries)
      return finish(hypothesis, false, "equivalence queries");
    ++budget.equivalence_queries;
    const auto cex = oracle.counterexample(hypothesis, member);
    if (!cex) {
      stopped_by = budget.exhausted(learner.states());
      return finish(hypothesis, stopped_by.empty(), stopped_by);
    }
    ++counterexamples;
    last = cex;
    if (!learner.process(hypothesis, *cex))
      throw InvalidArgument("extract --method lsharp: the " + oracle.name() + " oracle returned '" + alphabet.format_word(*cex) +
                            "', on which the hypothesis and the recognizer agree");
  }
}

}  // namespace statelab::bridge
