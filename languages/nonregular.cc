// The non-regular entries of the catalogue.  The counter and context-free ones are
// EngineLanguages (languages/engine_language.h): each gets its machine here -- a deterministic
// real-time counter machine, or a deterministic pushdown automaton and an unambiguous grammar --
// and the engines decide membership, count, sample and give the per-position state.  Where the
// language is not context-free (anbncn, shuffle-dyck for k >= 2) or no simple unambiguous grammar
// is at hand (majority), counting and sampling are closed forms.  The context-sensitive entries
// (copy, marked-copy, string-equality) lie beyond every engine: a predicate written from the
// definition decides them.  The tests (tests/languages/catalogue_test.cc) check every entry
// against brute-force predicates of their own.
#include <algorithm>
#include <string>

#include "base/error.h"
#include "languages/engine_language.h"
#include "languages/entries.h"

namespace statelab::languages {

std::unique_ptr<Language> make_dyck_bounded_impl(std::size_t k, std::size_t depth);  // regular.cc

namespace {

using automata::CounterAcceptance;
using automata::CounterMachine;
using automata::CounterOp;
using automata::CounterTest;
using automata::Cfg;
using automata::GrammarSymbol;
using automata::Pda;
using automata::PdaAcceptance;


/// A target whose every state component is kDead and nothing may follow.
PrefixTarget dead_target(std::size_t components, std::size_t k) {
  return PrefixTarget{std::vector<std::int64_t>(components, kDead), std::vector<bool>(k, false), false};
}

// ---- machines ----------------------------------------------------------------------------------

/// A counter move reading `input`, testing and changing counters as written: tests one character
/// per counter ('0' zero, '+' non-zero, '*' any), ops one per counter ('+', '-', '=').
automata::CounterMove counter_move(automata::State from, Symbol input, std::string_view tests, std::string_view ops,
                                   automata::State to) {
  automata::CounterMove m{from, input, {}, {}, to};
  for (char t : tests) m.tests.push_back(t == '0' ? CounterTest::zero : t == '+' ? CounterTest::non_zero : CounterTest::any);
  for (char o : ops) m.ops.push_back(o == '+' ? CounterOp::increment : o == '-' ? CounterOp::decrement : CounterOp::keep);
  return m;
}

/// One counter per bracket pair, one accepting state; an opening bracket increments its pair's
/// counter, a closing one decrements it (blocked at zero); accept with every counter zero.
/// k = 1 is Dyck-1, k > 1 the shuffle of k Dyck-1 languages.
CounterMachine brackets_machine(std::size_t k) {
  CounterMachine m(bracket_alphabet(k), k, 1, CounterAcceptance::final_state_and_zero);
  m.set_accepting(0);
  for (std::size_t t = 0; t < k; ++t) {
    std::string any(k, '*'), test = any, inc(k, '='), dec(k, '=');
    test[t] = '+';
    inc[t] = '+';
    dec[t] = '-';
    m.add_move(counter_move(0, static_cast<Symbol>(2 * t), any, inc, 0));
    m.add_move(counter_move(0, static_cast<Symbol>(2 * t + 1), test, dec, 0));
  }
  return m;
}

/// a^n b^n: state A (reading a's, incrementing), state B (reading b's, decrementing).
CounterMachine anbn_machine() {
  CounterMachine m(Alphabet::from_chars("ab"), 1, 2, CounterAcceptance::final_state_and_zero);
  m.set_accepting(0);
  m.set_accepting(1);
  m.add_move(counter_move(0, 0, "*", "+", 0));
  m.add_move(counter_move(0, 1, "+", "-", 1));
  m.add_move(counter_move(1, 1, "+", "-", 1));
  return m;
}

/// a^n b^n c^n with counters a-b and a-c: A increments both on a, B decrements the first on b,
/// C decrements the second on c once the first is zero.
CounterMachine anbncn_machine() {
  CounterMachine m(Alphabet::from_chars("abc"), 2, 3, CounterAcceptance::final_state_and_zero);
  m.set_accepting(0);
  m.set_accepting(2);
  m.add_move(counter_move(0, 0, "**", "++", 0));
  m.add_move(counter_move(0, 1, "+*", "-=", 1));
  m.add_move(counter_move(1, 1, "+*", "-=", 1));
  m.add_move(counter_move(1, 2, "0+", "=-", 2));
  m.add_move(counter_move(2, 2, "*+", "=-", 2));
  return m;
}

/// Majority: ones - zeros = d.  State N holds d = -counter <= 0, state P (accepting) holds
/// d = counter + 1 >= 1; a 1 moves d up, a 0 down, crossing between N and P at zero.
CounterMachine majority_machine() {
  CounterMachine m(Alphabet::from_chars("01"), 1, 2, CounterAcceptance::final_state);
  m.set_accepting(1);
  m.add_move(counter_move(0, 1, "0", "=", 1));  // d = 0 -> 1
  m.add_move(counter_move(0, 1, "+", "-", 0));  // d < 0 -> d + 1
  m.add_move(counter_move(0, 0, "*", "+", 0));  // d <= 0 -> d - 1
  m.add_move(counter_move(1, 1, "*", "+", 1));  // d >= 1 -> d + 1
  m.add_move(counter_move(1, 0, "0", "=", 0));  // d = 1 -> 0
  m.add_move(counter_move(1, 0, "+", "-", 1));  // d > 1 -> d - 1
  return m;
}

/// The deterministic PDA of Dyck-k (final state): q0, accepting, has the bottom Z alone on the
/// stack; an opening bracket pushes its pair (the stack symbol named like the opening bracket)
/// and enters q1; a closing bracket pops its own pair into q2, which looks at the new top by an
/// epsilon move: Z back to q0, a pair back to q1.  No epsilon move leaves q0, so each word has
/// one accepting run.
Pda dyck_pda(std::size_t k) {
  const Alphabet input = bracket_alphabet(k);
  std::vector<std::string> stack{"Z"};
  for (std::size_t t = 0; t < k; ++t) stack.push_back(input.name(static_cast<Symbol>(2 * t)));
  Pda pda(input, Alphabet(stack), 0, 3, PdaAcceptance::final_state);
  pda.set_accepting(0);
  for (std::size_t t = 0; t < k; ++t) {
    const auto open = static_cast<Symbol>(2 * t), close = static_cast<Symbol>(2 * t + 1), pair = static_cast<Symbol>(t + 1);
    pda.add_move({0, open, automata::kEpsilon, {pair}, 1});
    pda.add_move({1, open, automata::kEpsilon, {pair}, 1});
    pda.add_move({1, close, pair, {}, 2});
    pda.add_move({2, automata::kEpsilon, pair, {pair}, 1});
  }
  pda.add_move({2, automata::kEpsilon, 0, {0}, 0});
  return pda;
}

/// The deterministic PDA of w#reverse(w) over `alphabet` (letters, then '#' last): q0 pushes each
/// letter; '#' enters q2, which looks at the top by an epsilon move: Z to q3 (accepting, no
/// moves), a letter to q1; q1 pops the letter it reads when it is on top, back to q2.
Pda marked_reversal_pda(const Alphabet& alphabet) {
  const std::size_t k = alphabet.size() - 1;
  std::vector<std::string> stack{"Z"};
  for (std::size_t x = 0; x < k; ++x) stack.push_back(alphabet.name(static_cast<Symbol>(x)));
  Pda pda(alphabet, Alphabet(stack), 0, 4, PdaAcceptance::final_state);
  pda.set_accepting(3);
  const auto marker = static_cast<Symbol>(k);
  pda.add_move({0, marker, automata::kEpsilon, {}, 2});
  pda.add_move({2, automata::kEpsilon, 0, {0}, 3});
  for (std::size_t x = 0; x < k; ++x) {
    const auto letter = static_cast<Symbol>(x), top = static_cast<Symbol>(x + 1);
    pda.add_move({0, letter, automata::kEpsilon, {top}, 0});
    pda.add_move({1, letter, top, {}, 2});
    pda.add_move({2, automata::kEpsilon, top, {top}, 1});
  }
  return pda;
}

GrammarSymbol t(std::size_t a) { return GrammarSymbol::term(static_cast<Symbol>(a)); }
const GrammarSymbol kS = GrammarSymbol::nonterm(0);

/// S -> (_t S )_t S | epsilon: one derivation per word (the first bracket's match splits it).
Cfg dyck_grammar(std::size_t k) {
  Cfg g(bracket_alphabet(k), {"S"});
  for (std::size_t p = 0; p < k; ++p) g.add_production(0, {t(2 * p), kS, t(2 * p + 1), kS});
  g.add_production(0, {});
  return g;
}

/// S -> a S b | epsilon.
Cfg anbn_grammar() {
  Cfg g(Alphabet::from_chars("ab"), {"S"});
  g.add_production(0, {t(0), kS, t(1)});
  g.add_production(0, {});
  return g;
}

/// S -> x S x for each letter x, then S -> x | epsilon (palindromes, `middle` = none) or
/// S -> '#' (w#reverse(w), `middle` = the marker): one derivation per word.
Cfg mirror_grammar(const Alphabet& alphabet, std::optional<Symbol> marker) {
  Cfg g(alphabet, {"S"});
  const std::size_t letters = marker ? alphabet.size() - 1 : alphabet.size();
  for (std::size_t x = 0; x < letters; ++x) g.add_production(0, {t(x), kS, t(x)});
  if (marker) {
    g.add_production(0, {t(*marker)});
  } else {
    for (std::size_t x = 0; x < letters; ++x) g.add_production(0, {t(x)});
    g.add_production(0, {});
  }
  return g;
}

// ---- closed forms ------------------------------------------------------------------------------

// Majority: sum over j > n/2 of C(n, j).
Count majority_count(std::size_t n) {
  Count total = 0;
  for (std::size_t j = n / 2 + 1; j <= n; ++j) total += binomial(n, j);
  return total;
}

std::optional<Word> majority_sample(std::size_t n, Rng& rng) {
  const Count total = majority_count(n);
  if (total == 0) return std::nullopt;
  // The number of 1s j with probability C(n, j) / total, then a uniform set of j positions.
  Count rank = uniform_below(rng, total);
  std::size_t ones = n / 2 + 1;
  for (;; ++ones) {
    Count c = binomial(n, ones);
    if (rank < c) break;
    rank -= c;
  }
  std::vector<std::size_t> positions(n);
  for (std::size_t i = 0; i < n; ++i) positions[i] = i;
  Word w(n, 0);
  for (std::size_t i = 0; i < ones; ++i) {  // partial Fisher-Yates
    std::swap(positions[i], positions[i + uniform_below(rng, n - i)]);
    w[positions[i]] = 1;
  }
  return w;
}

// Shuffle-Dyck: table[t][m], the words of length m over the first t pairs with every projection
// Dyck-1: table[t][m] = sum_j C(m, 2j) Catalan(j) table[t-1][m-2j].  Time O(k n^2) big operations.
using ShuffleTable = std::vector<std::vector<Count>>;
ShuffleTable shuffle_table(std::size_t k, std::size_t n) {
  ShuffleTable f(k + 1, std::vector<Count>(n + 1));
  f[0][0] = 1;
  for (std::size_t p = 1; p <= k; ++p)
    for (std::size_t m = 0; m <= n; ++m)
      for (std::size_t j = 0; 2 * j <= m; ++j) f[p][m] += binomial(m, 2 * j) * catalan(j) * f[p - 1][m - 2 * j];
  return f;
}

ClosedForm shuffle_closed_form(std::size_t k) {
  auto table = std::make_shared<GrowingTable<ShuffleTable>>([k](std::size_t n) { return shuffle_table(k, n); });
  ClosedForm out;
  out.count = [table, k](std::size_t n) { return (*table->get(n))[k][n]; };
  out.sample = [table, k](std::size_t n, Rng& rng) -> std::optional<Word> {
    auto f = table->get(n);
    if ((*f)[k][n] == 0) return std::nullopt;
    // Lengths per pair, chosen pair by pair with their exact weights (the probabilities multiply
    // to C(n; lengths) prod Catalan / total), then a uniform Dyck-1 word per pair and a uniform
    // interleaving: every word arises from exactly one such triple.
    std::vector<std::size_t> lengths(k);
    std::size_t left = n;
    for (std::size_t p = k; p >= 1; --p) {
      Count rank = uniform_below(rng, (*f)[p][left]);
      for (std::size_t j = 0;; ++j) {
        Count weight = binomial(left, 2 * j) * catalan(j) * (*f)[p - 1][left - 2 * j];
        if (rank < weight) {
          lengths[p - 1] = 2 * j;
          left -= 2 * j;
          break;
        }
        rank -= weight;
      }
    }
    std::vector<Symbol> owner;
    for (std::size_t p = 0; p < k; ++p) owner.insert(owner.end(), lengths[p], static_cast<Symbol>(p));
    for (std::size_t i = owner.size(); i > 1; --i) std::swap(owner[i - 1], owner[uniform_below(rng, i)]);
    std::vector<std::vector<bool>> shapes;
    std::vector<std::size_t> used(k, 0);
    for (std::size_t p = 0; p < k; ++p) shapes.push_back(sample_dyck_shape(lengths[p], rng));
    Word w;
    for (Symbol p : owner) w.push_back(2 * p + (shapes[p][used[p]++] ? 0 : 1));
    return w;
  };
  return out;
}

// a^n b^n c^n: one word of each length divisible by 3.
ClosedForm anbncn_closed_form() {
  ClosedForm out;
  out.count = [](std::size_t n) { return Count(n % 3 == 0 ? 1 : 0); };
  out.sample = [](std::size_t n, Rng&) -> std::optional<Word> {
    if (n % 3) return std::nullopt;
    Word w;
    for (Symbol a = 0; a < 3; ++a) w.insert(w.end(), n / 3, a);
    return w;
  };
  return out;
}

std::vector<std::string> shuffle_state_names(std::size_t k) {
  std::vector<std::string> names;
  for (std::size_t p = 1; p <= k; ++p) names.push_back("open_minus_close_" + std::to_string(p));
  return names;
}

std::unique_ptr<Language> engine_language(LanguageInfo info, Engines engines, EngineOptions options = {}) {
  return std::make_unique<EngineLanguage>(std::move(info), std::move(engines), std::move(options));
}

EngineOptions grammar_counting() {
  EngineOptions o;
  o.grammar_counts = true;
  return o;
}

// ---- beyond context-free: ww and w#w, decided by predicates ------------------------------------

/// ww over k letters.  Context-sensitive: no engine of automata/ holds it, so a predicate decides.
class Copy final : public Language {
 public:
  explicit Copy(std::size_t k)
      : Language(make_language_info("copy:k=" + std::to_string(k), letter_alphabet(k), LanguageClass::context_sensitive,
                           Engine::predicate,
                           "ww: a word followed by itself, over " + std::to_string(k) +
                               " letters (context-sensitive: decided by a predicate, no automaton)",
                           {})),
        k_(k) {}

