#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <string>

#include "automata/engine_json.h"
#include "automata/pda_jff.h"
#include "base/error.h"
#include "tests/automata/engine_fixtures.h"

namespace statelab::automata {
namespace {

template <typename F>
std::string parse_error_of(F&& read) {
  try {
    read();
  } catch (const ParseError& e) {
    return e.what();
  }
  return "no error";
}

CounterMachine small_counter_machine() {
  CounterMachine m(Alphabet::from_chars("ab"), 2, 2, CounterAcceptance::final_state_and_zero);
  m.set_accepting(1);
  m.add_move({0, 0, {CounterTest::any, CounterTest::zero}, {CounterOp::increment, CounterOp::keep}, 0});
  m.add_move({0, kEpsilon, {CounterTest::non_zero, CounterTest::any}, {CounterOp::decrement, CounterOp::increment}, 1});
  return m;
}

// ----- JSON -------------------------------------------------------------------------------------

TEST(EngineJson, PdaRoundTrips) {
  for (const Pda& pda : {testing::anbn_dpda(), testing::palindrome_pda(PdaAcceptance::empty_stack),
                         testing::dyck_dpda("()[]")})
    EXPECT_EQ(read_pda_json(write_json(pda)), pda);
}

TEST(EngineJson, GrammarRoundTrips) {
  const Cfg g = parse_cfg("%nonterminals Dead\nE -> E '+' T | T\nT -> x | '(' E ')' | ε\n");
  EXPECT_EQ(read_cfg_json(write_json(g)), g);
}

TEST(EngineJson, CounterMachineRoundTrips) {
  const CounterMachine m = small_counter_machine();
  EXPECT_EQ(read_counter_machine_json(write_json(m)), m);
}

RC_GTEST_PROP(EngineJsonProperty, RandomPdasAndGrammarsRoundTrip, ()) {
  const Pda pda = *testing::gen_pda(2);
  RC_ASSERT(read_pda_json(write_json(pda)) == pda);
  const Cfg g = *testing::gen_cfg(2);
  RC_ASSERT(read_cfg_json(write_json(g)) == g);
}

TEST(EngineJson, ReadsAHandWrittenPda) {
  const Pda pda = read_pda_json(R"json({
    "format": "statelab-pda", "version": 1,
    "input_alphabet": ["(", ")"], "stack_alphabet": ["Z", "X"], "bottom": "Z",
    "acceptance": "empty-stack", "states": 1, "initial": 0, "accepting": [],
    "moves": [[0, "(", null, ["X"], 0], [0, ")", "X", [], 0], [0, null, "Z", [], 0]]
  })json");
  EXPECT_EQ(pda.acceptance(), PdaAcceptance::empty_stack);
  EXPECT_TRUE(accepts(pda, pda.input_alphabet().parse_word("(())()")));
  EXPECT_FALSE(accepts(pda, pda.input_alphabet().parse_word("(()")));
}

TEST(EngineJson, ErrorsNameTheLine) {
  const std::string head = "{\n\"format\": \"statelab-pda\", \"version\": 1,\n"
                           "\"input_alphabet\": [\"a\"], \"stack_alphabet\": [\"Z\"], \"bottom\": \"Z\",\n"
                           "\"acceptance\": \"final-state\", \"states\": 2, \"initial\": 0, \"accepting\": [1],\n";
  EXPECT_EQ(parse_error_of([&] { read_pda_json(head + "\"moves\": [\n[0, \"a\", null, [], 1],\n[0, \"b\", null, [], 1]\n]}", "p.json"); }),
            "p.json:7: unknown input symbol \"b\" (expected one of: a) (at /moves/1/1)");
  EXPECT_EQ(parse_error_of([&] { read_pda_json(head + "\"moves\": [\n[0, \"a\", null, [], 5]\n]}", "p.json"); }),
            "p.json:6: a state 5 out of range (expected below 2) (at /moves/0/4)");
  EXPECT_EQ(parse_error_of([&] { read_pda_json(head + "\"moves\": [\n[0, \"a\", null, []]\n]}", "p.json"); }),
            "p.json:6: expected a move [from, input or null, pop or null, [push...], to], found an array of 4 (at "
            "/moves/0)");
  EXPECT_EQ(parse_error_of([&] { read_pda_json(head + "\"moves\": [],\n\"extra\": 1}", "p.json"); }),
            "p.json:6: unknown key \"extra\" (expected format, version, input_alphabet, stack_alphabet, bottom, "
            "acceptance, states, initial, accepting, moves) (at /extra)");
  EXPECT_EQ(parse_error_of([&] { read_pda_json(head + "\"moves\": [\n[0, \"a\", null, [], 1]\n}", "p.json"); }),
            "p.json:7: JSON syntax error: syntax error while parsing array - unexpected '}'; expected ']'");
  EXPECT_EQ(parse_error_of([&] { read_pda_json("{\"format\": \"statelab-pda\"}", "p.json"); }),
            "p.json:1: missing key \"version\"");
  // The one state limit of every reader (automata::kMaxFileStates = 2^20).
  std::string big = head;
  big.replace(big.find("\"states\": 2"), 11, "\"states\": 1048577");
  EXPECT_NE(parse_error_of([&] { read_pda_json(big + "\"moves\": []}", "p.json"); }).find("p.json:4:"), std::string::npos);
  EXPECT_EQ(parse_error_of([&] { read_cfg_json(write_json(testing::anbn_dpda()), "g.json"); }),
            "g.json:1: missing key \"terminals\"");
  EXPECT_EQ(parse_error_of([&] {
              read_cfg_json(R"({"format": "statelab-grammar", "version": 1, "terminals": ["a"],
                                "nonterminals": ["S", "a"], "start": "S", "rules": []})",
                            "g.json");
            }),
            "g.json:2: 'a' is both a terminal and a nonterminal (at /nonterminals/1)");
  EXPECT_EQ(parse_error_of([&] {
              read_counter_machine_json(R"({"format": "statelab-counter-machine", "version": 1, "alphabet": ["a"],
                "counters": 1, "acceptance": "final-state", "states": 1, "initial": 0, "accepting": [],
                "moves": [[0, "a", "0", "-", 0]]})",
                                        "c.json");
            }),
            "c.json:3: the move tests counter 0 for zero and decrements it (at /moves/0)");
  EXPECT_EQ(parse_error_of([&] {
              read_counter_machine_json(R"({"format": "statelab-counter-machine", "version": 1, "alphabet": ["a"],
                "counters": 2, "acceptance": "final-state", "states": 1, "initial": 0, "accepting": [],
                "moves": [[0, "a", "0", "+=", 0]]})",
                                        "c.json");
            }),
            "c.json:3: expected one test per counter (2 characters of 0 + *), found \"0\" (at /moves/0/2)");
}

