// `statelab track`: where a trained network stops tracking a language's state (bridge/track.h).
// Exit 0 when it tracks to the maximum length, 1 when it fails.
#pragma once
#include <CLI/CLI.hpp>

#include "cli/command.h"

namespace statelab::cli {

void add_track_command(CLI::App& parent, Commands& commands);

}  // namespace statelab::cli