 private:
  bool do_contains(std::span<const Symbol> w) const override {
    const std::size_t n = w.size();
    return n % 2 == 0 && std::equal(w.begin(), w.begin() + n / 2, w.begin() + n / 2);
  }
  std::optional<Count> do_count(std::size_t n) const override { return n % 2 ? Count(0) : power(k_, n / 2); }
  std::optional<Word> do_sample(std::size_t n, Rng& rng) const override {
    if (n % 2) return std::nullopt;
    Word half = uniform_word(k_, n / 2, rng);
    Word w = half;
    w.insert(w.end(), half.begin(), half.end());
    return w;
  }
  std::vector<PrefixTarget> do_targets(std::span<const Symbol> w) const override {
    // Any prefix u extends (to uu), so every letter may always follow.  No deterministic machine
    // of a fixed kind tracks it: the state is empty.  Time O(n^2) for the end flags.
    std::vector<PrefixTarget> out;
    for (std::size_t i = 0; i <= w.size(); ++i)
      out.push_back(PrefixTarget{{}, std::vector<bool>(k_, true), do_contains(w.first(i))});
    return out;
  }

  std::size_t k_;
};

/// w#w over `letters` and a last symbol '#'.  Context-sensitive: decided by a predicate; the
/// per-position state is the length of the queue a reference machine would hold.
class MarkedCopy final : public Language {
 public:
  explicit MarkedCopy(LanguageInfo info) : Language(std::move(info)) {
    k_ = alphabet().size() - 1;
    marker_ = static_cast<Symbol>(k_);
  }

