// The non-regular entries of the catalogue.  Each is decided by a predicate written from its
// definition, counted by a closed form or a dynamic programme, sampled exactly (by unranking a
// uniform integer, or by composing uniform choices whose product is uniform), and tracked per
// position by the state of its reference machine (a stack depth or counters).
#include <algorithm>
#include <functional>
#include <mutex>
#include <string>

#include "automata/error.h"
#include "languages/entries.h"

namespace statelab::languages {

std::unique_ptr<Language> make_dyck_bounded_impl(std::size_t k, std::size_t depth);  // regular.cc

namespace {

LanguageInfo make_info(std::string name, Alphabet alphabet, LanguageClass c, std::string definition,
                       std::vector<std::string> state_names) {
  LanguageInfo info;
  info.name = std::move(name);
  info.alphabet = std::move(alphabet);
  info.language_class = c;
  info.ground_truth = {Engine::predicate, std::move(definition)};
  info.state_names = std::move(state_names);
  return info;
}

/// A target whose every state component is kDead and nothing may follow.
PrefixTarget dead_target(std::size_t components, std::size_t k) {
  return PrefixTarget{std::vector<std::int64_t>(components, kDead), std::vector<bool>(k, false), false};
}

/// A table of exact counts grown on demand (doubling), shared by readers as an immutable snapshot.
template <class Table>
class GrowingTable {
 public:
  explicit GrowingTable(std::function<Table(std::size_t)> build) : build_(std::move(build)) {}
  std::shared_ptr<const Table> get(std::size_t length) const {
    std::lock_guard lock(mutex_);
    if (!table_ || covered_ < length) {
      covered_ = std::max(length, 2 * covered_);
      table_ = std::make_shared<const Table>(build_(covered_));
    }
    return table_;
  }

 private:
  std::function<Table(std::size_t)> build_;
  mutable std::mutex mutex_;
  mutable std::size_t covered_ = 0;
  mutable std::shared_ptr<const Table> table_;
};

// ---- majority ----------------------------------------------------------------------------------

class Majority final : public Language {
 public:
  Majority()
      : Language(make_info("majority", Alphabet::from_chars("01"), LanguageClass::counter,
                           "words over {0,1} with strictly more 1s than 0s", {"ones_minus_zeros"})) {}

 private:
  bool do_contains(std::span<const Symbol> w) const override {
    const auto ones = static_cast<std::size_t>(std::count(w.begin(), w.end(), Symbol{1}));
    return 2 * ones > w.size();
  }
  std::optional<Count> do_count(std::size_t n) const override {
    Count total = 0;
    for (std::size_t j = n / 2 + 1; j <= n; ++j) total += binomial(n, j);
    return total;
  }
  std::optional<Word> do_sample(std::size_t n, Rng& rng) const override {
    const Count total = *do_count(n);
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
  std::vector<PrefixTarget> do_targets(std::span<const Symbol> w) const override {
    // Every prefix extends into the language (append 1s), so both symbols may always follow.
    std::vector<PrefixTarget> out;
    std::int64_t diff = 0;
    for (std::size_t i = 0;; ++i) {
      out.push_back(PrefixTarget{{diff}, {true, true}, diff > 0});
      if (i == w.size()) break;
      diff += w[i] == 1 ? 1 : -1;
    }
    return out;
  }
};

// ---- Dyck-k, unbounded -------------------------------------------------------------------------

class Dyck final : public Language {
 public:
  explicit Dyck(std::size_t k)
      : Language(make_info("dyck:k=" + std::to_string(k), bracket_alphabet(k),
                           k == 1 ? LanguageClass::counter : LanguageClass::context_free,
                           "well-nested words over " + std::to_string(k) + " bracket pair(s), any depth", {"depth"})),
        k_(k) {}

