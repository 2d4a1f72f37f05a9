// `statelab dfa minimize`: the minimal complete DFA (Hopcroft), states in breadth-first order.
#pragma once

#include "cli/command.h"

namespace statelab::cli {

/// Adds `minimize` to `parent` (the `dfa` command).
void add_dfa_minimize_command(CLI::App& parent, Commands& commands);

}  // namespace statelab::cli
