// `statelab dfa sample`: exact uniform random accepted words of a length.
#pragma once

#include "cli/command.h"

namespace statelab::cli {

/// Adds `sample` to `parent` (the `dfa` command).
void add_dfa_sample_command(CLI::App& parent, Commands& commands);

}  // namespace statelab::cli
