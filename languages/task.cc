#include "languages/task.h"

#include <algorithm>
#include <functional>

#include "automata/text.h"
#include "base/error.h"
#include "languages/entries.h"

namespace statelab::languages {

Word Task::targets(std::span<const Symbol> input) const {
  for (std::size_t i = 0; i < input.size(); ++i)
    if (input[i] >= input_.size())
      throw InvalidArgument("task " + name_ + ": symbol id " + std::to_string(input[i]) + " at position " +
                            std::to_string(i) + " is outside the input alphabet of " + std::to_string(input_.size()) +
                            " symbols");
  return do_targets(input);
}

TaskExample Task::sample(std::size_t size, Rng& rng) const {
  TaskExample out;
  out.input = do_sample_input(size, rng);
  out.target = do_targets(out.input);
  return out;
}

namespace {

[[noreturn]] void bad_input(const std::string& task, const std::string& what) {
  throw InvalidArgument("task " + task + ": " + what);
}

// ---- index lookup ------------------------------------------------------------------------------

class IndexLookup final : public Task {
 public:
  IndexLookup(std::size_t k, std::size_t max_length)
      : Task("index-lookup:k=" + std::to_string(k) + ",max=" + std::to_string(max_length),
             "a word of letters, then an index token i; the target at the index token is the i-th letter (from 0)",
             input_alphabet_for(k, max_length), letter_alphabet(k)),
        k_(k),
        max_(max_length) {}

 private:
  static Alphabet input_alphabet_for(std::size_t k, std::size_t max_length) {
    std::vector<std::string> names = letter_alphabet(k).names();
    for (std::size_t i = 0; i < max_length; ++i) names.push_back(std::to_string(i));
    return Alphabet(std::move(names));
  }
  Word do_targets(std::span<const Symbol> input) const override {
    if (input.size() < 2) bad_input(name(), "an input needs at least one letter and an index");
    const std::size_t n = input.size() - 1;
    for (std::size_t i = 0; i < n; ++i)
      if (input[i] >= k_) bad_input(name(), "position " + std::to_string(i) + " holds an index where a letter belongs");
    if (input[n] < k_) bad_input(name(), "the last position holds a letter where the index belongs");
    const std::size_t index = input[n] - k_;
    if (index >= n)
      bad_input(name(), "index " + std::to_string(index) + " is past the word of " + std::to_string(n) + " letters");
    Word target(input.size(), kNoTarget);
    target[n] = input[index];
    return target;
  }
  Word do_sample_input(std::size_t size, Rng& rng) const override {
    if (size < 1 || size > max_)
      bad_input(name(), "size " + std::to_string(size) + " is impossible (expected 1.." + std::to_string(max_) + ")");
    Word w = uniform_word(k_, size, rng);
    w.push_back(static_cast<Symbol>(k_ + uniform_below(rng, size)));
    return w;
  }

  std::size_t k_, max_;
};

// ---- copy --------------------------------------------------------------------------------------

class CopyTask final : public Task {
 public:
  explicit CopyTask(std::size_t k)
      : Task("copy-task:k=" + std::to_string(k),
             "a word w, the separator #, then w shifted by one (teacher forcing); the targets after w are w",
             with_marker(k), letter_alphabet(k)),
        k_(k) {}

 private:
  static Alphabet with_marker(std::size_t k) {
    std::vector<std::string> names = letter_alphabet(k).names();
    names.push_back("#");
    return Alphabet(std::move(names));
  }
  Word do_targets(std::span<const Symbol> input) const override {
    const std::size_t n = input.size() / 2;
    if (input.size() < 2 || input.size() % 2) bad_input(name(), "an input has even length 2n >= 2 (w # w[0..n-2])");
    for (std::size_t i = 0; i < input.size(); ++i)
      if ((input[i] == k_) != (i == n))
        bad_input(name(), "the separator # belongs at position " + std::to_string(n) + " only (found at " +
                              std::to_string(i) + " or missing)");
    Word target(input.size(), kNoTarget);
    for (std::size_t j = 0; j < n; ++j) target[n + j] = input[j];
    return target;
  }
  Word do_sample_input(std::size_t size, Rng& rng) const override {
    if (size < 1) bad_input(name(), "size 0 is impossible (expected a word of at least 1 letter)");
    Word w = uniform_word(k_, size, rng);
    Word input = w;
    input.push_back(static_cast<Symbol>(k_));
    input.insert(input.end(), w.begin(), w.end() - 1);
    return input;
  }

