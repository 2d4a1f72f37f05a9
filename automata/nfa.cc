#include "automata/nfa.h"

#include <algorithm>
#include <string>
#include <unordered_map>

#include "base/error.h"

namespace statelab::automata {

Nfa::Nfa(Alphabet alphabet, std::size_t num_states)
    : alphabet_(std::move(alphabet)), arcs_(num_states), accepting_(num_states, false) {}

std::size_t Nfa::num_arcs() const {
  std::size_t m = 0;
  for (const auto& a : arcs_) m += a.size();
  return m;
}

void Nfa::check_state(State q, const char* what) const {
  if (q >= num_states())
    throw InvalidArgument(std::string("Nfa::") + what + ": state " + std::to_string(q) + " out of range (the NFA has " +
                          std::to_string(num_states()) + " states)");
}

State Nfa::add_state(bool accepting) {
  arcs_.emplace_back();
  accepting_.push_back(accepting);
  return static_cast<State>(arcs_.size() - 1);
}

void Nfa::add_arc(State from, Symbol symbol, State to) {
  check_state(from, "add_arc");
  check_state(to, "add_arc");
  if (symbol != kEpsilon && symbol >= alphabet_.size())
    throw InvalidArgument("Nfa::add_arc: symbol " + std::to_string(symbol) + " out of range (the alphabet has " +
                          std::to_string(alphabet_.size()) + " symbols)");
  arcs_[from].push_back({symbol, to});
}

void Nfa::add_initial(State q) {
  check_state(q, "add_initial");
  if (is_initial_.size() < num_states()) is_initial_.resize(num_states(), false);
  if (!is_initial_[q]) {
    is_initial_[q] = true;
    initial_.push_back(q);
  }
}

void Nfa::set_accepting(State q, bool accepting) {
  check_state(q, "set_accepting");
  accepting_[q] = accepting;
}

bool Nfa::is_deterministic() const {
  if (initial_.size() != 1) return false;
  std::vector<State> seen(alphabet_.size(), kEpsilon);
  for (State q = 0; q < num_states(); ++q) {
    for (const NfaArc& arc : arcs_[q]) {
      if (arc.symbol == kEpsilon || seen[arc.symbol] == q) return false;
      seen[arc.symbol] = q;
    }
  }
  return true;
}

bool Nfa::is_complete_deterministic() const {
  if (!is_deterministic()) return false;
  for (const auto& a : arcs_)
    if (a.size() != alphabet_.size()) return false;
  return true;
}

namespace {

// Epsilon closure with a reusable visited array: `seen[q] == epoch` marks q as visited in this
// call, so a subset construction pays O(closure) per call instead of O(n) for a fresh bitset.
class ClosureScratch {
 public:
  explicit ClosureScratch(std::size_t n) : seen_(n, 0) {}
  std::vector<State> closure(const Nfa& nfa, std::span<const State> states) {
    if (++epoch_ == 0) {  // wrapped around: forget every old mark
      std::fill(seen_.begin(), seen_.end(), 0);
      epoch_ = 1;
    }
    std::vector<State> out;
    for (State q : states)
      if (seen_[q] != epoch_) seen_[q] = epoch_, out.push_back(q);
    for (std::size_t i = 0; i < out.size(); ++i)
      for (const NfaArc& arc : nfa.arcs(out[i]))
        if (arc.symbol == kEpsilon && seen_[arc.target] != epoch_) seen_[arc.target] = epoch_, out.push_back(arc.target);
    std::sort(out.begin(), out.end());
    return out;
  }

