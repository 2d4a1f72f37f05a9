// libFuzzer target for automata/dot_io.h; see fuzz/README.md.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "automata/dot_io.h"
#include "fuzz/fuzz_common.h"

using namespace statelab;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  automata::Nfa nfa;
  try {
    nfa = automata::read_dot(text, "fuzz.dot");
  } catch (const Error&) {
    return 0;  // refusing bad input with a statelab::Error is the expected outcome
  }
  const automata::Nfa back = automata::read_dot(automata::write_dot(nfa), "again.dot", nfa.alphabet());
  if (back.num_states() != nfa.num_states()) fuzz::die("the number of states changed in a round trip");
  fuzz::require_same_language(nfa, back);
  return 0;
}
