#include "bridge/lsharp.h"

#include <algorithm>
#include <cassert>
#include <deque>
#include <unordered_map>
#include <unordered_set>

#include "automata/decide.h"
#include "automata/minimize.h"
#include "base/error.h"

namespace statelab::bridge {

using automata::Dfa;
using automata::State;

namespace {

constexpr std::int32_t kNone = -1;

// The teachers: what the learner asks, and what it makes of the answers -- a DFA recognizer's
// membership (answers 0 / 1) with an EquivalenceOracle and an LStarResult (MembershipTeacher), or a
// tagger's output after a word (kNoOutput for the empty word) with a MooreEquivalenceOracle and a
// MooreLStarResult (OutputTeacher).  `target` is the recognizer's DFA state after a node's word
// when the recognizer is a DFA, else Prefix::kNoState.  What both share: the subject (recognizer
// or tagger), its equivalence oracle, the run's budget and the query oracle that counts against it.
template <typename Subject, typename EqOracle, typename QueryOracle>
struct TeacherBase {
  TeacherBase(const Subject& s, EqOracle& o, const Limits& limits)
      : subject(s), oracle(o), budget_(limits), query(s, budget_) {}
  const Subject& subject;
  EqOracle& oracle;
  Budget budget_;
  QueryOracle query;
  const Alphabet& alphabet() const { return subject.alphabet(); }
  Budget& budget() { return budget_; }
};

struct MembershipTeacher : TeacherBase<Recognizer, EquivalenceOracle, MembershipOracle> {
  static constexpr const char* kWhat = "extract --method lsharp";
  static constexpr const char* kSubject = "recognizer";
  using TeacherBase::TeacherBase;

  State initial() const { return query.initial_state(); }
  State extend(State q, Symbol a) const { return query.extend(q, a); }
  template <typename WordOf>
  Output ask(State target, const WordOf& word) {
    return (query.exact_dfa() ? query.ask_state(target) : query.ask(word())) ? 1 : 0;
  }
  static void set_acceptance(Dfa& dfa, const std::vector<Output>& outputs) {
    for (State q = 0; q < dfa.num_states(); ++q) dfa.set_accepting(q, outputs[q] == 1);
  }
  std::optional<Word> counterexample(Dfa& dfa, const std::vector<Output>& outputs) {
    set_acceptance(dfa, outputs);
    return oracle.counterexample(dfa, query);
  }
  template <typename Learner>
  LStarResult result(const Learner& learner, Dfa& dfa, const std::vector<Output>& outputs, bool complete,
                     std::string stopped_by, std::size_t counterexamples) {
    set_acceptance(dfa, outputs);
    return learned(dfa, complete, std::move(stopped_by), budget_, counterexamples, learner.access_words());
  }
};

struct OutputTeacher : TeacherBase<Tagger, MooreEquivalenceOracle, OutputOracle> {
  static constexpr const char* kWhat = "lsharp";
  static constexpr const char* kSubject = "tagger";
  using TeacherBase::TeacherBase;

  State initial() const { return Prefix::kNoState; }
  State extend(State, Symbol) const { return Prefix::kNoState; }
  template <typename WordOf>
  Output ask(State, const WordOf& word) { return query.ask(word()); }
  std::optional<Word> counterexample(const Dfa& dfa, const std::vector<Output>& outputs) {
    return oracle.counterexample(MooreHypothesis{dfa, outputs}, query);
  }
  template <typename Learner>
  MooreLStarResult result(const Learner&, const Dfa& dfa, const std::vector<Output>& outputs, bool complete,
                          std::string stopped_by, std::size_t counterexamples) {
    return moore_learned(MooreHypothesis{dfa, outputs}, subject, complete, std::move(stopped_by), budget_,
                         counterexamples);
  }
};

// The observation tree: node 0 is the empty word; a node is made after its parent, so node ids
// ascend along every path.  Each node knows its parent, the symbol that reaches it, its depth, the
// recognizer's DFA state after its word (when the recognizer is a DFA) and its answer, once asked.
template <typename Teacher>
class Tree {
 public:
  Tree(Teacher& teacher, std::size_t k) : teacher_(teacher), k_(k), signed_(k <= kSignedSymbols) {
    add(kNone, 0, teacher.initial());
  }

  std::int32_t child(std::int32_t n, Symbol a) const { return children_[static_cast<std::size_t>(n) * k_ + a]; }

