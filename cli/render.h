// Rendering automata for people: DOT text, and SVG through Graphviz's `dot` program when it is
// installed (it is a run-time dependency only).
#pragma once

#include <cstddef>
#include <string>

#include "automata/dfa.h"
#include "automata/moore.h"

namespace statelab::cli {

/// The most states render draws as SVG unless told otherwise (--max-render-states): Graphviz's
/// layout is superlinear and takes minutes past a few thousand states (docs/automata.md).
inline constexpr std::size_t kMaxRenderStates = 1000;

/// Writes `dfa` to `path` (statelab::write_file: "-" is standard output) as DOT or as SVG through
/// `dot -Tsvg`.  `format` is "dot" or "svg"; empty, it comes from the extension (.dot, .gv, .svg),
/// and standard output gets DOT.  SVG is refused past `max_states` states, naming `option`, the
/// command's option that raises the limit.  The DOT file given to Graphviz is a temporary one,
/// removed when done, on failure and on SIGINT/SIGTERM (statelab::RemoveOnSignal); Graphviz dies
/// with the process.  Throws statelab::Error when the format is unknown, the DFA too big, or
/// `dot` is missing or fails.
void render(const automata::Dfa& dfa, const std::string& path, const std::string& format = "",
            std::size_t max_states = kMaxRenderStates, const std::string& option = "--max-render-states");

/// The same for a Moore machine (AALpy's DOT dialect: each state drawn with its output).
void render(const automata::MooreMachine& machine, const std::string& path, const std::string& format = "",
            std::size_t max_states = kMaxRenderStates, const std::string& option = "--max-render-states");

}  // namespace statelab::cli
