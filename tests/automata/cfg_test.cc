#include "automata/cfg.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <functional>
#include <map>
#include <random>

#include "automata/cfg_count.h"
#include "base/error.h"
#include "tests/automata/engine_fixtures.h"

namespace statelab::automata {
namespace {

using statelab::testing::all_words;

std::string parse_error_of(std::string_view text) {
  try {
    parse_cfg(text, "g.cfg");
  } catch (const ParseError& e) {
    return e.what();
  }
  return "no error";
}

// ----- text syntax ----------------------------------------------------------------------------

TEST(CfgText, ReadsRulesAlternativesAndEpsilon) {
  const Cfg g = parse_cfg("# Dyck-1\nS -> ( S ) S\n  | ε\n");
  EXPECT_EQ(g.terminals().names(), (std::vector<std::string>{"(", ")"}));
  ASSERT_EQ(g.num_nonterminals(), 1u);
  EXPECT_EQ(g.nonterminal_name(g.start()), "S");
  ASSERT_EQ(g.productions().size(), 2u);
  EXPECT_EQ(g.productions()[0].rhs.size(), 4u);
  EXPECT_TRUE(g.productions()[1].rhs.empty());
}

TEST(CfgText, NamesOnTheLeftAreNonterminalsAndQuotesMakeTerminals) {
  const Cfg g = parse_cfg("E -> E '+' T | T\nT -> x | '(' E ')' | '|' | \"'\"\n%start T\n");
  EXPECT_EQ(g.terminals().names(), (std::vector<std::string>{"+", "x", "(", ")", "|", "'"}));
  EXPECT_EQ(g.nonterminal_name(g.start()), "T");
  EXPECT_TRUE(accepts(g, g.terminals().parse_word("( x + x )")));
  EXPECT_TRUE(accepts(g, g.terminals().parse_word("( | + ' )")));
  EXPECT_FALSE(accepts(g, g.terminals().parse_word("x + x")));  // T is the start
}

TEST(CfgText, DeclaredTerminalsFixTheAlphabetOrder) {
  const Cfg g = parse_cfg("%terminals b a c\nS -> a S b | %empty\n");
  EXPECT_EQ(g.terminals().names(), (std::vector<std::string>{"b", "a", "c"}));
}

TEST(CfgText, ErrorsNameTheLineAndColumn) {
  EXPECT_EQ(parse_error_of("S -> a\nT b\n"), "g.cfg:2:3: expected '->' after the left-hand side 'T'");
  EXPECT_EQ(parse_error_of("S -> a |\n"), "g.cfg:1:9: empty alternative: write ε or %empty for the empty word");
  EXPECT_EQ(parse_error_of("S -> a | | b\n"),
            "g.cfg:1:10: empty alternative: write ε or %empty for the empty word");
  EXPECT_EQ(parse_error_of("| a\n"), "g.cfg:1:1: '|' continues a rule, but no rule comes before it");
  EXPECT_EQ(parse_error_of("S -> 'a\n"), "g.cfg:1:6: unterminated quote '");
  EXPECT_EQ(parse_error_of("S -> a ε\n"), "g.cfg:1:8: 'ε' must stand alone in its alternative");
  EXPECT_EQ(parse_error_of("# nothing\n"), "g.cfg:1:1: no rule: a grammar needs at least one line 'NAME -> ...'");
  EXPECT_EQ(parse_error_of("%terminals a\nS -> a b\n"),
            "g.cfg:2:8: unknown symbol 'b': not a nonterminal (no rule has it on the left) and not listed in "
            "%terminals");
  EXPECT_EQ(parse_error_of("S -> 'S'\n"),
            "g.cfg:1:6: 'S' is quoted, so a terminal, but it is a nonterminal (a rule has it on the left)");
  EXPECT_EQ(parse_error_of("%start T\nS -> a\n"),
            "g.cfg:1:8: %start names 'T', which is not a nonterminal (no rule has it on the left)");
  EXPECT_EQ(parse_error_of("%begin S\n"),
            "g.cfg:1:1: unknown directive '%begin' (expected %start, %terminals or %nonterminals)");
  EXPECT_EQ(parse_error_of("S -> a -> b\n"),
            "g.cfg:1:8: unexpected '->' in a right-hand side (quote it to use it as a terminal)");
  EXPECT_EQ(parse_error_of("S -> a\n\nS -> \x01\n"), "g.cfg:3:6: control character in a name");
}

TEST(CfgText, MissingFileIsAnIoError) {
  EXPECT_THROW(read_cfg_file("/nonexistent/grammar.cfg"), IoError);
}

TEST(CfgText, FormatThenParseGivesTheSameGrammar) {
  const Cfg g = parse_cfg("%nonterminals Dead\nE -> E '+' T | T\nT -> x | '(' E ')' | '#' | '->'\nU -> ε\n");
  EXPECT_EQ(parse_cfg(format_cfg(g)), g);
}

RC_GTEST_PROP(CfgTextProperty, FormatThenParseRoundTrips, ()) {
  const Cfg g = *testing::gen_cfg(2);
  const Cfg back = parse_cfg(format_cfg(g));
  RC_ASSERT(back.terminals() == g.terminals());
  RC_ASSERT(back.nonterminal_names() == g.nonterminal_names());
  RC_ASSERT(back.start() == g.start());
  auto sorted = [](std::vector<Production> p) {
    std::sort(p.begin(), p.end(), [](const Production& a, const Production& b) {
      if (a.lhs != b.lhs) return a.lhs < b.lhs;
      return std::lexicographical_compare(a.rhs.begin(), a.rhs.end(), b.rhs.begin(), b.rhs.end(),
                                          [](const GrammarSymbol& x, const GrammarSymbol& y) {
                                            return std::pair(x.terminal, x.id) < std::pair(y.terminal, y.id);
                                          });
    });
    return p;
  };
  RC_ASSERT(sorted(back.productions()) == sorted(g.productions()));
}

// ----- Earley against brute force ---------------------------------------------------------------

void expect_language(const Cfg& g, const std::function<bool(const std::string&)>& expected,
                     std::size_t max_length) {
  for (const Word& w : all_words(g.terminals().size(), max_length)) {
    const std::string s = g.terminals().format_word(w);
    ASSERT_EQ(accepts(g, w), expected(s)) << "'" << s << "'";
  }
}

TEST(CfgEarley, KnownLanguagesMatchBruteForce) {
  expect_language(parse_cfg(testing::kAnbnGrammar), testing::is_anbn, 10);
  expect_language(parse_cfg(testing::kDyck1Grammar), [](const std::string& w) { return testing::is_dyck(w, "()"); },
                  10);
  // Three and four letters: only up to 8 here (the PDA tests go to length 10).
  expect_language(parse_cfg(testing::kDyck2Grammar),
                  [](const std::string& w) { return testing::is_dyck(w, "()[]"); }, 8);
  expect_language(parse_cfg(testing::kPalindromeGrammar), testing::is_palindrome, 10);
  expect_language(parse_cfg(testing::kMarkedPalindromeGrammar), testing::is_marked_palindrome, 8);
}

TEST(CfgEarley, HandlesLeftRecursionEpsilonRulesAndUnitCycles) {
  // An ambiguous Dyck grammar, left recursive, with a nullable start and unit cycles.
  const Cfg g = parse_cfg("S -> S S | ( S ) | A | ε\nA -> S | B\nB -> A\n");
  expect_language(g, [](const std::string& w) { return testing::is_dyck(w, "()"); }, 10);
  const Cfg left = parse_cfg("L -> L a | L N | b\nN -> ε\n");
  EXPECT_TRUE(accepts(left, left.terminals().parse_word("baaa")));
  EXPECT_FALSE(accepts(left, left.terminals().parse_word("ab")));
}

TEST(CfgEarley, SymbolOutsideTheAlphabetIsRejected) {
  EXPECT_THROW(accepts(parse_cfg(testing::kAnbnGrammar), Word{0, 5}), InvalidArgument);
}

TEST(CfgTrim, RemovesUnproductiveAndUnreachableNonterminals) {
  const Cfg g = parse_cfg("S -> a | X b | Y\nX -> X a\nY -> c\nZ -> d\n");
  const Cfg t = trim(g);
  EXPECT_EQ(t.nonterminal_names(), (std::vector<std::string>{"S", "Y"}));
  EXPECT_EQ(t.productions().size(), 3u);
  EXPECT_EQ(t.terminals(), g.terminals());
}

// ----- conversions ------------------------------------------------------------------------------

TEST(CfgConvert, GrammarToPdaKeepsTheLanguageUnderBothAcceptances) {
  const Cfg g = parse_cfg(testing::kPalindromeGrammar);
  for (PdaAcceptance acceptance : {PdaAcceptance::empty_stack, PdaAcceptance::final_state}) {
    const Pda pda = to_pda(g, acceptance);
    EXPECT_EQ(pda.acceptance(), acceptance);
    for (const Word& w : all_words(2, 9))
      ASSERT_EQ(accepts_by_summaries(pda, w), testing::is_palindrome(g.terminals().format_word(w)));
  }
  EXPECT_EQ(to_pda(g).num_states(), 1u);
}

TEST(CfgConvert, PdaToGrammarKeepsTheLanguage) {
  const Cfg dyck1 = to_cfg(testing::dyck_dpda("()"));
  expect_language(dyck1, [](const std::string& w) { return testing::is_dyck(w, "()"); }, 9);
  const Cfg dyck2 = to_cfg(testing::dyck_dpda("()[]"));
  expect_language(dyck2, [](const std::string& w) { return testing::is_dyck(w, "()[]"); }, 6);
  const Cfg pal = to_cfg(testing::palindrome_pda(PdaAcceptance::empty_stack));
  expect_language(pal, testing::is_palindrome, 9);
  const Cfg marked = to_cfg(testing::marked_palindrome_dpda());
  expect_language(marked, testing::is_marked_palindrome, 7);
}

TEST(CfgConvert, ConvertedGrammarsAreTrimmedAndReadable) {
  const Cfg g = to_cfg(testing::anbn_dpda());
  EXPECT_EQ(trim(g), g);
  EXPECT_EQ(parse_cfg(format_cfg(g)), g);
}

RC_GTEST_PROP(CfgConvertProperty, EarleyAgreesWithThePdaOfTheGrammar, ()) {
  const Cfg g = *testing::gen_cfg(2);
  const Word w = *testing::gen_word(2, 7);
  const bool expected = accepts(g, w);
  RC_ASSERT(accepts_by_summaries(to_pda(g, PdaAcceptance::empty_stack), w) == expected);
  RC_ASSERT(accepts_by_summaries(to_pda(g, PdaAcceptance::final_state), w) == expected);
  RC_ASSERT(accepts(trim(g), w) == expected);
}

RC_GTEST_PROP(CfgConvertProperty, GrammarToPdaToGrammarKeepsTheLanguage, ()) {
  const Cfg g = *testing::gen_cfg(2);
  const Word w = *testing::gen_word(2, 6);
  RC_ASSERT(accepts(to_cfg(to_pda(g, PdaAcceptance::empty_stack)), w) == accepts(g, w));
}

RC_GTEST_PROP(CfgConvertProperty, EarleyOnTheGrammarOfAPdaAgreesWithItsSummaries, ()) {
  const Pda pda = *testing::gen_pda(2, 3);
  const Word w = *testing::gen_word(2, 6);
  RC_ASSERT(accepts(to_cfg(pda), w) == accepts_by_summaries(pda, w));
}

// ----- counting and sampling --------------------------------------------------------------------

BigCount catalan(unsigned n) {
  BigCount c = 1;  // C(n) = C(n-1) * 2(2n-1) / (n+1)
  for (unsigned i = 1; i <= n; ++i) c = c * 2 * (2 * i - 1) / (i + 1);
  return c;
}

TEST(CfgCount, AgreesWithBruteForceEnumeration) {
  const std::vector<std::pair<const char*, std::function<bool(const std::string&)>>> cases = {
      {testing::kAnbnGrammar, testing::is_anbn},
      {testing::kDyck1Grammar, [](const std::string& w) { return testing::is_dyck(w, "()"); }},
      {testing::kDyck2Grammar, [](const std::string& w) { return testing::is_dyck(w, "()[]"); }},
      {testing::kPalindromeGrammar, testing::is_palindrome},
      {testing::kMarkedPalindromeGrammar, testing::is_marked_palindrome},
      // unambiguous, with nullable and unit rules: a* b*
      {"S -> A B\nA -> a A | ε\nB -> C\nC -> b C | D\nD -> ε\n",
       [](const std::string& w) { return w.find("ba") == std::string::npos; }},
  };
  for (const auto& [text, member] : cases) {
    const Cfg g = parse_cfg(text);
    const std::size_t max = g.terminals().size() > 2 ? 8 : 11;
    std::vector<BigCount> brute(max + 1, 0);
    for (const Word& w : all_words(g.terminals().size(), max))
      if (member(g.terminals().format_word(w))) ++brute[w.size()];
    EXPECT_EQ(count_words(g, max), brute) << text;
  }
}

TEST(CfgCount, DyckCountsAreCatalanTimesKToTheN) {
  const CfgCounter dyck1(parse_cfg(testing::kDyck1Grammar), 120);
  const CfgCounter dyck2(parse_cfg(testing::kDyck2Grammar), 60);
  const CfgCounter dyck3(parse_cfg("S -> ( S ) S | [ S ] S | { S } S | ε\n"), 40);
  for (unsigned n = 0; n <= 60; ++n) {
    ASSERT_EQ(dyck1.count(2 * n), catalan(n)) << n;
    if (n < 60) {
      ASSERT_EQ(dyck1.count(2 * n + 1), 0);
    }
    if (2 * n <= 60) {
      ASSERT_EQ(dyck2.count(2 * n), catalan(n) * boost::multiprecision::pow(BigCount(2), n));
    }
    if (2 * n <= 40) {
      ASSERT_EQ(dyck3.count(2 * n), catalan(n) * boost::multiprecision::pow(BigCount(3), n));
    }
  }
  EXPECT_EQ(dyck1.count(120).str(), catalan(60).str());  // beyond 64 bits
  EXPECT_THROW(dyck1.count(121), InvalidArgument);
}

TEST(CfgCount, ADeterministicPdaCountsThroughTheGrammarOfItsRuns) {
  // The Dyck DPDA has one run per word and passes through one accepting configuration at the
  // end, so the grammar of its runs is unambiguous: its counts are the language's.
  const CfgCounter counter(to_cfg(testing::dyck_dpda("()[]")), 16);
  for (unsigned n = 0; n <= 8; ++n) {
    ASSERT_EQ(counter.count(2 * n), catalan(n) * boost::multiprecision::pow(BigCount(2), n)) << n;
  }
  Rng rng = make_rng(5);
  const Word w = counter.sample(16, rng);
  EXPECT_TRUE(testing::is_dyck(counter.terminals().format_word(w), "()[]"));
}

TEST(CfgCount, AmbiguousGrammarsCountDerivations) {
  const Cfg g = parse_cfg("S -> A | B\nA -> a\nB -> a\n");
  EXPECT_EQ(count_words(g, 2), (std::vector<BigCount>{0, 2, 0}));
}

TEST(CfgCount, InfinitelyManyDerivationsAreRefused) {
  EXPECT_THROW(CfgCounter(parse_cfg("S -> S S | ( S ) | ε\n"), 4), InvalidArgument);  // S => SS => S
  EXPECT_THROW(CfgCounter(parse_cfg("S -> A | a\nA -> S\n"), 4), InvalidArgument);     // unit cycle
  // A unit cycle among useless nonterminals is harmless.
  EXPECT_EQ(count_words(parse_cfg("S -> a\nX -> Y\nY -> X\n"), 2), (std::vector<BigCount>{0, 1, 0}));
}

// Pearson's chi-square statistic of `draws` samples against the uniform distribution over the
// words of `length`.  The threshold is the 0.999 quantile of chi-square with `cells - 1`
// degrees of freedom, by the Wilson-Hilferty approximation: a correct sampler fails with
// probability 1/1000 for a random seed; the seed is fixed, so the test is deterministic and
// still catches any real bias of a few percent at these sample sizes.
void expect_uniform(const Cfg& g, std::size_t length, std::size_t per_word, std::uint64_t seed) {
  const CfgCounter counter(g, length);
  const std::size_t cells = counter.count(length).convert_to<std::size_t>();
  ASSERT_GT(cells, 1u);
  Rng rng = make_rng(seed);
  std::map<Word, std::size_t> histogram;
  const std::size_t draws = cells * per_word;
  for (std::size_t i = 0; i < draws; ++i) {
    const Word w = counter.sample(length, rng);
    ASSERT_EQ(w.size(), length);
    ASSERT_TRUE(accepts(g, w)) << g.terminals().format_word(w);
    ++histogram[w];
  }
  EXPECT_EQ(histogram.size(), cells);
  double chi2 = 0;
  const double expected = static_cast<double>(per_word);
  for (const auto& [w, observed] : histogram) chi2 += (observed - expected) * (observed - expected) / expected;
  chi2 += static_cast<double>(cells - histogram.size()) * expected;  // words never drawn
  const double k = static_cast<double>(cells - 1), z = 3.090;      // z: the 0.999 normal quantile
  const double threshold = k * std::pow(1 - 2 / (9 * k) + z * std::sqrt(2 / (9 * k)), 3);
  EXPECT_LT(chi2, threshold) << "cells " << cells;
}

TEST(CfgSample, SamplingIsUniform) {
  expect_uniform(parse_cfg(testing::kDyck1Grammar), 10, 100, 1);       // 42 words
  expect_uniform(parse_cfg(testing::kDyck2Grammar), 6, 50, 2);         // 40 words
  expect_uniform(parse_cfg(testing::kPalindromeGrammar), 7, 200, 3);   // 16 words
  expect_uniform(parse_cfg("S -> A B\nA -> a A | ε\nB -> C\nC -> b C | D\nD -> ε\n"), 9, 300, 4);  // 10 words
}

TEST(CfgSample, ReproducesFromItsSeedAndRefusesEmptyLengths) {
  const CfgCounter counter(parse_cfg(testing::kDyck1Grammar), 200);
  Rng a = make_rng(99), b = make_rng(99);
  EXPECT_EQ(counter.sample(200, a), counter.sample(200, b));
  EXPECT_THROW(counter.sample(7, a), InvalidArgument);
  EXPECT_TRUE(counter.sample(0, a).empty());
}

}  // namespace
}  // namespace statelab::automata
