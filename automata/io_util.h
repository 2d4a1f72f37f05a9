// Helpers shared by the automaton readers (json_io, dot_io, jff_io, att_io): error messages of
// the form "FILE:LINE: what was found, what was expected", quoting of what was found, and the
// limit on state counts every reader enforces (kMaxFileStates, public); the rest is private (detail).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "automata/nfa.h"
#include "base/error.h"

namespace statelab::automata {

/// The most states a file may declare or imply (an OpenFst state id, a JSON "states" count, DOT
/// nodes, JFLAP <state> elements, a PDA's or counter machine's "states"), so that a few bytes
/// cannot ask for a large allocation: a file that says "state 9999999 is final" would otherwise
/// cost 10^7 states (about 300 MB and a second).  Fuzzing found that; 2^20 states is far beyond
/// the automata these formats exchange.  Every reader enforces this one limit.
inline constexpr std::uint64_t kMaxFileStates = 1 << 20;

}  // namespace statelab::automata

namespace statelab::automata::detail {

/// `text` with control bytes and bytes of no valid UTF-8 sequence (binary input) escaped as
/// \xNN (\n and \t as such), for a message; valid UTF-8 passes through.
std::string escape(std::string_view text);

/// `found` quoted for a message: control bytes and bytes of no valid UTF-8 sequence (binary
/// input) escaped as \xNN, cut after 40 bytes.  Every message that shows text a user gave uses it.
std::string quote(std::string_view found);

/// Throws ParseError("SOURCE:LINE: what").
[[noreturn]] void fail(std::string_view source, std::size_t line, const std::string& what);

/// A non-negative decimal integer without sign or leading '+', at most `max`; false otherwise.
bool parse_unsigned(std::string_view text, std::uint64_t max, std::uint64_t& value);

/// The arcs of q sorted by (symbol, target), each once: formats that forbid a transition twice
/// write an Nfa holding one twice (to the same effect) this way.  Epsilon sorts last.
std::vector<NfaArc> distinct_arcs(const Nfa& nfa, State q);

}  // namespace statelab::automata::detail
