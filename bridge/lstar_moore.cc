#include "bridge/lstar_moore.h"

#include <algorithm>
#include <map>
#include <unordered_set>

#include "automata/minimize.h"
#include "base/error.h"
#include "base/random.h"

namespace statelab::bridge {

using automata::Dfa;
using automata::MooreMachine;
using automata::State;

namespace {

Word concat(const Word& a, std::span<const Symbol> b) {
  Word w = a;
  w.insert(w.end(), b.begin(), b.end());
  return w;
}

bool shortlex_less(const Word& a, const Word& b) { return a.size() != b.size() ? a.size() < b.size() : a < b; }

Output hypothesis_output(const MooreHypothesis& h, std::span<const Symbol> word) {
  return h.outputs[automata::run(h.dfa, h.dfa.initial(), word)];
}

// The observation table: rows of S and of S.A, a cell per suffix of E.
class MooreTable {
 public:
  MooreTable(OutputOracle& out, std::size_t k) : out_(out), k_(k) {
    suffixes_.push_back({});
    rows_.push_back({Word{}, {}, -1});
    fill({0});
    promote(0);
  }

  bool close(std::string& stopped_by) {
    for (std::size_t i = 0; i < lower_.size(); ++i) {
      const std::uint32_t r = lower_[i];
      if (index_.count(rows_[r].cells)) continue;
      stopped_by = out_.budget().exhausted(upper_.size() + 1);
      if (!stopped_by.empty()) return false;
      promote(r);
    }
    return true;
  }

  void add_suffix(Word suffix) {
    suffixes_.push_back(std::move(suffix));
    std::vector<std::uint32_t> all(rows_.size());
    for (std::uint32_t r = 0; r < rows_.size(); ++r) all[r] = r;
    fill_column(suffixes_.size() - 1, all);
    index_.clear();
    for (std::size_t s = 0; s < upper_.size(); ++s) index_.emplace(rows_[upper_[s]].cells, static_cast<State>(s));
  }

  bool has_suffix(const Word& suffix) const {
    return std::find(suffixes_.begin(), suffixes_.end(), suffix) != suffixes_.end();
  }

  // A row of S.A whose row no state has (a limit stopped the closing) goes to the state whose row
  // agrees with it in the most cells.
  MooreHypothesis hypothesis(const Alphabet& alphabet) const {
    MooreHypothesis h{Dfa(alphabet, upper_.size()), {}};
    for (std::size_t s = 0; s < upper_.size(); ++s) {
      h.outputs.push_back(rows_[upper_[s]].cells[0]);
      for (std::size_t a = 0; a < k_; ++a) h.dfa.set_next(static_cast<State>(s), static_cast<Symbol>(a), state_of(lower_[s * k_ + a]));
    }
    return h;
  }

  const Word& access(State s) const { return rows_[upper_[s]].word; }
  std::size_t states() const { return upper_.size(); }

 private:
  struct Row {
    Word word;
    std::vector<Output> cells;
    std::int32_t state;
  };

  State state_of(std::uint32_t r) const {
    if (auto it = index_.find(rows_[r].cells); it != index_.end()) return it->second;
    std::size_t best = 0, best_agree = 0;
    for (std::size_t s = 0; s < upper_.size(); ++s) {
      std::size_t agree = 0;
      for (std::size_t j = 0; j < suffixes_.size(); ++j) agree += rows_[upper_[s]].cells[j] == rows_[r].cells[j];
      if (agree > best_agree) best = s, best_agree = agree;
    }
    return static_cast<State>(best);
  }

  void fill_column(std::size_t j, const std::vector<std::uint32_t>& rows) {
    std::vector<Word> words;
    words.reserve(rows.size());
    for (std::uint32_t r : rows) words.push_back(concat(rows_[r].word, suffixes_[j]));
    const auto answers = out_.ask(words);
    for (std::size_t i = 0; i < rows.size(); ++i) {
      auto& cells = rows_[rows[i]].cells;
      cells.resize(suffixes_.size());
      cells[j] = answers[i];
    }
  }
  void fill(const std::vector<std::uint32_t>& rows) {
    for (std::size_t j = 0; j < suffixes_.size(); ++j) fill_column(j, rows);
  }

  void promote(std::uint32_t r) {
    rows_[r].state = static_cast<std::int32_t>(upper_.size());
    index_.emplace(rows_[r].cells, static_cast<State>(upper_.size()));
    upper_.push_back(r);
    std::vector<std::uint32_t> fresh;
    for (Symbol a = 0; a < k_; ++a) {
      Word w = rows_[r].word;
      w.push_back(a);
      fresh.push_back(static_cast<std::uint32_t>(rows_.size()));
      lower_.push_back(fresh.back());
      rows_.push_back({std::move(w), {}, -1});
    }
    fill(fresh);
  }

