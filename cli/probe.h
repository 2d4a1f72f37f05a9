// `statelab probe`: linear state probes of a checkpoint's hidden states (bridge/probe.h).
#pragma once
#include <CLI/CLI.hpp>

#include "cli/command.h"

namespace statelab::cli {

void add_probe_command(CLI::App& parent, Commands& commands);

}  // namespace statelab::cli
