// Rendering automata for people: DOT text, and SVG through Graphviz's `dot` program when it is
// installed (it is a run-time dependency only).
#pragma once

#include <string>

#include "automata/dfa.h"

namespace statelab::cli {

/// Writes `dfa` to `path` as DOT (.dot, .gv) or SVG (.svg, through `dot -Tsvg`), atomically.
/// Throws statelab::Error when the extension is unknown or `dot` is missing or fails.
void render(const automata::Dfa& dfa, const std::string& path);

}  // namespace statelab::cli
