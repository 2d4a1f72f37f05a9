// `statelab dfa ops`: boolean operations: intersect, union, difference, xor (two automata) or complement (one).
#pragma once

#include "cli/command.h"

namespace statelab::cli {

/// Adds `ops` to `parent` (the `dfa` command).
void add_dfa_ops_command(CLI::App& parent, Commands& commands);

}  // namespace statelab::cli
