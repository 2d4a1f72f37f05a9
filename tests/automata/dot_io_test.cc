#include "automata/dot_io.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <sstream>

#include "automata/io_util.h"
#include "tests/automata/io_test_util.h"
#include "tests/support/generators.h"

namespace statelab::automata {
namespace {

using testing::expect_parse_error;

// Written as AALpy writes a DFA (tomita_1.dot): 1*.
const char* const kTomita1 = R"(digraph "tomita_1" {
s0 [label=s0, shape=doublecircle];
s1 [label=s1];
s0 -> s1  [label=0];
s0 -> s0  [label=1];
s1 -> s1  [label=0];
s1 -> s1  [label=1];
__start0 [label="", shape=none];
__start0 -> s0  [label=""];
}
)";

TEST(DotIo, ReadsTheAalpyDialect) {
  const Nfa nfa = read_dot(kTomita1, "tomita_1.dot");
  EXPECT_EQ(nfa.alphabet(), Alphabet::from_chars("01"));
  EXPECT_TRUE(nfa.is_complete_deterministic());
  const Dfa dfa = determinize(nfa);
  EXPECT_EQ(dfa.num_states(), 2u);
  EXPECT_TRUE(accepts(dfa, Word{1, 1, 1}));
  EXPECT_FALSE(accepts(dfa, Word{1, 0}));
  EXPECT_TRUE(accepts(dfa, Word{}));
}

TEST(DotIo, ReadsFromAStream) {
  std::istringstream in(kTomita1);
  EXPECT_EQ(read_dot(in, "stream").num_states(), 2u);
}

TEST(DotIo, UsesTheGivenAlphabetOrder) {
  const Nfa nfa = read_dot(kTomita1, "t.dot", Alphabet::from_chars("102"));
  EXPECT_EQ(nfa.alphabet(), Alphabet::from_chars("102"));
  EXPECT_EQ(determinize(nfa).num_states(), 3u);  // no edge reads 2: one sink is added
  expect_parse_error([] { read_dot(kTomita1, "t.dot", Alphabet::from_chars("1")); },
                     "t.dot:4: edge 's0' -> 's1': symbol '0' is not in the given alphabet");
}

TEST(DotIo, ReadsCommentsQuotingListsDefaultsAndChains) {
  const Nfa nfa = read_dot(R"(/* a block
comment */ strict DiGraph {
# preprocessor line
  rankdir=LR; node [shape = circle]
  "q 0" -> q1 -> q2 [label="a, b"]   // a chain with a list of two symbols
  q2 [shape="double" + "circle"]
  q1 -> q1 [label="\"(1,2)\""] [color=red]
  q0 -> q1 [label=""]
  __start -> "q 0"
}
)", "mixed.dot");
  ASSERT_EQ(nfa.num_states(), 4u);  // "q 0", q1, q2, q0 in order of first appearance
  EXPECT_EQ(nfa.alphabet(), Alphabet({"a", "b", "(1,2)"}));
  EXPECT_EQ(nfa.initial_states(), std::vector<State>{0});
  EXPECT_TRUE(nfa.is_accepting(2));
  EXPECT_FALSE(nfa.is_accepting(1));
  EXPECT_EQ(nfa.arcs(0).size(), 2u);
  EXPECT_TRUE(accepts(nfa, Word{0, 1}));
  EXPECT_TRUE(accepts(nfa, Word{1, 2, 0}));
  EXPECT_EQ(nfa.arcs(3)[0].symbol, kEpsilon);
}

TEST(DotIo, RefusesAMooreMachine) {
  const std::string text = "digraph Angluin_Moore {\ns0 [label=\"s0|1\", shape=record, style=rounded];\n}\n";
  const std::string message = expect_parse_error([&] { read_dot(text, "moore.dot"); },
                                                 "moore.dot:2: node 's0' has a record label 's0|1'");
  EXPECT_NE(message.find("is a Moore machine (state outputs), not a DFA"), std::string::npos) << message;
}

TEST(DotIo, RefusesAMealyMachine) {
  const std::string text = "digraph M {\ns0 [label=\"s0\"];\ns0 -> s0  [label=\"a/0\"];\n"
                           "__start0 [label=\"\", shape=none];\n__start0 -> s0  [label=\"\"];\n}\n";
  const std::string message = expect_parse_error([&] { read_dot(text, "mealy.dot"); },
                                                 "mealy.dot:3: edge 's0' -> 's0' is labelled 'a/0'");
  EXPECT_NE(message.find("is a Mealy machine (transition outputs), not a DFA"), std::string::npos) << message;
}