  std::int32_t make_child(std::int32_t n, Symbol a) {
    if (const std::int32_t c = child(n, a); c != kNone) return c;
    const std::int32_t c = add(n, a, teacher_.extend(nodes_[n].target, a));
    children_[static_cast<std::size_t>(n) * k_ + a] = c;
    return c;
  }

  // The node of n's word . w, made as needed.
  std::int32_t walk(std::int32_t n, std::span<const Symbol> w) {
    for (Symbol a : w) n = make_child(n, a);
    return n;
  }

  // The node of n's word . w, or kNone when the tree has none.
  std::int32_t find(std::int32_t n, std::span<const Symbol> w) const {
    for (auto it = w.begin(); it != w.end() && n != kNone; ++it) n = child(n, *it);
    return n;
  }

  // n's answer, asking the teacher when it is not known yet.
  Output answer(std::int32_t n) {
    Node& node = nodes_[n];
    if (!node.known) {
      node.answer = teacher_.ask(node.target, [&] { return word(n); });
      node.known = true;
      if (signed_) {
        const std::uint64_t bits = 1 | (parity(node.answer) << 1);
        signature_[static_cast<std::size_t>(n)] |= bits;
        if (node.parent != kNone) signature_[static_cast<std::size_t>(node.parent)] |= bits << (2 + 2 * node.symbol);
      }
    }
    return node.answer;
  }
  bool known(std::int32_t n) const { return nodes_[n].known; }
  Output known_answer(std::int32_t n) const { return nodes_[n].answer; }

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
    if (differ(p, q)) return p;  // most apart pairs differ at once
    stack_.clear();
    stack_.emplace_back(p, q);
    while (!stack_.empty()) {
      const auto [x, y] = stack_.back();
      stack_.pop_back();
      if (differ(x, y)) return x;
      const std::size_t bx = static_cast<std::size_t>(x) * k_, by = static_cast<std::size_t>(y) * k_;
      for (std::size_t a = 0; a < k_; ++a)
        if (children_[bx + a] != kNone && children_[by + a] != kNone) stack_.emplace_back(children_[bx + a], children_[by + a]);
    }
    return kNone;
  }
  bool apart(std::int32_t p, std::int32_t q) const {
    return (signed_ && signatures_apart(signature(p), signature(q))) || conflict(p, q) != kNone;
  }
  // The node's signature (below), 0 when symbols are too many for one.  Answers never change, so
  // a signature read earlier shows a subset of today's: apart by it means apart.
  std::uint64_t signature(std::int32_t n) const { return signed_ ? signature_[static_cast<std::size_t>(n)] : 0; }
  static bool signatures_apart(std::uint64_t a, std::uint64_t b) { return ((a ^ b) >> 1) & a & b & kKnownBits; }

  std::size_t size() const { return nodes_.size(); }
  std::int32_t parent(std::int32_t n) const { return nodes_[n].parent; }
  Symbol symbol(std::int32_t n) const { return nodes_[n].symbol; }
  std::uint32_t depth(std::int32_t n) const { return nodes_[n].depth; }
  // Whether x's word comes before y's in shortlex order.
  bool shortlex_less(std::int32_t x, std::int32_t y) const {
    if (nodes_[x].depth != nodes_[y].depth) return nodes_[x].depth < nodes_[y].depth;
    bool less = false;  // decided by the symbols below the deepest common ancestor
    while (x != y) {
      if (nodes_[x].symbol != nodes_[y].symbol) less = nodes_[x].symbol < nodes_[y].symbol;
      x = nodes_[x].parent, y = nodes_[y].parent;
    }
    return less;
  }

 private:
  struct Node {
    std::int32_t parent;
    Symbol symbol;
    State target;
    std::uint32_t depth;
    bool known = false;
    Output answer = 0;
  };

  // Signatures: for up to kSignedSymbols symbols, bits 2j and 2j + 1 of a node's word say whether
  // the node (j = 0) or its child by symbol j - 1 is answered, and the parity of that answer: two
  // answered nodes with different parities differ, so apart() settles most pairs in one step.
  static constexpr std::size_t kSignedSymbols = 31;
  static constexpr std::uint64_t kKnownBits = 0x5555555555555555ULL;
  static std::uint64_t parity(Output o) {
    o ^= o >> 32, o ^= o >> 16, o ^= o >> 8, o ^= o >> 4, o ^= o >> 2, o ^= o >> 1;
    return o & 1;
  }

