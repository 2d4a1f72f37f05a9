#include "bridge/lstar.h"

#include <algorithm>
#include <cmath>
#include <deque>
#include <map>
#include <unordered_set>

#include "automata/decide.h"
#include "automata/minimize.h"
#include "base/error.h"
#include "base/random.h"

namespace statelab::bridge {

using automata::Dfa;
using automata::State;

void validate(const Limits& limits) {
  if (!std::isfinite(limits.seconds) || limits.seconds < 0)
    throw InvalidArgument("extraction time limit must be a non-negative number of seconds, got " +
                          std::to_string(limits.seconds));
}

Budget::Budget(const Limits& limits) : limits_(limits), start_(std::chrono::steady_clock::now()) { validate(limits); }

double Budget::elapsed() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

std::string Budget::exhausted(std::size_t states) const {
  if (limits_.seconds > 0 && elapsed() >= limits_.seconds) return "time";
  if (limits_.max_states && states > limits_.max_states) return "states";
  if (limits_.max_membership_queries && membership_queries >= limits_.max_membership_queries)
    return "membership queries";
  return "";
}

std::size_t WordHash::operator()(const Word& w) const noexcept {
  std::uint64_t h = 1469598103934665603ULL ^ w.size();
  for (Symbol s : w) h = (h ^ s) * 1099511628211ULL;
  return static_cast<std::size_t>(h);
}

std::vector<bool> MembershipOracle::ask(std::span<const Word> words) {
  if (!use_cache_) {
    budget_.membership_queries += words.size();
    return accepts_all(recognizer_, words);
  }
  std::vector<Word> unknown;
  std::unordered_set<Word, WordHash> pending;
  for (const Word& w : words)
    if (!cache_.count(w) && pending.insert(w).second) unknown.push_back(w);
  if (!unknown.empty()) {
    const auto answers = accepts_all(recognizer_, unknown);
    for (std::size_t i = 0; i < unknown.size(); ++i) cache_.emplace(std::move(unknown[i]), answers[i]);
    budget_.membership_queries += answers.size();
  }
  std::vector<bool> out;
  out.reserve(words.size());
  for (const Word& w : words) out.push_back(cache_.at(w));
  return out;
}

bool MembershipOracle::ask(const Word& word) { return ask(std::span<const Word>(&word, 1)).front(); }

namespace {

Word concat(const Word& a, std::span<const Symbol> b) {
  Word w = a;
  w.insert(w.end(), b.begin(), b.end());
  return w;
}

bool shortlex_less(const Word& a, const Word& b) {
  return a.size() != b.size() ? a.size() < b.size() : a < b;
}

// The shortest (then least) word accepted from exactly one of p and q.  BFS over pairs, O(k n^2).
std::optional<Word> separating_suffix(const Dfa& dfa, State p, State q) {
  const std::size_t n = dfa.num_states(), k = dfa.num_symbols();
  std::vector<std::int64_t> parent(n * n, -2);
  std::vector<Symbol> via(n * n);
  std::deque<std::size_t> queue{p * n + q};
  parent[p * n + q] = -1;
  while (!queue.empty()) {
    const std::size_t cur = queue.front();
    queue.pop_front();
    const State a = static_cast<State>(cur / n), b = static_cast<State>(cur % n);
    if (dfa.is_accepting(a) != dfa.is_accepting(b)) {
      Word w;
      for (std::size_t x = cur; parent[x] >= 0; x = static_cast<std::size_t>(parent[x])) w.push_back(via[x]);
      std::reverse(w.begin(), w.end());
      return w;
    }
    for (Symbol s = 0; s < k; ++s) {
      const std::size_t nxt = dfa.next(a, s) * n + dfa.next(b, s);
      if (parent[nxt] != -2) continue;
      parent[nxt] = static_cast<std::int64_t>(cur);
      via[nxt] = s;
      queue.push_back(nxt);
    }
  }
  return std::nullopt;
}

// The observation table (see lstar.h).
class Table {
 public:
  Table(MembershipOracle& member, std::size_t k) : member_(member), k_(k) {
    suffixes_.push_back({});
    add_upper(Word{}, "");
  }