TEST(EngineJson, MissingFilesAreIoErrors) {
  EXPECT_THROW(read_pda_json_file("/nonexistent.json"), IoError);
  EXPECT_THROW(read_cfg_json_file("/nonexistent.json"), IoError);
  EXPECT_THROW(read_counter_machine_json_file("/nonexistent.json"), IoError);
}

// ----- JFLAP ------------------------------------------------------------------------------------

// a^n b^n as JFLAP 7 writes it: pushes written top first, empty elements for epsilon.
constexpr const char* kAnbnJff = R"(<?xml version="1.0" encoding="UTF-8" standalone="no"?><!--Created with JFLAP 7.1.--><structure>
	<type>pda</type>
	<automaton>
		<!--The list of states.-->
		<state id="0" name="q0">
			<x>79.0</x>
			<y>110.0</y>
			<initial/>
		</state>
		<state id="1" name="q1">
			<x>230.0</x>
			<y>110.0</y>
		</state>
		<state id="7" name="q2">
			<x>380.0</x>
			<y>110.0</y>
			<final/>
		</state>
		<!--The list of transitions.-->
		<transition>
			<from>0</from>
			<to>0</to>
			<read>a</read>
			<pop/>
			<push>A</push>
		</transition>
		<transition>
			<from>0</from>
			<to>1</to>
			<read/>
			<pop/>
			<push/>
		</transition>
		<transition>
			<from>1</from>
			<to>1</to>
			<read>b</read>
			<pop>A</pop>
			<push/>
		</transition>
		<transition>
			<from>1</from>
			<to>7</to>
			<read/>
			<pop>Z</pop>
			<push>Z</push>
		</transition>
	</automaton>
</structure>)";

TEST(PdaJff, ReadsAJflapFile) {
  const Pda pda = read_pda_jff(kAnbnJff);
  EXPECT_EQ(pda.num_states(), 3u);
  EXPECT_EQ(pda.input_alphabet().names(), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(pda.stack_alphabet().names(), (std::vector<std::string>{"Z", "A"}));
  EXPECT_TRUE(pda.is_accepting(2));
  for (const Word& w : testing::all_words(2, 10))
    ASSERT_EQ(accepts(pda, w), testing::is_anbn(pda.input_alphabet().format_word(w)));
}

TEST(PdaJff, MultiCharacterReadsAndPopsBecomeChains) {
  // One transition reads "ab" and pops "AZ": the chain accepts "aab" only after a push of A.
  const std::string jff = R"(<structure><type>pda</type>
    <state id="0"><initial/></state><state id="1"><final/></state>
    <transition><from>0</from><to>0</to><read>a</read><pop/><push>A</push></transition>
    <transition><from>0</from><to>1</to><read>ab</read><pop>AZ</pop><push/></transition>
  </structure>)";
  for (PdaAcceptance acceptance : {PdaAcceptance::final_state, PdaAcceptance::empty_stack}) {
    const Pda pda = read_pda_jff(jff, "<jff>", acceptance);
    EXPECT_EQ(pda.num_states(), 3u);  // one fresh state for the chain
    const Alphabet& sigma = pda.input_alphabet();
    EXPECT_TRUE(accepts(pda, sigma.parse_word("aab")));
    EXPECT_FALSE(accepts(pda, sigma.parse_word("ab")));
    EXPECT_FALSE(accepts(pda, sigma.parse_word("aaab")));
  }
}

