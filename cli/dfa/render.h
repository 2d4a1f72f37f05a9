// `statelab dfa render`: draw an automaton: DOT, or SVG through Graphviz.
#pragma once

#include "cli/command.h"

namespace statelab::cli {

/// Adds `render` to `parent` (the `dfa` command).
void add_dfa_render_command(CLI::App& parent, Commands& commands);

}  // namespace statelab::cli