  // Closes the table; false when a limit stopped it first.
  bool close(std::string& stopped_by) {
    for (;;) {
      std::size_t open = lower_.size();
      for (std::size_t i = 0; i < lower_.size(); ++i)
        if (!index_.count(lower_[i].row)) {
          open = i;
          break;
        }
      if (open == lower_.size()) return true;
      stopped_by = member_.budget().exhausted(upper_.size() + 1);
      if (!stopped_by.empty()) return false;
      add_upper(lower_[open].word, lower_[open].row);
    }
  }

  void add_suffix(Word suffix) {
    std::vector<Word> ask;
    ask.reserve(upper_.size() + lower_.size());
    for (const auto& e : upper_) ask.push_back(concat(e.word, suffix));
    for (const auto& e : lower_) ask.push_back(concat(e.word, suffix));
    const auto answers = member_.ask(ask);
    index_.clear();
    for (std::size_t i = 0; i < upper_.size(); ++i) {
      upper_[i].row += answers[i] ? '1' : '0';
      index_.emplace(upper_[i].row, i);
    }
    for (std::size_t i = 0; i < lower_.size(); ++i) lower_[i].row += answers[upper_.size() + i] ? '1' : '0';
    suffixes_.push_back(std::move(suffix));
  }

  bool has_suffix(const Word& suffix) const {
    return std::find(suffixes_.begin(), suffixes_.end(), suffix) != suffixes_.end();
  }

  // The hypothesis; a row of S.A that no state has (limits stopped the closing) goes to the state
  // whose row agrees with it in the most columns.
  Dfa hypothesis(const Alphabet& alphabet) const {
    Dfa dfa(alphabet, upper_.size());
    for (std::size_t s = 0; s < upper_.size(); ++s) {
      dfa.set_accepting(static_cast<State>(s), upper_[s].row[0] == '1');
      for (std::size_t a = 0; a < k_; ++a)
        dfa.set_next(static_cast<State>(s), static_cast<Symbol>(a), state_of(lower_[s * k_ + a].row));
    }
    return dfa;
  }

  const Word& access(State s) const { return upper_[s].word; }
  std::size_t states() const { return upper_.size(); }
  std::vector<Word> access_words() const {
    std::vector<Word> out;
    for (const auto& e : upper_) out.push_back(e.word);
    return out;
  }
  const std::vector<Word>& suffixes() const { return suffixes_; }

 private:
  struct Entry {
    Word word;
    std::string row;  // '0'/'1' per suffix
  };

  State state_of(const std::string& row) const {
    if (auto it = index_.find(row); it != index_.end()) return static_cast<State>(it->second);
    std::size_t best = 0, best_agree = 0;
    for (std::size_t s = 0; s < upper_.size(); ++s) {
      std::size_t agree = 0;
      for (std::size_t j = 0; j < row.size(); ++j) agree += upper_[s].row[j] == row[j];
      if (agree > best_agree) best = s, best_agree = agree;
    }
    return static_cast<State>(best);
  }

  void add_upper(Word word, std::string row) {
    // The new state's successors, with every column.
    std::vector<Word> ask;
    for (Symbol a = 0; a < k_; ++a)
      for (const Word& e : suffixes_) {
        Word w = word;
        w.push_back(a);
        ask.push_back(concat(w, e));
      }
    if (row.empty()) {  // epsilon's own row
      std::vector<Word> own;
      for (const Word& e : suffixes_) own.push_back(concat(word, e));
      for (bool b : member_.ask(own)) row += b ? '1' : '0';
    }
    const auto answers = member_.ask(ask);
    index_.emplace(row, upper_.size());
    upper_.push_back({word, std::move(row)});
    for (Symbol a = 0; a < k_; ++a) {
      Entry e{word, ""};
      e.word.push_back(a);
      for (std::size_t j = 0; j < suffixes_.size(); ++j) e.row += answers[a * suffixes_.size() + j] ? '1' : '0';
      lower_.push_back(std::move(e));
    }
  }