TEST(PdaJff, WriteThenReadGivesTheSamePda) {
  for (const Pda& pda : {testing::anbn_dpda(), testing::dyck_dpda("()")}) EXPECT_EQ(read_pda_jff(write_jff(pda)), pda);
  // The reader sorts the input alphabet ("#ab"), so this one comes back renumbered.
  const Pda marked = testing::marked_palindrome_dpda();
  const Pda back = read_pda_jff(write_jff(marked));
  EXPECT_EQ(back.input_alphabet().names(), (std::vector<std::string>{"#", "a", "b"}));
  for (const Word& w : testing::all_words(3, 7)) {
    const std::string s = marked.input_alphabet().format_word(w);
    ASSERT_EQ(accepts(back, back.input_alphabet().parse_word(s)), accepts(marked, w)) << s;
  }
  const Pda empty_stack = testing::palindrome_pda(PdaAcceptance::empty_stack);
  EXPECT_EQ(read_pda_jff(write_jff(empty_stack), "<jff>", PdaAcceptance::empty_stack), empty_stack);
}

TEST(PdaJff, ABottomNotCalledZIsWrittenAsZ) {
  const Pda pda = to_pda(parse_cfg(testing::kAnbnGrammar), PdaAcceptance::final_state);  // bottom "$"
  const Pda back = read_pda_jff(write_jff(pda));
  for (const Word& w : testing::all_words(2, 8)) ASSERT_EQ(accepts(back, w), accepts(pda, w));
}

TEST(PdaJff, SymbolsJflapCannotSpellAreRefused) {
  Pda pda(Alphabet({"ab"}), Alphabet({"Z"}), 0, 1);
  EXPECT_THROW(write_jff(pda), InvalidArgument);
  Pda clash(Alphabet({"a"}), Alphabet({"$", "Z"}), 0, 1);
  EXPECT_THROW(write_jff(clash), InvalidArgument);
}

TEST(PdaJff, ErrorsNameTheLine) {
  EXPECT_EQ(parse_error_of([] { read_pda_jff("<structure>\n<type>fa</type>\n</structure>", "m.jff"); }),
            "m.jff:2: expected <type>pda</type>, found <type>fa</type>");
  EXPECT_EQ(parse_error_of([] { read_pda_jff("<structure>\n<type>pda</type>\n<state id=\"0\"/>\n</structure>", "m.jff"); }),
            "m.jff:1: no initial state (JFLAP marks it with <initial/>)");
  EXPECT_EQ(parse_error_of([] {
              read_pda_jff("<structure><type>pda</type>\n<state id=\"0\"><initial/></state>\n"
                           "<transition><from>0</from>\n<to>3</to></transition></structure>",
                           "m.jff");
            }),
            "m.jff:4: <to> names state 3, which no <state> declares");
  EXPECT_EQ(parse_error_of([] { read_pda_jff("<structure>\n<type>pda</tipe>\n</structure>", "m.jff"); }),
            "m.jff:2: end tag </tipe> does not match <type> opened on line 2");
  EXPECT_EQ(parse_error_of([] { read_pda_jff("<structure>\n<type>pda</type>\n", "m.jff"); }),
            "m.jff:1: element <structure> opened here is never closed");
  EXPECT_EQ(parse_error_of([] { read_pda_jff("<structure><type>pda&nbsp;</type></structure>", "m.jff"); }),
            "m.jff:1: unknown entity &nbsp; (expected &lt; &gt; &amp; &quot; &apos; or &#N;)");
  EXPECT_EQ(parse_error_of([] {
              read_pda_jff("<structure><type>pda</type><state id=\"0\"><initial/></state>\n<state id=\"0\"/></structure>",
                           "m.jff");
            }),
            "m.jff:2: state id 0 appears twice");
  EXPECT_THROW(read_pda_jff_file("/nonexistent.jff"), IoError);
}

}  // namespace
}  // namespace statelab::automata
