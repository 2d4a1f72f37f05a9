// JFLAP's .jff format for pushdown automata (<type>pda</type>), read and written.
//
// JFLAP spells every input and stack symbol as one character; a transition has <from>, <to>,
// <read> (input read), <pop> (stack symbols popped, top first) and <push> (symbols pushed, top
// first), and an empty or missing element means epsilon.  The stack starts as JFLAP's 'Z'.  The
// file does not say how the automaton accepts (JFLAP asks when it runs): the reader takes it as
// a parameter, final state by default as in JFLAP.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "automata/pda.h"

namespace statelab::automata {

/// The PDA of a .jff file.  States are numbered in the order of their <state> elements; the
/// input alphabet holds the characters read, sorted by their UTF-8 bytes; the stack alphabet
/// starts with the bottom 'Z', then the other characters popped or pushed, sorted.  A
/// transition that reads or pops several characters becomes a chain of moves through fresh,
/// non-accepting states (numbered after the file's), one character each.
/// Time O(size of the file).  Throws ParseError "SOURCE:LINE: ..." on malformed XML, a type
/// other than pda, a missing or duplicate state id, a transition to an unknown state, no or
/// several initial states, or whitespace inside a symbol string.
Pda read_pda_jff(std::string_view text, std::string_view source_name = "<jff>",
                 PdaAcceptance acceptance = PdaAcceptance::final_state);
/// Also throws IoError when the file cannot be read.
Pda read_pda_jff_file(const std::filesystem::path& path, PdaAcceptance acceptance = PdaAcceptance::final_state);

/// The PDA as a JFLAP 7 file (states on a grid, named q0, q1, ...).  A bottom symbol not named
/// Z is written as Z.  Time O(size of the PDA).  Throws InvalidArgument when a symbol name is
/// not one character, or when another stack symbol is called Z.
std::string write_jff(const Pda& pda);

}  // namespace statelab::automata
