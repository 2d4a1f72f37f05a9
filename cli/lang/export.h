// `statelab lang export`: write a language's automaton or grammar: a DFA as .json .dot .jff .att or drawn as .svg .gv; a PDA as .json .
#pragma once

#include "cli/command.h"

namespace statelab::cli {

/// Adds `export` to `parent` (the `lang` command).
void add_lang_export_command(CLI::App& parent, Commands& commands);

}  // namespace statelab::cli
