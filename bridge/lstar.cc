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
  if (limits_.progress) {
    const auto limit = static_cast<std::uint64_t>(limits_.seconds * 1000);
    const auto done = static_cast<std::uint64_t>(elapsed() * 1000);
    limits_.progress(limit > 0 ? std::min(done, limit) : done, limit);
  }
  if (limits_.seconds > 0 && elapsed() >= limits_.seconds) return "time";
  if (limits_.max_states && states > limits_.max_states) return "states";
  if (limits_.max_membership_queries && membership_queries >= limits_.max_membership_queries)
    return "membership queries";
  return "";
}

namespace {

Word concat(const Word& a, std::span<const Symbol> b) {
  Word w = a;
  w.insert(w.end(), b.begin(), b.end());
  return w;
}

}  // namespace

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

std::vector<bool> MembershipOracle::ask_column(std::span<const Prefix> prefixes, std::span<const Symbol> suffix) {
  if (!dfa_) {
    std::vector<Word> words;
    words.reserve(prefixes.size());
    for (const Prefix& p : prefixes) words.push_back(concat(*p.word, suffix));
    return ask(words);
  }
  budget_.membership_queries += prefixes.size();
  std::vector<bool> out(prefixes.size());
  const std::size_t n = dfa_->num_states();
  auto from = [&](State q) {
    for (Symbol s : suffix) q = dfa_->next(q, s);
    return dfa_->is_accepting(q);
  };
  if (prefixes.size() > n && !suffix.empty()) {
    std::vector<char> column(n);
    for (std::size_t q = 0; q < n; ++q) column[q] = from(static_cast<State>(q));
    for (std::size_t i = 0; i < prefixes.size(); ++i) out[i] = column[prefixes[i].state];
  } else {
    for (std::size_t i = 0; i < prefixes.size(); ++i) out[i] = from(prefixes[i].state);
  }
  return out;
}

namespace {

bool shortlex_less(const Word& a, const Word& b) {
  return a.size() != b.size() ? a.size() < b.size() : a < b;
}

// The observation table (see lstar.h).  Every row -- of S and of S.A alike -- is one entry of
// `rows_` (its word and the target DFA's state after it, when the recognizer is one) and one run of
// `words_` 64-bit words in `bits_` (bit j: membership of word . E[j]).  S is a list of row ids;
// `index_` holds S's rows keyed by their bits (hashed), so finding a row's state is one lookup.
// Closing scans S.A once from `cursor_` (rows before it are closed, and stay closed while S grows);
// a new suffix changes every row, so it rebuilds the index and rescans.
class Table {
 public:
  Table(MembershipOracle& member, std::size_t k)
      : member_(member), k_(k), index_(64, RowHash{this}, RowEq{this}) {
    suffixes_.push_back({});
    const std::uint32_t root = new_row(Word{}, member_.initial_state());
    fill_rows(root, root + 1);
    promote(root);
  }

  // Closes the table; false when a limit stopped it first.
  bool close(std::string& stopped_by) {
    for (; cursor_ < lower_.size(); ++cursor_) {
      if (lower_state_[cursor_] >= 0) continue;  // still the row of the state it had
      const std::uint32_t r = lower_[cursor_];
      if (auto it = index_.find(r); it != index_.end()) {
        lower_state_[cursor_] = rows_[*it].state;
        continue;
      }
      stopped_by = member_.budget().exhausted(upper_.size() + 1);
      if (!stopped_by.empty()) return false;
      promote(r);
      lower_state_[cursor_] = rows_[r].state;
    }
    return true;
  }

  void add_suffix(Word suffix) {
    const std::size_t j = suffixes_.size();
    suffixes_.push_back(std::move(suffix));
    if (j / 64 + 1 > words_) {  // one more 64-bit word per row
      std::vector<std::uint64_t> wider(rows_.size() * (words_ + 1));
      for (std::size_t r = 0; r < rows_.size(); ++r)
        std::copy_n(bits_.begin() + static_cast<std::ptrdiff_t>(r * words_), words_, wider.begin() + static_cast<std::ptrdiff_t>(r * (words_ + 1)));
      bits_ = std::move(wider);
      ++words_;
    }
    fill_column(j, 0, static_cast<std::uint32_t>(rows_.size()));
    index_.clear();
    for (std::uint32_t r : upper_) index_.insert(r);
    // A row of S.A keeps its state unless the new column tells them apart.
    for (std::size_t i = 0; i < lower_.size(); ++i)
      if (const std::int32_t s = lower_state_[i]; s >= 0 && bit(lower_[i], j) != bit(upper_[static_cast<std::size_t>(s)], j))
        lower_state_[i] = -1;
    cursor_ = 0;
  }

