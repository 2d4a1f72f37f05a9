// Moore machines: minimisation against brute force, counterexamples, and the two file formats
// (statelab JSON with "outputs", AALpy's DOT dialect), including AALpy's own Angluin_Moore.dot.
#include "automata/moore.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <filesystem>

#include "automata/dot_io.h"
#include "automata/json_io.h"
#include "base/error.h"
#include "base/file.h"
#include "tests/support/generators.h"

namespace statelab::automata {
namespace {

const std::filesystem::path kData = STATELAB_TEST_DATA;

// Every word up to `length`: the two machines give the same outputs.
bool same_outputs_up_to(const MooreMachine& a, const MooreMachine& b, std::size_t length) {
  for (const Word& w : testing::all_words(a.dfa.num_symbols(), length))
    if (output_of(a, w) != output_of(b, w)) return false;
  return true;
}

RC_GTEST_PROP(Moore, MinimizeKeepsEveryOutputAndIsNoLargerThanAnyEquivalentMachine, ()) {
  const auto k = *rc::gen::inRange<std::size_t>(1, 3);
  const auto n = *rc::gen::inRange<std::size_t>(1, 9);
  const auto outputs = *rc::gen::inRange<std::size_t>(1, 4);
  const auto m = random_moore(testing::letters(k), n, outputs, *rc::gen::arbitrary<std::uint64_t>());
  const auto min = minimize(m);
  RC_ASSERT(min.dfa.num_states() <= n);
  RC_ASSERT(same_outputs_up_to(m, min, 6));
  RC_ASSERT(equivalent(m, min));
  RC_ASSERT(minimize(min) == min);  // idempotent, canonical
  // Minimal: every two states differ on some word (a counterexample from them as initial states).
  for (State p = 0; p < min.dfa.num_states(); ++p)
    for (State q = p + 1; q < min.dfa.num_states(); ++q) {
      MooreMachine a = min, b = min;
      a.dfa.set_initial(p);
      b.dfa.set_initial(q);
      RC_ASSERT(find_counterexample(a, b).has_value());
    }
}

RC_GTEST_PROP(Moore, CounterexampleIsTheShortestShortlexLeastDifference, ()) {
  const auto k = *rc::gen::inRange<std::size_t>(1, 3);
  const auto a = random_moore(testing::letters(k), *rc::gen::inRange<std::size_t>(1, 5), 2,
                              *rc::gen::arbitrary<std::uint64_t>());
  const auto b = random_moore(testing::letters(k), *rc::gen::inRange<std::size_t>(1, 5), 2,
                              *rc::gen::arbitrary<std::uint64_t>());
  const std::size_t min_length = *rc::gen::inRange<std::size_t>(0, 3);
  const auto cex = find_counterexample(a, b, min_length);
  std::optional<Word> brute;
  for (const Word& w : testing::all_words(k, 10))  // shortlex order
    if (w.size() >= min_length && output_of(a, w) != output_of(b, w)) {
      brute = w;
      break;
    }
  if (brute) RC_ASSERT(cex == brute);
  else RC_ASSERT(!cex || cex->size() > 10);
}

TEST(Moore, ADontCareOutputMatchesAnythingThereAndAfter) {
  // a: 0 -a-> 1 -a-> 1, outputs x, "-"; b: one state, output y.  Only the empty word is compared
  // when "-" is don't-care, and there x != y.
  Dfa two(testing::letters(1), 2);
  two.set_next(0, 0, 1);
  two.set_next(1, 0, 1);
  const auto truth = make_moore(two, {"x", "-"});
  Dfa one(testing::letters(1), 1);
  const auto y = make_moore(one, {"y"});
  EXPECT_EQ(find_counterexample(y, truth, 0, "-"), Word{});
  EXPECT_FALSE(find_counterexample(y, truth, 1, "-"));
  EXPECT_EQ(find_counterexample(y, truth, 1), Word{0});
}

TEST(Moore, ReadsAalpysAngluinMooreMachine) {
  const auto m = read_moore_file(kData / "aalpy-dot" / "Angluin_Moore.dot");
  ASSERT_EQ(m.dfa.num_states(), 4u);
  // Output 1 exactly when the numbers of a's and of b's are both even.
  for (const Word& w : testing::all_words(2, 6)) {
    std::size_t as = 0;
    for (Symbol s : w) as += m.dfa.alphabet().name(s) == "a";
    const bool even = as % 2 == 0 && (w.size() - as) % 2 == 0;
    EXPECT_EQ(output_of(m, w), even ? "1" : "0");
  }
  EXPECT_EQ(minimize(m).dfa.num_states(), 4u);
}

TEST(Moore, RoundTripsThroughJsonAndDotWithAwkwardNames) {
  Dfa dfa(Alphabet({"(1,2)", "e"}), 2);
  dfa.set_next(0, 0, 1);
  dfa.set_next(1, 0, 0);
  dfa.set_next(0, 1, 0);
  dfa.set_next(1, 1, 1);
  const auto m = make_moore(dfa, {"{a,<end>}", "x|y z"});
  for (Format f : {Format::json, Format::dot}) {
    const std::string text = format_moore(m, f);
    const auto back = read_moore(text, f == Format::json ? "m.json" : "m.dot");
    EXPECT_EQ(back, m) << text;
  }
  EXPECT_NE(format_moore(m, Format::dot).find("s0 [label=\"s0|\\{a,\\<end\\>\\}\", shape=record"), std::string::npos)
      << format_moore(m, Format::dot);
}

TEST(Moore, RefusesWhatAFormatCannotHold) {
  const auto m = random_moore(testing::letters(2), 2, 2, 1);
  EXPECT_THROW(format_moore(m, Format::att), InvalidArgument);
  EXPECT_THROW(format_moore(m, Format::jff), InvalidArgument);
  auto quote = make_moore(m.dfa, {"say \"hi\"", "x"});
  try {
    format_moore(quote, Format::dot);
    FAIL() << "a quote in a DOT output was accepted";
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("(write .json)"), std::string::npos) << e.what();
  }
  EXPECT_EQ(read_moore(format_moore(quote, Format::json), "q.json"), quote);
}

TEST(Moore, DfaReadersRefuseAMooreFileAndMooreReadersADfa) {
  const auto m = random_moore(testing::letters(2), 3, 2, 5);
  EXPECT_THROW(read_json(format_moore(m, Format::json), "m.json"), ParseError);
  EXPECT_THROW(read_dot(format_moore(m, Format::dot), "m.dot"), ParseError);
  EXPECT_THROW(read_moore(write_json(m.dfa), "d.json"), ParseError);
  EXPECT_THROW(read_moore(write_dot(m.dfa), "d.dot"), ParseError);
}

}  // namespace
}  // namespace statelab::automata