  std::size_t k_;
};

// ---- n-gram lookup -----------------------------------------------------------------------------

class NgramLookup final : public Task {
 public:
  NgramLookup(std::size_t k, std::size_t n, std::size_t follow)
      : Task("ngram-lookup:k=" + std::to_string(k) + ",n=" + std::to_string(n) + ",follow=" + std::to_string(follow),
             "a word w, the separator #, an n-gram occurring once in w, then the letters that followed it (teacher "
             "forcing); the targets from the n-gram's last letter on are those letters",
             with_marker(k), letter_alphabet(k)),
        k_(k),
        n_(n),
        follow_(follow) {}

 private:
  static Alphabet with_marker(std::size_t k) {
    std::vector<std::string> names = letter_alphabet(k).names();
    names.push_back("#");
    return Alphabet(std::move(names));
  }
  // The start positions p of the n-grams occurring exactly once in w with room for the followers.
  std::vector<std::size_t> positions(std::span<const Symbol> w) const {
    std::vector<std::size_t> out;
    if (w.size() < n_ + follow_) return out;
    for (std::size_t p = 0; p + n_ + follow_ <= w.size(); ++p) {
      std::size_t occurrences = 0;
      for (std::size_t q = 0; q + n_ <= w.size(); ++q)
        occurrences += std::equal(w.begin() + p, w.begin() + p + n_, w.begin() + q);
      if (occurrences == 1) out.push_back(p);
    }
    return out;
  }
  Word do_targets(std::span<const Symbol> input) const override {
    const auto hash = std::find(input.begin(), input.end(), static_cast<Symbol>(k_));
    if (hash == input.end()) bad_input(name(), "no separator #");
    const std::size_t m = static_cast<std::size_t>(hash - input.begin());
    if (input.size() != m + 1 + n_ + follow_ - 1)
      bad_input(name(), "after # come the " + std::to_string(n_) + "-gram and " + std::to_string(follow_ - 1) +
                            " followers: expected length " + std::to_string(m + n_ + follow_) + ", got " +
                            std::to_string(input.size()));
    if (std::find(hash + 1, input.end(), static_cast<Symbol>(k_)) != input.end()) bad_input(name(), "# appears twice");
    std::span<const Symbol> w = input.first(m), g = input.subspan(m + 1, n_);
    std::optional<std::size_t> at;
    for (std::size_t q = 0; q + n_ <= m; ++q) {
      if (!std::equal(g.begin(), g.end(), w.begin() + q)) continue;
      if (at) bad_input(name(), "the n-gram occurs more than once in the word");
      at = q;
    }
    if (!at) bad_input(name(), "the n-gram does not occur in the word");
    if (*at + n_ + follow_ > m) bad_input(name(), "the n-gram is followed by fewer than " + std::to_string(follow_) + " letters");
    Word target(input.size(), kNoTarget);
    for (std::size_t j = 0; j < follow_; ++j) target[m + n_ + j] = w[*at + n_ + j];
    return target;
  }
  Word do_sample_input(std::size_t size, Rng& rng) const override {
    constexpr int kMaxDraws = 10'000;
    if (size < n_ + follow_)
      bad_input(name(), "size " + std::to_string(size) + " is too short (expected at least n + follow = " +
                            std::to_string(n_ + follow_) + ")");
    for (int draw = 0; draw < kMaxDraws; ++draw) {
      Word w = uniform_word(k_, size, rng);
      const std::vector<std::size_t> ps = positions(w);
      if (ps.empty()) continue;
      const std::size_t p = ps[uniform_below(rng, ps.size())];
      Word input = w;
      input.push_back(static_cast<Symbol>(k_));
      input.insert(input.end(), w.begin() + p, w.begin() + p + n_);
      input.insert(input.end(), w.begin() + p + n_, w.begin() + p + n_ + follow_ - 1);
      return input;
    }
    throw LimitExceeded("task " + name() + ": no word of size " + std::to_string(size) + " with an n-gram occurring once in " +
                        std::to_string(kMaxDraws) + " draws");
  }

  std::size_t k_, n_, follow_;
};

// ---- modular arithmetic -----------------------------------------------------------------------

// Deletang et al. 2023's "modular arithmetic (simple)" without brackets and without products, as
// Grazzi et al. 2025 (Table 3) train it: operands and operators alternate, evaluated left to right.
class ModularArithmetic final : public Task {
 public:
  explicit ModularArithmetic(std::size_t m)
      : Task("modular-arithmetic:m=" + std::to_string(m),
             "d op d op ... d with digits 0..m-1 and op + or -; the target at the last digit is the value mod m",
             input_alphabet_for(m), digits(m)),
        m_(m) {}

