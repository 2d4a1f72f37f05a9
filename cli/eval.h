// `statelab eval`: the accuracy of a checkpoint by length on fresh words of a language or task
// (bridge::evaluation_data), as a table or JSON.
#pragma once

#include <CLI/CLI.hpp>

#include "cli/command.h"

namespace statelab::cli {

void add_eval_command(CLI::App& parent, Commands& commands);

}  // namespace statelab::cli
