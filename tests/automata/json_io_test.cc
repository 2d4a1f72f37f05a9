#include "automata/json_io.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <sstream>

#include "tests/automata/io_test_util.h"
#include "tests/support/generators.h"

namespace statelab::automata {
namespace {

using testing::expect_parse_error;

// A two-state DFA for "odd number of 1s", as the schema's example writes it.
const char* const kParity = R"({
  "format": "statelab-automaton", "version": 1, "kind": "dfa",
  "alphabet": ["0", "1"], "states": 2, "initial": [0], "accepting": [1],
  "transitions": [[0, "0", 0], [0, "1", 1],
                  [1, "0", 1], [1, "1", 0]]
})";

// Replaces the first occurrence of `from` in kParity by `to`.
std::string parity_with(const std::string& from, const std::string& to) {
  std::string text = kParity;
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return text.replace(at, from.size(), to);
}

TEST(JsonIo, ReadsTheSchemaExample) {
  const Nfa nfa = read_json(kParity, "parity.json");
  EXPECT_TRUE(nfa.is_complete_deterministic());
  const Dfa dfa = determinize(nfa);
  EXPECT_EQ(dfa.num_states(), 2u);
  EXPECT_TRUE(accepts(dfa, Word{1, 0, 0}));
  EXPECT_FALSE(accepts(dfa, Word{1, 1}));
}

TEST(JsonIo, ReadsFromAStream) {
  std::istringstream in(kParity);
  EXPECT_EQ(read_json(in, "stream").num_states(), 2u);
}

TEST(JsonIo, NullAndEmptyStringAreEpsilon) {
  const Nfa nfa = read_json(R"({"format": "statelab-automaton", "version": 1, "kind": "nfa",
    "alphabet": ["a"], "states": 3, "initial": [0], "accepting": [2],
    "transitions": [[0, null, 1], [1, "", 2]]})", "eps.json");
  EXPECT_TRUE(accepts(nfa, Word{}));
  EXPECT_EQ(nfa.arcs(0)[0].symbol, kEpsilon);
  EXPECT_EQ(nfa.arcs(1)[0].symbol, kEpsilon);
}

TEST(JsonIo, SyntaxErrorsNameTheLine) {
  const std::string text = "{\n  \"format\": \"statelab-automaton\",\n  \"version\": 1,,\n}";
  const std::string message = expect_parse_error([&] { read_json(text, "bad.json"); }, "bad.json:3: JSON syntax error");
  EXPECT_NE(message.find("unexpected ','"), std::string::npos) << message;
  expect_parse_error([] { read_json("", "empty.json"); }, "empty.json:1: JSON syntax error");
  expect_parse_error([] { read_json("{} trailing", "t.json"); }, "t.json:1: JSON syntax error");
}