 private:
  bool do_contains(std::span<const Symbol> w) const override {
    std::vector<Symbol> stack;
    for (Symbol a : w) {
      if (a % 2 == 0) {
        stack.push_back(a / 2);
      } else {
        if (stack.empty() || stack.back() != a / 2) return false;
        stack.pop_back();
      }
    }
    return stack.empty();
  }
  std::optional<Count> do_count(std::size_t n) const override {
    if (n % 2) return Count(0);
    return catalan(n / 2) * power(k_, n / 2);
  }
  std::optional<Word> do_sample(std::size_t n, Rng& rng) const override {
    if (n % 2) return std::nullopt;
    // A uniform shape and independent uniform pair types: every shape has k^(n/2) labellings, so
    // the labelled word is uniform.
    std::vector<bool> shape = sample_dyck_shape(n, rng);
    Word w;
    std::vector<Symbol> stack;
    for (bool up : shape) {
      if (up) {
        const auto pair = static_cast<Symbol>(uniform_below(rng, k_));
        stack.push_back(pair);
        w.push_back(2 * pair);
      } else {
        w.push_back(2 * stack.back() + 1);
        stack.pop_back();
      }
    }
    return w;
  }
  std::vector<PrefixTarget> do_targets(std::span<const Symbol> w) const override {
    std::vector<PrefixTarget> out;
    std::vector<Symbol> stack;
    bool dead = false;
    for (std::size_t i = 0;; ++i) {
      if (dead) {
        out.push_back(dead_target(1, 2 * k_));
      } else {
        PrefixTarget t{{static_cast<std::int64_t>(stack.size())}, std::vector<bool>(2 * k_, false), stack.empty()};
        for (std::size_t p = 0; p < k_; ++p) t.next[2 * p] = true;
        if (!stack.empty()) t.next[2 * stack.back() + 1] = true;
        out.push_back(std::move(t));
      }
      if (i == w.size()) break;
      if (dead) continue;
      if (w[i] % 2 == 0) {
        stack.push_back(w[i] / 2);
      } else if (!stack.empty() && stack.back() == w[i] / 2) {
        stack.pop_back();
      } else {
        dead = true;
      }
    }
    return out;
  }

  std::size_t k_;
};

// ---- shuffle of k Dyck-1 languages -------------------------------------------------------------

class ShuffleDyck final : public Language {
 public:
  explicit ShuffleDyck(std::size_t k)
      : Language(make_info("shuffle-dyck:k=" + std::to_string(k), bracket_alphabet(k), LanguageClass::counter,
                           "words over " + std::to_string(k) +
                               " bracket pair(s) whose projection on each pair is a Dyck-1 word",
                           state_names_for(k))),
        k_(k),
        table_([k](std::size_t n) { return build(k, n); }) {}

 private:
  // table[t][m]: the words of length m over the first t pairs with every projection Dyck-1.
  // table[t][m] = sum_j C(m, 2j) Catalan(j) table[t-1][m-2j].  Time O(k n^2) big operations.
  using Table = std::vector<std::vector<Count>>;
  static Table build(std::size_t k, std::size_t n) {
    Table f(k + 1, std::vector<Count>(n + 1));
    f[0][0] = 1;
    for (std::size_t t = 1; t <= k; ++t)
      for (std::size_t m = 0; m <= n; ++m)
        for (std::size_t j = 0; 2 * j <= m; ++j) f[t][m] += binomial(m, 2 * j) * catalan(j) * f[t - 1][m - 2 * j];
    return f;
  }
  static std::vector<std::string> state_names_for(std::size_t k) {
    std::vector<std::string> names;
    for (std::size_t t = 1; t <= k; ++t) names.push_back("open_minus_close_" + std::to_string(t));
    return names;
  }