 private:
  static Alphabet digits(std::size_t m) {
    std::vector<std::string> names;
    for (std::size_t d = 0; d < m; ++d) names.push_back(std::to_string(d));
    return Alphabet(std::move(names));
  }
  static Alphabet input_alphabet_for(std::size_t m) {
    std::vector<std::string> names = digits(m).names();
    names.push_back("+");
    names.push_back("-");
    return Alphabet(std::move(names));
  }
  Word do_targets(std::span<const Symbol> input) const override {
    if (input.size() % 2 == 0)
      bad_input(name(), "an input of " + std::to_string(input.size()) +
                            " symbols cannot end with a digit (expected digit op digit ... digit, an odd length)");
    std::size_t value = 0;
    for (std::size_t i = 0; i < input.size(); ++i) {
      const bool digit_expected = i % 2 == 0;
      if (digit_expected != (input[i] < m_))
        bad_input(name(), "position " + std::to_string(i) + " holds " + (digit_expected ? "an operator" : "a digit") +
                              " where " + (digit_expected ? "a digit" : "an operator") + " belongs");
      if (!digit_expected) continue;
      const bool minus = i > 0 && input[i - 1] == m_ + 1;
      value = minus ? (value + m_ - input[i]) % m_ : (value + input[i]) % m_;
    }
    Word target(input.size(), kNoTarget);
    target.back() = static_cast<Symbol>(value);
    return target;
  }
  // `size` is the number of operands: 2 size - 1 symbols.
  Word do_sample_input(std::size_t size, Rng& rng) const override {
    if (size < 1) bad_input(name(), "size 0 is impossible (expected at least one operand)");
    Word w;
    w.reserve(2 * size - 1);
    for (std::size_t i = 0; i < size; ++i) {
      if (i > 0) w.push_back(static_cast<Symbol>(m_ + uniform_below(rng, 2)));
      w.push_back(static_cast<Symbol>(uniform_below(rng, m_)));
    }
    return w;
  }

  std::size_t m_;
};

// ---- word-problem tagging ----------------------------------------------------------------------

class WordProblemTask final : public Task {
 public:
  WordProblemTask(const automata::PermutationGroup& group, std::vector<std::uint32_t> letters, std::string name)
      : Task(std::move(name), "the product of the prefix (first letter applied first) at every position",
             names_of(group, letters), names_of(group, all(group))),
        group_(group),
        letters_(std::move(letters)) {}

  std::optional<automata::Dfa> state_dfa() const override {
    automata::Dfa dfa(input_alphabet(), group_.order());
    for (std::uint32_t g = 0; g < group_.order(); ++g)
      for (Symbol a = 0; a < letters_.size(); ++a) dfa.set_next(g, a, group_.multiply(g, letters_[a]));
    return dfa;
  }

 private:
  static std::vector<std::uint32_t> all(const automata::PermutationGroup& g) {
    std::vector<std::uint32_t> out(g.order());
    for (std::uint32_t i = 0; i < g.order(); ++i) out[i] = i;
    return out;
  }
  static Alphabet names_of(const automata::PermutationGroup& g, const std::vector<std::uint32_t>& ids) {
    std::vector<std::string> names;
    for (std::uint32_t i : ids) names.push_back(g.element_name(i));
    return Alphabet(std::move(names));
  }
  Word do_targets(std::span<const Symbol> input) const override {
    Word target;
    std::uint32_t product = automata::PermutationGroup::identity();
    for (Symbol a : input) {
      product = group_.multiply(product, letters_[a]);
      target.push_back(product);
    }
    return target;
  }
  Word do_sample_input(std::size_t size, Rng& rng) const override { return uniform_word(letters_.size(), size, rng); }

