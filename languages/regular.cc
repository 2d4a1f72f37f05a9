// The regular entries of the catalogue: each is a DFA built from its definition by a breadth-first
// construction over the definition's own state (a tuple), then minimised.
#include <algorithm>
#include <map>
#include <string>
#include <tuple>

#include "automata/boolean_ops.h"
#include "automata/minimize.h"
#include "automata/reachability.h"
#include "base/error.h"
#include "languages/entries.h"

namespace statelab::languages {

using automata::Dfa;
using automata::State;

// ---- DfaLanguage -------------------------------------------------------------------------------

DfaLanguage::DfaLanguage(LanguageInfo info, const Dfa& dfa)
    : Language([&] {
        info.alphabet = dfa.alphabet();
        info.ground_truth.engine = Engine::dfa;
        info.state_names = {"state"};
        return std::move(info);
      }()),
      dfa_(automata::minimize(dfa)),
      complement_(automata::complement(dfa_)),
      live_(automata::live_states(dfa_)) {}

bool DfaLanguage::do_contains(std::span<const Symbol> word) const { return automata::accepts(dfa_, word); }

std::optional<Count> DfaLanguage::do_count(std::size_t length) const { return automata::count_accepted(dfa_, length); }

std::optional<Word> DfaLanguage::do_sample(std::size_t length, Rng& rng) const { return positives_.sample(length, rng); }

std::optional<Word> DfaLanguage::do_sample_negative(std::size_t length, Rng& rng) const {
  return negatives_.sample(length, rng);
}

std::vector<PrefixTarget> DfaLanguage::do_targets(std::span<const Symbol> word) const {
  std::vector<PrefixTarget> out;
  out.reserve(word.size() + 1);
  State q = dfa_.initial();
  for (std::size_t i = 0;; ++i) {
    PrefixTarget t;
    t.state = {static_cast<std::int64_t>(q)};
    t.next.resize(dfa_.num_symbols());
    for (Symbol a = 0; a < dfa_.num_symbols(); ++a) t.next[a] = live_[dfa_.next(q, a)];
    t.end = dfa_.is_accepting(q);
    out.push_back(std::move(t));
    if (i == word.size()) break;
    q = dfa_.next(q, word[i]);
  }
  return out;
}

std::unique_ptr<Language> make_dfa_language(std::string name, const Dfa& dfa, std::string definition,
                                            LanguageClass language_class) {
  LanguageInfo info;
  info.name = std::move(name);
  info.language_class = language_class;
  info.ground_truth.definition = std::move(definition);
  return std::make_unique<DfaLanguage>(std::move(info), dfa);
}

// ---- construction from a definition ------------------------------------------------------------

namespace {

/// The DFA whose states are the values of `Key` reachable from `initial` under `step`, accepting
/// where `accept` holds.  Time O(k n log n) with n the reachable keys; throws LimitExceeded past
/// `max_states`.
template <class Key, class Step, class Accept>
Dfa build_dfa(const Alphabet& alphabet, const Key& initial, Step step, Accept accept, std::string_view what,
              std::size_t max_states = 1'000'000) {
  std::map<Key, State> ids{{initial, 0}};
  std::vector<Key> keys{initial};
  std::vector<State> table;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    const Key from = keys[i];
    for (Symbol a = 0; a < alphabet.size(); ++a) {
      Key to = step(from, a);
      auto [it, fresh] = ids.emplace(to, static_cast<State>(keys.size()));
      if (fresh) {
        if (keys.size() >= max_states)
          throw LimitExceeded(std::string(what) + ": the DFA would have more than " + std::to_string(max_states) +
                              " states");
        keys.push_back(std::move(to));
      }
      table.push_back(it->second);
    }
  }
  Dfa dfa(alphabet, keys.size());
  for (State q = 0; q < keys.size(); ++q) {
    for (Symbol a = 0; a < alphabet.size(); ++a) dfa.set_next(q, a, table[q * alphabet.size() + a]);
    dfa.set_accepting(q, accept(keys[q]));
  }
  return dfa;
}

const Alphabet& binary() {
  static const Alphabet kBinary = Alphabet::from_chars("01");
  return kBinary;
}

}  // namespace

