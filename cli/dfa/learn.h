// `statelab dfa learn TARGET --method lstar|lsharp [--json] [-o FILE]`: learns a DFA from a
// black-box teacher that answers with TARGET (membership by running it, equivalence by the
// shortest counterexample), reports states, queries and seconds, and checks that the result is
// the minimal DFA of TARGET (exit 0 when it is, 1 when not).
#pragma once

#include <CLI/CLI.hpp>

#include "cli/command.h"

namespace statelab::cli {

/// Adds `learn` under `parent` (the `dfa` command) and pushes its Command.
void add_dfa_learn_command(CLI::App& parent, Commands& commands);

}  // namespace statelab::cli