  bool do_contains(std::span<const Symbol> w) const override {
    std::vector<std::int64_t> c(k_, 0);
    for (Symbol a : w) {
      c[a / 2] += a % 2 == 0 ? 1 : -1;
      if (c[a / 2] < 0) return false;
    }
    return std::all_of(c.begin(), c.end(), [](std::int64_t x) { return x == 0; });
  }
  std::optional<Count> do_count(std::size_t n) const override { return (*table_.get(n))[k_][n]; }
  std::optional<Word> do_sample(std::size_t n, Rng& rng) const override {
    auto f = table_.get(n);
    if ((*f)[k_][n] == 0) return std::nullopt;
    // Lengths per pair, chosen pair by pair with their exact weights (the probabilities multiply
    // to C(n; lengths) prod Catalan / total), then a uniform Dyck-1 word per pair and a uniform
    // interleaving: every word arises from exactly one such triple.
    std::vector<std::size_t> lengths(k_);
    std::size_t left = n;
    for (std::size_t t = k_; t >= 1; --t) {
      Count rank = uniform_below(rng, (*f)[t][left]);
      for (std::size_t j = 0;; ++j) {
        Count weight = binomial(left, 2 * j) * catalan(j) * (*f)[t - 1][left - 2 * j];
        if (rank < weight) {
          lengths[t - 1] = 2 * j;
          left -= 2 * j;
          break;
        }
        rank -= weight;
      }
    }
    std::vector<Symbol> owner;
    for (std::size_t t = 0; t < k_; ++t) owner.insert(owner.end(), lengths[t], static_cast<Symbol>(t));
    for (std::size_t i = owner.size(); i > 1; --i) std::swap(owner[i - 1], owner[uniform_below(rng, i)]);
    std::vector<std::vector<bool>> shapes;
    std::vector<std::size_t> used(k_, 0);
    for (std::size_t t = 0; t < k_; ++t) shapes.push_back(sample_dyck_shape(lengths[t], rng));
    Word w;
    for (Symbol t : owner) w.push_back(2 * t + (shapes[t][used[t]++] ? 0 : 1));
    return w;
  }
  std::vector<PrefixTarget> do_targets(std::span<const Symbol> w) const override {
    std::vector<PrefixTarget> out;
    std::vector<std::int64_t> c(k_, 0);
    bool dead = false;
    for (std::size_t i = 0;; ++i) {
      if (dead) {
        out.push_back(dead_target(k_, 2 * k_));
      } else {
        PrefixTarget t{c, std::vector<bool>(2 * k_, false), true};
        for (std::size_t p = 0; p < k_; ++p) {
          t.next[2 * p] = true;
          t.next[2 * p + 1] = c[p] > 0;
          if (c[p] != 0) t.end = false;
        }
        out.push_back(std::move(t));
      }
      if (i == w.size()) break;
      if (dead) continue;
      c[w[i] / 2] += w[i] % 2 == 0 ? 1 : -1;
      if (c[w[i] / 2] < 0) dead = true;
    }
    return out;
  }

  std::size_t k_;
  GrowingTable<Table> table_;
};

// ---- a^n b^n and a^n b^n c^n -------------------------------------------------------------------

/// a^n b^n (letters = 2) or a^n b^n c^n (letters = 3), n >= 0.
class Blocks final : public Language {
 public:
  explicit Blocks(std::size_t letters)
      : Language(letters == 2 ? make_info("anbn", Alphabet::from_chars("ab"), LanguageClass::counter,
                                          "a^n b^n for n >= 0", {"a_minus_b"})
                              : make_info("anbncn", Alphabet::from_chars("abc"), LanguageClass::counter,
                                          "a^n b^n c^n for n >= 0 (context-sensitive, not context-free; two counters)",
                                          {"a_minus_b", "a_minus_c"})),
        letters_(letters) {}

 private:
  // counts[x] of each letter after a prefix, or nothing once the prefix is not of the form
  // a^i b^j c^l with the blocks in order.  Time O(1) per symbol.
  struct Tally {
    std::size_t n[3] = {0, 0, 0};
    bool ordered = true;
    void add(Symbol a) {
      for (Symbol later = a + 1; later < 3; ++later)
        if (n[later]) ordered = false;
      ++n[a];
    }
  };
  // Whether a prefix with these tallies extends into the language.
  bool viable(const Tally& t) const {
    if (!t.ordered) return false;
    if (letters_ == 2) return t.n[1] <= t.n[0];
    if (t.n[2] == 0) return t.n[1] <= t.n[0];
    return t.n[1] == t.n[0] && t.n[2] <= t.n[0];
  }
  bool complete(const Tally& t) const {
    return t.ordered && t.n[1] == t.n[0] && (letters_ == 2 || t.n[2] == t.n[0]);
  }

  bool do_contains(std::span<const Symbol> w) const override {
    Tally t;
    for (Symbol a : w) t.add(a);
    return complete(t);
  }
  std::optional<Count> do_count(std::size_t n) const override { return Count(n % letters_ == 0 ? 1 : 0); }
  std::optional<Word> do_sample(std::size_t n, Rng&) const override {
    if (n % letters_) return std::nullopt;
    Word w;
    for (Symbol a = 0; a < letters_; ++a) w.insert(w.end(), n / letters_, a);
    return w;
  }
  std::vector<PrefixTarget> do_targets(std::span<const Symbol> w) const override {
    std::vector<PrefixTarget> out;
    Tally t;
    for (std::size_t i = 0;; ++i) {
      if (!viable(t)) {
        out.push_back(dead_target(letters_ - 1, letters_));
      } else {
        PrefixTarget target;
        for (std::size_t x = 1; x < letters_; ++x)
          target.state.push_back(static_cast<std::int64_t>(t.n[0]) - static_cast<std::int64_t>(t.n[x]));
        for (Symbol a = 0; a < letters_; ++a) {
          Tally u = t;
          u.add(a);
          target.next.push_back(viable(u));
        }
        target.end = complete(t);
        out.push_back(std::move(target));
      }
      if (i == w.size()) break;
      t.add(w[i]);
    }
    return out;
  }

