// `statelab lang targets`: per-position targets of a word: the machine state after each prefix and the symbols that may follow.
#pragma once

#include "cli/command.h"

namespace statelab::cli {

/// Adds `targets` to `parent` (the `lang` command).
void add_lang_targets_command(CLI::App& parent, Commands& commands);

}  // namespace statelab::cli
