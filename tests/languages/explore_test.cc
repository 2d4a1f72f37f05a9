// sample_words, what `lang sample` draws: the same words as the two steps it is made of, and its
// refusals (no word at any length asked; an odd count split into positives and negatives).
#include <gtest/gtest.h>

#include <algorithm>

#include "base/error.h"
#include "languages/explore.h"
#include "languages/registry.h"

namespace statelab::languages {
namespace {

TEST(SampleWords, PositivesAreTheSampledWordsOfTheLengthsThatHaveWords) {
  const auto lang = make_language("regex:(aa)*");
  const LengthRange range{1, 6};
  const auto words = sample_words(*lang, {range, 3, 7, false, false});
  const auto has_word = lengths_with_words(*lang, range, 7);
  const auto expected = sample_positives(*lang, range, has_word, 3, 7, false);
  ASSERT_EQ(words.size(), expected.size());
  ASSERT_EQ(words.size(), 9u);  // lengths 2, 4 and 6 only
  for (std::size_t i = 0; i < words.size(); ++i) {
    EXPECT_EQ(words[i].word, expected[i].word);
    EXPECT_TRUE(words[i].label);
    EXPECT_EQ(words[i].word.size() % 2, 0u);
  }
}

TEST(SampleWords, NegativesMakeABalancedLabelledSet) {
  const auto lang = make_language("parity");
  const auto words = sample_words(*lang, {{4, 6}, 4, 1, true, false});
  const auto positives = std::count_if(words.begin(), words.end(), [](const Example& e) { return e.label; });
  EXPECT_EQ(words.size(), 12u);
  EXPECT_EQ(positives, 6);
  for (const auto& e : words) EXPECT_EQ(lang->contains(e.word), e.label);
}

TEST(SampleWords, RefusesLengthsWithoutWordsAndAnOddBalancedCount) {
  const auto lang = make_language("regex:(aa)*");
  EXPECT_THROW(sample_words(*lang, {{3, 3}, 2, 1, false, false}), InvalidArgument);
  EXPECT_THROW(sample_words(*lang, {{2, 4}, 3, 1, true, false}), InvalidArgument);
}

}  // namespace
}  // namespace statelab::languages
