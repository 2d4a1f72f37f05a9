#include "bridge/check.h"

#include <algorithm>
#include <limits>
#include <map>
#include <set>

#include "base/error.h"
#include "base/random.h"
#include "base/splitmix.h"
#include "languages/dataset.h"

namespace statelab::bridge {

namespace {

constexpr std::uint64_t kSaturated = std::numeric_limits<std::uint64_t>::max();

std::uint64_t saturating_mul(std::uint64_t a, std::uint64_t b) {
  if (a != 0 && b > kSaturated / a) return kSaturated;
  return a * b;
}
std::uint64_t saturating_add(std::uint64_t a, std::uint64_t b) { return b > kSaturated - a ? kSaturated : a + b; }

bool shortlex_less(const Word& a, const Word& b) { return a.size() != b.size() ? a.size() < b.size() : a < b; }

}  // namespace

std::uint64_t shortlex_rank(const Word& word, std::size_t k) {
  std::uint64_t shorter = 0, power = 1;
  for (std::size_t l = 0; l < word.size(); ++l) {
    shorter = saturating_add(shorter, power);
    power = saturating_mul(power, k);
  }
  std::uint64_t rank = 0;  // rank among the words of its length
  for (Symbol s : word) rank = saturating_add(saturating_mul(rank, k), s);
  return saturating_add(shorter, rank);
}

Word shortlex_next(Word word, std::size_t k) {
  for (std::size_t i = word.size(); i-- > 0;) {
    if (word[i] + 1 < k) {
      ++word[i];
      return word;
    }
    word[i] = 0;
  }
  word.assign(word.size() + 1, 0);
  return word;
}

ShrinkCandidates::ShrinkCandidates(Word word, std::size_t k, const ShrinkOptions& options)
    : word_(std::move(word)), k_(k), exhaustive_(shortlex_rank(word_, k) <= options.exhaustive_budget) {
  block_ = word_.size() / 2;
  if (block_ == 0 && !word_.empty()) block_ = 1;
}

std::optional<Word> ShrinkCandidates::next() {
  if (k_ == 0) return std::nullopt;
  if (exhaustive_) {
    if (!started_) {
      started_ = true;
      cursor_.clear();
    } else {
      cursor_ = shortlex_next(std::move(cursor_), k_);
    }
    if (!shortlex_less(cursor_, word_)) return std::nullopt;
    return cursor_;
  }
  // Block deletions: sizes |w|/2, |w|/4, ..., 1, then the sizes between from |w| - 1 down; starts
  // 0, size, 2 size, ...
  auto halving_size = [n = word_.size()](std::size_t s) {
    for (std::size_t b = std::max<std::size_t>(n / 2, 1); b > 0; b /= 2)
      if (b == s) return true;
    return false;
  };
  while (block_ > 0) {
    if (start_ < word_.size()) {
      Word w = word_;
      const std::size_t end = std::min(word_.size(), start_ + block_);
      w.erase(w.begin() + static_cast<std::ptrdiff_t>(start_), w.begin() + static_cast<std::ptrdiff_t>(end));
      start_ += block_;
      return w;
    }
    start_ = 0;
    if (halving_) {
      block_ /= 2;
      if (block_ > 0) continue;
      halving_ = false;
      next_size_ = word_.empty() ? 0 : word_.size() - 1;
    }
    while (next_size_ > 1 && halving_size(next_size_)) --next_size_;
    block_ = next_size_ > 1 ? next_size_-- : 0;
  }
  // Lowerings: position by position, smaller symbols in order.
  while (position_ < word_.size()) {
    if (symbol_ < word_[position_]) {
      Word w = word_;
      w[position_] = symbol_++;
      return w;
    }
    ++position_;
    symbol_ = 0;
  }
  return std::nullopt;
}

Word shrink_counterexample(const Word& word, std::size_t k, const std::function<bool(const Word&)>& fails,
                           const ShrinkOptions& options) {
  Word current = word;
  for (bool moved = true; moved;) {
    moved = false;
    ShrinkCandidates candidates(current, k, options);
    while (auto c = candidates.next())
      if (fails(*c)) {
        current = std::move(*c);
        moved = true;
        break;
      }
  }
  return current;
}

Word shrink_counterexample_batched(const Word& word, std::size_t k, const BatchPredicate& fails,
                                   const ShrinkOptions& options, std::size_t batch) {
  Word current = word;
  batch = std::max<std::size_t>(batch, 1);
  for (bool moved = true; moved;) {
    moved = false;
    ShrinkCandidates candidates(current, k, options);
    for (bool more = true; more && !moved;) {
      std::vector<Word> chunk;
      while (chunk.size() < batch) {
        auto c = candidates.next();
        if (!c) {
          more = false;
          break;
        }
        chunk.push_back(std::move(*c));
      }
      if (chunk.empty()) break;
      const auto f = fails(chunk);
      for (std::size_t i = 0; i < chunk.size(); ++i)
        if (f[i]) {
          current = std::move(chunk[i]);
          moved = true;
          break;
        }
    }
  }
  return current;
}

Word draw_word(const languages::Language& language, WordKind kind, std::size_t min_length, std::size_t max_length,
               std::uint64_t seed) {
  auto rng = make_rng(seed);
  const std::size_t k = language.alphabet().size();
  if (max_length < min_length) std::swap(min_length, max_length);
  bool positive = kind != WordKind::uniform;
  if (kind == WordKind::long_word) {
    positive = seed % 2 == 0;
    min_length = max_length + 1;
    max_length = kLongWordFactor * std::max<std::size_t>(max_length, 1);
  }
  const std::size_t length = min_length + uniform_below(rng, max_length - min_length + 1);
  std::optional<Word> w;
  if (positive) w = language.sample(length, rng);
  if (!w) return languages::uniform_word(k, length, rng);
  if (kind == WordKind::near_miss)
    return languages::perturb(*w, k, 1 + uniform_below(rng, 3), rng);
  return *w;
}

namespace {

// Refuses options check() and check_tags() cannot honour, before any work; returns the number of
// exhaustive words.  `k` symbols; each symbol of a word costs `symbol_bytes` (its answers included).
std::uint64_t validate_check(const CheckOptions& options, std::size_t k, std::size_t symbol_bytes) {
  if (options.tests == 0 && !options.exhaustive_up_to)
    throw InvalidArgument("check: no word to test (tests is 0 and no exhaustive length): agreeing on no word is no "
                          "agreement");
  if (options.max_length > options.length_limit)
    throw LimitExceeded("check: a maximum length of " + std::to_string(options.max_length) + " is past the limit of " +
                        std::to_string(options.length_limit) +
                        " (long words reach 4 times it, and exact sampling is quadratic in the length)");
  std::uint64_t exhaustive = 0;
  if (options.exhaustive_up_to) {
    exhaustive = shortlex_rank(Word(*options.exhaustive_up_to + 1, 0), k);
    if (exhaustive > (std::uint64_t{1} << 26))
      throw InvalidArgument("check: every word up to length " + std::to_string(*options.exhaustive_up_to) + " over " +
                            std::to_string(k) + " symbols is more than 2^26 words; lower the exhaustive length");
  }
  // Each word: its vector, up to 4 max_length symbols, a model score and a truth bit, and a copy
  // while they are sorted.
  const std::size_t longest = kLongWordFactor * std::max<std::size_t>(options.max_length, 1);
  const std::size_t per_word = 2 * (sizeof(Word) + longest * symbol_bytes) + sizeof(double) + 1;
  const std::uint64_t all = options.tests + exhaustive;
  check_memory(options.memory, all > SIZE_MAX / per_word ? SIZE_MAX : all * per_word,
               "check: " + std::to_string(all) + " words of up to " + std::to_string(longest) + " symbols");
  return exhaustive;
}

// The words to test, shortlex-sorted and distinct: drawn ones, then every word up to the
// exhaustive length (from `first_length` on).
std::vector<Word> test_words(const CheckOptions& options, std::size_t k, std::uint64_t exhaustive,
                             const std::function<Word(std::size_t, std::uint64_t)>& draw, std::size_t first_length) {
  const std::uint64_t all = options.tests + exhaustive;
  std::vector<Word> words;
  words.reserve(all);
  for (std::size_t i = 0; i < options.tests; ++i) {
    words.push_back(draw(i, splitmix64(splitmix64(options.seed) ^ i)));
    report(options.progress, i + 1, 3 * all);
  }
  if (options.exhaustive_up_to)
    for (Word w(first_length, 0); w.size() <= *options.exhaustive_up_to; w = shortlex_next(std::move(w), k)) words.push_back(w);
  std::sort(words.begin(), words.end(), shortlex_less);
  words.erase(std::unique(words.begin(), words.end()), words.end());
  return words;
}

}  // namespace

CheckResult check(const Recognizer& model, const languages::Language& truth, const CheckOptions& options) {
  automata::require_same_alphabet(model.alphabet(), truth.alphabet(), "check: the model and the language");
  const std::size_t k = truth.alphabet().size();
  const std::uint64_t exhaustive = validate_check(options, k, sizeof(Symbol));
  const std::uint64_t all = options.tests + exhaustive;
  constexpr WordKind kKinds[] = {WordKind::positive, WordKind::uniform, WordKind::near_miss, WordKind::long_word};
  const std::vector<Word> words = test_words(options, k, exhaustive, [&](std::size_t i, std::uint64_t seed) {
    return draw_word(truth, kKinds[i % 4], 0, options.max_length, seed);
  }, 0);

  const LanguageRecognizer truth_recognizer(truth);
  // Evaluated in chunks, to report progress between them: drawing counts for a third.
  const std::uint64_t total = 3 * all, drawn = options.tests;
  std::vector<double> model_scores;
  std::vector<bool> truth_accepts;
  model_scores.reserve(words.size());
  truth_accepts.reserve(words.size());
  constexpr std::size_t kChunk = 4096;
  for (std::size_t begin = 0; begin < words.size(); begin += kChunk) {
    const std::span<const Word> chunk(words.data() + begin, std::min(kChunk, words.size() - begin));
    const auto scores = scores_all(model, chunk);
    model_scores.insert(model_scores.end(), scores.begin(), scores.end());
    const auto accepts = accepts_all(truth_recognizer, chunk);
    truth_accepts.insert(truth_accepts.end(), accepts.begin(), accepts.end());
    report(options.progress, drawn + (total - drawn) * (begin + chunk.size()) / words.size(), total);
  }
  CheckResult result;
  result.tested = words.size();
  std::map<std::size_t, LengthAgreement> by_length;
  std::vector<Disagreement> found;
  for (std::size_t i = 0; i < words.size(); ++i) {
    auto& row = by_length[words[i].size()];
    row.length = words[i].size();
    ++row.tested;
    if ((model_scores[i] > 0.5) == truth_accepts[i]) {
      ++row.agree;
    } else {
      found.push_back({words[i], model_scores[i], truth_accepts[i]});
    }
  }
  for (const auto& [length, row] : by_length) result.by_length.push_back(row);
  if (found.empty()) return result;
  result.agree = false;
  // Words are in shortlex order, so found[0] is the least disagreement seen; shrink it further.
  auto fails = [&](std::span<const Word> ws) {
    const auto m = accepts_all(model, ws), t = accepts_all(truth_recognizer, ws);
    std::vector<bool> out(ws.size());
    for (std::size_t i = 0; i < ws.size(); ++i) out[i] = m[i] != t[i];
    return out;
  };
  const Word minimal = shrink_counterexample_batched(found.front().word, k, fails, options.shrink);
  result.counterexamples.push_back({minimal, model.score(minimal), truth.contains(minimal)});
  for (const auto& d : found) {
    if (result.counterexamples.size() >= std::max<std::size_t>(options.max_counterexamples, 1)) break;
    if (d.word != minimal) result.counterexamples.push_back(d);
  }
  return result;
}

WordDrawer language_drawer(const languages::Language& language, std::size_t max_length) {
  return [&language, max_length](std::size_t i, std::uint64_t seed) {
    constexpr WordKind kKinds[] = {WordKind::positive, WordKind::uniform, WordKind::near_miss, WordKind::long_word};
    return draw_word(language, kKinds[i % 4], 1, std::max<std::size_t>(max_length, 1), seed);
  };
}

WordDrawer task_drawer(const languages::Task& task, std::size_t max_length) {
  return [&task, max_length](std::size_t i, std::uint64_t seed) {
    auto rng = make_rng(seed);
    const std::size_t m = std::max<std::size_t>(max_length, 1);
    const std::size_t size = i % 4 == 3 ? m + 1 + uniform_below(rng, 3 * m) : 1 + uniform_below(rng, m);
    return task.sample(size, rng).input;
  };
}

namespace {

// The truth's tags of a word, or nothing when the truth refuses it (a task's layout).
std::optional<std::vector<Output>> truth_tags(const Tagger& truth, const Word& w) {
  try {
    return truth.tags(std::span<const Word>(&w, 1)).front();
  } catch (const InvalidArgument&) {
    return std::nullopt;
  }
}

// The first position where the model's tags differ from the truth's asked ones, or nothing.
std::optional<std::size_t> first_wrong(const std::vector<Output>& model, const std::vector<Output>& truth) {
  for (std::size_t t = 0; t < truth.size() && t < model.size(); ++t)
    if (truth[t] != kNoOutput && model[t] != truth[t]) return t;
  return std::nullopt;
}

}  // namespace

TagCheckResult check_tags(const Tagger& model, const Tagger& truth, const WordDrawer& draw, const CheckOptions& options) {
  automata::require_same_alphabet(model.alphabet(), truth.alphabet(), "check: the model and the truth");
  const std::size_t k = truth.alphabet().size();
  // A symbol's answers: the model's and the truth's outputs at its position.
  const std::uint64_t exhaustive = validate_check(options, k, sizeof(Symbol) + 2 * sizeof(Output));
  std::vector<Word> words = test_words(options, k, exhaustive, draw, 1);
  const std::uint64_t total = 3 * (options.tests + exhaustive), drawn = options.tests;
  // Evaluated in chunks, to report progress between them.
  std::vector<std::vector<Output>> model_tags, truth_out;
  std::vector<char> refused;
  constexpr std::size_t kChunk = 4096;
  for (std::size_t begin = 0; begin < words.size(); begin += kChunk) {
    const std::span<const Word> chunk = std::span<const Word>(words).subspan(begin, std::min(kChunk, words.size() - begin));
    auto m = tags_all(model, chunk);
    for (auto& x : m) model_tags.push_back(std::move(x));
    for (const Word& w : chunk) {
      auto t = truth_tags(truth, w);
      refused.push_back(!t);
      truth_out.push_back(t ? std::move(*t) : std::vector<Output>{});
    }
    report(options.progress, drawn + (total - drawn) * (begin + chunk.size()) / words.size(), total);
  }
  TagCheckResult result;
  std::map<std::size_t, LengthAgreement> by_length;
  std::vector<PositionAgreement> by_position;
  std::vector<PositionDisagreement> found;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (refused[i]) continue;
    ++result.tested;
    auto& row = by_length[words[i].size()];
    row.length = words[i].size();
    ++row.tested;
    for (std::size_t t = 0; t < truth_out[i].size(); ++t) {
      if (truth_out[i][t] == kNoOutput) continue;
      if (by_position.size() <= t) by_position.resize(t + 1);
      by_position[t].position = t;
      ++by_position[t].tested;
      by_position[t].agree += model_tags[i][t] == truth_out[i][t];
    }
    if (const auto t = first_wrong(model_tags[i], truth_out[i])) {
      found.push_back({words[i], *t, model.name(model_tags[i][*t]), truth.name(truth_out[i][*t])});
    } else {
      ++row.agree;
    }
  }
  for (const auto& [length, row] : by_length) result.by_length.push_back(row);
  for (const auto& p : by_position)
    if (p.tested > 0) result.by_position.push_back(p);
  if (found.empty()) return result;
  result.agree = false;
  auto fails = [&](std::span<const Word> ws) {
    const auto m = tags_all(model, ws);
    std::vector<bool> out(ws.size());
    for (std::size_t i = 0; i < ws.size(); ++i) {
      const auto t = truth_tags(truth, ws[i]);
      out[i] = t && first_wrong(m[i], *t).has_value();
    }
    return out;
  };
  const Word minimal = shrink_counterexample_batched(found.front().word, k, fails, options.shrink);
  const auto m = model.tags(std::span<const Word>(&minimal, 1)).front();
  const auto t = *truth_tags(truth, minimal);
  const std::size_t at = *first_wrong(m, t);
  result.counterexamples.push_back({minimal, at, model.name(m[at]), truth.name(t[at])});
  for (const auto& d : found) {
    if (result.counterexamples.size() >= std::max<std::size_t>(options.max_counterexamples, 1)) break;
    if (d.word != minimal) result.counterexamples.push_back(d);
  }
  return result;
}

}  // namespace statelab::bridge