  MembershipOracle& member_;
  std::size_t k_;
  std::vector<Word> suffixes_;
  std::vector<Entry> upper_;  // S
  std::vector<Entry> lower_;  // S.A: lower_[s * k + a] = upper_[s].word . a
  std::map<std::string, std::size_t> index_;  // row -> state
};

}  // namespace

std::optional<Word> ExactOracle::counterexample(const Dfa& hypothesis, MembershipOracle&) {
  return automata::find_counterexample(hypothesis, target_);
}

std::optional<Word> RandomWordsOracle::counterexample(const Dfa& hypothesis, MembershipOracle& member) {
  auto rng = make_rng(seed_ * 0x9E3779B97F4A7C15ULL + round_++);
  const std::size_t k = hypothesis.num_symbols();
  std::vector<Word> words(tests_);
  for (Word& w : words) {
    w.resize(uniform_below(rng, max_length_ + 1));
    for (Symbol& s : w) s = static_cast<Symbol>(uniform_below(rng, k));
  }
  const auto truth = member.ask(words);
  std::optional<Word> best;
  for (std::size_t i = 0; i < words.size(); ++i)
    if (truth[i] != automata::accepts(hypothesis, words[i]) && (!best || shortlex_less(words[i], *best)))
      best = words[i];
  return best;
}

AbstractionOracle::AbstractionOracle(const Recognizer& recognizer, std::size_t max_leaves)
    : recognizer_(recognizer), max_leaves_(std::max<std::size_t>(max_leaves, 2)) {
  if (recognizer.state_dim() == 0)
    throw InvalidArgument("the abstraction oracle needs a recognizer with hidden states (a network)");
  if (auto r = recognizer.readout()) {
    tree_.push_back({r->weight, r->bias, 1, 2, -1});
    tree_.push_back({{}, 0, -1, -1, 0});
    tree_.push_back({{}, 0, -1, -1, 1});
    leaves_ = 2;
  } else {
    tree_.push_back({{}, 0, -1, -1, 0});
    leaves_ = 1;
  }
}

int AbstractionOracle::node_of_leaf(const Eigen::VectorXf& h) const {
  int n = 0;
  while (tree_[n].leaf < 0) n = tree_[n].normal.dot(h) + tree_[n].offset > 0 ? tree_[n].above : tree_[n].below;
  return n;
}

int AbstractionOracle::leaf_of(const Eigen::VectorXf& h) const { return tree_[node_of_leaf(h)].leaf; }

void AbstractionOracle::split(const Eigen::VectorXf& a, const Eigen::VectorXf& b) {
  const int n = node_of_leaf(a);
  const int old_leaf = tree_[n].leaf;
  Node above{{}, 0, -1, -1, old_leaf}, below{{}, 0, -1, -1, static_cast<int>(leaves_++)};
  tree_.push_back(above);
  tree_.push_back(below);
  Node& node = tree_[n];
  node.normal = a - b;  // the perpendicular bisector of a and b; a lies above it
  node.offset = -node.normal.dot(a + b) / 2;
  node.above = static_cast<int>(tree_.size()) - 2;
  node.below = static_cast<int>(tree_.size()) - 1;
  node.leaf = -1;
  ++refinements_;
}

std::optional<Word> AbstractionOracle::counterexample(const Dfa& hypothesis, MembershipOracle& member) {
  struct Seen {
    State q;
    Word word;
    Eigen::VectorXf h;
  };
  std::unordered_map<Word, Eigen::VectorXf, WordHash> states;  // hidden states computed in this query
  const std::size_t k = hypothesis.num_symbols();
  for (;;) {
    std::map<int, Seen> seen;
    std::vector<Word> frontier{{}};
    bool restart = false;
    while (!frontier.empty() && !restart) {
      if (!member.budget().exhausted(hypothesis.num_states()).empty()) return std::nullopt;
      std::vector<Word> fresh;
      for (const Word& w : frontier)
        if (!states.count(w)) fresh.push_back(w);
      const auto h = final_states(recognizer_, fresh);
      for (std::size_t i = 0; i < fresh.size(); ++i) states.emplace(fresh[i], h[i]);
      const auto accept = member.ask(frontier);
      std::vector<Word> next;
      for (std::size_t i = 0; i < frontier.size() && !restart; ++i) {
        const Word& w = frontier[i];
        const State q = automata::run(hypothesis, hypothesis.initial(), w);
        if (accept[i] != hypothesis.is_accepting(q)) return w;
        const Eigen::VectorXf& hw = states.at(w);
        const int leaf = leaf_of(hw);
        auto it = seen.find(leaf);
        if (it == seen.end()) {
          seen.emplace(leaf, Seen{q, w, hw});
          for (Symbol a = 0; a < k; ++a) {
            next.push_back(w);
            next.back().push_back(a);
          }
          continue;
        }
        if (it->second.q == q) continue;
        const auto s = separating_suffix(hypothesis, q, it->second.q);
        if (!s) continue;  // not minimal: the two states are the same language
        const Word ws = concat(w, *s), vs = concat(it->second.word, *s);
        const auto both = member.ask(std::vector<Word>{ws, vs});
        if (both[0] != automata::accepts(hypothesis, ws)) return ws;
        if (both[1] != automata::accepts(hypothesis, vs)) return vs;
        if ((hw - it->second.h).squaredNorm() == 0) continue;  // identical states: nothing to split
        if (leaves_ >= max_leaves_) return std::nullopt;
        split(hw, it->second.h);
        restart = true;
      }
      frontier = std::move(next);
    }
    if (!restart) return std::nullopt;
  }
}

std::optional<Word> SequenceOracle::counterexample(const Dfa& hypothesis, MembershipOracle& member) {
  for (std::size_t i = 0; i < oracles_.size(); ++i)
    if (auto w = oracles_[i]->counterexample(hypothesis, member)) {
      ++found_[i];
      return w;
    }
  return std::nullopt;
}

std::string SequenceOracle::name() const {
  std::string out;
  for (const auto* o : oracles_) {
    if (!out.empty()) out += '+';
    out += o->name();
  }
  return out;
}

LStarResult lstar(const Recognizer& recognizer, EquivalenceOracle& oracle, const Limits& limits, bool cache_queries) {
  const Alphabet& alphabet = recognizer.alphabet();
  if (alphabet.empty()) throw InvalidArgument("lstar: the recognizer's alphabet is empty");
  Budget budget(limits);
  MembershipOracle member(recognizer, budget, cache_queries);
  Table table(member, alphabet.size());
  LStarResult result;
  auto finish = [&](Dfa dfa, bool complete, std::string stopped_by) {
    result.dfa = complete ? automata::canonical_order(dfa) : automata::minimize(dfa);
    result.complete = complete;
    result.stopped_by = std::move(stopped_by);
    result.membership_queries = budget.membership_queries;
    result.equivalence_queries = budget.equivalence_queries;
    result.seconds = budget.elapsed();
    result.access_words = table.access_words();
    result.suffixes = table.suffixes();
    return result;
  };
  for (;;) {
    std::string stopped_by;
    if (!table.close(stopped_by)) return finish(table.hypothesis(alphabet), false, stopped_by);
    Dfa hypothesis = table.hypothesis(alphabet);
    if (stopped_by = budget.exhausted(table.states()); !stopped_by.empty())
      return finish(std::move(hypothesis), false, stopped_by);
    if (limits.max_equivalence_queries && budget.equivalence_queries >= limits.max_equivalence_queries)
      return finish(std::move(hypothesis), false, "equivalence queries");
    ++budget.equivalence_queries;
    const auto cex = oracle.counterexample(hypothesis, member);
    if (!cex) {
      stopped_by = budget.exhausted(table.states());
      return finish(std::move(hypothesis), stopped_by.empty(), stopped_by);
    }
    ++result.counterexamples;
    // Rivest-Schapire: alpha(i) = member(access(state after w[0..i)) . w[i..]).
    const Word& w = *cex;
    auto alpha = [&](std::size_t i) {
      const State q = automata::run(hypothesis, hypothesis.initial(), std::span<const Symbol>(w).first(i));
      return member.ask(concat(table.access(q), std::span<const Symbol>(w).subspan(i)));
    };
    std::size_t lo = 0, hi = w.size();
    const bool a_lo = alpha(lo);
    if (a_lo == alpha(hi))
      throw InvalidArgument("lstar: the " + oracle.name() + " oracle returned '" + alphabet.format_word(w) +
                            "', on which the hypothesis and the recognizer agree");
    while (hi - lo > 1) {
      const std::size_t mid = (lo + hi) / 2;
      (alpha(mid) == a_lo ? lo : hi) = mid;
    }
    Word suffix(w.begin() + static_cast<std::ptrdiff_t>(hi), w.end());
    if (table.has_suffix(suffix))
      throw InvalidArgument("lstar: counterexample processing found no new suffix (the recognizer's answers changed)");
    table.add_suffix(std::move(suffix));
  }
}

}  // namespace statelab::bridge
