// `statelab classify NAME|FILE`: the algebra of a regular language (its syntactic monoid, the
// monoid's groups and class) and what it predicts for each neural architecture (bridge/).
#pragma once

#include "cli/command.h"

namespace statelab::cli {

/// Registers `classify` on `app`; errors propagate as statelab::Error.
void add_classify_command(CLI::App& parent, Commands& commands);

}  // namespace statelab::cli
