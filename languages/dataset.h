// Datasets: labelled words drawn exactly from a language, split by length into train and test.
// Positives are exactly uniform among the words of their length in the language; negatives are
// half uniform among the words outside it and half near misses (a uniform positive with 1..
// max_edits random substitutions or adjacent swaps, kept only once it has left the language).
// Labels are balanced per length wherever both classes exist; train and test share no word;
// every example comes from a generator seeded by (seed, split, length, kind, index) alone, so the
// dataset is the same whatever the number of threads that build it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "languages/language.h"

namespace statelab::languages {

/// Lengths min..max, both included.
struct LengthRange {
  std::size_t min = 0;
  std::size_t max = 0;
};

/// The longest word length a range may name: exact counts and samplers cost time, and samplers
/// space, quadratic in the length.
inline constexpr std::size_t kMaxLength = 100'000;

/// "A..B" (or a single "N") as a length range.  Throws InvalidArgument naming `option` and the
/// text when it is malformed, past kMaxLength or inverted.
LengthRange parse_length_range(std::string_view text, std::string_view option);

/// "A..B", or "N" when A = B.
std::string to_string(const LengthRange& range);

struct DatasetOptions {
  LengthRange train_lengths{1, 20};
  LengthRange test_lengths{21, 40};
  /// Words per length in each split: half positive and half negative (rounded down to even) when
  /// both exist; all of one class when only that one exists.  Fewer when the language has fewer
  /// distinct words of that length.
  std::size_t train_per_length = 100;
  std::size_t test_per_length = 100;
  std::uint64_t seed = 0;
  /// Store the per-position targets of every word (Language::targets).
  bool with_targets = false;
  /// Near misses get 1..max_edits edits (>= 1).
  std::size_t max_edits = 3;
};

enum class Split : std::uint8_t { train = 0, test = 1 };

/// How an example was drawn (kept for analysis; not written to files).
enum class Origin : std::uint8_t { positive, uniform_negative, near_miss };

struct Example {
  Word word;
  bool label = false;
  std::vector<PrefixTarget> targets;  // empty unless DatasetOptions::with_targets
  Origin origin = Origin::positive;
  friend bool operator==(const Example&, const Example&) = default;
};

struct Dataset {
  std::string language;  // the language's canonical name
  Alphabet alphabet;
  std::vector<Example> train, test;  // by length, then positives and negatives alternating
};

/// Builds the dataset (TBB over the lengths of each split; train first, since test must avoid
/// its words).  Time O(sum of lengths) draws per split, times the rejection rates: expected O(1)
/// per word except where a length has few words left or the language covers almost all words.
/// Throws InvalidArgument on an empty or inverted length range or max_edits = 0, and
/// LimitExceeded when a sampler cannot produce a needed word.
Dataset build_dataset(const Language& language, const DatasetOptions& options);

/// The seed of one example's generator: a SplitMix64 hash of its coordinates.
std::uint64_t item_seed(std::uint64_t seed, Split split, std::size_t length, Origin kind, std::size_t index);

/// A near miss of `positive`: `edits` random length-preserving edits, each a substitution (of a
/// different symbol) or a swap of two different adjacent symbols, uniform among those possible.
Word perturb(const Word& positive, std::size_t k, std::size_t edits, Rng& rng);

}  // namespace statelab::languages