  bool has_suffix(const Word& suffix) const {
    return std::find(suffixes_.begin(), suffixes_.end(), suffix) != suffixes_.end();
  }

  // The hypothesis; a row of S.A that no state has (limits stopped the closing) goes to the state
  // whose row agrees with it in the most columns.
  Dfa hypothesis(const Alphabet& alphabet) const {
    Dfa dfa(alphabet, upper_.size());
    for (std::size_t s = 0; s < upper_.size(); ++s) {
      dfa.set_accepting(static_cast<State>(s), bit(upper_[s], 0));
      for (std::size_t a = 0; a < k_; ++a)
        dfa.set_next(static_cast<State>(s), static_cast<Symbol>(a), state_of(s * k_ + a));
    }
    return dfa;
  }

  const Word& access(State s) const { return rows_[upper_[s]].word; }
  std::size_t states() const { return upper_.size(); }
  std::vector<Word> access_words() const {
    std::vector<Word> out;
    for (std::uint32_t r : upper_) out.push_back(rows_[r].word);
    return out;
  }
  const std::vector<Word>& suffixes() const { return suffixes_; }

 private:
  struct Row {
    Word word;
    State target;        // the recognizer's DFA state after word, or Prefix::kNoState
    std::int32_t state;  // its index in S, or -1
  };
  struct RowHash {
    const Table* t;
    std::size_t operator()(std::uint32_t r) const noexcept {
      std::uint64_t h = 0x9E3779B97F4A7C15ULL;
      for (std::size_t i = 0; i < t->words_; ++i) {
        h ^= t->bits_[r * t->words_ + i];
        h *= 0xBF58476D1CE4E5B9ULL;
        h ^= h >> 31;
      }
      return static_cast<std::size_t>(h);
    }
  };
  struct RowEq {
    const Table* t;
    bool operator()(std::uint32_t a, std::uint32_t b) const noexcept {
      const std::uint64_t* x = t->bits_.data() + a * t->words_;
      const std::uint64_t* y = t->bits_.data() + b * t->words_;
      for (std::size_t i = 0; i < t->words_; ++i)
        if (x[i] != y[i]) return false;
      return true;
    }
  };

  bool bit(std::uint32_t r, std::size_t j) const { return (bits_[r * words_ + j / 64] >> (j % 64)) & 1; }

  std::uint32_t new_row(Word word, State target) {
    rows_.push_back({std::move(word), target, -1});
    bits_.resize(rows_.size() * words_);
    return static_cast<std::uint32_t>(rows_.size() - 1);
  }

  // Column j of rows [from, to).
  void fill_column(std::size_t j, std::uint32_t from, std::uint32_t to) {
    std::vector<Prefix> prefixes;
    prefixes.reserve(to - from);
    for (std::uint32_t r = from; r < to; ++r) prefixes.push_back({&rows_[r].word, rows_[r].target});
    const auto answers = member_.ask_column(prefixes, suffixes_[j]);
    for (std::uint32_t r = from; r < to; ++r)
      if (answers[r - from]) bits_[r * words_ + j / 64] |= std::uint64_t{1} << (j % 64);
  }
  void fill_rows(std::uint32_t from, std::uint32_t to) {
    for (std::size_t j = 0; j < suffixes_.size(); ++j) fill_column(j, from, to);
  }

  // Moves row r into S and adds its successors to S.A with every column.
  void promote(std::uint32_t r) {
    rows_[r].state = static_cast<std::int32_t>(upper_.size());
    upper_.push_back(r);
    index_.insert(r);
    const auto first = static_cast<std::uint32_t>(rows_.size());
    for (Symbol a = 0; a < k_; ++a) {
      Word w = rows_[r].word;
      w.push_back(a);
      lower_.push_back(new_row(std::move(w), member_.extend(rows_[r].target, a)));
      lower_state_.push_back(-1);
    }
    fill_rows(first, static_cast<std::uint32_t>(rows_.size()));
  }

