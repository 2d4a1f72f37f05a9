// Graphviz DOT for finite automata, in the dialect automata-learning tools write (AALpy, the
// Automata Wiki):
//
//   digraph G {
//   __start0 [label="", shape=none];
//   __start0 -> s0 [label=""];
//   s0 [label="s0", shape=doublecircle];      // accepting
//   s1 [label="s1", shape=circle];            // not accepting (so is a node with no shape)
//   s0 -> s1 [label="a"];                     // one edge per symbol ...
//   s1 -> s1 [label="a,b"];                   // ... or a comma-separated list of symbols
//   s1 -> s0 [label="\"(1,2)\""];              // a symbol holding , / " or \ is quoted
//   }
//
// The reader parses real DOT syntax (comments, quoted strings with escapes and `+`
// concatenation, attribute lists, `node [...]`/`edge [...]` defaults, edge chains) for the subset
// these files use; it refuses undirected graphs, subgraphs, ports and HTML labels.  A node whose
// name starts with `__start` is an initial-state marker, and the targets of its edges are the
// initial states.  An edge with an empty label is an epsilon move.  Moore machines (record
// labels "s0|1") and Mealy machines (edge labels "a/1") are refused as what they are.
#pragma once

#include <filesystem>
#include <iosfwd>
#include <optional>
#include <span>
#include <utility>
#include <vector>
#include <string>
#include <string_view>

#include "automata/dfa.h"
#include "automata/nfa.h"

namespace statelab::automata {

/// Parses a DOT digraph as an automaton.  States are numbered in the order their nodes first
/// appear in a node statement or an edge between states (edges from an initial marker do not
/// count, so that write_dot's numbering survives a round trip).  The alphabet is `alphabet` when
/// given (every label must then be one of its symbols), otherwise the symbols in the order they
/// first appear.  Time O(size + m log k).
/// Throws ParseError "SOURCE:LINE: ..." on a syntax error, a node shape other than circle,
/// ellipse, oval or doublecircle, an edge without a label, an unknown symbol, no initial
/// marker, or a Moore or Mealy machine.
Nfa read_dot(std::string_view text, std::string_view source_name = "<dot>",
             const std::optional<Alphabet>& alphabet = std::nullopt);
Nfa read_dot(std::istream& in, std::string_view source_name = "<dot>",
             const std::optional<Alphabet>& alphabet = std::nullopt);
/// Throws IoError when the file cannot be read.
Nfa read_dot_file(const std::filesystem::path& path, const std::optional<Alphabet>& alphabet = std::nullopt);

/// The DFA in that dialect, written by boost::write_graphviz over the Dfa's graph traits:
/// states s0..s{n-1}, one edge per (state, symbol), labels always quoted.  Time O(n k).
/// A symbol holding ',', '/', '"' or '\\' (a word-problem generator such as (1,2)) is written in
/// double quotes inside its label (label="\"(1,2)\""), which the reader reads back as one symbol.
/// Labels for reading back (exact: symbols holding ',' '/' '"' '\\' in inner quotes) or for
/// drawing (drawing: every symbol as it is, "(1,2)"; Graphviz shows the label verbatim, and
/// such a file does not read back as the same alphabet).
enum class DotLabels { exact, drawing };
std::string write_dot(const Dfa& dfa, DotLabels labels = DotLabels::exact);
/// A Moore machine (automata/moore.h) in AALpy's dialect: every state node labelled
/// "NAME|OUTPUT" (shape=record or none; \| \{ \} \< \> escape a record label's special
/// characters), edges as above.  Returns the automaton and each state's output.  Throws
/// ParseError as read_dot, and for a state without "|OUTPUT" or of another shape.
std::pair<Nfa, std::vector<std::string>> read_dot_moore(std::string_view text, std::string_view source_name = "<dot>",
                                                       const std::optional<Alphabet>& alphabet = std::nullopt);
/// The DFA's transitions with one output per state, as AALpy writes Moore machines:
/// `s0 [label="s0|OUTPUT", shape=record, style=rounded]` (the record label's special characters
/// | { } < > escaped with a backslash).  Throws InvalidArgument when the counts differ or an
/// output is empty or holds a control character, a quote or a backslash.  Time O(n k).
std::string write_dot(const Dfa& dfa, std::span<const std::string> outputs, DotLabels labels = DotLabels::exact);
/// The same for an Nfa: one marker `__startI` per initial state (a fresh, non-accepting initial
/// state when there is none, since the reader requires one), epsilon moves with label "".
/// Time O(n + m).
std::string write_dot(const Nfa& nfa);

}  // namespace statelab::automata
