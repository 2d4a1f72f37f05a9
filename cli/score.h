// `statelab score`: a recognizer's acceptance probability of each word (and its hidden states).
#pragma once

#include <CLI/CLI.hpp>

#include "cli/command.h"

namespace statelab::cli {

void add_score_command(CLI::App& parent, Commands& commands);

}  // namespace statelab::cli