  // The state of lower_[i].
  State state_of(std::size_t i) const {
    if (lower_state_[i] >= 0) return static_cast<State>(lower_state_[i]);
    const std::uint32_t r = lower_[i];
    if (auto it = index_.find(r); it != index_.end()) return static_cast<State>(rows_[*it].state);
    std::size_t best = 0, best_agree = 0;
    for (std::size_t s = 0; s < upper_.size(); ++s) {
      std::size_t agree = 0;
      for (std::size_t j = 0; j < suffixes_.size(); ++j) agree += bit(upper_[s], j) == bit(r, j);
      if (agree > best_agree) best = s, best_agree = agree;
    }
    return static_cast<State>(best);
  }

  MembershipOracle& member_;
  std::size_t k_;
  std::vector<Word> suffixes_;             // E
  std::vector<Row> rows_;                  // S and S.A, in the order they were made
  std::size_t words_ = 1;                  // 64-bit words per row
  std::vector<std::uint64_t> bits_;        // rows_.size() * words_
  std::vector<std::uint32_t> upper_;       // S: row ids by state
  std::vector<std::uint32_t> lower_;       // S.A: lower_[s * k + a] = the row of S[s] . a
  std::vector<std::int32_t> lower_state_;  // the state whose row lower_[i] has, or -1: not known
  std::size_t cursor_ = 0;                 // lower_[0..cursor_) are closed
  std::unordered_set<std::uint32_t, RowHash, RowEq> index_;  // S's rows by content
};

}  // namespace

