// `statelab dfa info`: states, alphabet and properties of an automaton.
#pragma once

#include "cli/command.h"

namespace statelab::cli {

/// Adds `info` to `parent` (the `dfa` command).
void add_dfa_info_command(CLI::App& parent, Commands& commands);

}  // namespace statelab::cli
