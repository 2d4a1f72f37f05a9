// GCC 12 warns of an uninitialised std::function inside libstdc++'s own std::regex compiler
// when building with -fsanitize=address (a known false positive in <regex>, not in this code).
// The pragma must precede every include to cover the header where the warning is located.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

#include "automata/regex.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <functional>
#include <regex>
#include <string>

#include "automata/decide.h"
#include "automata/minimize.h"
#include "automata/nfa.h"
#include "base/error.h"
#include "tests/support/generators.h"
#include "tests/support/regex_generators.h"

namespace statelab::automata {
namespace {

const Alphabet& binary() {
  static const Alphabet ab = Alphabet::from_chars("01");
  return ab;
}
const Alphabet& abc() {
  static const Alphabet ab = Alphabet::from_chars("abc");
  return ab;
}

bool matches(std::string_view pattern, const Alphabet& alphabet, std::string_view word) {
  return accepts(regex_to_dfa(pattern, alphabet), alphabet.parse_word(word));
}

// Every word of length <= max_length over `alphabet` on which `pattern` and `truth` disagree.
std::vector<std::string> disagreements(std::string_view pattern, const Alphabet& alphabet,
                                       const std::function<bool(const std::string&)>& truth,
                                       std::size_t max_length = 8) {
  const Dfa dfa = regex_to_dfa(pattern, alphabet);
  std::vector<std::string> out;
  for (const Word& w : testing::all_words(alphabet.size(), max_length)) {
    const std::string text = alphabet.format_word(w);
    if (accepts(dfa, w) != truth(text)) out.push_back(text);
  }
  return out;
}

bool same_language(std::string_view p, std::string_view q, const Alphabet& alphabet) {
  return equivalent(regex_to_dfa(p, alphabet), regex_to_dfa(q, alphabet));
}

// The message of the ParseError parsing `pattern` raises, or "no error".
std::string parse_error(std::string_view pattern, const Alphabet& alphabet) {
  try {
    parse_regex(pattern, alphabet);
  } catch (const ParseError& e) {
    return e.what();
  }
  return "no error";
}

Regex sym(Symbol a) { return Regex::symbol(a); }

// ---------------------------------------------------------------------------------------------
// Syntax.

TEST(Regex, SymbolsConcatenateByJuxtaposition) {
  EXPECT_EQ(parse_regex("ab", abc()), Regex::concat({sym(0), sym(1)}));
  EXPECT_TRUE(matches("ab", abc(), "ab"));
  EXPECT_FALSE(matches("ab", abc(), "a"));
  EXPECT_FALSE(matches("ab", abc(), "ba"));
}

TEST(Regex, UnionStarPlusAndOptional) {
  EXPECT_EQ(parse_regex("a|b", abc()), Regex::alternation({sym(0), sym(1)}));
  EXPECT_EQ(parse_regex("a*", abc()), Regex::star(sym(0)));
  EXPECT_EQ(parse_regex("a+", abc()), Regex::plus(sym(0)));
  EXPECT_EQ(parse_regex("a?", abc()), Regex::optional(sym(0)));
  EXPECT_TRUE(matches("a|b", abc(), "b"));
  EXPECT_FALSE(matches("a|b", abc(), "ab"));
  EXPECT_TRUE(matches("a*", abc(), ""));
  EXPECT_TRUE(matches("a*", abc(), "aaaa"));
  EXPECT_FALSE(matches("a+", abc(), ""));
  EXPECT_TRUE(matches("a+", abc(), "aaa"));
  EXPECT_TRUE(matches("a?", abc(), ""));
  EXPECT_FALSE(matches("a?", abc(), "aa"));
}

TEST(Regex, CountedRepetition) {
  EXPECT_EQ(parse_regex("a{3}", abc()), Regex::repeat(sym(0), 3, 3));
  EXPECT_EQ(parse_regex("a{2,}", abc()), Regex::repeat(sym(0), 2, Regex::kUnbounded));
  EXPECT_EQ(parse_regex("a{ 1 , 4 }", abc()), Regex::repeat(sym(0), 1, 4));
  EXPECT_TRUE(same_language("a{3}", "aaa", abc()));
  EXPECT_TRUE(same_language("a{2,}", "aaa*", abc()));
  EXPECT_TRUE(same_language("(ab){1,3}", "ab|abab|ababab", abc()));
  EXPECT_TRUE(same_language("a{0}", "()", abc()));
  EXPECT_TRUE(same_language("a{0,0}b", "b", abc()));
  EXPECT_TRUE(same_language("a{2}{3}", "a{6}", abc()));  // repetitions stack
  // The sizes a{n} needs: n + 1 states and a sink, after minimisation.
  EXPECT_EQ(regex_to_dfa("a{1000}", Alphabet::from_chars("a")).num_states(), 1002u);
}

TEST(Regex, PrecedenceIsPostfixThenConcatenationThenUnion) {
  EXPECT_EQ(parse_regex("ab|c", abc()), Regex::alternation({Regex::concat({sym(0), sym(1)}), sym(2)}));
  EXPECT_EQ(parse_regex("ab*", abc()), Regex::concat({sym(0), Regex::star(sym(1))}));
  EXPECT_EQ(parse_regex("a|b*", abc()), Regex::alternation({sym(0), Regex::star(sym(1))}));
  EXPECT_EQ(parse_regex("(ab)*", abc()), Regex::star(Regex::concat({sym(0), sym(1)})));
  EXPECT_EQ(parse_regex("a|bc|", abc()),
            Regex::alternation({sym(0), Regex::concat({sym(1), sym(2)}), Regex::empty_word()}));
}

TEST(Regex, ParenthesesLeaveNoNodeButKeepTheirGrouping) {
  EXPECT_EQ(parse_regex("((a))", abc()), sym(0));
  EXPECT_EQ(parse_regex("(ab)c", abc()), Regex::concat({Regex::concat({sym(0), sym(1)}), sym(2)}));
  EXPECT_EQ(parse_regex("abc", abc()), Regex::concat({sym(0), sym(1), sym(2)}));
}

TEST(Regex, ClassesRangesNegationAndDot) {
  EXPECT_EQ(parse_regex("[ca]", abc()), Regex::symbols({0, 2}));
  EXPECT_EQ(parse_regex("[a-c]", abc()), Regex::symbols({0, 1, 2}));
  EXPECT_EQ(parse_regex("[^a]", abc()), Regex::symbols({1, 2}));
  EXPECT_EQ(parse_regex("[^a-b]", abc()), Regex::symbols({2}));
  EXPECT_EQ(parse_regex(".", abc()), Regex::symbols({0, 1, 2}));
  EXPECT_EQ(parse_regex("[^]", abc()), Regex::symbols({0, 1, 2}));
  EXPECT_EQ(parse_regex("[a a]", abc()), sym(0));
  // Ranges follow the alphabet's order, not character codes.
  const Alphabet cba = Alphabet::from_chars("cba");
  EXPECT_EQ(parse_regex("[c-a]", cba), Regex::symbols({0, 1, 2}));
  EXPECT_TRUE(matches("[^b]*", abc(), "acca"));
  EXPECT_FALSE(matches("[^b]*", abc(), "abc"));
}

TEST(Regex, EmptyWordAndEmptyLanguage) {
  EXPECT_EQ(parse_regex("", abc()), Regex::empty_word());
  EXPECT_EQ(parse_regex("()", abc()), Regex::empty_word());
  EXPECT_EQ(parse_regex("[]", abc()), Regex::empty_language());
  EXPECT_TRUE(matches("()", abc(), ""));
  EXPECT_FALSE(matches("()", abc(), "a"));
  EXPECT_TRUE(is_empty(regex_to_dfa("[]", abc())));
  EXPECT_TRUE(is_empty(regex_to_dfa("a[]b", abc())));
  EXPECT_TRUE(same_language("[]*", "()", abc()));
  EXPECT_TRUE(same_language("a|[]", "a", abc()));
  EXPECT_TRUE(same_language("a|", "a?", abc()));
  EXPECT_TRUE(is_universal(regex_to_dfa(".*", abc())));
}

TEST(Regex, WhitespaceIsIgnored) {
  EXPECT_EQ(parse_regex(" a b |\tc *\n", abc()), parse_regex("ab|c*", abc()));
  EXPECT_EQ(parse_regex("[ a - c ]", abc()), parse_regex("[a-c]", abc()));
}

TEST(Regex, EscapesMakeMetacharactersSymbols) {
  const Alphabet meta = Alphabet::from_chars("()*|.[]\\<>{}-^");
  EXPECT_EQ(parse_regex("\\(\\)", meta), Regex::concat({sym(0), sym(1)}));
  EXPECT_EQ(parse_regex("\\*\\|\\.", meta), Regex::concat({sym(2), sym(3), sym(4)}));
  EXPECT_EQ(parse_regex("\\\\\\<\\>\\{\\}", meta), Regex::concat({sym(7), sym(8), sym(9), sym(10), sym(11)}));
  EXPECT_EQ(parse_regex("[\\]\\-\\^(]", meta), Regex::symbols({0, 6, 12, 13}));  // '(' needs no escape in a class
  EXPECT_EQ(parse_regex("-^", meta), Regex::concat({sym(12), sym(13)}));      // nor '-' and '^' outside one
  EXPECT_TRUE(matches("\\(\\)*", meta, "()))"));
}

TEST(Regex, LongerNamesGoInAngleBrackets) {
  const Alphabet stack({"push", "pop", "x", "a>b"});
  EXPECT_EQ(parse_regex("<push>*<pop>x", stack), Regex::concat({Regex::star(sym(0)), sym(1), sym(2)}));
  EXPECT_EQ(parse_regex("<x>", stack), sym(2));
  EXPECT_EQ(parse_regex("<a\\>b>", stack), sym(3));
  EXPECT_EQ(parse_regex("[<push>-x]", stack), Regex::symbols({0, 1, 2}));
  EXPECT_TRUE(matches("(<push><pop>)*", stack, "push pop push pop"));
  EXPECT_FALSE(matches("(<push><pop>)*", stack, "push push pop pop"));
}

// ---------------------------------------------------------------------------------------------
// Languages from the literature, checked on every word up to length 8.

std::size_t count(const std::string& w, char c) { return static_cast<std::size_t>(std::count(w.begin(), w.end(), c)); }

TEST(Regex, TomitaLanguages) {
  // 1: 1*
  EXPECT_EQ(disagreements("1*", binary(), [](const std::string& w) { return count(w, '0') == 0; }),
            std::vector<std::string>{});
  // 2: (10)*
  EXPECT_EQ(disagreements("(10)*", binary(),
                          [](const std::string& w) {
                            for (std::size_t i = 0; i < w.size(); ++i)
                              if (w[i] != (i % 2 ? '0' : '1')) return false;
                            return w.size() % 2 == 0;
                          }),
            std::vector<std::string>{});
  // 4: no three consecutive 0s
  EXPECT_EQ(disagreements("(1|01|001)*(|0|00)", binary(),
                          [](const std::string& w) { return w.find("000") == std::string::npos; }),
            std::vector<std::string>{});
  // 5: an even number of 0s and of 1s
  EXPECT_EQ(disagreements("(00|11|(01|10)(00|11)*(01|10))*", binary(),
                          [](const std::string& w) { return count(w, '0') % 2 == 0 && count(w, '1') % 2 == 0; }),
            std::vector<std::string>{});
  // 6: #0 - #1 divisible by 3 (0 adds 1, 1 adds 2 modulo 3: leave state 0 and come back)
  EXPECT_EQ(disagreements("(0(01)*(1|00)|1(10)*(0|11))*", binary(),
                          [](const std::string& w) {
                            return (static_cast<long>(count(w, '0')) - static_cast<long>(count(w, '1'))) % 3 == 0;
                          }),
            std::vector<std::string>{});
  // 7: 0*1*0*1*
  EXPECT_EQ(disagreements("0*1*0*1*", binary(),
                          [](const std::string& w) {
                            std::size_t changes = 0;
                            for (std::size_t i = 1; i < w.size(); ++i) changes += w[i] != w[i - 1];
                            return changes + (!w.empty() && w[0] == '1' ? 1 : 0) <= 3;
                          }),
            std::vector<std::string>{});
}

TEST(Regex, ParityAndCountingLanguages) {
  EXPECT_EQ(disagreements("(0|10*1)*", binary(), [](const std::string& w) { return count(w, '1') % 2 == 0; }),
            std::vector<std::string>{});
  EXPECT_EQ(disagreements("0*1(0|10*1)*", binary(), [](const std::string& w) { return count(w, '1') % 2 == 1; }),
            std::vector<std::string>{});
  EXPECT_EQ(disagreements(".{2,4}", binary(), [](const std::string& w) { return w.size() >= 2 && w.size() <= 4; }),
            std::vector<std::string>{});
  EXPECT_EQ(disagreements(".*1.{2}", binary(),  // the third symbol from the end is 1
                          [](const std::string& w) { return w.size() >= 3 && w[w.size() - 3] == '1'; }),
            std::vector<std::string>{});
  // Minimal: the third-from-last language needs 2^3 states (no sink: every state is live).
  EXPECT_EQ(regex_to_dfa(".*1.{2}", binary()).num_states(), 8u);
}

// ---------------------------------------------------------------------------------------------
// Errors.

TEST(RegexErrors, NameThePatternColumnFoundAndExpected) {
  EXPECT_EQ(parse_error("a(b", abc()), "regex 'a(b': at column 3: expected ')' to close the '(' at column 1 but the pattern ended");
  EXPECT_EQ(parse_error("0x1", binary()), "regex '0x1': at column 1: unknown symbol 'x' (alphabet {0 1})");
  EXPECT_EQ(parse_error("a)", abc()), "regex 'a)': at column 1: found ')' but no '(' is open");
  EXPECT_EQ(parse_error("*a", abc()), "regex '*a': at column 0: found '*' with nothing before it to repeat");
  EXPECT_EQ(parse_error("a|+", abc()), "regex 'a|+': at column 2: found '+' with nothing before it to repeat");
  EXPECT_EQ(parse_error("[ab", abc()), "regex '[ab': at column 3: expected ']' to close the class opened at column 0 but the pattern ended");
  EXPECT_EQ(parse_error("[c-a]", abc()),
            "regex '[c-a]': at column 1: range 'c-a' is empty: 'a' comes before 'c' in the alphabet {a b c}");
  EXPECT_EQ(parse_error("[a-]", abc()), "regex '[a-]': at column 3: expected a symbol to end the range but found ']'");
  EXPECT_EQ(parse_error("[-a]", abc()), "regex '[-a]': at column 1: found '-' with no symbol before it (write \\- for the symbol '-')");
  EXPECT_EQ(parse_error("a]", abc()), "regex 'a]': at column 1: found ']' which closes nothing (write \\] for the symbol ']')");
  EXPECT_EQ(parse_error("a{1001}", abc()), "regex 'a{1001}': at column 2: repetition count 1001 exceeds the limit 1000");
  EXPECT_NE(parse_error("a{99999999999999999999999}", abc())
                .find("at column 2: repetition count 99999999999999999999999 exceeds the limit 1000"),
            std::string::npos);
  EXPECT_EQ(parse_error("a{3,2}", abc()), "regex 'a{3,2}': at column 1: repetition {3,2} has its maximum below its minimum");
  EXPECT_EQ(parse_error("a{x}", abc()), "regex 'a{x}': at column 2: expected a repetition count but found 'x'");
  EXPECT_EQ(parse_error("a{,2}", abc()), "regex 'a{,2}': at column 2: expected a repetition count but found ','");
  EXPECT_EQ(parse_error("a{2", abc()),
            "regex 'a{2': at column 3: expected ',' or '}' to close the repetition opened at column 1 but the pattern ended");
  EXPECT_EQ(parse_error("a\\", abc()), "regex 'a\\': at column 2: expected a punctuation character after '\\' but the pattern ended");
  EXPECT_EQ(parse_error("\\n", abc()), "regex '\\n': at column 1: expected a punctuation character after '\\' but found 'n'");
}

TEST(RegexErrors, AngleBracketNames) {
  const Alphabet stack({"push", "pop"});
  EXPECT_EQ(parse_error("push", stack),
            "regex 'push': at column 0: unknown symbol 'p' (alphabet {push pop}; write a name longer than one "
            "character as <name>)");
  EXPECT_EQ(parse_error("<pusj>", stack),
            "regex '<pusj>': at column 0: unknown symbol 'pusj' (alphabet {push pop}; write a name longer than one "
            "character as <name>)");
  EXPECT_EQ(parse_error("<push", stack),
            "regex '<push': at column 5: expected '>' to close the symbol name opened at column 0 but the pattern ended");
  EXPECT_EQ(parse_error("<pu sh>", stack),
            "regex '<pu sh>': at column 3: expected '>' to close the symbol name opened at column 0 but found ' '");
  EXPECT_EQ(parse_error("<>", stack), "regex '<>': at column 0: found '<>', an empty symbol name");
  EXPECT_EQ(parse_error("<push>>", stack),
            "regex '<push>>': at column 6: found '>' which closes nothing (write \\> for the symbol '>')");
}

TEST(RegexErrors, MessagesStayOnOneLineAndShort) {
  const std::string message = parse_error("a\n" + std::string(200, 'a') + "x", abc());
  EXPECT_EQ(message.find('\n'), std::string::npos);
  EXPECT_NE(message.find("regex 'a\\x0Aaaa"), std::string::npos);
  EXPECT_NE(message.find("...': at column 202: unknown symbol 'x'"), std::string::npos);
  EXPECT_NE(parse_error("\xff", abc()).find("unknown symbol"), std::string::npos);
}

TEST(RegexErrors, DeepNestingIsRefusedNotOverflowed) {
  const std::size_t n = kMaxRegexDepth + 1;
  EXPECT_EQ(parse_error(std::string(n, '(') + "a" + std::string(n, ')'), abc()),
            "regex '" + std::string(80, '(') + "...': at column 500: parentheses nest deeper than 500 levels");
  const std::string ok = std::string(kMaxRegexDepth, '(') + "a" + std::string(kMaxRegexDepth, ')');
  EXPECT_EQ(parse_regex(ok, abc()), sym(0));
  EXPECT_NE(parse_error("a" + std::string(n, '*'), abc()).find("at column 500: the expression nests deeper than 500 levels"),
            std::string::npos);
  EXPECT_NE(parse_error("a" + std::string(kMaxRegexDepth - 1, '?') + "b", abc())
                .find("at column 0: the expression nests deeper than 500 levels"),
            std::string::npos);
  EXPECT_EQ(parse_regex("a" + std::string(kMaxRegexDepth - 1, '?'), abc()).height(), kMaxRegexDepth);
  // The factories keep the same bound.
  Regex deep = sym(0);
  for (std::size_t i = 1; i < kMaxRegexDepth; ++i) deep = Regex::optional(std::move(deep));
  EXPECT_THROW(Regex::star(deep), InvalidArgument);
}

// The deepest trees the parser accepts go through every recursive algorithm without trouble
// (under AddressSanitizer too, whose frames are larger).
TEST(RegexErrors, TheDeepestAcceptedTreesCompile) {
  std::string nested;
  for (int i = 0; i < 200; ++i) nested += "(a|";
  nested += "b";
  for (int i = 0; i < 200; ++i) nested += ")*";
  const Regex r = parse_regex(nested, abc());
  EXPECT_EQ(r.height(), 401u);
  EXPECT_EQ(parse_regex(to_string(r, abc()), abc()), r);
  const Dfa dfa = regex_to_dfa(r, abc());
  EXPECT_TRUE(accepts(dfa, Word{}));
  EXPECT_TRUE(accepts(dfa, Word{0, 1, 1, 0}));
  EXPECT_FALSE(accepts(dfa, Word{2}));
  const std::string stars = "a" + std::string(kMaxRegexDepth - 1, '*');
  EXPECT_TRUE(accepts(regex_to_dfa(stars, abc()), Word{0, 0}));
}

// Found by the fuzzer (a timeout): `+` used to copy its body twice, so nested `+` doubled the
// NFA at each level.  Now `*`, `+` and `{m,}` loop back on one copy.
TEST(RegexErrors, NestedStarsAndPlusesStayLinear) {
  const Alphabet meta = Alphabet::from_chars("()*|.[]\\<>{}-^+?,");
  const Regex r = parse_regex(".?+++++++,++++++++\\|", meta);
  EXPECT_EQ(thompson_size(r), 39u);  // 4 + 7 * 2, 2 + 8 * 2, 2, and the concatenation's 1
  EXPECT_EQ(thompson_size(parse_regex("a" + std::string(400, '+'), abc())), 802u);
  EXPECT_EQ(thompson_size(parse_regex("a" + std::string(400, '*'), abc())), 802u);
  EXPECT_EQ(thompson_size(parse_regex("a{3,}", abc())), 8u);
  EXPECT_TRUE(same_language("a{3,}", "aaaa*", abc()));
  EXPECT_TRUE(same_language("a{1,}", "aa*", abc()));
  EXPECT_TRUE(same_language("(a|b()){0,}", "[ab]*", abc()));
  EXPECT_TRUE(same_language("(a?)+", "a*", abc()));
}

TEST(RegexErrors, HugeAutomataAreRefusedBeforeTheyAreBuilt) {
  EXPECT_THROW(regex_to_dfa("((a{1000}){1000}){1000}", abc()), LimitExceeded);
  EXPECT_EQ(thompson_size(parse_regex("(((a{1000}){1000}){1000}){1000}{1000}{1000}{1000}", abc())), Regex::kUnbounded);
  try {
    regex_to_dfa("(a{1000}){1000}", abc(), 1000);
    FAIL() << "no LimitExceeded";
  } catch (const LimitExceeded& e) {
    EXPECT_STREQ(e.what(), "the regular expression's NFA needs 2002002 states, more than the limit 1000");
  }
  // The subset construction has the same limit: the 12th symbol from the end needs 2^12 states.
  EXPECT_THROW(regex_to_dfa(".*1.{11}", binary(), 1000), LimitExceeded);
}

TEST(RegexErrors, FactoriesRefuseBadBounds) {
  EXPECT_THROW(Regex::repeat(sym(0), 3, 2), InvalidArgument);
  EXPECT_THROW(Regex::repeat(sym(0), kMaxRepeat + 1, Regex::kUnbounded), InvalidArgument);
  EXPECT_THROW(Regex::repeat(sym(0), 0, kMaxRepeat + 1), InvalidArgument);
  EXPECT_NO_THROW(Regex::repeat(sym(0), kMaxRepeat, kMaxRepeat));
  EXPECT_THROW(to_string(sym(3), abc()), InvalidArgument);
  EXPECT_THROW(thompson(sym(3), abc()), InvalidArgument);
}

// ---------------------------------------------------------------------------------------------
// Printing and construction.

TEST(RegexPrint, UsesTheShortestSpelling) {
  auto round = [](std::string_view p, const Alphabet& ab) { return to_string(parse_regex(p, ab), ab); };
  EXPECT_EQ(round("a|(b|c)", abc()), "a|(b|c)");
  EXPECT_EQ(round("(a|b)|c", abc()), "(a|b)|c");
  EXPECT_EQ(round("((ab))*(c)", abc()), "(ab)*c");
  EXPECT_EQ(round("[abc]", abc()), ".");
  EXPECT_EQ(round("[ab]", abc()), "[^c]");
  EXPECT_EQ(round("[^]", Alphabet::from_chars("a")), "a");
  EXPECT_EQ(round("[a-ce]", Alphabet::from_chars("abcdefgh")), "[a-ce]");
  EXPECT_EQ(round("[a-ce]", Alphabet::from_chars("abcdef")), "[^df]");
  EXPECT_EQ(round("a{0,}b{1,}c{0,1}a{2,2}b{2,5}c{3,}", abc()), "a*b+c?a{2}b{2,5}c{3,}");
  EXPECT_EQ(round("(|a)[]", abc()), "(()|a)[]");
  EXPECT_EQ(round("", abc()), "()");
  const Alphabet odd({"(", "-", "push", "a>b", "^"});
  EXPECT_EQ(round("\\(-<push><a\\>b>^", odd), "\\(-<push><a\\>b>^");
  EXPECT_EQ(round("[\\(\\-]", odd), "[(\\-]");  // '(' needs no escape in a class
}

TEST(Thompson, HasOneInitialAndOneAcceptingStateAndThePredictedSize) {
  const Regex r = parse_regex("(a|bc)*a{2,3}[]()", abc());
  const Nfa nfa = thompson(r, abc());
  EXPECT_EQ(nfa.num_states(), thompson_size(r));
  EXPECT_EQ(nfa.initial_states().size(), 1u);
  std::size_t accepting = 0;
  for (State q = 0; q < nfa.num_states(); ++q) accepting += nfa.is_accepting(q);
  EXPECT_EQ(accepting, 1u);
}

// ---------------------------------------------------------------------------------------------
// Properties.

// An ECMAScript pattern for `r` in which symbol i is the character 'a' + i.  It is written from
// the tree alone, sharing no code with the parser or the printer.
std::string ecmascript(const Regex& r) {
  switch (r.kind()) {
    case Regex::Kind::symbols: {
      std::string out = "[";
      for (Symbol s : r.symbols()) out += static_cast<char>('a' + s);
      return out + "]";  // "[]" matches nothing in ECMAScript
    }
    case Regex::Kind::epsilon:
      return "(?:)";
    case Regex::Kind::concat:
    case Regex::Kind::union_: {
      std::string out = "(?:";
      for (std::size_t i = 0; i < r.children().size(); ++i) {
        if (i && r.kind() == Regex::Kind::union_) out += '|';
        out += ecmascript(r.children()[i]);
      }
      return out + ")";
    }
    case Regex::Kind::repeat: {
      const std::string max = r.max() == Regex::kUnbounded ? "" : std::to_string(r.max());
      return "(?:" + ecmascript(r.children().front()) + "){" + std::to_string(r.min()) + "," + max + "}";
    }
  }
  return "";
}

std::string letters_of(const Word& w) {
  std::string out;
  for (Symbol s : w) out += static_cast<char>('a' + s);
  return out;
}

// Words on both sides of the language: every short word, members drawn from the tree, and
// members with one symbol inserted, deleted or replaced (near misses).
std::vector<Word> test_words(const Regex& r, std::size_t k) {
  std::vector<Word> words = testing::all_words(k, k <= 2 ? 4 : 3);
  if (!testing::has_member(r)) return words;
  for (int i = 0; i < 4; ++i) {
    Word w = *testing::gen_member(r);
    words.push_back(w);
    const std::size_t at = *rc::gen::inRange<std::size_t>(0, w.size() + 1);
    const Symbol a = *rc::gen::inRange<Symbol>(0, static_cast<Symbol>(k));
    switch (*rc::gen::inRange(0, 3)) {
      case 0: w.insert(w.begin() + static_cast<std::ptrdiff_t>(at), a); break;
      case 1: if (at < w.size()) w.erase(w.begin() + static_cast<std::ptrdiff_t>(at)); break;
      default: if (at < w.size()) w[at] = a; break;
    }
    words.push_back(w);
  }
  return words;
}

RC_GTEST_PROP(RegexProperty, DfaAgreesWithStdRegex, ()) {
  const std::size_t k = *rc::gen::elementOf(std::vector<std::size_t>{1, 2, 3});
  const Alphabet alphabet = testing::letters(k);
  const Regex r = *testing::gen_regex(k);
  const std::string pattern = to_string(r, alphabet);
  const Dfa dfa = regex_to_dfa(pattern, alphabet);
  const std::regex reference(ecmascript(r), std::regex::ECMAScript);
  RC_LOG() << "pattern " << pattern << ", ECMAScript " << ecmascript(r) << "\n";
  for (const Word& w : test_words(r, k)) {
    RC_LOG() << "word '" << letters_of(w) << "'\n";
    RC_ASSERT(accepts(dfa, w) == std::regex_match(letters_of(w), reference));
  }
}

RC_GTEST_PROP(RegexProperty, DfaAcceptsTheMembersOfTheTree, ()) {
  const std::size_t k = *rc::gen::elementOf(std::vector<std::size_t>{1, 2, 3});
  const Regex r = *testing::gen_regex(k, 4);
  RC_PRE(testing::has_member(r));
  const Word w = *testing::gen_member(r);
  RC_ASSERT(accepts(regex_to_dfa(r, testing::letters(k)), w));
}

RC_GTEST_PROP(RegexProperty, ParsingThePrintedPatternGivesTheTreeBack, ()) {
  const Alphabet alphabet = *testing::gen_regex_alphabet();
  const Regex r = *testing::gen_regex(alphabet.size(), 4);
  const std::string pattern = to_string(r, alphabet);
  RC_LOG() << "pattern " << pattern << "\n";
  RC_ASSERT(parse_regex(pattern, alphabet) == r);
}

RC_GTEST_PROP(RegexProperty, DfaAgreesWithThompsonNfaSimulation, ()) {
  const std::size_t k = *rc::gen::elementOf(std::vector<std::size_t>{1, 2, 3});
  const Alphabet alphabet = testing::letters(k);
  const Regex r = *testing::gen_regex(k, 4);
  const Nfa nfa = thompson(r, alphabet);
  const Dfa dfa = regex_to_dfa(r, alphabet);
  RC_ASSERT(is_minimal(dfa));
  const auto words = *rc::gen::container<std::vector<Word>>(8, testing::gen_word(k, 10));
  for (const Word& w : words) RC_ASSERT(accepts(dfa, w) == accepts(nfa, w));
}

// The shrinker only proposes valid, strictly smaller trees, so a failing case shrinks far.
TEST(RegexGenerators, ShrinksAreValidAndSmaller) {
  std::function<std::size_t(const Regex&)> nodes = [&](const Regex& r) {
    std::size_t n = 1;
    for (const Regex& c : r.children()) n += nodes(c);
    return n;
  };
  const Regex r = parse_regex("(a|bc)*[ab]{1,3}()", abc());
  const auto shrinks = testing::shrink_regex(r);
  ASSERT_FALSE(shrinks.empty());
  for (const Regex& s : shrinks) {
    EXPECT_LE(nodes(s), nodes(r));
    EXPECT_FALSE(s == r);
    EXPECT_EQ(parse_regex(to_string(s, abc()), abc()), s);
  }
  EXPECT_TRUE(testing::shrink_regex(Regex::empty_word()).empty());
}

}  // namespace
}  // namespace statelab::automata