std::optional<Word> separating_suffix(const Dfa& dfa, State p, State q,
                                      const std::function<bool(State, State)>& differ) {
  const std::size_t n = dfa.num_states(), k = dfa.num_symbols();
  std::vector<std::int64_t> parent(n * n, -2);
  std::vector<Symbol> via(n * n);
  std::deque<std::size_t> queue{p * n + q};
  parent[p * n + q] = -1;
  while (!queue.empty()) {
    const std::size_t cur = queue.front();
    queue.pop_front();
    const State a = static_cast<State>(cur / n), b = static_cast<State>(cur % n);
    if (differ(a, b)) {
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

HyperplaneTree::HyperplaneTree(const std::optional<Readout>& root) {
  if (root) {
    tree_.push_back({root->weight, root->bias, 1, 2, -1});
    tree_.push_back({{}, 0, -1, -1, 0});
    tree_.push_back({{}, 0, -1, -1, 1});
    leaves_ = 2;
  } else {
    tree_.push_back({{}, 0, -1, -1, 0});
    leaves_ = 1;
  }
}

int HyperplaneTree::node_of_leaf(const Eigen::VectorXf& h) const {
  int n = 0;
  while (tree_[n].leaf < 0) n = tree_[n].normal.dot(h) + tree_[n].offset > 0 ? tree_[n].above : tree_[n].below;
  return n;
}

int HyperplaneTree::leaf_of(const Eigen::VectorXf& h) const { return tree_[node_of_leaf(h)].leaf; }

void HyperplaneTree::split(const Eigen::VectorXf& a, const Eigen::VectorXf& b) {
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

AbstractionOracle::AbstractionOracle(const Recognizer& recognizer, std::size_t max_leaves)
    : recognizer_(recognizer), max_leaves_(std::max<std::size_t>(max_leaves, 2)),
      tree_(recognizer.state_dim() == 0 ? std::nullopt : recognizer.readout()) {
  if (recognizer.state_dim() == 0)
    throw InvalidArgument("the abstraction oracle needs a recognizer with hidden states (a network)");
}

std::optional<Word> explore_abstraction(HyperplaneTree& tree, std::size_t max_leaves, Budget& budget,
                                        const Exploration& e) {
  struct Seen {
    State q;
    Word word;
    Eigen::VectorXf h;
  };
  const Dfa& hypothesis = e.hypothesis;
  std::unordered_map<Word, Eigen::VectorXf, WordHash> states;  // hidden states computed in this query
  const std::size_t k = hypothesis.num_symbols();
  for (;;) {
    std::map<int, Seen> seen;
    std::vector<Word> frontier{{}};
    bool restart = false;
    while (!frontier.empty() && !restart) {
      if (!budget.exhausted(hypothesis.num_states()).empty()) return std::nullopt;
      std::vector<Word> fresh;
      for (const Word& w : frontier)
        if (!states.count(w)) fresh.push_back(w);
      const auto h = e.hidden(fresh);
      for (std::size_t i = 0; i < fresh.size(); ++i) states.emplace(fresh[i], h[i]);
      const auto wrong = e.wrong(frontier);
      std::vector<Word> next;
      for (std::size_t i = 0; i < frontier.size() && !restart; ++i) {
        const Word& w = frontier[i];
        if (wrong[i]) return w;
        const State q = automata::run(hypothesis, hypothesis.initial(), w);
        const Eigen::VectorXf& hw = states.at(w);
        const int leaf = tree.leaf_of(hw);
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
        const auto s = separating_suffix(hypothesis, q, it->second.q, e.differ);
        if (!s) continue;  // not minimal: the two states are the same language
        if (!e.empty_word_shows && s->empty() && (w.empty() || it->second.word.empty())) continue;
        const std::vector<Word> both{concat(w, *s), concat(it->second.word, *s)};
        const auto wrong_there = e.wrong(both);
        if (wrong_there[0]) return both[0];
        if (wrong_there[1]) return both[1];
        if ((hw - it->second.h).squaredNorm() == 0) continue;  // identical states: nothing to split
        if (tree.leaves() >= max_leaves) return std::nullopt;
        tree.split(hw, it->second.h);
        restart = true;
      }
      frontier = std::move(next);
    }
    if (!restart) return std::nullopt;
  }
}

std::optional<Word> AbstractionOracle::counterexample(const Dfa& hypothesis, MembershipOracle& member) {
  return explore_abstraction(
      tree_, max_leaves_, member.budget(),
      {hypothesis, [&](State a, State b) { return hypothesis.is_accepting(a) != hypothesis.is_accepting(b); },
       [&](std::span<const Word> words) {
         const auto accept = member.ask(words);
         std::vector<bool> wrong(words.size());
         for (std::size_t i = 0; i < words.size(); ++i) wrong[i] = accept[i] != automata::accepts(hypothesis, words[i]);
         return wrong;
       },
       [&](std::span<const Word> words) { return final_states(recognizer_, words); }});
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

LStarResult learned(const Dfa& hypothesis, bool complete, std::string stopped_by, const Budget& budget,
                    std::size_t counterexamples, std::vector<Word> access_words) {
  LStarResult result;
  result.counterexamples = counterexamples;
  result.access_words = std::move(access_words);
  result.dfa = complete ? automata::canonical_order(hypothesis) : automata::minimize(hypothesis);
  result.complete = complete;
  result.stopped_by = std::move(stopped_by);
  result.membership_queries = budget.membership_queries;
  result.equivalence_queries = budget.equivalence_queries;
  result.seconds = budget.elapsed();
  return result;
}

LStarResult lstar(const Recognizer& recognizer, EquivalenceOracle& oracle, const Limits& limits, bool cache_queries) {
  const Alphabet& alphabet = recognizer.alphabet();
  if (alphabet.empty()) throw InvalidArgument("extract --method lstar: the recognizer's alphabet is empty");
  Budget budget(limits);
  MembershipOracle member(recognizer, budget, cache_queries);
  Table table(member, alphabet.size());
  std::size_t counterexamples = 0;
  auto finish = [&](const Dfa& dfa, bool complete, std::string stopped_by) {
    LStarResult result = learned(dfa, complete, std::move(stopped_by), budget, counterexamples, table.access_words());
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
    ++counterexamples;
    // Rivest-Schapire: alpha(i) = member(access(state after w[0..i)) . w[i..]).
    const Word& w = *cex;
    auto alpha = [&](std::size_t i) {
      const State q = automata::run(hypothesis, hypothesis.initial(), std::span<const Symbol>(w).first(i));
      return member.ask(concat(table.access(q), std::span<const Symbol>(w).subspan(i)));
    };
    std::size_t lo = 0, hi = w.size();
    const bool a_lo = alpha(lo);
    if (a_lo == alpha(hi))
      throw InvalidArgument("extract --method lstar: the " + oracle.name() + " oracle returned '" + alphabet.format_word(w) +
                            "', on which the hypothesis and the recognizer agree");
    while (hi - lo > 1) {
      const std::size_t mid = (lo + hi) / 2;
      (alpha(mid) == a_lo ? lo : hi) = mid;
    }
    Word suffix(w.begin() + static_cast<std::ptrdiff_t>(hi), w.end());
    if (table.has_suffix(suffix))
      throw InvalidArgument("extract --method lstar: counterexample processing found no new suffix (the recognizer's answers changed)");
    table.add_suffix(std::move(suffix));
  }
}

}  // namespace statelab::bridge
