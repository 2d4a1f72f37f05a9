#include "automata/jff_io.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <sstream>

#include "tests/automata/io_test_util.h"
#include "tests/support/generators.h"

namespace statelab::automata {
namespace {

using testing::expect_parse_error;

// As JFLAP 7 saves it: words over {a, b} ending in a, with an epsilon move.
const char* const kEndsInA = R"(<?xml version="1.0" encoding="UTF-8" standalone="no"?><!--Created with JFLAP 7.1.--><structure>
	<type>fa</type>
	<automaton>
		<!--The list of states.-->
		<state id="0" name="q0">
			<x>63.0</x>
			<y>129.0</y>
			<initial/>
		</state>
		<state id="7" name="q1">
			<x>200.0</x>
			<y>129.0</y>
			<label>done</label>
			<final/>
		</state>
		<state id="2" name="q2">
			<x>300.0</x>
			<y>129.0</y>
		</state>
		<!--The list of transitions.-->
		<transition>
			<from>0</from>
			<to>0</to>
			<read>b</read>
		</transition>
		<transition>
			<from>0</from>
			<to>2</to>
			<read>a</read>
		</transition>
		<transition>
			<from>2</from>
			<to>0</to>
			<read/>
		</transition>
		<transition>
			<from>2</from>
			<to>7</to>
			<read></read>
		</transition>
	</automaton>
</structure>)";

TEST(JffIo, ReadsAJflapFile) {
  const Nfa nfa = read_jff(kEndsInA, "ends_in_a.jff");
  EXPECT_EQ(nfa.alphabet(), Alphabet::from_chars("ba"));
  ASSERT_EQ(nfa.num_states(), 3u);
  EXPECT_EQ(nfa.initial_states(), std::vector<State>{0});
  EXPECT_TRUE(nfa.is_accepting(1));  // id 7 is the second <state>
  EXPECT_EQ(nfa.arcs(2)[0].symbol, kEpsilon);
  EXPECT_TRUE(accepts(nfa, Word{0, 1}));
  EXPECT_TRUE(accepts(nfa, Word{1, 1}));
  EXPECT_FALSE(accepts(nfa, Word{1, 0}));
  EXPECT_FALSE(accepts(nfa, Word{}));
  std::istringstream in(kEndsInA);
  EXPECT_EQ(read_jff(in, "stream", Alphabet::from_chars("ab")).alphabet(), Alphabet::from_chars("ab"));
}

TEST(JffIo, ReadsJflap4FilesEntitiesAndCdata) {
  const Nfa nfa = read_jff("\xEF\xBB\xBF<structure><type>fa</type>\n"
                           "<state id='a'><initial/><final/></state>\n"
                           "<transition><from>a</from><to>a</to><read>&lt;&#x3e;&amp;</read></transition>\n"
                           "<transition><from>a</from><to>a</to><read><![CDATA[<]]></read></transition>\n"
                           "</structure>\n<!-- trailing comment -->\n",
                           "old.jff");
  EXPECT_EQ(nfa.alphabet(), Alphabet({"<>&", "<"}));
  EXPECT_TRUE(accepts(nfa, Word{0, 1}));
}

std::string fa(const std::string& body) { return "<structure>\n<type>fa</type>\n<automaton>\n" + body + "</automaton>\n</structure>\n"; }

TEST(JffIo, RefusesOtherJflapTypes) {
  expect_parse_error([] { read_jff("<structure>\n<type>pda</type>\n</structure>", "p.jff"); },
                     "p.jff:2: JFLAP type 'pda' is a pushdown automaton, not a finite automaton (expected <type>fa</type>)");
  expect_parse_error([] { read_jff("<structure><type>turing</type></structure>", "t.jff"); }, "is a Turing machine");
  expect_parse_error([] { read_jff("<structure><type>mealy</type></structure>", "m.jff"); }, "is a Mealy machine (transition outputs)");
  expect_parse_error([] { read_jff("<structure><type>moore</type></structure>", "m.jff"); }, "is a Moore machine (state outputs)");
}

TEST(JffIo, MalformedInputNamesTheLine) {
  expect_parse_error([] { read_jff(fa("<state id=\"0\"><initial/></state>\n<state id=\"0\"/>\n"), "x.jff"); },
                     "x.jff:5: state id '0' is used twice");
  expect_parse_error([] { read_jff(fa("<state id=\"0\"><initial/></state>\n<transition><from>0</from>\n<to>9</to><read>a</read></transition>\n"), "x.jff"); },
                     "x.jff:6: <to> names state id '9', which no <state> has");
  expect_parse_error([] { read_jff(fa("<state id=\"0\"/>\n"), "x.jff"); }, "x.jff:3: no state is marked <initial/>");
  expect_parse_error([] { read_jff(fa("<state id=\"0\"><initial/></state>\n<state id=\"1\"><initial/></state>\n"), "x.jff"); },
                     "x.jff:5: state '1' is marked <initial/> too");
  expect_parse_error([] { read_jff(fa("<state id=\"0\"><initial/></state>\n<transition><from>0</from><to>0</to></transition>\n"), "x.jff"); },
                     "x.jff:5: <transition> has no <read>");
  expect_parse_error([] { read_jff(fa("<state id=\"0\"><initial/></state>\n<transition><from>0</from><to>0</to><read>a b</read></transition>\n"), "x.jff"); },
                     "x.jff:5: <read> label 'a b' contains whitespace");
  expect_parse_error([] { read_jff(fa("<state id=\"0\"><initial/></stat>\n"), "x.jff"); },
                     "x.jff:4: end tag </stat> does not match <state> opened on line 4");
  expect_parse_error([] { read_jff(fa("<state id=\"0\"><initial/><colour/></state>\n"), "x.jff"); },
                     "x.jff:4: unexpected element <colour> in <state>");
  expect_parse_error([] { read_jff("<structure>\n<type>fa</type>\n<automaton>\n<state id=\"0\">", "x.jff"); },
                     "x.jff:4: element <state> opened here is never closed");
  expect_parse_error([] { read_jff("<structure><type>fa&nbsp;</type></structure>", "x.jff"); }, "unknown entity &nbsp;");
  expect_parse_error([] { read_jff("<structure><type>a & b</type></structure>", "x.jff"); }, "a bare '&' must be written &amp;");
  expect_parse_error([] { read_jff("<structure><type>&#0;</type></structure>", "x.jff"); }, "is not an XML character");
  expect_parse_error([] { read_jff("<!DOCTYPE x [<!ENTITY a \"b\">]><structure/>", "x.jff"); }, "DOCTYPE declarations are not supported");
  expect_parse_error([] { read_jff("<structure a='1' a='2'/>", "x.jff"); }, "attribute 'a' appears twice");
  expect_parse_error([] { read_jff("<structure/><structure/>", "x.jff"); }, "after the root element");
  expect_parse_error([] { read_jff("", "x.jff"); }, "x.jff:1: found the end of the file, expected the root element");
  expect_parse_error([] { read_jff("<fa/>", "x.jff"); }, "root element is <fa>, expected <structure>");
  expect_parse_error([] { read_jff("<structure><!-- open", "x.jff"); }, "comment opened here is never closed");
  std::string deep;
  for (int i = 0; i < 40; ++i) deep += "<a>";
  expect_parse_error([&] { read_jff(deep, "x.jff"); }, "elements nested more than 16 deep");
}

TEST(JffIo, WritesAFileJflapReads) {
  Dfa dfa(Alphabet({"<", "b&"}), 2);
  dfa.set_next(0, 0, 1);
  dfa.set_accepting(1);
  const std::string text = write_jff(dfa);
  EXPECT_NE(text.find("<read>&lt;</read>"), std::string::npos) << text;
  EXPECT_NE(text.find("<state id=\"1\" name=\"q1\">\n\t\t\t<x>220.0</x>\n\t\t\t<y>80.0</y>\n\t\t\t<final/>\n"),
            std::string::npos) << text;
  EXPECT_EQ(determinize(read_jff(text, "w.jff")), dfa);
}

TEST(JffIo, AnNfaWithSeveralInitialStatesGetsAFreshOne) {
  Nfa nfa(Alphabet::from_chars("a"), 2);
  nfa.add_initial(0);
  nfa.add_initial(1);
  nfa.set_accepting(1);
  const Nfa back = read_jff(write_jff(nfa), "n.jff", nfa.alphabet());
  EXPECT_EQ(back.num_states(), 3u);
  EXPECT_EQ(back.initial_states(), std::vector<State>{2});
  EXPECT_TRUE(testing::same_language(back, nfa));
}

RC_GTEST_PROP(JffIo, DfaRoundTripKeepsTheNumbering, (const Dfa& dfa)) {
  const Nfa nfa = read_jff(write_jff(dfa), "rt.jff", dfa.alphabet());
  RC_ASSERT(nfa.is_complete_deterministic());
  RC_ASSERT(determinize(nfa) == dfa);
}

RC_GTEST_PROP(JffIo, NfaRoundTripKeepsTheLanguage, (const Nfa& nfa)) {
  const Nfa back = read_jff(write_jff(nfa), "rt.jff", nfa.alphabet());
  RC_ASSERT(testing::same_language(back, nfa));
}

}  // namespace
}  // namespace statelab::automata