TEST(JsonIo, SchemaErrorsNameTheLineAndTheValue) {
  expect_parse_error([] { read_json(parity_with("[1, \"1\", 0]", "[1, \"1\", 7]"), "p.json"); },
                     "p.json:5: target '7' is not a state (expected 0 to 1)");
  expect_parse_error([] { read_json(parity_with("[1, \"0\", 1]", "[1, \"x\", 1]"), "p.json"); },
                     "p.json:5: symbol '\"x\"' is not in the alphabet");
  expect_parse_error([] { read_json(parity_with("[1, \"0\", 1]", "[1, \"1\", 1]"), "p.json"); },
                     "p.json:5: second transition from state 1 on '1'");
  expect_parse_error([] { read_json(parity_with(", [1, \"1\", 0]", ""), "p.json"); },
                     "state 1 has no transition on '1' (a \"dfa\" is complete");
  expect_parse_error([] { read_json(parity_with("\"initial\": [0]", "\"initial\": []"), "p.json"); },
                     "p.json:3: a \"dfa\" has exactly one initial state, found 0");
  expect_parse_error([] { read_json(parity_with("\"kind\": \"dfa\"", "\"kind\": \"moore\""), "p.json"); },
                     "p.json:2: \"kind\" is '\"moore\"', expected \"dfa\" or \"nfa\"");
  expect_parse_error([] { read_json(parity_with("\"version\": 1", "\"version\": 2"), "p.json"); },
                     "unsupported \"version\" '2'");
  expect_parse_error([] { read_json(parity_with("\"states\": 2", "\"stats\": 2"), "p.json"); },
                     "p.json:3: unknown key 'stats'");
  expect_parse_error([] { read_json(parity_with("\"states\": 2,", ""), "p.json"); }, "missing key \"states\"");
  expect_parse_error([] { read_json(parity_with("\"states\": 2", "\"states\": -1"), "p.json"); },
                     "\"states\" must be a number of states");
  expect_parse_error([] { read_json(parity_with("\"states\": 2", "\"states\": 1048577"), "p.json"); },
                     "\"states\" must be a number of states from 0 to 1048576, found '1048577'");
  expect_parse_error([] { read_json(parity_with("\"states\": 2", "\"states\": 1e12"), "p.json"); },
                     "\"states\" must be a number of states");
  expect_parse_error([] { read_json(parity_with("\"accepting\": [1]", "\"accepting\": [1, 1]"), "p.json"); },
                     "state 1 is listed twice in \"accepting\"");
  expect_parse_error([] { read_json(parity_with("[\"0\", \"1\"]", "[\"0\", \"0\"]"), "p.json"); },
                     "symbol '\"0\"' appears twice in the alphabet");
  expect_parse_error([] { read_json(parity_with("[\"0\", \"1\"]", "[\"0\", \"a b\"]"), "p.json"); },
                     "is not a non-empty string without whitespace");
  expect_parse_error([] { read_json(parity_with("[0, \"0\", 0]", "[0, null, 0]"), "p.json"); },
                     "a \"dfa\" has no epsilon moves");
  expect_parse_error([] { read_json(parity_with("\"kind\": \"dfa\"", "\"kind\": \"dfa\", \"kind\": \"nfa\""), "p.json"); },
                     "key 'kind' appears twice");
  expect_parse_error([] { read_json("[1, 2]", "a.json"); }, "a.json:1: expected a JSON object");
  expect_parse_error([] { read_json(std::string(100, '[') + std::string(100, ']'), "deep.json"); },
                     "nested more than 32 deep");
}

TEST(JsonIo, AnNfaMayNotRepeatATransition) {
  expect_parse_error([] {
    read_json(R"({"format": "statelab-automaton", "version": 1, "kind": "nfa", "alphabet": ["a"],
      "states": 1, "initial": [0], "accepting": [],
      "transitions": [[0, "a", 0],
                      [0, "a", 0]]})", "n.json");
  }, "n.json:4: duplicate transition from state 0 on 'a' to state 0");
}

TEST(JsonIo, WritesOneTransitionPerLine) {
  const Dfa dfa = determinize(read_json(kParity, "p.json"));
  const std::string text = write_json(dfa);
  EXPECT_NE(text.find("\n    [1, \"1\", 0]\n  ]\n}\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\"alphabet\": [\"0\", \"1\"],\n"), std::string::npos) << text;
}

TEST(JsonIo, NamesNeedingEscapesRoundTrip) {
  Dfa dfa(Alphabet({"\"", "\\", "\xc3\xa9t\xc3\xa9"}), 1);
  dfa.set_accepting(0);
  EXPECT_EQ(determinize(read_json(write_json(dfa), "e.json")), dfa);
}

TEST(JsonIo, RefusesToWriteANameThatIsNotUtf8) {
  Dfa dfa(Alphabet({"\xff"}), 1);
  EXPECT_THROW(write_json(dfa), InvalidArgument);
}

RC_GTEST_PROP(JsonIo, DfaRoundTripKeepsTheNumbering, (const Dfa& dfa)) {
  const Nfa nfa = read_json(write_json(dfa), "rt.json");
  RC_ASSERT(nfa.is_complete_deterministic());
  RC_ASSERT(determinize(nfa) == dfa);
}

RC_GTEST_PROP(JsonIo, NfaRoundTripKeepsTheLanguage, (const Nfa& nfa)) {
  const Nfa back = read_json(write_json(nfa), "rt.json");
  RC_ASSERT(back.alphabet() == nfa.alphabet());
  RC_ASSERT(back.num_states() == nfa.num_states());
  RC_ASSERT(back.initial_states() == nfa.initial_states());
  RC_ASSERT(testing::same_language(back, nfa));
}

}  // namespace
}  // namespace statelab::automata
