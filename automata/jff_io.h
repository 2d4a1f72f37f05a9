// JFLAP's .jff files for finite automata (JFLAP 6 and 7, <type>fa</type>):
//
//   <?xml version="1.0" encoding="UTF-8" standalone="no"?><structure>
//     <type>fa</type>
//     <automaton>
//       <state id="0" name="q0"><x>60.0</x><y>90.0</y><initial/></state>
//       <state id="1" name="q1"><x>200.0</x><y>90.0</y><final/></state>
//       <transition><from>0</from><to>1</to><read>a</read></transition>
//       <transition><from>1</from><to>1</to><read/></transition>     <!-- epsilon -->
//     </automaton>
//   </structure>
//
// (JFLAP 4 files, with the states directly under <structure>, are read too.)  The XML reader
// is small and strict: elements, attributes, comments, CDATA, the five named entities and
// character references; no DTD.  A <read> label is one symbol, whatever its length (JFLAP would
// read a multi-character label as a string of one-character moves).  Other JFLAP types (pda,
// turing, mealy, moore, grammar, ...) are refused as what they are.
#pragma once

#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>

#include "automata/dfa.h"
#include "automata/nfa.h"

namespace statelab::automata {

/// Parses a JFLAP finite automaton.  States are numbered in the order of their <state>
/// elements; the alphabet is `alphabet` when given (every label must be one of its symbols),
/// otherwise the labels in order of first appearance.  Time O(size + m log k).
/// Throws ParseError "SOURCE:LINE: ..." on malformed XML, a type other than fa, a duplicate
/// state id, a transition naming an unknown state, a missing <from>, <to> or <read>, an unknown
/// element, or not exactly one initial state.
Nfa read_jff(std::string_view text, std::string_view source_name = "<jff>",
             const std::optional<Alphabet>& alphabet = std::nullopt);
Nfa read_jff(std::istream& in, std::string_view source_name = "<jff>",
             const std::optional<Alphabet>& alphabet = std::nullopt);
/// Throws IoError when the file cannot be read.
Nfa read_jff_file(const std::filesystem::path& path, const std::optional<Alphabet>& alphabet = std::nullopt);

/// The DFA as a JFLAP 7 file: state i has id i and name qi, laid out on a grid; one transition
/// per (state, symbol).  Time O(n k).
std::string write_jff(const Dfa& dfa);
/// The same for an Nfa; epsilon moves are written as <read/>.  JFLAP allows one initial state,
/// so an Nfa with none or several gets a fresh initial state q{n} with epsilon moves to each of
/// its own initial states.  Time O(n + m).
std::string write_jff(const Nfa& nfa);

}  // namespace statelab::automata
