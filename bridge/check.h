// Property testing a recognizer against the ground truth of a language: random words of several
// kinds (uniform positives, uniform words, near misses, words far beyond the tested lengths),
// an exhaustive mode over every word up to a length, agreement by length, and the shrinker that
// turns any disagreement into the minimal one: the shortest disagreeing word, then the
// shortlex-least of that length.  bridge/rapidcheck.h gives the same generators and shrinker to
// RapidCheck, for a user's own GoogleTest suite; this header needs no RapidCheck.
//
// The shrink order.  The candidates offered for a word w are all shortlex-smaller than w:
//   - when at most `exhaustive_budget` words are shortlex-smaller than w: every one of them, in
//     shortlex order;
//   - otherwise: w with a block deleted (blocks of |w|/2, |w|/4, ..., 1 symbols, left to right;
//     then every other block size from |w| - 1 down to 2, so that a word whose failure depends on
//     its length modulo some period still shrinks: by pumping, a word longer than a DFA pair's
//     product always has a deletable block), then w with one symbol lowered (positions left to
//     right, smaller symbols in order).
// Shrinking (RapidCheck's, or shrink_counterexample below, which runs the same search) moves to the
// first failing candidate and starts again from it.  Once a failing word has at most
// `exhaustive_budget` smaller words, the first failing candidate is the least failing word of all,
// and none of its own candidates fails: the search ends at the shortest, shortlex-least
// counterexample.  (A failing word that keeps more smaller words than the budget after every
// deletion and lowering ends at a deletion- and lowering-minimal word instead.)
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "automata/limits.h"
#include "bridge/recognizer.h"
#include "languages/language.h"
#include "languages/task.h"

namespace statelab::bridge {

struct ShrinkOptions {
  /// Enumerate every smaller word when there are at most this many (2^16: binary words of length
  /// <= 15, or ternary of length <= 9, are shrunk exactly).
  std::uint64_t exhaustive_budget = std::uint64_t{1} << 16;
};

/// The shrink candidates of one word, produced one at a time in the order above.
class ShrinkCandidates {
 public:
  ShrinkCandidates(Word word, std::size_t k, const ShrinkOptions& options = {});
  /// The next candidate, or nothing when they are exhausted.
  std::optional<Word> next();