  bool differ(std::int32_t x, std::int32_t y) const {
    const Node &a = nodes_[x], &b = nodes_[y];
    return a.known && b.known && a.answer != b.answer;
  }

  std::int32_t add(std::int32_t parent, Symbol a, State target) {
    nodes_.push_back({parent, a, target, parent == kNone ? 0 : nodes_[parent].depth + 1});
    children_.resize(children_.size() + k_, kNone);
    if (signed_) signature_.push_back(0);
    return static_cast<std::int32_t>(nodes_.size() - 1);
  }

  Teacher& teacher_;
  std::size_t k_;
  std::vector<Node> nodes_;
  std::vector<std::int32_t> children_;  // nodes x symbols
  bool signed_;
  std::vector<std::uint64_t> signature_;  // per node, when signed_
  mutable std::vector<std::pair<std::int32_t, std::int32_t>> stack_;
};

template <typename Teacher>
class LSharp {
 public:
  LSharp(Teacher& teacher, std::size_t k) : teacher_(teacher), k_(k), tree_(teacher, k) {
    tree_.answer(0);
    promote_node(0);
  }

  // Applies promotion, extension and separation until every frontier node is compatible with
  // exactly one basis node; false when a limit stopped it first (named in stopped_by).
  bool stabilise(std::string& stopped_by) {
    while (!work_.empty()) {
      stopped_by = teacher_.budget().exhausted(basis_.size());
      if (!stopped_by.empty()) return false;
      const std::size_t f = work_.front();
      work_.pop_front();
      Frontier& fr = frontier_[f];
      if (fr.node == kNone) continue;  // promoted meanwhile
      fr.signature = tree_.signature(fr.node);
      if (fr.candidates.empty()) {
        stopped_by = teacher_.budget().exhausted(basis_.size() + 1);
        if (!stopped_by.empty()) {
          work_.push_front(f);
          return false;
        }
        promote(f);
        continue;
      }
      if (fr.candidates.size() == 1) {
        if (confirm(f)) work_.push_back(f);
        continue;
      }
      // Separation: ask the witness of two of its candidates, then drop those it is now apart from.
      // Only the answer at fr.node . sigma is new, so only there can it become apart from one.
      const Word& sigma = witness(fr.candidates[0], fr.candidates[1]);
      const Output answer = tree_.answer(tree_.walk(fr.node, sigma));
      std::erase_if(fr.candidates, [&](std::uint32_t b) {
        const std::int32_t y = tree_.find(basis_[b], sigma);
        return y != kNone && tree_.known(y) && tree_.known_answer(y) != answer;
      });
      work_.push_back(f);
    }
    return true;
  }

