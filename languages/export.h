// Which machine of a language to write to a file: the choice `statelab lang export` makes, here so
// that the CLI only parses options, calls and prints.
#pragma once

#include <string_view>

#include "automata/machine_io.h"
#include "languages/language.h"

namespace statelab::languages {

/// The machine of `language` to write in the format `extension` (as automata::output_format names
/// it: ".json", ".jff", ".cfg", ".dot", ".att" or ".svg"): the one `engine` names when given ("dfa",
/// "pda", "cfg" or "counter"); else the grammar for .cfg, the DFA (or else the PDA) for .jff, the DFA
/// for a drawing (.dot, .att, .svg), else the ground truth's.  A PDA and a grammar convert into each
/// other (automata::to_cfg, automata::to_pda with final-state acceptance, which .jff files assume).
/// Throws InvalidArgument naming the language and what it lacks (a predicate has no machine).
/// Time: the conversion when there is one (to_cfg is cubic in the PDA's states), else a copy.
automata::Machine machine_to_write(const Language& language, std::string_view engine, std::string_view extension);

}  // namespace statelab::languages
