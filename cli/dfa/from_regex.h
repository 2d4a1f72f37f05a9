// `statelab dfa from-regex`: compile a regular expression to a minimal DFA (syntax: docs/regex.md).
#pragma once

#include "cli/command.h"

namespace statelab::cli {

/// Adds `from-regex` to `parent` (the `dfa` command).
void add_dfa_from_regex_command(CLI::App& parent, Commands& commands);

}  // namespace statelab::cli
