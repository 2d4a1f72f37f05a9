// libFuzzer target for automata/att_io.h; see fuzz/README.md.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "automata/att_io.h"
#include "fuzz/fuzz_common.h"

using namespace statelab;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  automata::Nfa nfa;
  try {
    nfa = automata::read_att(text, "fuzz.att");
  } catch (const Error&) {
    return 0;  // refusing bad input with a statelab::Error is the expected outcome
  }
  const automata::Nfa back = automata::read_att(automata::write_att(nfa), "again.att");
  // (AT&T keeps the language, not the state count: states only named by an arc weighted
  // Infinity, which is no arc, are not written back.)
  fuzz::require_same_language(nfa, back);
  return 0;
}
