// What the `statelab dfa` verbs that read automata share: the input options (--format,
// --max-states, --json), reading any finite automaton as a complete DFA, and writing one.
#pragma once

#include <CLI/CLI.hpp>
#include <cstddef>
#include <optional>
#include <string>

#include "automata/automaton_io.h"
#include "automata/dfa.h"
#include "automata/nfa.h"

namespace statelab::cli {

// Options every verb that reads automata shares.
struct InputOptions {
  std::string format;  // empty: from the file extension
  std::size_t max_states = automata::kDefaultMaxStates;
  bool json = false;
};

/// --format's value as a format; nothing when empty.  Throws InvalidArgument naming --format.
std::optional<automata::Format> format_option(const std::string& name);

/// Adds --format, --max-states and --json to `verb`.
void add_input_options(CLI::App* verb, InputOptions& opts);

/// Any finite automaton, as a complete DFA: nondeterministic or partial input is determinised
/// and completed within --max-states.
automata::Dfa load_dfa(const std::string& path, const InputOptions& opts);

/// Writes `dfa` to `path` in `format` (empty: from the extension).
void save(const automata::Dfa& dfa, const std::string& path, const std::string& format);

/// save, then "wrote PATH (N states)", or {"states": N, "output": PATH} with `json`.
void save_and_report(const automata::Dfa& dfa, const std::string& path, const std::string& format, bool json);

}  // namespace statelab::cli