  OutputOracle& out_;
  std::size_t k_;
  std::vector<Word> suffixes_;
  std::vector<Row> rows_;
  std::vector<std::uint32_t> upper_, lower_;  // lower_[s * k + a]: the row of S[s] . a
  std::map<std::vector<Output>, State> index_;
};

}  // namespace

std::vector<Output> OutputOracle::ask(std::span<const Word> words) {
  std::vector<Word> unknown;
  std::unordered_set<Word, WordHash> pending;
  for (const Word& w : words)
    if (!w.empty() && !cache_.count(w) && pending.insert(w).second) unknown.push_back(w);
  if (!unknown.empty()) {
    const auto tags = tags_all(tagger_, unknown);
    budget_.membership_queries += unknown.size();
    for (std::size_t i = 0; i < unknown.size(); ++i) {
      Word prefix;
      for (std::size_t t = 0; t < tags[i].size(); ++t) {
        prefix.push_back(unknown[i][t]);
        cache_.emplace(prefix, tags[i][t]);
      }
    }
  }
  std::vector<Output> out;
  out.reserve(words.size());
  for (const Word& w : words) out.push_back(w.empty() ? kNoOutput : cache_.at(w));
  return out;
}

Output OutputOracle::ask(const Word& word) { return ask(std::span<const Word>(&word, 1)).front(); }

MooreMachine to_machine(const MooreHypothesis& hypothesis, const Tagger& tagger) {
  std::vector<std::string> names;
  names.reserve(hypothesis.outputs.size());
  for (Output o : hypothesis.outputs) names.push_back(tagger.name(o));
  return automata::make_moore(hypothesis.dfa, names);
}

std::optional<Word> MooreExactOracle::counterexample(const MooreHypothesis& hypothesis, OutputOracle& out) {
  return automata::find_counterexample(to_machine(hypothesis, out.tagger()), target_, 1);
}

std::optional<Word> MooreRandomWordsOracle::counterexample(const MooreHypothesis& hypothesis, OutputOracle& out) {
  auto rng = make_rng(seed_ * 0x9E3779B97F4A7C15ULL + round_++);
  const std::size_t k = hypothesis.dfa.num_symbols();
  std::vector<Word> words(tests_);
  for (Word& w : words) {
    w.resize(1 + uniform_below(rng, std::max<std::size_t>(max_length_, 1)));
    for (Symbol& s : w) s = static_cast<Symbol>(uniform_below(rng, k));
  }
  out.ask(words);  // caches every prefix
  std::optional<Word> best;
  for (const Word& w : words) {
    State q = hypothesis.dfa.initial();
    for (std::size_t t = 0; t < w.size(); ++t) {
      q = hypothesis.dfa.next(q, w[t]);
      const Word prefix(w.begin(), w.begin() + static_cast<std::ptrdiff_t>(t) + 1);
      if (out.ask(prefix) != hypothesis.outputs[q]) {
        if (!best || shortlex_less(prefix, *best)) best = prefix;
        break;
      }
    }
  }
  return best;
}

MooreAbstractionOracle::MooreAbstractionOracle(const Tagger& tagger, std::size_t max_leaves)
    : tagger_(tagger), max_leaves_(std::max<std::size_t>(max_leaves, 2)) {
  if (tagger.state_dim() == 0)
    throw InvalidArgument("the abstraction oracle needs a tagger with hidden states (a network)");
}

std::optional<Word> MooreAbstractionOracle::counterexample(const MooreHypothesis& hypothesis, OutputOracle& out) {
  // As AbstractionOracle's (lstar.cc), outputs in place of acceptance; the empty word's output
  // (none, on both sides) is not compared.
  return explore_abstraction(
      tree_, max_leaves_, out.budget(),
      {hypothesis.dfa, [&](State a, State b) { return hypothesis.outputs[a] != hypothesis.outputs[b]; },
       [&](std::span<const Word> words) {
         const auto outputs = out.ask(words);
         std::vector<bool> wrong(words.size());
         for (std::size_t i = 0; i < words.size(); ++i)
           wrong[i] = !words[i].empty() && outputs[i] != hypothesis_output(hypothesis, words[i]);
         return wrong;
       },
       [&](std::span<const Word> words) {
         std::vector<Eigen::VectorXf> h;
         for (std::size_t b = 0; b < words.size(); b += 64)
           for (const Trajectory& t : tagger_.trajectories(words.subspan(b, std::min<std::size_t>(64, words.size() - b))))
             h.push_back(t.col(t.cols() - 1));
         return h;
       },
       false});
}

std::optional<Word> MooreSequenceOracle::counterexample(const MooreHypothesis& hypothesis, OutputOracle& out) {
  for (auto* o : oracles_)
    if (auto w = o->counterexample(hypothesis, out)) return w;
  return std::nullopt;
}

std::string MooreSequenceOracle::name() const {
  std::string out;
  for (const auto* o : oracles_) {
    if (!out.empty()) out += '+';
    out += o->name();
  }
  return out;
}

MooreMachine complete_initial_output(const MooreMachine& machine) {
  // A fresh initial state, a copy of the old one's transitions: its output shows on the empty word
  // only (the old initial state keeps its output wherever a non-empty word re-enters it).
  MooreMachine copy = machine;
  const State fresh = copy.dfa.add_state();
  for (Symbol a = 0; a < copy.dfa.num_symbols(); ++a) copy.dfa.set_next(fresh, a, copy.dfa.next(copy.dfa.initial(), a));
  copy.outputs.push_back(copy.outputs[copy.dfa.initial()]);
  copy.dfa.set_initial(fresh);
  MooreMachine best = automata::minimize(copy);
  for (std::uint32_t o = 0; o < machine.output_names.size(); ++o) {
    if (o == machine.outputs[machine.dfa.initial()]) continue;
    copy.outputs[fresh] = o;
    MooreMachine min = automata::minimize(copy);
    if (min.dfa.num_states() < best.dfa.num_states()) best = std::move(min);
  }
  return best;
}

MooreLStarResult moore_learned(const MooreHypothesis& h, const Tagger& tagger, bool complete, std::string stopped_by,
                               const Budget& budget, std::size_t counterexamples) {
  MooreLStarResult result;
  result.machine = complete_initial_output(to_machine(h, tagger));
  result.complete = complete;
  result.stopped_by = std::move(stopped_by);
  result.membership_queries = budget.membership_queries;
  result.equivalence_queries = budget.equivalence_queries;
  result.counterexamples = counterexamples;
  result.seconds = budget.elapsed();
  return result;
}

MooreLStarResult lstar_moore(const Tagger& tagger, MooreEquivalenceOracle& oracle, const Limits& limits) {
  const Alphabet& alphabet = tagger.alphabet();
  if (alphabet.empty()) throw InvalidArgument("lstar: the tagger's alphabet is empty");
  Budget budget(limits);
  OutputOracle out(tagger, budget);
  MooreTable table(out, alphabet.size());
  std::size_t counterexamples = 0;
  auto finish = [&](const MooreHypothesis& h, bool complete, std::string stopped_by) {
    return moore_learned(h, tagger, complete, std::move(stopped_by), budget, counterexamples);
  };
  for (;;) {
    std::string stopped_by;
    if (!table.close(stopped_by)) return finish(table.hypothesis(alphabet), false, stopped_by);
    MooreHypothesis hypothesis = table.hypothesis(alphabet);
    if (stopped_by = budget.exhausted(table.states()); !stopped_by.empty())
      return finish(hypothesis, false, stopped_by);
    if (limits.max_equivalence_queries && budget.equivalence_queries >= limits.max_equivalence_queries)
      return finish(hypothesis, false, "equivalence queries");
    ++budget.equivalence_queries;
    const auto cex = oracle.counterexample(hypothesis, out);
    if (!cex) {
      stopped_by = budget.exhausted(table.states());
      return finish(hypothesis, stopped_by.empty(), stopped_by);
    }
    ++counterexamples;
    const Word& w = *cex;
    auto alpha = [&](std::size_t i) {
      const State q = automata::run(hypothesis.dfa, hypothesis.dfa.initial(), std::span<const Symbol>(w).first(i));
      return out.ask(concat(table.access(q), std::span<const Symbol>(w).subspan(i)));
    };
    std::size_t lo = 0, hi = w.size();
    const Output a_hi = alpha(hi);
    if (w.empty() || alpha(lo) == a_hi)
      throw InvalidArgument("lstar: the " + oracle.name() + " oracle returned '" + alphabet.format_word(w) +
                            "', on which the hypothesis and the tagger agree");
    // Invariant: alpha(lo) != alpha(hi).
    Output at_hi = a_hi;
    while (hi - lo > 1) {
      const std::size_t mid = (lo + hi) / 2;
      const Output a_mid = alpha(mid);
      if (a_mid != at_hi) lo = mid;
      else hi = mid, at_hi = a_mid;
    }
    Word suffix(w.begin() + static_cast<std::ptrdiff_t>(hi), w.end());
    if (table.has_suffix(suffix))
      throw InvalidArgument("lstar: counterexample processing found no new suffix (the tagger's answers changed)");
    table.add_suffix(std::move(suffix));
  }
}

}  // namespace statelab::bridge