  // The hypothesis: state i is basis node i, its output that node's answer; a frontier node goes
  // to its first candidate (its only one once stable).
  void hypothesis(const Alphabet& alphabet, Dfa& dfa, std::vector<Output>& outputs) const {
    dfa = Dfa(alphabet, basis_.size());
    outputs.assign(basis_.size(), 0);
    for (std::size_t i = 0; i < basis_.size(); ++i) {
      outputs[i] = tree_.known_answer(basis_[i]);
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
  }

  // The shortest, then shortlex-least, word of the tree whose answer the hypothesis contradicts, if any: one pass over the
  // nodes in id order (a parent before its children), each node's hypothesis state from its
  // parent's.  Time O(tree).
  std::optional<Word> tree_counterexample(const Dfa& hypothesis, const std::vector<Output>& outputs) {
    state_of_.resize(tree_.size());
    state_of_[0] = hypothesis.initial();
    std::int32_t best = kNone;
    if (tree_.known(0) && tree_.known_answer(0) != outputs[state_of_[0]]) return Word{};
    for (std::int32_t n = 1; n < static_cast<std::int32_t>(tree_.size()); ++n) {
      const State q = hypothesis.next(state_of_[static_cast<std::size_t>(tree_.parent(n))], tree_.symbol(n));
      state_of_[static_cast<std::size_t>(n)] = q;
      if (tree_.known(n) && tree_.known_answer(n) != outputs[q] && (best == kNone || tree_.shortlex_less(n, best)))
        best = n;
    }
    if (best == kNone) return std::nullopt;
    return tree_.word(best);
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
        if (const std::size_t f = entry(frontier_of_, tree_.child(basis_[q], w[i])); f != kNoEntry) walked.push_back(f);
      return tree_.answer(tree_.walk(basis_[q], std::span<const Symbol>(w).subspan(i)));
    };
    // Invariant: alpha(lo) != alpha(hi).
    std::size_t lo = 0, hi = w.size();
    Output at_hi = alpha(hi);
    if (alpha(lo) == at_hi) return false;
    while (hi - lo > 1) {
      const std::size_t mid = (lo + hi) / 2;
      const Output a = alpha(mid);
      if (a != at_hi) lo = mid;
      else hi = mid, at_hi = a;
    }
    // The suffix that told u_lo . w[lo] from u_hi joins confirm()'s, unless it is long: a network's
    // counterexamples can be random words much longer than the machine's words, and asking every
    // frontier node such words would meet the network's drift rather than its states.
    if (Word suffix(w.begin() + static_cast<std::ptrdiff_t>(hi), w.end());
        suffix.size() <= 2 * (deepest_ + 1) && known_suffixes_.insert(suffix).second)
      suffixes_.push_back(std::move(suffix));
    for (std::size_t f : walked)
      if (refilter(f)) work_.push_back(f);
    for (std::size_t f : live_) {
      const auto& c = frontier_[f].candidates;
      if (std::any_of(c.begin(), c.end(), [&](std::uint32_t b) { return touched[b]; }) && refilter(f))
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
    std::uint32_t confirmed = kUnconfirmed;  // the candidate confirm() last checked it against
    std::uint64_t signature = 0;  // the node's, when last looked at (kept here to scan the frontier in order)
  };
  static constexpr std::uint32_t kUnconfirmed = static_cast<std::uint32_t>(-1);
  // Witnesses confirm() asks of a frontier node identified with one basis node.
  static constexpr std::size_t kConfirmations = 4;

  // Confirmation of frontier entry f, identified with its one candidate b: f and b are asked up to
  // kConfirmations of the counterexamples' suffixes (chosen by a hash of f's node, so the run is
  // deterministic).  A node of a state not yet in the basis differs from b on each about half the
  // time, so most new states are found apart from every basis node here rather than by an
  // equivalence query each (see lsharp.h).  (The witnesses between b and other basis nodes do
  // not serve: mostly the empty word or one letter, which separation has already asked.)
  // True when f lost its candidate (to be promoted).
  bool confirm(std::size_t f) {
    Frontier& fr = frontier_[f];
    const std::uint32_t b = fr.candidates[0];
    const std::size_t n = basis_.size();
    if (fr.confirmed == b || n < 2) return false;
    fr.confirmed = b;
    std::uint64_t h = static_cast<std::uint64_t>(fr.node) * 0x9E3779B97F4A7C15ULL;
    for (std::size_t j = 0; j < kConfirmations && j < suffixes_.size(); ++j) {
      h ^= h >> 29, h *= 0xBF58476D1CE4E5B9ULL, h ^= h >> 32;
      const Word& e = suffixes_[h % suffixes_.size()];
      if (tree_.answer(tree_.walk(fr.node, e)) != tree_.answer(tree_.walk(basis_[b], e))) {
        fr.candidates.clear();
        return true;
      }
    }
    return false;
  }

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
    live_.erase(std::find(live_.begin(), live_.end(), f));
    promote_node(node);
  }

  void promote_node(std::int32_t node) {
    const auto b = static_cast<std::uint32_t>(basis_.size());
    basis_.push_back(node);
    deepest_ = std::max<std::size_t>(deepest_, tree_.depth(node));
    grow(basis_of_, node);
    basis_of_[node] = b;
    const std::uint64_t signature = tree_.signature(node);
    for (std::size_t f : live_)
      if (!Tree<Teacher>::signatures_apart(frontier_[f].signature, signature) && !tree_.apart(frontier_[f].node, node)) {
        frontier_[f].candidates.push_back(b);
        if (frontier_[f].candidates.size() == 2) work_.push_back(f);
      } else if (b == 1) {
        work_.push_back(f);  // confirm() needs two basis nodes: the ones identified with the root wait for this
      }
    for (Symbol a = 0; a < k_; ++a) {
      const std::int32_t c = tree_.make_child(node, a);
      tree_.answer(c);
      if (entry(basis_of_, c) != kNoEntry) continue;
      Frontier fr{c, {}};
      fr.signature = tree_.signature(c);
      for (std::uint32_t i = 0; i < basis_.size(); ++i)
        if (!tree_.apart(c, basis_[i])) fr.candidates.push_back(i);
      grow(frontier_of_, c);
      frontier_of_[c] = frontier_.size();
      live_.push_back(frontier_.size());
      frontier_.push_back(std::move(fr));
      work_.push_back(frontier_.size() - 1);
    }
  }