 private:
  bool do_contains(std::span<const Symbol> w) const override {
    const std::size_t n = w.size();
    if (n % 2 == 0) return false;
    const std::size_t m = n / 2;
    if (w[m] != marker_) return false;
    for (std::size_t i = 0; i < m; ++i)
      if (w[i] == marker_ || w[m + 1 + i] != w[i]) return false;
    return true;
  }
  std::optional<Count> do_count(std::size_t n) const override { return n % 2 ? power(k_, n / 2) : Count(0); }
  std::optional<Word> do_sample(std::size_t n, Rng& rng) const override {
    if (n % 2 == 0) return std::nullopt;
    Word u = uniform_word(k_, n / 2, rng);
    Word w = u;
    w.push_back(marker_);
    w.insert(w.end(), u.begin(), u.end());
    return w;
  }
  std::vector<PrefixTarget> do_targets(std::span<const Symbol> w) const override {
    // The reference machine: a queue holding the letters before '#'; its size is the state.
    // Before '#' it grows; after, it shrinks by matching the front.
    std::vector<PrefixTarget> out;
    std::size_t m = 0, matched = 0;
    bool marked = false, dead = false;
    for (std::size_t i = 0;; ++i) {
      if (dead) {
        out.push_back(dead_target(1, k_ + 1));
      } else if (!marked) {
        out.push_back(PrefixTarget{{static_cast<std::int64_t>(m)}, std::vector<bool>(k_ + 1, true), false});
      } else {
        std::vector<bool> next(k_ + 1, false);
        if (matched < m) next[w[matched]] = true;
        out.push_back(PrefixTarget{{static_cast<std::int64_t>(m - matched)}, next, matched == m});
      }
      if (i == w.size()) break;
      if (dead) continue;
      if (!marked) {
        if (w[i] == marker_) marked = true;
        else ++m;
      } else if (matched < m && w[i] == w[matched]) {
        ++matched;
      } else {
        dead = true;
      }
    }
    return out;
  }

