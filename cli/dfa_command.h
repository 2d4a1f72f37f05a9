// `statelab dfa <verb>`: the finite-automaton commands, thin wrappers over statelab::automata.
#pragma once

#include <CLI/CLI.hpp>

namespace statelab::cli {

/// Registers `dfa` and its verbs on `app`.  A verb's result code (0, or 1 for "not equivalent")
/// is written to `exit_code`; errors propagate as statelab::Error.
void add_dfa_command(CLI::App& app, int& exit_code);

}  // namespace statelab::cli