std::unique_ptr<Language> make_first() {
  // 0 = nothing read, 1 = first was 1, 2 = first was 0.
  Dfa dfa = build_dfa(
      binary(), 0, [](int q, Symbol a) { return q == 0 ? (a == 1 ? 1 : 2) : q; }, [](int q) { return q == 1; }, "first");
  return make_dfa_language("first", dfa, "words over {0,1} whose first symbol is 1");
}

std::unique_ptr<Language> make_parity() {
  Dfa dfa = build_dfa(
      binary(), 0, [](int q, Symbol a) { return q ^ static_cast<int>(a); }, [](int q) { return q == 1; }, "parity");
  return make_dfa_language("parity", dfa, "words over {0,1} with an odd number of 1s (the XOR of the bits)");
}

std::unique_ptr<Language> make_tomita(int n) {
  constexpr int kDeadState = -1;
  const std::string name = "tomita:n=" + std::to_string(n);
  switch (n) {
    case 1: {
      Dfa dfa = build_dfa(
          binary(), 0, [](int q, Symbol a) { return a == 0 ? kDeadState : q; }, [](int q) { return q == 0; }, name);
      return make_dfa_language(name, dfa, "1* (no 0)");
    }
    case 2: {
      // q = how far into "10": 0 before the 1, 1 after it.
      Dfa dfa = build_dfa(
          binary(), 0,
          [](int q, Symbol a) {
            if (q == 0) return a == 1 ? 1 : kDeadState;
            if (q == 1) return a == 0 ? 0 : kDeadState;
            return kDeadState;
          },
          [](int q) { return q == 0; }, name);
      return make_dfa_language(name, dfa, "(10)*");
    }
    case 3: {
      // (dead, last symbol (-1 none), parity of the current run, armed): armed once a maximal run
      // of 1s of odd length has ended; an odd run of 0s ending while armed kills the word.
      using Key = std::tuple<bool, int, int, bool>;
      auto odd_zero_run_ends = [](const Key& k) {
        auto [dead, last, parity, armed] = k;
        return last == 0 && parity == 1 && armed;
      };
      Dfa dfa = build_dfa(
          binary(), Key{false, -1, 0, false},
          [&](const Key& k, Symbol a) {
            auto [dead, last, parity, armed] = k;
            if (dead) return k;
            if (last == static_cast<int>(a)) return Key{false, last, parity ^ 1, armed};
            if (odd_zero_run_ends(k)) return Key{true, 0, 0, false};
            const bool now_armed = armed || (last == 1 && parity == 1);
            return Key{false, static_cast<int>(a), 1, now_armed};
          },
          [&](const Key& k) { return !std::get<0>(k) && !odd_zero_run_ends(k); }, name);
      return make_dfa_language(
          name, dfa, "no odd-length run of 1s followed, anywhere later, by an odd-length run of 0s (runs maximal)");
    }
    case 4: {
      Dfa dfa = build_dfa(
          binary(), 0, [](int q, Symbol a) { return q == 3 ? 3 : a == 1 ? 0 : q + 1; }, [](int q) { return q < 3; }, name);
      return make_dfa_language(name, dfa, "no three consecutive 0s (no factor 000)");
    }
    case 5: {
      Dfa dfa = build_dfa(
          binary(), 0, [](int q, Symbol a) { return q ^ (1 << a); }, [](int q) { return q == 0; }, name);
      return make_dfa_language(name, dfa, "an even number of 0s and an even number of 1s");
    }
    case 6: {
      Dfa dfa = build_dfa(
          binary(), 0, [](int q, Symbol a) { return (q + (a == 0 ? 1 : 2)) % 3; }, [](int q) { return q == 0; }, name);
      return make_dfa_language(name, dfa, "the number of 0s minus the number of 1s is divisible by 3");
    }
    case 7: {
      // q = the number of blocks begun in 0*1*0*1* (the expected symbol of block q is q % 2).
      Dfa dfa = build_dfa(
          binary(), 0,
          [](int q, Symbol a) {
            if (q == kDeadState) return q;
            if (static_cast<int>(a) == q % 2) return q;
            return q + 1 <= 3 ? q + 1 : kDeadState;
          },
          [](int q) { return q != kDeadState; }, name);
      return make_dfa_language(name, dfa, "0*1*0*1*");
    }
    default:
      throw InvalidArgument("tomita: n=" + std::to_string(n) + " does not exist (expected n = 1..7)");
  }
}

