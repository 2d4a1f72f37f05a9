// `statelab lang list`: every language and task of the catalogue: name, class, alphabet, engine.
#pragma once

#include "cli/command.h"

namespace statelab::cli {

/// Adds `list` to `parent` (the `lang` command).
void add_lang_list_command(CLI::App& parent, Commands& commands);

}  // namespace statelab::cli
