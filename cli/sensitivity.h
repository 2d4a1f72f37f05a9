// `statelab sensitivity`: the average sensitivity of a language, a trained recognizer or randomly
// initialised networks at one length (bridge/sensitivity.h).
#pragma once

#include "cli/command.h"

namespace statelab::cli {

/// Registers `sensitivity` on `app`; errors propagate as statelab::Error.
void add_sensitivity_command(CLI::App& parent, Commands& commands);

}  // namespace statelab::cli