std::unique_ptr<Language> make_even_pairs() {
  // (first symbol, last symbol), -1 before the first.
  using Key = std::pair<int, int>;
  Dfa dfa = build_dfa(
      Alphabet::from_chars("ab"), Key{-1, -1},
      [](const Key& k, Symbol a) { return Key{k.first < 0 ? static_cast<int>(a) : k.first, static_cast<int>(a)}; },
      [](const Key& k) { return k.first == k.second; }, "even-pairs");
  return make_dfa_language("even-pairs", dfa,
                           "words over {a,b} with an even number of factors ab and ba (equivalently, empty or first "
                           "symbol = last symbol)");
}

std::unique_ptr<Language> make_modular_count(std::size_t m) {
  if (m < 1) throw InvalidArgument("modular-count: m=" + std::to_string(m) + " is impossible (expected m >= 1)");
  const std::string name = "modular-count:m=" + std::to_string(m);
  Dfa dfa = build_dfa(
      binary(), std::size_t{0}, [m](std::size_t q, Symbol a) { return (q + a) % m; },
      [](std::size_t q) { return q == 0; }, name);
  return make_dfa_language(name, dfa, "words over {0,1} whose number of 1s is divisible by " + std::to_string(m));
}

std::unique_ptr<Language> make_cycle_navigation(std::size_t n) {
  if (n < 1) throw InvalidArgument("cycle-navigation: n=" + std::to_string(n) + " is impossible (expected n >= 1)");
  const std::string name = "cycle-navigation:n=" + std::to_string(n);
  Dfa dfa = build_dfa(
      Alphabet::from_chars("012"), std::size_t{0},
      [n](std::size_t q, Symbol a) { return a == 0 ? q : a == 1 ? (q + 1) % n : (q + n - 1) % n; },
      [](std::size_t q) { return q == 0; }, name);
  return make_dfa_language(name, dfa,
                           "moves 0 = stay, 1 = +1, 2 = -1 on a cycle of " + std::to_string(n) +
                               " positions from position 0, ending at position 0");
}

std::unique_ptr<Language> make_flip_flop() {
  // Symbols: w r i 0 1.  Key = (dead, awaiting: -1 an instruction, else the instruction whose bit
  // comes next, memory bit (-1 before any write), the last complete pair was a read).
  enum : int { kW = 0, kR = 1, kI = 2 };
  using Key = std::tuple<bool, int, int, bool>;
  const Key dead{true, -1, -1, false};
  Dfa dfa = build_dfa(
      Alphabet::from_chars("wri01"), Key{false, -1, -1, false},
      [&](const Key& k, Symbol a) {
        auto [is_dead, awaiting, memory, last_read] = k;
        if (is_dead) return k;
        const bool is_bit = a >= 3;
        if (awaiting < 0) {
          if (is_bit) return dead;
          if (memory < 0 && static_cast<int>(a) != kW) return dead;  // the first instruction is w
          return Key{false, static_cast<int>(a), memory, false};
        }
        if (!is_bit) return dead;
        const int bit = static_cast<int>(a) - 3;
        if (awaiting == kW) return Key{false, -1, bit, false};
        if (awaiting == kR) return bit == memory ? Key{false, -1, memory, true} : dead;
        return Key{false, -1, memory, false};  // kI: the bit is ignored
      },
      [](const Key& k) { return !std::get<0>(k) && std::get<1>(k) < 0 && std::get<3>(k); }, "flip-flop");
  return make_dfa_language("flip-flop", dfa,
                           "instruction-bit pairs over {w,r,i}x{0,1}, starting with a w pair and ending with an r "
                           "pair, every r pair carrying the bit of the latest w pair");
}

