// OpenFst's AT&T text format, for acceptors (what `fstprint` writes and `fstcompile` reads):
//
//   0  1  a            an arc: source, target, label            (acceptor form)
//   0  1  a  a         an arc: source, target, input, output    (transducer form; must agree)
//   1  2  b  0.5       any arc may end with a weight
//   2                  a final state, optionally with a weight
//
// The source of the first line is the initial state.  `<eps>` is epsilon; with a symbol table,
// labels are the table's names and the name numbered 0 is epsilon.  Weights are read and
// dropped, except Infinity, the zero of the tropical and log semirings: a final line weighted
// Infinity leaves its state non-final, and an arc weighted Infinity is no arc.
// A file uses one form throughout: it is read in transducer form when some arc line has five
// fields or a four-field line ends in something that is not a number; otherwise four fields
// are a label and a weight.
#pragma once

#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "automata/dfa.h"
#include "automata/nfa.h"

namespace statelab::automata {

/// One entry of an OpenFst symbol table: a name and its integer label (0 is epsilon).
struct AttSymbol {
  std::string name;
  std::uint64_t label = 0;
  friend bool operator==(const AttSymbol&, const AttSymbol&) = default;
};
using AttSymbolTable = std::vector<AttSymbol>;

/// Parses a symbol table, one `name label` line each (as `fstsymbols` and `--isymbols` use).
/// Time O(size log size).  Throws ParseError on a malformed line or a name or label given twice.
AttSymbolTable read_att_symbols(std::string_view text, std::string_view source_name = "<symbols>");
/// Throws IoError when the file cannot be read.
AttSymbolTable read_att_symbols_file(const std::filesystem::path& path);
/// The symbol table for `alphabet` as write_att numbers it: `<eps> 0`, then symbol i as i + 1.
/// Time O(k).  Throws InvalidArgument when a symbol is named `<eps>`.
std::string write_att_symbols(const Alphabet& alphabet);

/// Parses an acceptor.  The states are 0..max id; the alphabet is the table's names other than
/// epsilon in label order when `symbols` is given (every label must then be one of its names),
/// otherwise the labels in the order they first appear (so that write_att's output, which opens
/// with the initial state's arcs in symbol order, reads back over the same alphabet in the same
/// order for a complete DFA).  An empty file is the empty FST: no
/// states, no initial state, the empty language.  Time O(size + m log k).
/// Throws ParseError "SOURCE:LINE: ..." on a malformed line, a state id above 2^20 - 1, a NaN
/// weight, an unknown label, or a transducer arc whose input and output labels differ.
Nfa read_att(std::string_view text, std::string_view source_name = "<att>",
             const std::optional<AttSymbolTable>& symbols = std::nullopt);
Nfa read_att(std::istream& in, std::string_view source_name = "<att>",
             const std::optional<AttSymbolTable>& symbols = std::nullopt);
/// Throws IoError when the file cannot be read.
Nfa read_att_file(const std::filesystem::path& path, const std::optional<AttSymbolTable>& symbols = std::nullopt);

/// The DFA as three-column acceptor lines (the initial state's arcs first, so that it is the
/// initial state of the file) followed by its final states; `fstcompile --acceptor
/// --isymbols=SYMS` reads it with SYMS from write_att_symbols.  State numbers are kept.
/// Time O(n k).  Throws InvalidArgument when a symbol is named `<eps>`.
std::string write_att(const Dfa& dfa);
/// The same for an Nfa, with `<eps>` arcs for epsilon moves.  Several initial states get a fresh
/// initial state n with `<eps>` arcs to each; no initial state is the empty file.  Time O(n + m).
std::string write_att(const Nfa& nfa);

}  // namespace statelab::automata
