#include "automata/pda.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "automata/pda_normal.h"
#include "base/error.h"

namespace statelab::automata {

Pda::Pda(Alphabet input_alphabet, Alphabet stack_alphabet, Symbol bottom, std::size_t num_states,
         PdaAcceptance acceptance)
    : MoveTable(num_states),
      input_(std::move(input_alphabet)),
      stack_(std::move(stack_alphabet)),
      bottom_(bottom),
      acceptance_(acceptance) {
  if (bottom_ >= stack_.size())
    throw InvalidArgument("Pda: bottom symbol " + std::to_string(bottom_) + " out of range (the stack alphabet has " +
                          std::to_string(stack_.size()) + " symbols)");
}

void Pda::add_move(PdaMove move) {
  auto symbol_error = [&](const char* role, Symbol s, const Alphabet& alphabet) {
    throw InvalidArgument(std::string("Pda::add_move: ") + role + " symbol " + std::to_string(s) +
                          " out of range (the alphabet has " + std::to_string(alphabet.size()) + " symbols)");
  };
  if (move.input != kEpsilon && move.input >= input_.size()) symbol_error("input", move.input, input_);
  if (move.pop != kEpsilon && move.pop >= stack_.size()) symbol_error("popped", move.pop, stack_);
  for (Symbol s : move.push)
    if (s >= stack_.size()) symbol_error("pushed", s, stack_);
  insert_move(std::move(move));
}

std::size_t Pda::max_push() const {
  std::size_t longest = 0;
  for (const PdaMove& m : moves()) longest = std::max(longest, m.push.size());
  return longest;
}

std::string format_move(const Pda& pda, const PdaMove& move) {
  auto name = [](const Alphabet& a, Symbol s) { return s == kEpsilon ? std::string("eps") : a.name(s); };
  std::string push;
  for (Symbol s : move.push) push += (push.empty() ? "" : " ") + pda.stack_alphabet().name(s);
  return std::to_string(move.from) + " --" + name(pda.input_alphabet(), move.input) + ", " +
         name(pda.stack_alphabet(), move.pop) + " / " + (push.empty() ? "eps" : push) + "--> " +
         std::to_string(move.to);
}

namespace {

void check_word(const Pda& pda, std::span<const Symbol> word, const char* what) {
  for (std::size_t i = 0; i < word.size(); ++i)
    if (word[i] >= pda.input_alphabet().size())
      throw InvalidArgument(std::string(what) + ": symbol " + std::to_string(word[i]) + " at position " +
                            std::to_string(i) + " is outside the input alphabet (" +
                            std::to_string(pda.input_alphabet().size()) + " symbols)");
}

std::optional<std::pair<std::size_t, std::size_t>> find_conflict(const Pda& pda) {
  for (State q = 0; q < pda.num_states(); ++q) {
    const auto& out = pda.moves_from(q);
    for (std::size_t i = 0; i < out.size(); ++i) {
      const PdaMove& a = pda.moves()[out[i]];
      for (std::size_t j = i + 1; j < out.size(); ++j) {
        const PdaMove& b = pda.moves()[out[j]];
        const bool inputs_meet = a.input == b.input || a.input == kEpsilon || b.input == kEpsilon;
        const bool pops_meet = a.pop == b.pop || a.pop == kEpsilon || b.pop == kEpsilon;
        if (inputs_meet && pops_meet) return std::pair{out[i], out[j]};
      }
    }
  }
  return std::nullopt;
}

// The move enabled in state q on input slot `input` (kEpsilon or a symbol) with `top` on the
// stack (kEpsilon when it is empty), for a deterministic PDA: at most one exists.
class MoveIndex {
 public:
  explicit MoveIndex(const Pda& pda)
      : k_(pda.input_alphabet().size() + 1), g_(pda.stack_alphabet().size() + 1) {
    const std::uint64_t slots = static_cast<std::uint64_t>(pda.num_states()) * k_ * g_;
    dense_ = slots <= kMaxDense;
    if (dense_) table_.assign(slots, -1);
    for (std::size_t i = 0; i < pda.moves().size(); ++i) {
      const PdaMove& m = pda.moves()[i];
      const std::uint64_t s = slot(m.from, m.input, m.pop);
      if (dense_) {
        table_[s] = static_cast<std::int64_t>(i);
      } else {
        sparse_[s] = static_cast<std::int64_t>(i);
      }
    }
  }

