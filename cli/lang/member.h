// `statelab lang member`: accept or reject each word (symbols run together, or space-separated; '' is the empty word; - reads stdin).
#pragma once

#include "cli/command.h"

namespace statelab::cli {

/// Adds `member` to `parent` (the `lang` command).
void add_lang_member_command(CLI::App& parent, Commands& commands);

}  // namespace statelab::cli
