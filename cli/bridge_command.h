// `statelab check` and `statelab extract`: property-test a trained recognizer against a language,
// and extract the automaton it learned; thin wrappers over statelab::bridge.
#pragma once

#include <CLI/CLI.hpp>

namespace statelab::cli {

/// Registers `check`.  Its result code (0: no disagreement found, 1: a counterexample) is written
/// to `exit_code`; errors propagate as statelab::Error.
void add_check_command(CLI::App& app, int& exit_code);

/// Registers `extract`.  Errors propagate as statelab::Error.
void add_extract_command(CLI::App& app);

}  // namespace statelab::cli
