// Moore machines: a deterministic automaton whose every state carries an output (a class name),
// the output of a word being that of the state it leads to.  What a network with a per-position
// head (tag, next-set) computes when it tracks a state: the output at position t is the output
// after the prefix w[0..t].  The type is a small value (the DFA's transitions, its acceptance
// unused, and one output per state); its algorithms are free functions, as for Dfa.
//
// Files: statelab JSON with the optional "outputs" list (one output name per state; the
// "accepting" list is written empty), and Graphviz DOT in AALpy's Moore dialect, where a state's
// label is "NAME|OUTPUT" (shape=record): both read back (automata/json_io.h, automata/dot_io.h).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "automata/automaton_io.h"
#include "automata/dfa.h"

namespace statelab::automata {

struct MooreMachine {
  Dfa dfa;                                 // transitions and initial state; acceptance unused
  std::vector<std::string> output_names;   // the output alphabet, each name once
  std::vector<std::uint32_t> outputs;      // per state: an index into output_names
  friend bool operator==(const MooreMachine&, const MooreMachine&) = default;
};

/// A Moore machine from a DFA and one output name per state (the output alphabet is the names
/// in order of first appearance).  Throws InvalidArgument when the count differs from the states.
MooreMachine make_moore(Dfa dfa, const std::vector<std::string>& state_outputs);

/// The output name of the state `word` leads to from the initial state.  Time O(|word|).
const std::string& output_of(const MooreMachine& machine, std::span<const Symbol> word);

/// The output name of every state, in state order.
std::vector<std::string> state_output_names(const MooreMachine& machine);

/// The minimal Moore machine with the same output on every word: Moore's partition refinement
/// from the partition by output, states then numbered in breadth-first order from the initial
/// state (state 0), successors in symbol order, unreachable states dropped; the output alphabet
/// keeps the order of the input's, restricted to the outputs still used.  Two machines have the
/// same behaviour exactly when their minimisations are equal.  Time O(k n^2) in the worst case.
MooreMachine minimize(const MooreMachine& machine);

/// The shortest, then shortlex-least, word of length >= min_length on which the two machines'
/// outputs (compared by name) differ, or nothing.  Breadth-first search over pairs of states.
/// A state of `b` whose output is named `dont_care` (when not empty) matches any output, and the
/// words through it are not followed (a truth that asks nothing there, and nothing after).
/// Throws InvalidArgument when the alphabets differ.  Time O(k n m).
std::optional<Word> find_counterexample(const MooreMachine& a, const MooreMachine& b, std::size_t min_length = 0,
                                        std::string_view dont_care = {});

/// Whether both machines give the same output on every word.
bool equivalent(const MooreMachine& a, const MooreMachine& b);

/// A uniformly random complete Moore machine (transitions and outputs uniform; outputs named
/// "o0".."o{outputs-1}") from make_rng(seed), for tests.
MooreMachine random_moore(const Alphabet& alphabet, std::size_t states, std::size_t outputs, std::uint64_t seed);

/// The machine in `format`: json (statelab JSON with "outputs") or dot (AALpy's Moore dialect).
/// Throws InvalidArgument naming the format when it cannot hold a Moore machine (jff, att) or an
/// output name (DOT: a name with a newline or other control character; JSON: not UTF-8).
std::string format_moore(const MooreMachine& machine, Format format);
/// Throws the InvalidArgument of format_moore when `format` cannot hold a Moore machine, so that a
/// command can refuse it before any work.
void require_moore_format(Format format);

/// Writes the machine to `path` (base/file.h's write_file), in `format` or the one the extension
/// names.  Throws as format_moore, and IoError when the file cannot be written.
void write_moore(const MooreMachine& machine, const std::filesystem::path& path,
                 std::optional<Format> format = std::nullopt);

/// Reads a Moore machine written as above (JSON with "outputs", or DOT in AALpy's dialect), in
/// `format` or the one the extension of `source` names.  Throws ParseError naming the file and
/// line when it is no Moore machine (no outputs, not deterministic or not complete).
MooreMachine read_moore(std::string_view text, std::string_view source, std::optional<Format> format = std::nullopt);
MooreMachine read_moore_file(const std::filesystem::path& path, std::optional<Format> format = std::nullopt);

}  // namespace statelab::automata