  std::size_t letters_;
};

// ---- palindromes and squares, unmarked ---------------------------------------------------------

/// w = reverse(w) (squares = false) or w = uu (squares = true) over k letters.
class Unmarked final : public Language {
 public:
  Unmarked(std::size_t k, bool squares)
      : Language(squares ? make_info("copy:k=" + std::to_string(k), letter_alphabet(k), LanguageClass::context_sensitive,
                                     "ww: a word followed by itself, over " + std::to_string(k) + " letters", {})
                         : make_info("palindrome:k=" + std::to_string(k), letter_alphabet(k),
                                     LanguageClass::context_free,
                                     "palindromes w = reverse(w) of any length over " + std::to_string(k) + " letters",
                                     {})),
        k_(k),
        squares_(squares) {}

 private:
  bool holds(std::span<const Symbol> w) const {
    const std::size_t n = w.size();
    if (squares_) return n % 2 == 0 && std::equal(w.begin(), w.begin() + n / 2, w.begin() + n / 2);
    return std::equal(w.begin(), w.begin() + n / 2, w.rbegin());
  }
  bool do_contains(std::span<const Symbol> w) const override { return holds(w); }
  std::optional<Count> do_count(std::size_t n) const override {
    if (squares_) return n % 2 ? Count(0) : power(k_, n / 2);
    return power(k_, (n + 1) / 2);
  }
  std::optional<Word> do_sample(std::size_t n, Rng& rng) const override {
    if (squares_ && n % 2) return std::nullopt;
    Word half = uniform_word(k_, (n + 1) / 2, rng);
    Word w(n);
    for (std::size_t i = 0; i < n; ++i) {
      if (squares_) w[i] = half[i % (n / 2)];
      else w[i] = half[std::min(i, n - 1 - i)];
    }
    return w;
  }
  std::vector<PrefixTarget> do_targets(std::span<const Symbol> w) const override {
    // Any prefix u extends (to u reverse(u), or to uu), so every letter may always follow.
    // No deterministic machine exists: the state is empty.  Time O(n^2) for the end flags.
    std::vector<PrefixTarget> out;
    for (std::size_t i = 0; i <= w.size(); ++i) out.push_back(PrefixTarget{{}, std::vector<bool>(k_, true), holds(w.first(i))});
    return out;
  }

  std::size_t k_;
  bool squares_;
};

// ---- w#reverse(w) and w#w ----------------------------------------------------------------------

/// w#reverse(w) (reversed = true) or w#w, over `letters` and a last symbol '#'.
class Marked final : public Language {
 public:
  Marked(LanguageInfo info, bool reversed) : Language(std::move(info)), reversed_(reversed) {
    k_ = alphabet().size() - 1;
    marker_ = static_cast<Symbol>(k_);
  }