  Teacher& teacher_;
  std::size_t k_;
  Tree<Teacher> tree_;
  std::vector<std::int32_t> basis_;                    // basis index -> node
  std::vector<std::size_t> basis_of_;                  // node -> basis index, or kNoEntry
  std::vector<Frontier> frontier_;                     // promoted entries have node kNone
  std::vector<std::size_t> live_;                      // the entries not promoted
  std::vector<std::size_t> frontier_of_;               // node -> frontier entry, or kNoEntry
  std::deque<std::size_t> work_;                       // frontier entries to look at
  std::unordered_map<std::uint64_t, Word> witnesses_;  // basis pair -> witness
  std::vector<State> state_of_;                        // tree_counterexample's workspace
  std::vector<Word> suffixes_;                         // the counterexamples' distinguishing suffixes
  std::size_t deepest_ = 0;                            // the depth of the deepest basis node
  std::unordered_set<Word, WordHash> known_suffixes_;  // the same, to keep each once
};

// The loop of L#: stabilise, hypothesis, checked against the last counterexample and the tree
// (neither costs an equivalence query), then the oracle.  The teacher (above) asks the oracle and
// makes the result: lsharp and lsharp_moore differ only in it.
template <typename Teacher, typename Subject, typename Oracle>
auto run_lsharp(const Subject& subject, Oracle& oracle, const Limits& limits) {
  Teacher teacher(subject, oracle, limits);
  const Alphabet& alphabet = teacher.alphabet();
  if (alphabet.empty())
    throw InvalidArgument(std::string(Teacher::kWhat) + ": the " + Teacher::kSubject + "'s alphabet is empty");
  Budget& budget = teacher.budget();
  LSharp<Teacher> learner(teacher, alphabet.size());
  std::size_t counterexamples = 0;
  Dfa dfa;
  std::vector<Output> outputs;
  auto done = [&](bool complete, std::string stopped_by) {
    return teacher.result(learner, dfa, outputs, complete, std::move(stopped_by), counterexamples);
  };
  std::optional<Word> last;  // the last counterexample: often one for the next hypothesis too
  for (;;) {
    std::string stopped_by;
    const bool stable = learner.stabilise(stopped_by);
    learner.hypothesis(alphabet, dfa, outputs);
    if (!stable) return done(false, stopped_by);
    if (last && learner.process(dfa, *last)) continue;  // checked in O(|w|) before the whole tree
    if (const auto w = learner.tree_counterexample(dfa, outputs)) {
      [[maybe_unused]] const bool progress = learner.process(dfa, *w);  // no query needed
      assert(progress);  // the tree contradicts the hypothesis, so w is a counterexample
      continue;
    }
    if (stopped_by = budget.exhausted(learner.states()); !stopped_by.empty()) return done(false, stopped_by);
    if (limits.max_equivalence_queries && budget.equivalence_queries >= limits.max_equivalence_queries)
      return done(false, "equivalence queries");
    ++budget.equivalence_queries;
    const std::optional<Word> cex = teacher.counterexample(dfa, outputs);
    if (!cex) {
      stopped_by = budget.exhausted(learner.states());
      return done(stopped_by.empty(), stopped_by);
    }
    ++counterexamples;
    last = cex;
    if (!learner.process(dfa, *cex))
      throw InvalidArgument(std::string(Teacher::kWhat) + ": the " + oracle.name() + " oracle returned '" +
                            alphabet.format_word(*cex) + "', on which the hypothesis and the " + Teacher::kSubject +
                            " agree");
  }
}

}  // namespace

LStarResult lsharp(const Recognizer& recognizer, EquivalenceOracle& oracle, const Limits& limits) {
  return run_lsharp<MembershipTeacher>(recognizer, oracle, limits);
}

MooreLStarResult lsharp_moore(const Tagger& tagger, MooreEquivalenceOracle& oracle, const Limits& limits) {
  return run_lsharp<OutputTeacher>(tagger, oracle, limits);
}

}  // namespace statelab::bridge