  std::int64_t enabled(State q, Symbol input, Symbol top) const {
    if (top != kEpsilon) {
      const std::int64_t m = find(slot(q, input, top));
      if (m >= 0) return m;
    }
    return find(slot(q, input, kEpsilon));
  }

 private:
  static constexpr std::uint64_t kMaxDense = 1u << 22;
  std::uint64_t slot(State q, Symbol input, Symbol pop) const {
    return (static_cast<std::uint64_t>(q) * k_ + (input == kEpsilon ? 0 : input + 1)) * g_ +
           (pop == kEpsilon ? 0 : pop + 1);
  }
  std::int64_t find(std::uint64_t s) const {
    if (dense_) return table_[s];
    auto it = sparse_.find(s);
    return it == sparse_.end() ? -1 : it->second;
  }

  std::uint64_t k_, g_;
  bool dense_ = true;
  std::vector<std::int64_t> table_;
  std::unordered_map<std::uint64_t, std::int64_t> sparse_;
};

}  // namespace

bool is_deterministic(const Pda& pda) { return !find_conflict(pda).has_value(); }

PdaTrace trace_deterministic(const Pda& pda, std::span<const Symbol> word) {
  check_word(pda, word, "trace_deterministic");
  if (auto conflict = find_conflict(pda))
    throw InvalidArgument("tracing a PDA: it is not deterministic: moves " +
                          format_move(pda, pda.moves()[conflict->first]) + " and " +
                          format_move(pda, pda.moves()[conflict->second]) + " can both be enabled");
  PdaTrace trace;
  if (pda.num_states() == 0) return trace;
  const MoveIndex index(pda);
  const std::uint64_t g = pda.stack_alphabet().size();  // the "top" of an empty stack, in keys
  const bool final_state = pda.acceptance() == PdaAcceptance::final_state;

  std::vector<Symbol> stack{pda.bottom()};
  State q = pda.initial();

  // Loop detection within one epsilon phase.  Each epsilon move is seen as the steps of the
  // normal form (pda_normal.h): before it, after its pop, after each of its pushes but the last.
  // Each such point is marked by the pair (point, symbol on top) at the height of the top;
  // `active` holds the marks whose height has not been popped since.  Meeting an active pair
  // again means the run since then never looked below that height and came back to the same
  // point with the same top: deterministic, it repeats forever (pushing or not).  Conversely an
  // endless run has infinitely many points whose top is never popped later, two of them with
  // the same pair, so every endless epsilon run is caught; at most 1 + |push| marks per move.
  std::vector<std::uint64_t> first_point(pda.moves().size());  // points after pop / pushes
  std::uint64_t points = pda.num_states();
  for (std::size_t m = 0; m < pda.moves().size(); ++m) {
    first_point[m] = points;
    points += 1 + pda.moves()[m].push.size();
  }
  std::vector<std::vector<std::uint64_t>> marks;  // marks[h]: keys marked with the top at height h
  std::vector<std::size_t> marked;
  std::unordered_set<std::uint64_t> active;
  auto mark = [&](std::uint64_t point) {  // false when the pair is active already: a loop
    const std::size_t h = stack.size();
    const std::uint64_t key = point * (g + 1) + (h == 0 ? g : stack[h - 1]);
    if (!active.insert(key).second) return false;
    if (marks.size() <= h) marks.resize(h + 1);
    if (marks[h].empty()) marked.push_back(h);
    marks[h].push_back(key);
    return true;
  };
  // Applies a move; with `marking`, marks its inner points and says whether one closed a loop.
  auto apply = [&](std::size_t m, bool marking) {
    const PdaMove& move = pda.moves()[m];
    bool looped = false;
    if (move.pop != kEpsilon) {
      const std::size_t h = stack.size();
      if (h < marks.size()) {
        for (std::uint64_t key : marks[h]) active.erase(key);
        marks[h].clear();
      }
      stack.pop_back();
      if (marking) looped = !mark(first_point[m]) || looped;
    }
    for (std::size_t i = move.push.size(); i > 0; --i) {
      stack.push_back(move.push[i - 1]);
      if (marking && i > 1) looped = !mark(first_point[m] + move.push.size() - i + 1) || looped;
    }
    q = move.to;
    return looped;
  };
  auto reset_marks = [&] {
    for (std::size_t h : marked)
      if (h < marks.size()) marks[h].clear();
    marked.clear();
    active.clear();
  };
  bool accepted = false;
  // Follows epsilon moves until none is enabled (false) or a loop is seen (true); after the
  // last symbol, notes whether any configuration on the way accepts.
  auto epsilon_phase = [&](bool last) {
    for (;;) {
      if (last) accepted = accepted || (final_state ? pda.is_accepting(q) : stack.empty());
      const std::int64_t m = index.enabled(q, kEpsilon, stack.empty() ? kEpsilon : stack.back());
      if (m < 0) return false;
      if (!mark(q) || apply(static_cast<std::size_t>(m), true)) {
        if (last) accepted = accepted || (final_state ? pda.is_accepting(q) : stack.empty());
        return true;
      }
    }
  };

  for (std::size_t i = 0;; ++i) {
    const bool last = i == word.size();
    const bool looped = epsilon_phase(last);
    trace.state.push_back(q);
    trace.depth.push_back(stack.size());
    if (looped) trace.epsilon_loop = true;
    if (last || looped) break;
    const std::int64_t m = index.enabled(q, word[i], stack.empty() ? kEpsilon : stack.back());
    if (m < 0) break;
    reset_marks();
    apply(static_cast<std::size_t>(m), false);
    trace.read = i + 1;
  }
  trace.accepted = trace.read == word.size() && accepted;
  return trace;
}

bool accepts_deterministic(const Pda& pda, std::span<const Symbol> word) {
  return trace_deterministic(pda, word).accepted;
}

std::vector<std::size_t> stack_depths(const Pda& pda, std::span<const Symbol> word) {
  return trace_deterministic(pda, word).depth;
}

bool accepts_by_summaries(const Pda& pda, std::span<const Symbol> word) {
  check_word(pda, word, "accepts_by_summaries");
  if (pda.num_states() == 0) return false;
  const detail::NormalPda m = detail::normalise(pda);
  const std::uint64_t n = word.size();
  const std::uint64_t nq = m.num_states;
  const std::uint64_t ng = std::max<std::uint64_t>(pda.stack_alphabet().size(), 1);
  // A fact is (start, p, q) at position j: a run from state p at position `start` reaches q at
  // j with pushes and pops balanced.  Start kU stands for the one run from the start state at
  // position 0 that may leave pushes unmatched (final-state acceptance only).
  const std::uint64_t kU = n + 1;
  constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();
  if (n + 2 > kMax / nq / nq / ng)
    throw LimitExceeded("deciding membership in a PDA: a word of length " + std::to_string(n) + " over a PDA of " +
                        std::to_string(nq) + " normalised states is too large to index");
  const bool final_state = pda.acceptance() == PdaAcceptance::final_state;

  // waiting[i][(r, Y)]: the starts (start, p) of balanced runs that pushed Y and entered r at
  // position i; a balanced run from r at i followed by a pop of Y completes each of them.
  auto tag = [nq](std::uint64_t start, State p) { return start * nq + p; };
  auto wait_key = [ng](State r, Symbol y) { return static_cast<std::uint64_t>(r) * ng + y; };
  std::vector<std::unordered_map<std::uint64_t, std::vector<std::uint64_t>>> waiting(n + 1);
  std::vector<std::unordered_set<std::uint64_t>> waiting_seen(n + 1);

  struct Level {
    std::unordered_set<std::uint64_t> seen;
    std::vector<std::array<std::uint64_t, 3>> facts;                 // (start, p, q), in order of discovery
    std::unordered_map<State, std::vector<State>> starting_here;  // p -> q for facts (here, p, q)
  };
  Level current, following;
  std::uint64_t position = 0;
  auto add = [&](std::uint64_t at, std::uint64_t start, State p, State q) {
    Level& level = at == position ? current : following;
    if (!level.seen.insert((start * nq + p) * nq + q).second) return;
    level.facts.push_back({start, p, q});
    if (start == at) level.starting_here[p].push_back(q);
  };
  // Where a step reading `input` from `position` lands, or nothing when the word disagrees.
  auto landing = [&](Symbol input) -> std::optional<std::uint64_t> {
    if (input == kEpsilon) return position;
    if (position < n && word[position] == input) return position + 1;
    return std::nullopt;
  };

  if (final_state) {
    add(0, kU, 0, m.start);
  } else {
    add(0, 0, m.start, m.start);
  }
  for (;;) {
    for (std::size_t f = 0; f < current.facts.size(); ++f) {
      const auto [start, p, q] = current.facts[f];
      for (const detail::StepArc& arc : m.internal[q])
        if (auto at = landing(arc.input)) add(*at, start, p, arc.to);
      for (const detail::StepArc& arc : m.push[q]) {
        auto at = landing(arc.input);
        if (!at) continue;
        if (start == kU) add(*at, kU, 0, arc.to);  // a push never popped
        const std::uint64_t waiter = tag(start, p);
        const std::uint64_t wkey = wait_key(arc.to, arc.stack);
        const bool fresh = waiting_seen[*at].insert(wkey * (kU + 1) * nq + waiter).second;
        if (fresh) waiting[*at][wkey].push_back(waiter);
        add(*at, *at, arc.to, arc.to);
        if (fresh && *at == position) {
          // Balanced runs from arc.to already found here complete this push at once.
          auto it = current.starting_here.find(arc.to);
          if (it == current.starting_here.end()) continue;
          const std::vector<State>& ends = it->second;  // may grow below; node references stay valid
          for (std::size_t i = 0; i < ends.size(); ++i) {
            const State s = ends[i];
            for (const detail::StepArc& popper : m.pop[s])
              if (popper.stack == arc.stack)
                if (auto after = landing(popper.input)) add(*after, start, p, popper.to);
          }
        }
      }
      if (start == kU) continue;
      for (const detail::StepArc& arc : m.pop[q]) {
        auto at = landing(arc.input);
        if (!at) continue;
        auto it = waiting[start].find(wait_key(p, arc.stack));
        if (it == waiting[start].end()) continue;
        for (std::uint64_t waiter : it->second) add(*at, waiter / nq, static_cast<State>(waiter % nq), arc.to);
      }
    }
    if (position == n) break;
    current = std::move(following);
    following = Level{};
    ++position;
    if (current.facts.empty()) return false;
  }
  for (const auto& [start, p, q] : current.facts) {
    if (q >= m.num_original) continue;  // the start state and the inside of a move are no configuration
    if (final_state ? start == kU && pda.is_accepting(q) : start == 0 && p == m.start) return true;
  }
  return false;
}

bool accepts(const Pda& pda, std::span<const Symbol> word) {
  return is_deterministic(pda) ? accepts_deterministic(pda, word) : accepts_by_summaries(pda, word);
}

}  // namespace statelab::automata