 private:
  Word word_;
  std::size_t k_;
  bool exhaustive_;
  // exhaustive: the next word in shortlex order
  Word cursor_;
  bool started_ = false;
  // reductions: block size and start (halving sizes first, then the sizes between, from
  // next_size_ down), then lowering position and symbol
  std::size_t block_ = 0, start_ = 0, position_ = 0, next_size_ = 0;
  bool halving_ = true;
  Symbol symbol_ = 0;
};

/// The number of words over k symbols shortlex-smaller than `word`, saturated at 2^64 - 1.
std::uint64_t shortlex_rank(const Word& word, std::size_t k);

/// The word after `word` in shortlex order over k symbols.
Word shortlex_next(Word word, std::size_t k);

/// RapidCheck's shrinking search on the candidates above: from a failing `word`, move to the first
/// failing candidate until none fails.  Returns the word it ends at; see the file comment for when
/// that is the shortest, shortlex-least failing word.  Time: (number of moves + 1) x candidates.
Word shrink_counterexample(const Word& word, std::size_t k, const std::function<bool(const Word&)>& fails,
                           const ShrinkOptions& options = {});

/// The same search, asking `fails` about up to `batch` candidates at a time (in order; the first
/// failing one is taken, so the result is the same as one at a time).
using BatchPredicate = std::function<std::vector<bool>(std::span<const Word>)>;
Word shrink_counterexample_batched(const Word& word, std::size_t k, const BatchPredicate& fails,
                                   const ShrinkOptions& options = {}, std::size_t batch = 1024);

/// The kinds of word the generators draw.
enum class WordKind { positive, uniform, near_miss, long_word };

/// One word of a kind, drawn from make_rng(seed): a positive is exactly uniform among the
/// language's words of a length uniform in [min_length, max_length] (a uniform word when that
/// length has none); a near miss is a positive with 1..3 random edits (languages::perturb);
/// a long word is a positive or a uniform word (even / odd seed) of length in
/// [max_length + 1, 4 max_length].
Word draw_word(const languages::Language& language, WordKind kind, std::size_t min_length, std::size_t max_length,
               std::uint64_t seed);

/// A long word has up to this many times max_length symbols (max_length 0 counting as 1).
inline constexpr std::size_t kLongWordFactor = 4;

/// The longest `max_length` check() takes unless CheckOptions::length_limit says otherwise.
inline constexpr std::size_t kDefaultCheckLengthLimit = 1000;

struct CheckOptions {
  std::size_t max_length = 20;  // random words have lengths 0..max_length (long words beyond)
  /// max_length may not pass this: long words reach 4 max_length, and the exact sampler of
  /// positives at a length takes time and space quadratic in it (languages/exact.h).
  std::size_t length_limit = kDefaultCheckLengthLimit;
  /// The words tested (each up to 4 max_length symbols) and their scores stay within this.
  MemoryLimit memory;
  /// Called with (words done, words in all) as words are drawn and then evaluated.
  ProgressFn progress;
  std::size_t tests = 1000;     // random words
  std::uint64_t seed = 0;
  std::optional<std::size_t> exhaustive_up_to;  // also every word of length <= this
  std::size_t max_counterexamples = 5;          // reported, the minimal one first
  ShrinkOptions shrink;
};

/// One word on which the model and the truth disagree.
struct Disagreement {
  Word word;
  double model_score = 0;  // the model's score; it accepts when > 1/2
  bool truth = false;
};

struct LengthAgreement {
  std::size_t length = 0;
  std::size_t tested = 0;
  std::size_t agree = 0;
};

struct CheckResult {
  bool agree = true;
  std::size_t tested = 0;  // distinct words compared (random and exhaustive)
  std::vector<Disagreement> counterexamples;  // shrunk minimal first, then others found, shortlex
  std::vector<LengthAgreement> by_length;     // every length tested, increasing
};

/// Compares `model` with `truth` on options.tests random words (the four kinds in turn, test i
/// drawn from a seed derived from (options.seed, i) alone) and, when asked, on every word up to
/// exhaustive_up_to; evaluation is batched and parallel.  A disagreement is shrunk as above.
/// Time: one evaluation of the model and the truth per distinct word (tests + k^(n+1) for
/// exhaustive length n; refused above 2^26 words), plus the shrinking (at most
/// ShrinkOptions::exhaustive_budget evaluations per move, batched).
/// Throws InvalidArgument when the alphabets differ, when there is no word to test (tests 0
/// without exhaustive_up_to) or the exhaustive set is too large,
/// LimitExceeded when max_length is past length_limit or the words would not fit in `memory`,
/// all before any work.
CheckResult check(const Recognizer& model, const languages::Language& truth, const CheckOptions& options = {});

// ---- every position: tag and next-set heads ----------------------------------------------------

/// A word on which a tagger and the truth disagree, at its first wrong position.
struct PositionDisagreement {
  Word word;
  std::size_t position = 0;     // the first wrong one: the output after word[0..position]
  std::string model, truth;     // what each says there (class names; sets of symbols)
};

/// Positions t (the output after t + 1 symbols) asked of the tagged words, and how many agreed.
struct PositionAgreement {
  std::size_t position = 0;
  std::size_t tested = 0;
  std::size_t agree = 0;
};

struct TagCheckResult {
  bool agree = true;
  std::size_t tested = 0;  // distinct words compared
  std::vector<PositionDisagreement> counterexamples;  // shrunk minimal first, then others, shortlex
  std::vector<LengthAgreement> by_length;    // a word agrees when every position asked does
  std::vector<PositionAgreement> by_position;
};

/// Draws test word `i` from `seed` (a non-empty word: the empty word has no position).
using WordDrawer = std::function<Word(std::size_t i, std::uint64_t seed)>;

/// The drawer of a language: the four kinds of draw_word in turn, lengths 1..max_length (long
/// words beyond).  Keeps a reference to the language.
WordDrawer language_drawer(const languages::Language& language, std::size_t max_length);
/// The drawer of a task: Task::sample at a size uniform in 1..max_length (every fourth word:
/// max_length + 1 .. 4 max_length).  Keeps a reference to the task.
WordDrawer task_drawer(const languages::Task& task, std::size_t max_length);

/// Compares `model` with `truth` position by position (positions where the truth asks nothing
/// are skipped) on options.tests words drawn by `draw` (word i from a seed derived from
/// (options.seed, i) alone) and, when asked, every non-empty word up to exhaustive_up_to.  A
/// word disagrees when any position does; the least disagreeing word seen is shrunk as check()
/// does (check.h's order), words the truth refuses (a task's layout) counting as agreeing.
/// Time: one evaluation of both per distinct word, plus the shrinking.  Throws as check().
TagCheckResult check_tags(const Tagger& model, const Tagger& truth, const WordDrawer& draw,
                          const CheckOptions& options = {});

}  // namespace statelab::bridge
