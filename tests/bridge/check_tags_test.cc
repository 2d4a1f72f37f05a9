// check for per-position heads: a hand-built tagger that errs exactly at known positions is caught
// there, and the shrinker ends at the least word that shows an error; the RapidCheck property for
// users' suites holds for a faithful tagger and fails for a faulty one.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <deque>

#include "automata/moore.h"
#include "automata/random_dfa.h"
#include "bridge/check.h"
#include "bridge/rapidcheck.h"
#include "languages/registry.h"
#include "languages/task.h"
#include "tests/support/generators.h"

namespace statelab::bridge {
namespace {

using automata::Dfa;

// The truth's outputs, except at the positions whose prefix a DFA accepts: there the output is
// moved to the next one (mod the number of outputs).
class FaultyTagger final : public Tagger {
 public:
  FaultyTagger(const Tagger& truth, Dfa errs) : truth_(truth), errs_(std::move(errs)) {}
  const Alphabet& alphabet() const override { return truth_.alphabet(); }
  models::Head head() const override { return truth_.head(); }
  const std::vector<std::string>& output_names() const override { return truth_.output_names(); }
  std::vector<std::vector<Output>> tags(std::span<const Word> words) const override {
    auto out = truth_.tags(words);
    for (std::size_t i = 0; i < words.size(); ++i) {
      automata::State q = errs_.initial();
      for (std::size_t t = 0; t < words[i].size(); ++t) {
        q = errs_.next(q, words[i][t]);
        if (errs_.is_accepting(q) && out[i][t] != kNoOutput) out[i][t] = (out[i][t] + 1) % output_names().size();
      }
    }
    return out;
  }

 private:
  const Tagger& truth_;
  Dfa errs_;
};

// The shortest, shortlex-least non-empty word the DFA accepts (BFS in symbol order).
std::optional<Word> least_nonempty_word(const Dfa& dfa) {
  std::vector<std::optional<Word>> seen(dfa.num_states());
  std::deque<automata::State> queue;
  for (Symbol a = 0; a < dfa.num_symbols(); ++a) {
    const auto r = dfa.next(dfa.initial(), a);
    if (dfa.is_accepting(r)) return Word{a};
    if (!seen[r]) seen[r] = Word{a}, queue.push_back(r);
  }
  while (!queue.empty()) {
    const auto q = queue.front();
    queue.pop_front();
    for (Symbol a = 0; a < dfa.num_symbols(); ++a) {
      const auto r = dfa.next(q, a);
      Word w = *seen[q];
      w.push_back(a);
      if (dfa.is_accepting(r)) return w;
      if (!seen[r]) seen[r] = std::move(w), queue.push_back(r);
    }
  }
  return std::nullopt;
}

RC_GTEST_PROP(CheckTags, ShrinksToTheLeastWordWithAWrongPosition, ()) {
  const auto k = *rc::gen::inRange<std::size_t>(1, 3);
  const auto alphabet = statelab::testing::letters(k);
  const MooreTagger truth(automata::random_moore(alphabet, 5, 3, *rc::gen::arbitrary<std::uint64_t>()));
  const Dfa errs = *statelab::testing::gen_dfa(k, 6);
  const auto least = least_nonempty_word(errs);
  RC_PRE(least.has_value() && least->size() <= 6);
  const FaultyTagger model(truth, errs);
  CheckOptions options;
  options.tests = 50;
  options.exhaustive_up_to = 6;
  const auto draw = [k](std::size_t, std::uint64_t seed) {
    auto rng = make_rng(seed);
    return languages::uniform_word(k, 1 + uniform_below(rng, 10), rng);
  };
  const auto r = check_tags(model, truth, draw, options);
  RC_ASSERT(!r.agree);
  RC_ASSERT(r.counterexamples.front().word == *least);
  RC_ASSERT(r.counterexamples.front().position == least->size() - 1);
  RC_ASSERT(r.counterexamples.front().model != r.counterexamples.front().truth);
}

TEST(CheckTags, AFaithfulTaggerAgreesAtEveryPositionWithAgreementByPosition) {
  const auto task = languages::make_task("word-problem:group=S3");
  const TruthTagger truth(*task);
  CheckOptions options;
  options.tests = 200;
  options.max_length = 12;
  const auto r = check_tags(truth, truth, task_drawer(*task, 12), options);
  EXPECT_TRUE(r.agree);
  EXPECT_GT(r.tested, 150u);  // distinct words: short ones repeat
  EXPECT_LE(r.tested, 200u);
  ASSERT_FALSE(r.by_position.empty());
  EXPECT_EQ(r.by_position.front().position, 0u);
  for (const auto& p : r.by_position) EXPECT_EQ(p.agree, p.tested);
}

TEST(CheckTags, NamesTheGroupElementsAtTheFirstWrongPosition) {
  const auto task = languages::make_task("word-problem:group=S3");
  const TruthTagger truth(*task);
  // Errs after every prefix of length 3 exactly.
  Dfa errs(task->input_alphabet(), 5);
  for (automata::State q = 0; q < 5; ++q)
    for (Symbol a = 0; a < errs.num_symbols(); ++a) errs.set_next(q, a, std::min<automata::State>(q + 1, 4));
  errs.set_accepting(3);
  const FaultyTagger model(truth, errs);
  CheckOptions options;
  options.tests = 100;
  options.max_length = 8;
  const auto r = check_tags(model, truth, task_drawer(*task, 8), options);
  ASSERT_FALSE(r.agree);
  const auto& d = r.counterexamples.front();
  EXPECT_EQ(task->input_alphabet().format_word(d.word), "e e e");
  EXPECT_EQ(d.position, 2u);
  EXPECT_EQ(d.truth, "e");
  EXPECT_EQ(d.model, "(1,2)");
  for (const auto& p : r.by_position) EXPECT_EQ(p.agree == p.tested, p.position != 2) << p.position;
}

TEST(CheckTags, RefusesMismatchedAlphabetsAndNothingToTest) {
  const auto task = languages::make_task("word-problem:group=S3");
  const TruthTagger truth(*task);
  const MooreTagger other(automata::random_moore(statelab::testing::letters(2), 2, 2, 1));
  EXPECT_THROW(check_tags(other, truth, task_drawer(*task, 5)), InvalidArgument);
  CheckOptions none;
  none.tests = 0;
  EXPECT_THROW(check_tags(truth, truth, task_drawer(*task, 5), none), InvalidArgument);
}

RC_GTEST_PROP(AgreesAtEveryPosition, HoldsForTheTruthAndFailsWhereATaggerErrs, ()) {
  static const auto task = languages::make_task("word-problem:group=S3");
  static const TruthTagger truth(*task);
  const Word w = *gen_drawn_word(task_drawer(*task, 20), task->input_alphabet().size());
  RC_ASSERT(agrees_at_every_position(truth, truth, w));
  Dfa errs(task->input_alphabet(), 2);  // errs once a (1,2) has been read
  for (Symbol a = 0; a < errs.num_symbols(); ++a) errs.set_next(0, a, a == 1 ? 1 : 0), errs.set_next(1, a, 1);
  errs.set_accepting(1);
  const FaultyTagger faulty(truth, errs);
  const bool has_12 = std::find(w.begin(), w.end(), Symbol{1}) != w.end();
  RC_ASSERT(agrees_at_every_position(faulty, truth, w) == !has_12);
}

}  // namespace
}  // namespace statelab::bridge