 private:
  std::vector<std::uint32_t> seen_;
  std::uint32_t epoch_ = 0;
};

}  // namespace

std::vector<State> epsilon_closure(const Nfa& nfa, std::span<const State> states) {
  return ClosureScratch(nfa.num_states()).closure(nfa, states);
}

bool accepts(const Nfa& nfa, std::span<const Symbol> word) {
  ClosureScratch scratch(nfa.num_states());
  std::vector<State> current = scratch.closure(nfa, nfa.initial_states());
  std::vector<bool> mark(nfa.num_states(), false);
  for (std::size_t i = 0; i < word.size(); ++i) {
    if (word[i] >= nfa.alphabet().size())
      throw InvalidArgument("accepts: symbol id " + std::to_string(word[i]) + " at position " + std::to_string(i) +
                            " is outside the alphabet");
    std::vector<State> next;
    for (State q : current)
      for (const NfaArc& arc : nfa.arcs(q))
        if (arc.symbol == word[i] && !mark[arc.target]) {
          mark[arc.target] = true;
          next.push_back(arc.target);
        }
    for (State q : next) mark[q] = false;
    current = scratch.closure(nfa, next);
    if (current.empty()) return false;
  }
  return std::any_of(current.begin(), current.end(), [&](State q) { return nfa.is_accepting(q); });
}

namespace {

struct SubsetHash {
  std::size_t operator()(const std::vector<State>& s) const {
    std::size_t h = s.size();
    for (State q : s) h ^= q + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
    return h;
  }
};

void over_limit(std::size_t max_states) {
  throw LimitExceeded("determinizing: the subset construction needs more than " + std::to_string(max_states) +
                      " states (raise --max-states)");
}

// A deterministic Nfa keeps its numbering; missing arcs go to one added sink.
Dfa complete_deterministic(const Nfa& nfa, std::size_t max_states) {
  const std::size_t n = nfa.num_states();
  bool partial = false;
  for (State q = 0; q < n; ++q) partial |= nfa.arcs(q).size() != nfa.alphabet().size();
  const std::size_t total = n + (partial ? 1 : 0);
  if (total > max_states) over_limit(max_states);
  Dfa dfa(nfa.alphabet(), total);
  const State sink = static_cast<State>(n);
  for (State q = 0; q < total; ++q)
    for (Symbol a = 0; a < nfa.alphabet().size(); ++a) dfa.set_next(q, a, partial ? sink : q);
  for (State q = 0; q < n; ++q) {
    dfa.set_accepting(q, nfa.is_accepting(q));
    for (const NfaArc& arc : nfa.arcs(q)) dfa.set_next(q, arc.symbol, arc.target);
  }
  dfa.set_initial(nfa.initial_states().front());
  return dfa;
}

}  // namespace

Dfa determinize(const Nfa& nfa, std::size_t max_states) {
  if (nfa.is_deterministic()) return complete_deterministic(nfa, max_states);
  const std::size_t k = nfa.alphabet().size();
  std::unordered_map<std::vector<State>, State, SubsetHash> ids;
  std::vector<std::vector<State>> subsets;
  std::vector<State> table;  // row-major, filled as subsets are expanded
  auto intern = [&](std::vector<State> subset) {
    auto [it, fresh] = ids.emplace(subset, static_cast<State>(subsets.size()));
    if (fresh) {
      if (subsets.size() >= max_states) over_limit(max_states);
      subsets.push_back(std::move(subset));
    }
    return it->second;
  };
  ClosureScratch scratch(nfa.num_states());
  intern(scratch.closure(nfa, nfa.initial_states()));
  std::vector<std::vector<State>> moves(k);
  for (std::size_t i = 0; i < subsets.size(); ++i) {
    for (auto& m : moves) m.clear();
    for (State q : subsets[i])
      for (const NfaArc& arc : nfa.arcs(q))
        if (arc.symbol != kEpsilon) moves[arc.symbol].push_back(arc.target);
    for (Symbol a = 0; a < k; ++a) {
      std::sort(moves[a].begin(), moves[a].end());
      moves[a].erase(std::unique(moves[a].begin(), moves[a].end()), moves[a].end());
      table.push_back(intern(scratch.closure(nfa, moves[a])));
    }
  }
  Dfa dfa(nfa.alphabet(), subsets.size());
  for (State s = 0; s < subsets.size(); ++s) {
    for (Symbol a = 0; a < k; ++a) dfa.set_next(s, a, table[s * k + a]);
    dfa.set_accepting(s, std::any_of(subsets[s].begin(), subsets[s].end(), [&](State q) { return nfa.is_accepting(q); }));
  }
  dfa.set_initial(0);
  return dfa;
}

Nfa to_nfa(const Dfa& dfa) {
  Nfa nfa(dfa.alphabet(), dfa.num_states());
  for (State q = 0; q < dfa.num_states(); ++q) {
    nfa.set_accepting(q, dfa.is_accepting(q));
    for (Symbol a = 0; a < dfa.num_symbols(); ++a) nfa.add_arc(q, a, dfa.next(q, a));
  }
  nfa.add_initial(dfa.initial());
  return nfa;
}

Nfa reverse(const Dfa& dfa) {
  Nfa nfa(dfa.alphabet(), dfa.num_states());
  for (State q = 0; q < dfa.num_states(); ++q) {
    for (Symbol a = 0; a < dfa.num_symbols(); ++a) nfa.add_arc(dfa.next(q, a), a, q);
    if (dfa.is_accepting(q)) nfa.add_initial(q);
  }
  nfa.set_accepting(dfa.initial());
  return nfa;
}

}  // namespace statelab::automata