std::unique_ptr<Language> make_word_problem(const automata::PermutationGroup& group,
                                            std::optional<std::vector<std::uint32_t>> generators) {
  constexpr std::size_t kMaxElementAlphabet = 1024;
  std::vector<std::uint32_t> letters;
  std::string name = "word-problem:group=" + group.name();
  if (generators) {
    if (generators->empty()) throw InvalidArgument("word-problem: gens= names no generator");
    letters = *generators;
    name += ",gens=";
    for (std::size_t i = 0; i < letters.size(); ++i) name.append(i ? ";" : "").append(group.element_name(letters[i]));
  } else {
    if (group.order() > kMaxElementAlphabet)
      throw LimitExceeded("word-problem: " + group.name() + " has " + std::to_string(group.order()) +
                          " elements, more than " + std::to_string(kMaxElementAlphabet) +
                          " symbols; give a generating set with gens=...");
    for (std::uint32_t g = 0; g < group.order(); ++g) letters.push_back(g);
  }
  std::vector<std::string> names;
  for (std::uint32_t g : letters) names.push_back(group.element_name(g));
  Alphabet alphabet(std::move(names));
  // The states are group elements, numbered as in the group (not the BFS of build_dfa), so that a
  // DFA state is the prefix product's group index before minimisation.
  Dfa dfa(alphabet, group.order());
  for (std::uint32_t g = 0; g < group.order(); ++g)
    for (Symbol a = 0; a < letters.size(); ++a) dfa.set_next(g, a, group.multiply(g, letters[a]));
  dfa.set_accepting(automata::PermutationGroup::identity());
  return make_dfa_language(name, dfa,
                           "words of elements of " + group.name() + " (order " + std::to_string(group.order()) +
                               ") whose product is the identity");
}

// ---- brackets ----------------------------------------------------------------------------------

Alphabet bracket_alphabet(std::size_t k) {
  if (k < 1) throw InvalidArgument("dyck: k=0 is impossible (expected k >= 1 bracket pairs)");
  static const char* const kPairs[] = {"()", "[]", "{}", "<>"};
  std::vector<std::string> names;
  for (std::size_t t = 0; t < k; ++t) {
    if (k <= 4) {
      names.emplace_back(1, kPairs[t][0]);
      names.emplace_back(1, kPairs[t][1]);
    } else {
      names.push_back(std::string("(").append(std::to_string(t + 1)));
      names.push_back(std::string(")").append(std::to_string(t + 1)));
    }
  }
  return Alphabet(std::move(names));
}

namespace {
std::unique_ptr<Language> make_bounded_dyck(std::size_t k, std::size_t depth) {
  if (depth < 1) throw InvalidArgument("dyck: depth=0 is impossible (expected depth >= 1, or no depth for unbounded)");
  const std::string name = "dyck:k=" + std::to_string(k) + ",depth=" + std::to_string(depth);
  // Key: the stack of open pair types, bottom first; {k} marks the dead state.
  using Key = std::vector<std::uint32_t>;
  const Key dead{static_cast<std::uint32_t>(k)};
  Dfa dfa = build_dfa(
      bracket_alphabet(k), Key{},
      [&](const Key& stack, Symbol a) {
        if (stack == dead) return dead;
        const std::uint32_t pair = a / 2;
        Key next = stack;
        if (a % 2 == 0) {
          if (next.size() == depth) return dead;
          next.push_back(pair);
          return next;
        }
        if (next.empty() || next.back() != pair) return dead;
        next.pop_back();
        return next;
      },
      [](const Key& stack) { return stack.empty(); }, name);
  return make_dfa_language(name, dfa,
                           "well-nested words over " + std::to_string(k) + " bracket pair(s), nested at most " +
                               std::to_string(depth) + " deep");
}
}  // namespace

std::unique_ptr<Language> make_dyck_bounded_impl(std::size_t k, std::size_t depth) { return make_bounded_dyck(k, depth); }

}  // namespace statelab::languages
