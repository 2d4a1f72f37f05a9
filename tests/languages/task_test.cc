#include "languages/task.h"

#include <gtest/gtest.h>

#include "base/error.h"

namespace statelab::languages {
namespace {

TEST(Task, IndexLookupTargetsTheIndexedLetter) {
  const auto task = make_task("index-lookup:k=3,max=12");
  EXPECT_EQ(task->target_alphabet().names(), (std::vector<std::string>{"a", "b", "c"}));
  Rng rng(1);
  for (std::size_t n = 1; n <= 12; ++n) {
    for (int i = 0; i < 30; ++i) {
      const TaskExample ex = task->sample(n, rng);
      ASSERT_EQ(ex.input.size(), n + 1);
      const std::string index_name = task->input_alphabet().name(ex.input.back());
      const std::size_t index = std::stoul(index_name);
      ASSERT_LT(index, n);
      for (std::size_t j = 0; j < n; ++j) ASSERT_EQ(ex.target[j], kNoTarget);
      ASSERT_EQ(task->target_alphabet().name(ex.target[n]), task->input_alphabet().name(ex.input[index]));
    }
  }
  EXPECT_THROW(task->sample(13, rng), InvalidArgument);
  const Alphabet& in = task->input_alphabet();
  EXPECT_THROW(task->targets(in.parse_word("a b 5")), InvalidArgument);  // index past the word
  EXPECT_THROW(task->targets(in.parse_word("a 0 1")), InvalidArgument);  // an index inside the word
}

TEST(Task, CopyTaskTargetsTheWordAfterTheSeparator) {
  const auto task = make_task("copy-task:k=2");
  const Alphabet& in = task->input_alphabet();
  const Word target = task->targets(in.parse_word("abb#ab"));
  const Word expected{kNoTarget, kNoTarget, kNoTarget, 0, 1, 1};
  EXPECT_EQ(target, expected);
  Rng rng(2);
  for (std::size_t n = 1; n <= 20; ++n) {
    const TaskExample ex = task->sample(n, rng);
    ASSERT_EQ(ex.input.size(), 2 * n);
    for (std::size_t j = 0; j < n; ++j) {
      ASSERT_EQ(ex.target[j], kNoTarget);
      ASSERT_EQ(ex.target[n + j], ex.input[j]);
      if (j + 1 < n) {
        ASSERT_EQ(ex.input[n + 1 + j], ex.input[j]);  // teacher forcing
      }
    }
  }
  EXPECT_THROW(task->targets(in.parse_word("ab#a#")), InvalidArgument);
  EXPECT_THROW(task->targets(in.parse_word("a#ab")), InvalidArgument);
}

TEST(Task, NgramLookupTargetsWhatFollowedTheUniqueNgram) {
  const auto task = make_task("ngram-lookup:k=3,n=2,follow=2");
  Rng rng(3);
  for (std::size_t size = 4; size <= 24; ++size) {
    for (int i = 0; i < 20; ++i) {
      const TaskExample ex = task->sample(size, rng);
      ASSERT_EQ(ex.input.size(), size + 1 + 2 + 1);
      ASSERT_EQ(ex.input[size], 3u);  // '#'
      const Word w(ex.input.begin(), ex.input.begin() + static_cast<long>(size));
      const Word g(ex.input.begin() + static_cast<long>(size) + 1, ex.input.begin() + static_cast<long>(size) + 3);
      std::vector<std::size_t> at;
      for (std::size_t p = 0; p + 2 <= size; ++p)
        if (w[p] == g[0] && w[p + 1] == g[1]) at.push_back(p);
      ASSERT_EQ(at.size(), 1u);
      ASSERT_LE(at[0] + 4, size);
      for (std::size_t j = 0; j < ex.input.size(); ++j) {
        const Symbol expected = j == size + 2 ? w[at[0] + 2] : j == size + 3 ? w[at[0] + 3] : kNoTarget;
        ASSERT_EQ(ex.target[j], expected) << "position " << j;
      }
    }
  }
  EXPECT_THROW(task->sample(3, rng), InvalidArgument);
  const Alphabet& in = task->input_alphabet();
  EXPECT_THROW(task->targets(in.parse_word("abab#aba")), InvalidArgument);  // ab occurs twice
}

TEST(Task, WordProblemTagsThePrefixProducts) {
  const auto task = make_task("word-problem:group=S4");
  const automata::PermutationGroup s4 = automata::make_group("S4");
  ASSERT_EQ(task->target_alphabet().size(), 24u);
  Rng rng(4);
  const TaskExample ex = task->sample(40, rng);
  // The prefix product applied to each point, letter by letter, compared by the image of points.
  std::vector<int> image{0, 1, 2, 3};
  for (std::size_t i = 0; i < ex.input.size(); ++i) {
    const automata::Perm letter = automata::parse_cycles(task->input_alphabet().name(ex.input[i]), 4);
    for (int& x : image) x = letter[x];
    const automata::Perm target = automata::parse_cycles(task->target_alphabet().name(ex.target[i]), 4);
    for (int x = 0; x < 4; ++x) ASSERT_EQ(static_cast<int>(target[x]), image[x]) << "position " << i;
  }
  const auto gens = make_task("word-problem:group=A5,gens=standard");
  EXPECT_EQ(gens->input_alphabet().size(), 2u);
  EXPECT_EQ(gens->target_alphabet().size(), 60u);
}

TEST(Task, ModularArithmeticEvaluatesLeftToRight) {
  const auto task = make_task("modular-arithmetic:m=5");
  const Alphabet& in = task->input_alphabet();
  const auto last = [&](const std::string& w) { return task->target_alphabet().name(task->targets(in.parse_word(w)).back()); };
  EXPECT_EQ(last("3"), "3");
  EXPECT_EQ(last("3+4"), "2");
  EXPECT_EQ(last("3-4"), "4");
  EXPECT_EQ(last("1-2-3+0"), "1");
  EXPECT_THROW(task->targets(in.parse_word("3+")), InvalidArgument);   // ends with an operator
  EXPECT_THROW(task->targets(in.parse_word("34")), InvalidArgument);   // two digits in a row
  EXPECT_THROW(task->targets(in.parse_word("+3+4")), InvalidArgument);  // starts with an operator
  EXPECT_THROW(make_task("modular-arithmetic:m=1"), InvalidArgument);
  // Against a second evaluation: the value of the sampled expression computed with signed integers.
  Rng rng(3);
  for (std::size_t n = 1; n <= 30; ++n) {
    const TaskExample ex = task->sample(n, rng);
    ASSERT_EQ(ex.input.size(), 2 * n - 1);
    long long value = std::stoll(in.name(ex.input[0]));
    for (std::size_t i = 1; i + 1 < ex.input.size(); i += 2) {
      const long long d = std::stoll(in.name(ex.input[i + 1]));
      value += in.name(ex.input[i]) == "+" ? d : -d;
    }
    for (std::size_t i = 0; i + 1 < ex.target.size(); ++i) ASSERT_EQ(ex.target[i], kNoTarget);
    ASSERT_EQ(static_cast<long long>(ex.target.back()), ((value % 5) + 5) % 5);
  }
}

TEST(Task, UnknownTasksListTheTasks) {
  try {
    make_task("sorting");
    FAIL();
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("index-lookup, copy-task, ngram-lookup, word-problem, modular-arithmetic"), std::string::npos)
        << e.what();
  }
  EXPECT_THROW(make_task("ngram-lookup:n=0"), InvalidArgument);
  for (const CatalogueEntry& e : task_catalogue()) EXPECT_NO_THROW(make_task(e.example)) << e.example;
}

}  // namespace
}  // namespace statelab::languages
