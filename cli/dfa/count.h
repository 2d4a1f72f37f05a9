// `statelab dfa count`: the exact number of accepted words of a length.
#pragma once

#include "cli/command.h"

namespace statelab::cli {

/// Adds `count` to `parent` (the `dfa` command).
void add_dfa_count_command(CLI::App& parent, Commands& commands);

}  // namespace statelab::cli
