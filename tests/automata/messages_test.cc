// Issue 12 #14 as a class: a message a user can meet names what they did (the format, the file
// and line, the option), never an internal function, and shows input bytes escaped.
#include <gtest/gtest.h>

#include <functional>
#include <regex>
#include <string>

#include "automata/alphabet.h"
#include "automata/cfg.h"
#include "automata/counting.h"
#include "automata/machine_io.h"
#include "automata/nfa.h"
#include "automata/perm_group.h"
#include "automata/random_dfa.h"
#include "automata/regex.h"
#include "base/error.h"

namespace statelab::automata {
namespace {

// The message of what `f` throws (a statelab::Error), or "" when it throws nothing.
std::string message_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

// Begins like "write_jff: ", "Cfg::add_production: " or "random_dfa: ": an identifier with an
// underscore or a scope, then a colon.
bool begins_with_a_function_name(const std::string& m) {
  static const std::regex kFunction("^[A-Za-z]+(_[A-Za-z_]+|::[A-Za-z_]+)+(\\([A-Za-z]*\\))?: ");
  return std::regex_search(m, kFunction);
}

bool printable(const std::string& m) {
  for (unsigned char c : m)
    if (c < 0x20 || c == 0x7f) return false;
  return true;
}

TEST(Messages, NameWhatTheUserDidNotAFunction) {
  const std::vector<std::function<void()>> cases = {
      [] { (void)random_dfa(0, 2, 1); },
      [] { (void)random_dfa(2, 0, 1); },
      [] { (void)random_dfa(2, 2, 1, 2.0); },
      [] { (void)format_cfg(Cfg()); },
      [] { (void)thompson(parse_regex("(a{1000}){1000}", Alphabet({"a"})), Alphabet({"a"}), 1000); },
      [] { (void)count_by_length(random_dfa(2, 2, 1), std::size_t{1} << 62); },
      [] { (void)make_group("S9"); },
      [] { (void)parse_cycles("(1,\x01)", 3); },
      [] { (void)output_format("x.txt", "", {".json", ".dot"}); },
      [] { (void)output_format("-", "xml", {".json", ".dot"}); },
      [] { (void)read_machine("{\"format\": \"statelab-\x02\"}", "m.json"); },
  };
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const std::string m = message_of(cases[i]);
    EXPECT_FALSE(m.empty()) << "case " << i << " threw nothing";
    EXPECT_FALSE(begins_with_a_function_name(m)) << "case " << i << ": " << m;
    EXPECT_TRUE(printable(m)) << "case " << i << ": " << m;
  }
}

TEST(Messages, OutputFormatNamesThePathTheOptionAndTheChoices) {
  EXPECT_EQ(output_format("a.JSON", "", {".json"}), ".json");
  EXPECT_EQ(output_format("a.gv", "", {".dot", ".svg"}), ".dot");
  EXPECT_EQ(output_format("-", "", {".json", ".dot"}), ".json");  // standard output: JSON unless named
  EXPECT_EQ(output_format("-", "", {".dot", ".svg"}, ".dot"), ".dot");
  EXPECT_EQ(output_format("-", "att", {".json", ".att"}), ".att");
  EXPECT_EQ(output_format("x.json", "dot", {".json", ".dot"}), ".dot");  // the name wins
  const std::string m = message_of([] { (void)output_format("out/x.txt", "", {".json", ".dot", ".svg"}); });
  EXPECT_NE(m.find("out/x.txt"), std::string::npos) << m;
  EXPECT_NE(m.find(".json, .dot, .gv or .svg"), std::string::npos) << m;
  EXPECT_NE(m.find("--output-format"), std::string::npos) << m;
}

}  // namespace
}  // namespace statelab::automata