  std::size_t k_ = 0;
  Symbol marker_ = 0;
};

Alphabet with_marker(const Alphabet& letters) {
  std::vector<std::string> names = letters.names();
  names.push_back("#");
  return Alphabet(std::move(names));
}

std::unique_ptr<Language> marked_reversal(std::string name, Alphabet alphabet, std::string letters) {
  const auto marker = static_cast<Symbol>(alphabet.size() - 1);
  Engines e{marked_reversal_pda(alphabet), mirror_grammar(alphabet, marker), std::nullopt};
  return engine_language(make_language_info(std::move(name), std::move(alphabet), LanguageClass::context_free, Engine::pda,
                                   "w#reverse(w) with w over " + letters, {"stack_depth"}),
                         std::move(e), grammar_counting());
}

}  // namespace

Alphabet letter_alphabet(std::size_t k) {
  if (k < 1 || k > 26)
    throw InvalidArgument("k=" + std::to_string(k) + " letters is impossible (expected 1..26, the letters a..z)");
  std::string chars;
  for (std::size_t i = 0; i < k; ++i) chars += static_cast<char>('a' + i);
  return Alphabet::from_chars(chars);
}

std::unique_ptr<Language> make_majority() {
  EngineOptions o;
  o.closed_form = {majority_count, majority_sample};
  o.counter_state = [](const automata::CounterConfig& c) {
    const auto x = static_cast<std::int64_t>(c.counters[0]);
    return std::vector<std::int64_t>{c.state == 1 ? x + 1 : -x};
  };
  return engine_language(make_language_info("majority", Alphabet::from_chars("01"), LanguageClass::counter, Engine::counter,
                                   "words over {0,1} with strictly more 1s than 0s", {"ones_minus_zeros"}),
                         Engines{std::nullopt, std::nullopt, majority_machine()}, std::move(o));
}

std::unique_ptr<Language> make_dyck(std::size_t k, std::optional<std::size_t> depth) {
  (void)bracket_alphabet(k);  // validates k
  if (depth) return make_dyck_bounded_impl(k, *depth);
  const std::string definition =
      "well-nested words over " + std::to_string(k) + " bracket pair(s), any depth";
  if (k == 1)
    return engine_language(make_language_info("dyck:k=1", bracket_alphabet(1), LanguageClass::counter, Engine::counter,
                                     definition, {"depth"}),
                           Engines{std::nullopt, dyck_grammar(1), brackets_machine(1)}, grammar_counting());
  return engine_language(make_language_info("dyck:k=" + std::to_string(k), bracket_alphabet(k), LanguageClass::context_free,
                                   Engine::pda, definition, {"depth"}),
                         Engines{dyck_pda(k), dyck_grammar(k), std::nullopt}, grammar_counting());
}

std::unique_ptr<Language> make_shuffle_dyck(std::size_t k) {
  (void)bracket_alphabet(k);
  EngineOptions o;
  o.closed_form = shuffle_closed_form(k);
  return engine_language(make_language_info("shuffle-dyck:k=" + std::to_string(k), bracket_alphabet(k), LanguageClass::counter,
                                   Engine::counter,
                                   "words over " + std::to_string(k) +
                                       " bracket pair(s) whose projection on each pair is a Dyck-1 word",
                                   shuffle_state_names(k)),
                         Engines{std::nullopt, std::nullopt, brackets_machine(k)}, std::move(o));
}

std::unique_ptr<Language> make_anbn() {
  return engine_language(make_language_info("anbn", Alphabet::from_chars("ab"), LanguageClass::counter, Engine::counter,
                                   "a^n b^n for n >= 0", {"a_minus_b"}),
                         Engines{std::nullopt, anbn_grammar(), anbn_machine()}, grammar_counting());
}

std::unique_ptr<Language> make_anbncn() {
  EngineOptions o;
  o.closed_form = anbncn_closed_form();
  return engine_language(
      make_language_info("anbncn", Alphabet::from_chars("abc"), LanguageClass::counter, Engine::counter,
                "a^n b^n c^n for n >= 0 (not context-free; a deterministic real-time machine with two counters)",
                {"a_minus_b", "a_minus_c"}),
      Engines{std::nullopt, std::nullopt, anbncn_machine()}, std::move(o));
}

std::unique_ptr<Language> make_palindrome(std::size_t k) {
  Alphabet alphabet = letter_alphabet(k);
  Cfg grammar = mirror_grammar(alphabet, std::nullopt);
  return engine_language(make_language_info("palindrome:k=" + std::to_string(k), std::move(alphabet), LanguageClass::context_free,
                                   Engine::cfg,
                                   "palindromes w = reverse(w) of any length over " + std::to_string(k) + " letters",
                                   {}),
                         Engines{std::nullopt, std::move(grammar), std::nullopt}, grammar_counting());
}

std::unique_ptr<Language> make_copy(std::size_t k) { return std::make_unique<Copy>(k); }

std::unique_ptr<Language> make_marked_palindrome(std::size_t k) {
  return marked_reversal("marked-palindrome:k=" + std::to_string(k), with_marker(letter_alphabet(k)),
                         std::to_string(k) + " letters");
}

std::unique_ptr<Language> make_marked_reversal() {
  return marked_reversal("marked-reversal", Alphabet::from_chars("01#"), "{0,1}");
}

std::unique_ptr<Language> make_marked_copy(std::size_t k) {
  return std::make_unique<MarkedCopy>(make_language_info("marked-copy:k=" + std::to_string(k), with_marker(letter_alphabet(k)),
                                                LanguageClass::context_sensitive, Engine::predicate,
                                                "w#w with w over " + std::to_string(k) +
                                                    " letters (context-sensitive: decided by a predicate, no automaton)",
                                                {"queue_length"}));
}

std::unique_ptr<Language> make_string_equality() {
  return std::make_unique<MarkedCopy>(make_language_info(
      "string-equality", Alphabet::from_chars("01#"), LanguageClass::context_sensitive, Engine::predicate,
      "u#v with u = v, u and v over {0,1} (context-sensitive: decided by a predicate, no automaton)",
      {"queue_length"}));
}

}  // namespace statelab::languages
