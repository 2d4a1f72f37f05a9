// `statelab extract`: extract the automaton a trained recognizer learned (L* or clustering), a
// thin wrapper over bridge::extract.
#pragma once

#include "cli/command.h"

namespace statelab::cli {

/// Adds `extract` to `parent` (the `statelab` application).
void add_extract_command(CLI::App& parent, Commands& commands);

}  // namespace statelab::cli
