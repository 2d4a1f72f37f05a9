// `statelab train`: its options are the options of a run (bridge/run.h), parsed into a RunSpec,
// carried out by bridge::run with a progress bar on stderr, and summarised on stdout.
#pragma once

#include <CLI/CLI.hpp>

#include "cli/command.h"

namespace statelab::cli {

void add_train_command(CLI::App& parent, Commands& commands);

}  // namespace statelab::cli
