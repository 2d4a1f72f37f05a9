// statelab's own JSON format for finite automata (schema in docs/formats.md):
//
//   {"format": "statelab-automaton", "version": 1, "kind": "dfa" | "nfa",
//    "alphabet": ["0", "1"], "states": 2, "initial": [0], "accepting": [1],
//    "transitions": [[0, "0", 0], [0, "1", 1], [1, null, 0], ...]}
//
// States are 0..states-1; a transition is [from, symbol, to] with the symbol by name, and null
// (or "") for an epsilon move.  A "dfa" has exactly one initial state and exactly one transition
// per (state, symbol), no epsilon; an "nfa" may have any initial states and any transitions.
// Every key is required and no other key is allowed, so a typo is an error rather than a default.
#pragma once

#include <filesystem>
#include <iosfwd>
#include <span>
#include <utility>
#include <vector>
#include <string>
#include <string_view>

#include "automata/dfa.h"
#include "automata/nfa.h"

namespace statelab::automata {

/// Parses the JSON text of one automaton.  The result keeps the file's state numbering; for a
/// "dfa" file, determinize(result) is that DFA exactly.  Time O(size + m log m), m transitions.
/// Throws ParseError "SOURCE:LINE: ..." on a syntax error or anything outside the schema
/// (unknown key, wrong type, state out of range, unknown symbol, duplicate or missing
/// transition in a dfa, more than 2^20 states).
Nfa read_json(std::string_view text, std::string_view source_name = "<json>");
Nfa read_json(std::istream& in, std::string_view source_name = "<json>");
/// Throws IoError when the file cannot be read.
Nfa read_json_file(const std::filesystem::path& path);

namespace detail {
struct LocatedJson;
/// read_json of a document already parsed (automata/json_locate.h), so that read_machine parses
/// a .json file once to find its kind and read it.
Nfa read_json(const LocatedJson& doc, std::string_view source_name);
}  // namespace detail

/// The automaton as JSON ("kind": "dfa"), one transition per line, in (state, symbol) order.
/// Time O(n k).
std::string write_json(const Dfa& dfa);
/// A Moore machine (automata/moore.h): a "dfa" with the key "outputs", one output name per state;
/// returns the automaton and the outputs.  Throws ParseError as read_json, and when "outputs" is
/// missing, not one non-empty string per state, or the kind is "nfa".  (read_json refuses a file
/// with "outputs", naming it a Moore machine.)
std::pair<Nfa, std::vector<std::string>> read_json_moore(std::string_view text, std::string_view source_name = "<json>");
/// The DFA's transitions with one output name per state ("outputs", written before
/// "transitions").  Throws InvalidArgument when the counts differ or a name is not UTF-8.
std::string write_json(const Dfa& dfa, std::span<const std::string> outputs);
/// The automaton as JSON ("kind": "nfa"); epsilon moves are written with a null symbol.
/// Time O(n + m).
std::string write_json(const Nfa& nfa);

}  // namespace statelab::automata