  automata::PermutationGroup group_;
  std::vector<std::uint32_t> letters_;
};

std::string gens_suffix(const automata::PermutationGroup& group, const std::vector<std::uint32_t>& gens) {
  std::string out = ",gens=";
  for (std::size_t i = 0; i < gens.size(); ++i) out.append(i ? ";" : "").append(group.element_name(gens[i]));
  return out;
}

using TaskFactory = std::function<std::unique_ptr<Task>(const detail::Parameters&)>;
struct TaskEntry {
  CatalogueEntry info;
  TaskFactory make;
};

const std::vector<TaskEntry>& task_entries() {
  static const std::vector<TaskEntry> kEntries = [] {
    std::vector<TaskEntry> e;
    const ParameterInfo letters{"k", "2", false, "number of letters a, b, ... (1..26)"};
    e.push_back({{"index-lookup", {letters, {"max", "16", false, "the longest word, 1..10000"}}, "task", "a b ... 0 1 ...",
                  "the letter at a given index", "index-lookup:k=2,max=16"},
                 [](const detail::Parameters& p) { return make_index_lookup(p.integer("k", 1, 26), p.integer("max", 1, 10000)); }});
    e.push_back({{"copy-task", {letters}, "task", "a b ... #", "copy the word after the separator", "copy-task:k=2"},
                 [](const detail::Parameters& p) { return make_copy_task(p.integer("k", 1, 26)); }});
    e.push_back({{"ngram-lookup",
                  {{"k", "4", false, "number of letters (1..26)"},
                   {"n", "2", false, "the n-gram length, >= 1"},
                   {"follow", "1", false, "how many following letters to predict, >= 1"}},
                  "task", "a b ... #", "the letters after a unique n-gram", "ngram-lookup:k=4,n=2,follow=1"},
                 [](const detail::Parameters& p) {
                   return make_ngram_lookup(p.integer("k", 1, 26), p.integer("n", 1, 1000), p.integer("follow", 1, 1000));
                 }});
    e.push_back({{"word-problem",
                  {{"group", "", true, "Zm, Sn, An, Dn or products such as A4xZ5"},
                   {"gens", "", false, "generators in cycle notation separated by ';', or 'standard'"}},
                  "task", "group elements in cycle notation", "the prefix product at every position",
                  "word-problem:group=S3"},
                 [](const detail::Parameters& p) {
                   const automata::PermutationGroup group = automata::make_group(p.text("group"));
                   if (!p.has("gens")) return make_word_problem_task(group);
                   return make_word_problem_task(group, detail::parse_generators(group, p.text("gens")));
                 }});
    e.push_back({{"modular-arithmetic", {{"m", "5", false, "the modulus, 2..100"}}, "task", "0 1 ... m-1 + -",
                  "the value of d op d op ... d mod m", "modular-arithmetic:m=5"},
                 [](const detail::Parameters& p) { return make_modular_arithmetic(p.integer("m", 2, 100)); }});
    return e;
  }();
  return kEntries;
}

}  // namespace

std::unique_ptr<Task> make_index_lookup(std::size_t k, std::size_t max_length) {
  if (max_length < 1) throw InvalidArgument("index-lookup: max=0 is impossible (expected max >= 1)");
  return std::make_unique<IndexLookup>(k, max_length);
}

std::unique_ptr<Task> make_modular_arithmetic(std::size_t m) {
  if (m < 2 || m > 100) throw InvalidArgument("modular-arithmetic: m=" + std::to_string(m) + " is impossible (expected 2..100)");
  return std::make_unique<ModularArithmetic>(m);
}

std::unique_ptr<Task> make_copy_task(std::size_t k) { return std::make_unique<CopyTask>(k); }

std::unique_ptr<Task> make_ngram_lookup(std::size_t k, std::size_t n, std::size_t follow) {
  if (n < 1 || follow < 1)
    throw InvalidArgument("ngram-lookup: n=" + std::to_string(n) + ", follow=" + std::to_string(follow) +
                          " is impossible (expected both >= 1)");
  return std::make_unique<NgramLookup>(k, n, follow);
}

std::unique_ptr<Task> make_word_problem_task(const automata::PermutationGroup& group,
                                             std::optional<std::vector<std::uint32_t>> generators) {
  constexpr std::size_t kMaxElementAlphabet = 1024;
  std::string name = "word-problem:group=" + group.name();
  std::vector<std::uint32_t> letters;
  if (generators) {
    if (generators->empty()) throw InvalidArgument("word-problem: gens= names no generator");
    letters = *generators;
    name += gens_suffix(group, letters);
  } else {
    if (group.order() > kMaxElementAlphabet)
      throw LimitExceeded("word-problem: " + group.name() + " has " + std::to_string(group.order()) +
                          " elements, more than " + std::to_string(kMaxElementAlphabet) +
                          " input symbols; give a generating set with gens=...");
    for (std::uint32_t g = 0; g < group.order(); ++g) letters.push_back(g);
  }
  return std::make_unique<WordProblemTask>(group, std::move(letters), std::move(name));
}

const std::vector<CatalogueEntry>& task_catalogue() {
  static const std::vector<CatalogueEntry> kCatalogue = [] {
    std::vector<CatalogueEntry> out;
    for (const TaskEntry& e : task_entries()) out.push_back(e.info);
    return out;
  }();
  return kCatalogue;
}

std::unique_ptr<Task> make_task(std::string_view name) {
  const ParsedName parsed = parse_name(name);
  for (const TaskEntry& e : task_entries())
    if (e.info.name == parsed.base) return e.make(detail::Parameters(e.info.name, e.info.parameters, parsed));
  std::vector<std::string> names;
  for (const TaskEntry& e : task_entries()) names.push_back(e.info.name);
  throw InvalidArgument("unknown task '" + parsed.base + "' (the tasks are " + automata::join(names) + ")");
}

}  // namespace statelab::languages
