// `statelab lang count`: the exact number of words of a length in the language.
#pragma once

#include "cli/command.h"

namespace statelab::cli {

/// Adds `count` to `parent` (the `lang` command).
void add_lang_count_command(CLI::App& parent, Commands& commands);

}  // namespace statelab::cli
