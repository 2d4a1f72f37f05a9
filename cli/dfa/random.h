// `statelab dfa random`: a seeded random complete DFA.
#pragma once

#include "cli/command.h"

namespace statelab::cli {

/// Adds `random` to `parent` (the `dfa` command).
void add_dfa_random_command(CLI::App& parent, Commands& commands);

}  // namespace statelab::cli