 private:
  bool do_contains(std::span<const Symbol> w) const override {
    const std::size_t n = w.size();
    if (n % 2 == 0) return false;
    const std::size_t m = n / 2;
    if (w[m] != marker_) return false;
    for (std::size_t i = 0; i < m; ++i) {
      if (w[i] == marker_) return false;
      const Symbol partner = reversed_ ? w[n - 1 - i] : w[m + 1 + i];
      if (partner != w[i]) return false;
    }
    return true;
  }
  std::optional<Count> do_count(std::size_t n) const override { return n % 2 ? power(k_, n / 2) : Count(0); }
  std::optional<Word> do_sample(std::size_t n, Rng& rng) const override {
    if (n % 2 == 0) return std::nullopt;
    Word u = uniform_word(k_, n / 2, rng);
    Word w = u;
    w.push_back(marker_);
    if (reversed_) w.insert(w.end(), u.rbegin(), u.rend());
    else w.insert(w.end(), u.begin(), u.end());
    return w;
  }
  std::vector<PrefixTarget> do_targets(std::span<const Symbol> w) const override {
    // The reference machine: a stack (reversed) or a queue (copy) holding the letters before
    // '#'; its size is the state.  Before '#' it grows; after, it shrinks by matching.
    std::vector<PrefixTarget> out;
    std::size_t m = 0, matched = 0;
    bool marked = false, dead = false;
    for (std::size_t i = 0;; ++i) {
      if (dead) {
        out.push_back(dead_target(1, k_ + 1));
      } else if (!marked) {
        std::vector<bool> next(k_ + 1, true);
        out.push_back(PrefixTarget{{static_cast<std::int64_t>(m)}, next, false});
      } else {
        std::vector<bool> next(k_ + 1, false);
        if (matched < m) next[expected(w, m, matched)] = true;
        out.push_back(PrefixTarget{{static_cast<std::int64_t>(m - matched)}, next, matched == m});
      }
      if (i == w.size()) break;
      if (dead) continue;
      if (!marked) {
        if (w[i] == marker_) marked = true;
        else ++m;
      } else if (matched < m && w[i] == expected(w, m, matched)) {
        ++matched;
      } else {
        dead = true;
      }
    }
    return out;
  }
  // The letter the machine expects after `matched` letters past the marker at position m.
  Symbol expected(std::span<const Symbol> w, std::size_t m, std::size_t matched) const {
    return reversed_ ? w[m - 1 - matched] : w[matched];
  }

  bool reversed_;
  std::size_t k_ = 0;
  Symbol marker_ = 0;
};

Alphabet with_marker(const Alphabet& letters) {
  std::vector<std::string> names = letters.names();
  names.push_back("#");
  return Alphabet(std::move(names));
}

}  // namespace

Alphabet letter_alphabet(std::size_t k) {
  if (k < 1 || k > 26)
    throw InvalidArgument("k=" + std::to_string(k) + " letters is impossible (expected 1..26, the letters a..z)");
  std::string chars;
  for (std::size_t i = 0; i < k; ++i) chars += static_cast<char>('a' + i);
  return Alphabet::from_chars(chars);
}

std::unique_ptr<Language> make_majority() { return std::make_unique<Majority>(); }

std::unique_ptr<Language> make_dyck(std::size_t k, std::optional<std::size_t> depth) {
  (void)bracket_alphabet(k);  // validates k
  if (depth) return make_dyck_bounded_impl(k, *depth);
  return std::make_unique<Dyck>(k);
}

std::unique_ptr<Language> make_shuffle_dyck(std::size_t k) {
  (void)bracket_alphabet(k);
  return std::make_unique<ShuffleDyck>(k);
}

std::unique_ptr<Language> make_anbn() { return std::make_unique<Blocks>(2); }
std::unique_ptr<Language> make_anbncn() { return std::make_unique<Blocks>(3); }
std::unique_ptr<Language> make_palindrome(std::size_t k) { return std::make_unique<Unmarked>(k, false); }
std::unique_ptr<Language> make_copy(std::size_t k) { return std::make_unique<Unmarked>(k, true); }

std::unique_ptr<Language> make_marked_palindrome(std::size_t k) {
  return std::make_unique<Marked>(
      make_info("marked-palindrome:k=" + std::to_string(k), with_marker(letter_alphabet(k)), LanguageClass::context_free,
                "w#reverse(w) with w over " + std::to_string(k) + " letters", {"stack_depth"}),
      true);
}

std::unique_ptr<Language> make_marked_reversal() {
  return std::make_unique<Marked>(make_info("marked-reversal", Alphabet::from_chars("01#"), LanguageClass::context_free,
                                            "w#reverse(w) with w over {0,1}", {"stack_depth"}),
                                  true);
}

std::unique_ptr<Language> make_marked_copy(std::size_t k) {
  return std::make_unique<Marked>(
      make_info("marked-copy:k=" + std::to_string(k), with_marker(letter_alphabet(k)), LanguageClass::context_sensitive,
                "w#w with w over " + std::to_string(k) + " letters", {"queue_length"}),
      false);
}

std::unique_ptr<Language> make_string_equality() {
  return std::make_unique<Marked>(make_info("string-equality", Alphabet::from_chars("01#"),
                                            LanguageClass::context_sensitive,
                                            "u#v with u = v, u and v over {0,1}", {"queue_length"}),
                                  false);
}

}  // namespace statelab::languages