TEST(DotIo, MalformedInputNamesTheLine) {
  expect_parse_error([] { read_dot("digraph {\n s0 -> s1 [label=a]\n}", "x.dot"); },
                     "x.dot:3: no initial state (expected a marker edge such as __start0 -> s0)");
  expect_parse_error([] { read_dot("digraph {\n __start0 -> s0\n s0 -> s1\n}", "x.dot"); },
                     "x.dot:3: edge 's0' -> 's1' has no label");
  expect_parse_error([] { read_dot("graph {\n a -- b\n}", "x.dot"); }, "x.dot:1: an undirected 'graph' is not an automaton");
  expect_parse_error([] { read_dot("digraph {\n a -> b [label=\"x]\n}", "x.dot"); },
                     "x.dot:2: string opened here is never closed");
  expect_parse_error([] { read_dot("digraph {\n\n a -> b [label x]\n}", "x.dot"); },
                     "x.dot:3: found identifier 'x' after attribute 'label', expected '='");
  expect_parse_error([] { read_dot("digraph {\n a -> b\n", "x.dot"); }, "x.dot:3: the graph is never closed with '}'");
  expect_parse_error([] { read_dot("digraph {\n subgraph c { a }\n}", "x.dot"); }, "x.dot:2: subgraphs are not supported");
  expect_parse_error([] { read_dot("digraph {\n a:n -> b\n}", "x.dot"); }, "x.dot:2: node ports");
  expect_parse_error([] { read_dot("digraph {\n a [label=<b>]\n}", "x.dot"); }, "x.dot:2: HTML-like labels");
  expect_parse_error([] { read_dot("digraph {\n a [shape=box]\n __start -> a\n}", "x.dot"); },
                     "x.dot:2: node 'a' has shape=box (expected circle, or doublecircle");
  expect_parse_error([] { read_dot("digraph {\n __start -> a\n a -> a [label=\"x,,y\"]\n}", "x.dot"); },
                     "x.dot:3: edge 'a' -> 'a' has label 'x,,y': symbol '' is empty");
  expect_parse_error([] { read_dot("digraph {\n __start -> a [label=x]\n}", "x.dot"); },
                     "x.dot:2: the initial marker's edge to 'a' has label 'x'");
  expect_parse_error([] { read_dot("digraph {}\n}", "x.dot"); }, "x.dot:2: found '}' after the graph's closing '}'");
  expect_parse_error([] { read_dot("digraph {}", "x.dot"); }, "x.dot:1: the graph has no states");
  expect_parse_error([] { read_dot("/* open", "x.dot"); }, "x.dot:1: comment /* is never closed");
  expect_parse_error([] { read_dot("", "x.dot"); }, "x.dot:1: found the end of the file, expected 'digraph'");
  expect_parse_error([] { read_dot("digraph { 1a }", "x.dot"); }, "starts with a digit");
  expect_parse_error([] { read_dot("digraph { a -> __start0 }", "x.dot"); }, "enters an initial marker");
}

TEST(DotIo, WritesTheAalpyDialectWithBoostGraph) {
  Dfa dfa(Alphabet::from_chars("ab"), 2);
  dfa.set_next(0, 0, 1);
  dfa.set_accepting(1);
  dfa.set_initial(1);
  const std::string text = write_dot(dfa);
  EXPECT_EQ(text,
            "digraph G {\n"
            "__start0 [label=\"\", shape=none];\n"
            "__start0 -> s1 [label=\"\"];\n"
            "s0[label=\"s0\", shape=circle];\n"
            "s1[label=\"s1\", shape=doublecircle];\n"
            "s0->s1 [label=\"a\"];\n"
            "s0->s0 [label=\"b\"];\n"
            "s1->s0 [label=\"a\"];\n"
            "s1->s0 [label=\"b\"];\n"
            "}\n");
}

TEST(DotIo, QuotesSymbolsTheReaderWouldOtherwiseSplit) {
  // Word-problem generators such as (1,2) hold a comma; '/' would read as a Mealy output.
  Dfa dfa(Alphabet({"(1,2)", "a/1", "q\"b\\", "c"}), 1);
  for (Symbol a = 0; a < 4; ++a) dfa.set_next(0, a, 0);
  dfa.set_accepting(0);
  const std::string text = write_dot(dfa);
  EXPECT_NE(text.find(R"([label="\"(1,2)\""])"), std::string::npos) << text;
  EXPECT_NE(text.find(R"([label="c"])"), std::string::npos) << text;
  const Nfa back = read_dot(text, "w.dot");
  EXPECT_EQ(back.alphabet().names(), dfa.alphabet().names());
  EXPECT_EQ(determinize(back), dfa);
}

TEST(DotIo, ReadsQuotedSymbolsInALabelList) {
  const Nfa nfa = read_dot("digraph {\n __start0 -> s0\n s0 -> s0 [label=\"\\\"(1,2)\\\", b\"]\n}", "q.dot");
  EXPECT_EQ(nfa.alphabet().names(), (std::vector<std::string>{"(1,2)", "b"}));
  expect_parse_error([] { read_dot("digraph {\n __start0 -> s0\n s0 -> s0 [label=\"\\\"(1,2)\"]\n}", "q.dot"); },
                     "q.dot:3: edge 's0' -> 's0' has label");
}

TEST(DotIo, RefusesMoreStatesThanTheFileLimit) {
  std::string text = "digraph {\n __start0 -> s0\n";
  for (std::uint64_t q = 0; q <= kMaxFileStates; ++q) {
    text += 's';
    text += std::to_string(q);
    text += '\n';
  }
  expect_parse_error([&] { read_dot(text + "}\n", "big.dot"); }, "more than 1048576 states");
}

TEST(DotIo, AnNfaWithoutInitialStateGetsAFreshOne) {
  Nfa nfa(Alphabet::from_chars("a"), 1);
  nfa.set_accepting(0);
  const Nfa back = read_dot(write_dot(nfa), "n.dot", nfa.alphabet());
  EXPECT_EQ(back.num_states(), 2u);
  EXPECT_FALSE(accepts(back, Word{}));
}

RC_GTEST_PROP(DotIo, DfaRoundTripKeepsTheNumbering, (const Dfa& dfa)) {
  const Nfa nfa = read_dot(write_dot(dfa), "rt.dot");
  RC_ASSERT(nfa.is_complete_deterministic());
  RC_ASSERT(determinize(nfa) == dfa);
}

RC_GTEST_PROP(DotIo, NfaRoundTripKeepsTheLanguage, (const Nfa& nfa)) {
  const Nfa back = read_dot(write_dot(nfa), "rt.dot", nfa.alphabet());
  RC_ASSERT(testing::same_language(back, nfa));
}

}  // namespace
}  // namespace statelab::automata
