// RapidCheck generators of words from a language, for property tests in a user's own GoogleTest
// suite (link rapidcheck and rapidcheck_gtest), and the property "this recognizer agrees with the
// ground truth".  Every generator shrinks with bridge/check.h's shortlex shrinker, so a failing
// RC_GTEST_PROP ends at the shortest disagreeing word, then the shortlex-least of that length
// (within ShrinkOptions::exhaustive_budget; see check.h):
//
//   RC_GTEST_PROP(MyLstm, AgreesWithTomita3, ()) {
//     const Word w = *bridge::gen_word(language, bridge::WordKind::positive, 0, 20);
//     RC_ASSERT(bridge::agrees(model, language, w));
//   }
//
// The word is drawn by statelab's exact samplers from a seed RapidCheck generates, so a failure
// replays with RC_PARAMS="seed=...".  Shrunk words are words over the alphabet, not necessarily of
// the generator's kind: the shrinker looks for the least disagreement of all.
#pragma once

#include <rapidcheck.h>

#include <cstdint>

#include "base/error.h"
#include "bridge/check.h"

namespace statelab::bridge {

/// RapidCheck's shrink sequence for a word: ShrinkCandidates, lazily.
inline rc::Seq<Word> shrink_sequence(const Word& word, std::size_t k, const ShrinkOptions& options = {}) {
  struct Impl {
    std::shared_ptr<ShrinkCandidates> candidates;
    rc::Maybe<Word> operator()() {
      auto w = candidates->next();
      if (!w) return rc::Nothing;
      return std::move(*w);
    }
  };
  return rc::Seq<Word>(Impl{std::make_shared<ShrinkCandidates>(word, k, options)});
}

/// Words of one kind (check.h's draw_word), lengths in [min_length, max_length], shrinking in
/// shortlex order.  The generator keeps a reference to `language`, which must outlive it.
inline rc::Gen<Word> gen_word(const languages::Language& language, WordKind kind, std::size_t min_length,
                              std::size_t max_length, ShrinkOptions options = {}) {
  return rc::Gen<Word>([&language, kind, min_length, max_length, options](const rc::Random& random, int size) {
    const auto seed = rc::gen::arbitrary<std::uint64_t>()(random, size).value();
    const std::size_t k = language.alphabet().size();
    return rc::shrinkable::shrinkRecur(draw_word(language, kind, min_length, max_length, seed),
                                       [k, options](const Word& w) { return shrink_sequence(w, k, options); });
  });
}

/// Words of every kind, chosen uniformly.
inline rc::Gen<Word> gen_any_word(const languages::Language& language, std::size_t max_length,
                                  ShrinkOptions options = {}) {
  return rc::gen::oneOf(gen_word(language, WordKind::positive, 0, max_length, options),
                        gen_word(language, WordKind::uniform, 0, max_length, options),
                        gen_word(language, WordKind::near_miss, 0, max_length, options),
                        gen_word(language, WordKind::long_word, 0, max_length, options));
}

/// The property: the recognizer accepts `word` exactly when the language contains it.
inline bool agrees(const Recognizer& recognizer, const languages::Language& language, const Word& word) {
  return recognizer.accepts(word) == language.contains(word);
}

/// Words drawn by a WordDrawer (check.h: language_drawer, task_drawer), shrinking in shortlex
/// order as gen_word's do.
inline rc::Gen<Word> gen_drawn_word(WordDrawer draw, std::size_t k, ShrinkOptions options = {}) {
  return rc::Gen<Word>([draw = std::move(draw), k, options](const rc::Random& random, int size) {
    const auto seed = rc::gen::arbitrary<std::uint64_t>()(random, size).value();
    return rc::shrinkable::shrinkRecur(draw(seed % 4, seed),
                                       [k, options](const Word& w) { return shrink_sequence(w, k, options); });
  });
}

/// The property for per-position heads: at every position of `word` where the truth asks
/// something, the model's output is the truth's (a word the truth refuses, such as a task input
/// laid out wrongly, holds vacuously).  `truth`: a TruthTagger of the language or task.
///
///   RC_GTEST_PROP(MyLstm, TracksS3, ()) {
///     const Word w = *bridge::gen_drawn_word(bridge::task_drawer(*task, 30), 6);
///     RC_ASSERT(bridge::agrees_at_every_position(model, truth, w));
///   }
inline bool agrees_at_every_position(const Tagger& model, const Tagger& truth, const Word& word) {
  std::vector<Output> expected;
  try {
    expected = truth.tags(std::span<const Word>(&word, 1)).front();
  } catch (const InvalidArgument&) {
    return true;
  }
  const auto got = model.tags(std::span<const Word>(&word, 1)).front();
  for (std::size_t t = 0; t < expected.size(); ++t)
    if (expected[t] != kNoOutput && got[t] != expected[t]) return false;
  return true;
}

}  // namespace statelab::bridge
