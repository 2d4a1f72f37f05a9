// `statelab check`: property-test a trained recognizer against a language's ground truth, a thin
// wrapper over bridge::check.  Exit 0 when no disagreement is found, 1 with a counterexample.
#pragma once

#include "cli/command.h"

namespace statelab::cli {

/// Adds `check` to `parent` (the `statelab` application).
void add_check_command(CLI::App& parent, Commands& commands);

}  // namespace statelab::cli
