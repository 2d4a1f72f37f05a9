// `statelab lang show`: a language's definition, alphabet, class, ground truth, automaton, first words and counts.
#pragma once

#include "cli/command.h"

namespace statelab::cli {

/// Adds `show` to `parent` (the `lang` command).
void add_lang_show_command(CLI::App& parent, Commands& commands);

}  // namespace statelab::cli
