#include "automata/att_io.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <sstream>

#include "tests/automata/io_test_util.h"
#include "tests/support/generators.h"

namespace statelab::automata {
namespace {

using testing::expect_parse_error;

TEST(AttIo, ReadsTransducerLinesAsMlRegTestWritesThem) {
  // Partial: state 1 has no arc on b.  Initial state 2, the first line's source.
  // The alphabet is the labels in order of first appearance.
  const Nfa nfa = read_att("2\t1\tb\tb\n2\t2\ta\ta\n1\t1\ta\ta\n1\n", "m.att");
  EXPECT_EQ(nfa.alphabet(), Alphabet::from_chars("ba"));
  EXPECT_EQ(nfa.num_states(), 3u);
  EXPECT_EQ(nfa.initial_states(), std::vector<State>{2});
  EXPECT_TRUE(nfa.is_deterministic());
  EXPECT_TRUE(accepts(nfa, nfa.alphabet().parse_word("aba")));
  EXPECT_FALSE(accepts(nfa, nfa.alphabet().parse_word("bb")));
}

TEST(AttIo, ReadsAcceptorLinesWeightsAndEpsilon) {
  std::istringstream in("0 1 x 0.5\n1 2 <eps>\n0 2 y Infinity\n\n2 1.5\n1 Infinity\n");
  const Nfa nfa = read_att(in, "w.att");
  EXPECT_EQ(nfa.alphabet(), Alphabet({"x"}));  // the arc on y weighs Infinity: it is no arc
  EXPECT_TRUE(accepts(nfa, Word{0}));
  EXPECT_FALSE(nfa.is_accepting(1));
  EXPECT_FALSE(accepts(nfa, Word{}));
}

TEST(AttIo, AnEmptyFileIsTheEmptyLanguage) {
  const Nfa nfa = read_att("", "e.att");
  EXPECT_EQ(nfa.num_states(), 0u);
  EXPECT_FALSE(accepts(nfa, Word{}));
  EXPECT_EQ(determinize(nfa).num_accepting(), 0u);
}

TEST(AttIo, ReadsWithASymbolTable) {
  const AttSymbolTable table = read_att_symbols("<epsilon> 0\nzwei 2\neins\t1\n", "s.syms");
  ASSERT_EQ(table.size(), 3u);
  EXPECT_EQ(table[2], (AttSymbol{"eins", 1}));
  const Nfa nfa = read_att("0 1 zwei\n1 2 <epsilon>\n2\n", "t.att", table);
  EXPECT_EQ(nfa.alphabet(), Alphabet({"eins", "zwei"}));
  EXPECT_TRUE(accepts(nfa, Word{1}));
  expect_parse_error([&] { read_att("0 1 drei\n", "t.att", table); }, "t.att:1: label 'drei' is not in the symbol table");
  expect_parse_error([] { read_att_symbols("a 1\nb 1\n", "s.syms"); }, "s.syms:2: label 1 is given to 'a' and 'b'");
  expect_parse_error([] { read_att_symbols("a 1\na 2\n", "s.syms"); }, "s.syms:2: symbol 'a' is listed twice");
  expect_parse_error([] { read_att_symbols("a\n", "s.syms"); }, "s.syms:1: found 1 fields, expected 'NAME LABEL'");
  expect_parse_error([] { read_att_symbols("a -1\n", "s.syms"); }, "s.syms:1: label '-1' is not a non-negative integer");
}

TEST(AttIo, RefusesATransducer) {
  expect_parse_error([] { read_att("0 1 a a\n1 2 a b\n2\n", "t.att"); },
                     "t.att:2: arc 1 -> 2 reads 'a' and writes 'b': this is a transducer, not an acceptor");
}

TEST(AttIo, MalformedInputNamesTheLine) {
  expect_parse_error([] { read_att("0 1 a\n\nx 1 a\n", "m.att"); }, "m.att:3: source 'x' is not a state number");
  expect_parse_error([] { read_att("0 99999999999 a\n", "m.att"); }, "m.att:1: target '99999999999' is not a state number");
  expect_parse_error([] { read_att("0 1 a b c d\n", "m.att"); }, "m.att:1: found 6 fields");
  expect_parse_error([] { read_att("0 1 a nan\n", "m.att"); }, "m.att:1: arc 0 -> 1 reads 'a' and writes 'nan'");
  expect_parse_error([] { read_att("0 1 a a 1\n1 2 b\n", "m.att"); }, "m.att:2: found 3 fields in a file of transducer lines");
  expect_parse_error([] { read_att("0 1 a\n1 zero\n", "m.att"); }, "m.att:2: weight 'zero' is not a number");
  expect_parse_error([] { read_att("-1 0 a\n", "m.att"); }, "m.att:1: source '-1' is not a state number");
}

// Found by fuzz_att: a final-state line this short asked for ten million states, which took
// more than 10 s under AddressSanitizer.  State numbers now stop at 2^20 - 1.
TEST(AttIo, RefusesStateNumbersBeyondTheLimit) {
  expect_parse_error([] { read_att("09999999", "timeout.att"); },
                     "timeout.att:1: final state '09999999' is not a state number (expected an integer from 0 to 1048575)");
  expect_parse_error([] { read_att("0 0 a\n1048576\n", "big.att"); }, "big.att:2: final state '1048576' is not a state number");
  EXPECT_EQ(read_att("1048575\n", "max.att").num_states(), 1u << 20);
}

TEST(AttIo, WritesAcceptorLinesInitialStateFirst) {
  Dfa dfa(Alphabet::from_chars("ab"), 2);
  dfa.set_next(1, 0, 1);
  dfa.set_accepting(1);
  dfa.set_initial(1);
  EXPECT_EQ(write_att(dfa), "1\t1\ta\n1\t0\tb\n0\t0\ta\n0\t0\tb\n1\n");
  EXPECT_EQ(write_att_symbols(dfa.alphabet()), "<eps>\t0\na\t1\nb\t2\n");
  EXPECT_THROW(write_att(Dfa(Alphabet({"<eps>"}), 1)), InvalidArgument);
}

TEST(AttIo, WritesAnInitialStateWithoutArcs) {
  Nfa nfa(Alphabet::from_chars("a"), 2);
  nfa.add_initial(1);
  nfa.add_arc(0, 0, 1);
  EXPECT_EQ(write_att(nfa), "1\tInfinity\n0\t1\ta\n");
  const Nfa back = read_att(write_att(nfa), "b.att");
  EXPECT_EQ(back.initial_states(), std::vector<State>{1});
  EXPECT_FALSE(back.is_accepting(1));
}

TEST(AttIo, RoundTripKeepsTheSymbolOrder) {
  Dfa dfa(Alphabet::from_chars("10"), 1);
  dfa.set_next(0, 0, 0);
  dfa.set_next(0, 1, 0);
  EXPECT_EQ(read_att(write_att(dfa), "rt.att").alphabet(), dfa.alphabet());
}

RC_GTEST_PROP(AttIo, DfaRoundTripKeepsTheNumbering, (const Dfa& dfa)) {
  const Nfa nfa = read_att(write_att(dfa), "rt.att");
  RC_ASSERT(nfa.alphabet() == dfa.alphabet());
  RC_ASSERT(nfa.is_complete_deterministic());
  RC_ASSERT(determinize(nfa) == dfa);
}

RC_GTEST_PROP(AttIo, DfaRoundTripWithASymbolTableKeepsTheNumbering, (const Dfa& dfa)) {
  const AttSymbolTable table = read_att_symbols(write_att_symbols(dfa.alphabet()), "rt.syms");
  RC_ASSERT(determinize(read_att(write_att(dfa), "rt.att", table)) == dfa);
}

RC_GTEST_PROP(AttIo, NfaRoundTripKeepsTheLanguage, (const Nfa& nfa)) {
  const AttSymbolTable table = read_att_symbols(write_att_symbols(nfa.alphabet()), "rt.syms");
  const Nfa back = read_att(write_att(nfa), "rt.att", table);
  RC_ASSERT(testing::same_language(back, nfa));
}

}  // namespace
}  // namespace statelab::automata
