// `statelab lang sample`: exact uniform random words of the language, per length; with --negatives a balanced labelled dataset.
#pragma once

#include "cli/command.h"

namespace statelab::cli {

/// Adds `sample` to `parent` (the `lang` command).
void add_lang_sample_command(CLI::App& parent, Commands& commands);

}  // namespace statelab::cli
