// `statelab dfa equiv`: are two automata equivalent? exit 0 if so, 1 with the shortest counterexample if not, 2 on error.
#pragma once

#include "cli/command.h"

namespace statelab::cli {

/// Adds `equiv` to `parent` (the `dfa` command).
void add_dfa_equiv_command(CLI::App& parent, Commands& commands);

}  // namespace statelab::cli
