// `statelab lang <verb>`: the language catalogue from the command line, thin wrappers over
// statelab::languages: list, show, member, count, sample, targets, export.
#pragma once

#include <CLI/CLI.hpp>

namespace statelab::cli {

/// Registers `lang` and its verbs on `app`.  Errors (an unknown language or parameter, a word
/// with a symbol outside the alphabet, a length no word has) propagate as statelab::Error.
void add_lang_command(CLI::App& app);

}  // namespace statelab::cli
