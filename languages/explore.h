// What a person asks of the catalogue and of a language beyond membership: an entry's usage
// line and the engines its languages use (for `lang list`), the first words of a language in
// shortlex order (for `lang show`), and exact uniform positives by length (for `lang sample`).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "languages/dataset.h"
#include "languages/language.h"
#include "languages/registry.h"

namespace statelab::languages {

/// Prefixes the shortlex walk of a non-regular language may visit before it stops.
inline constexpr std::size_t kShortlexBudget = 200'000;

/// "tomita:n=N", "dyck[:k=K][,depth=D]", "regex:PATTERN": the name with its parameters, optional
/// ones in brackets.
std::string usage(const CatalogueEntry& entry);

/// The ground-truth engines an entry's languages use: those of its example, of the example
/// without each optional parameter in turn, and of its bare name (when that builds without
/// parameters), in that order, e.g. "dfa or pda or counter" for dyck.  Time: building those
/// languages.
std::string engines_of(const CatalogueEntry& entry);

/// The first `limit` words of the language in shortlex order among lengths <= max_length.  A DFA
/// is walked by automata::enumerate_shortlex; any other language by a depth-first walk in symbol
/// order that enters a prefix only when its targets say some word extends it, skips the lengths
/// its count says are empty, and leaves a length once it has found all of its words.  Sets
/// `complete` to false when the walk stopped at kShortlexBudget prefixes.
/// Time: O(budget * max_length * k) for the walk (a targets() call per prefix).
std::vector<Word> first_words(const Language& lang, std::size_t limit, std::size_t max_length, bool& complete);

/// The longest end of a range of lengths `lang sample --lengths A..B` takes unless told otherwise
/// (--max-length): every length is counted on its own, O(n^2) for length n, so a range costs
/// O(B^3) (about a second at B = 2000 for a small DFA).
inline constexpr std::size_t kMaxRangeLength = 2000;

/// Whether each length of `range` has a word (index n - range.min): by the exact count, or when
/// the language cannot count, by trying to sample one from `seed`.  `progress` gets (lengths
/// done, lengths) after each length.
std::vector<bool> lengths_with_words(const Language& lang, const LengthRange& range, std::uint64_t seed,
                                     const ProgressFn& progress = {});

/// `count` exact uniform words of each length of `range` that has words (as `has_word` says),
/// each from the seed the dataset builder gives its positives (so each word reproduces on its
/// own), with their per-position targets when `with_targets`.
/// `progress` gets (lengths done, lengths) after each length.
std::vector<Example> sample_positives(const Language& lang, const LengthRange& range, const std::vector<bool>& has_word,
                                      std::size_t count, std::uint64_t seed, bool with_targets,
                                      const ProgressFn& progress = {});

/// What `lang sample` draws: `count` words per length of `lengths` from `seed`; with `negatives`
/// a balanced labelled set (half positive, half negative: uniform outside the language and near
/// misses, as the dataset builder draws its training set), with per-position targets when
/// `targets`.
struct SampleRequest {
  LengthRange lengths;
  std::size_t count = 0;
  std::uint64_t seed = 0;
  bool negatives = false, targets = false;
};

/// The words of `request`.  A length with no word adds no positive; when no length of the range
/// has one, throws InvalidArgument naming the language and the lengths.  `counting` gets (lengths
/// done, lengths) while the lengths with words are found, `sampling` while positives are drawn.
std::vector<Example> sample_words(const Language& lang, const SampleRequest& request, const ProgressFn& counting = {},
                                  const ProgressFn& sampling = {});

}  // namespace statelab::languages
