// Rendering automata for people: DOT text, and SVG through Graphviz's `dot` program when it is
// installed (it is a run-time dependency only).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "automata/dfa.h"
#include "automata/moore.h"

namespace statelab::cli {

/// The most states render draws as SVG unless told otherwise (--max-render-states): Graphviz's
/// layout is superlinear and takes minutes past a few thousand states (docs/automata.md).
inline constexpr std::size_t kMaxRenderStates = 1000;
/// The same for a Moore machine, whose labelled record nodes Graphviz lays out far more slowly
/// (a 427-state machine ran past 6 minutes).
inline constexpr std::size_t kMaxMooreRenderStates = 200;

/// `dfa` drawn as `format`, ".dot" or ".svg" (as automata::output_format names them): DOT text,
/// or SVG through `dot -Tsvg`.  SVG is refused past `max_states` states, naming `option`, the
/// command's option that raises the limit.  The DOT file given to Graphviz is a temporary one,
/// removed when done, on failure and on SIGINT/SIGTERM (statelab::RemoveOnSignal); Graphviz dies
/// with the process.  Throws statelab::Error when the DFA is too big or `dot` is missing or fails.
/// Nothing is written to the output: a command draws first and then writes all it writes.
std::string render(const automata::Dfa& dfa, std::string_view format, std::size_t max_states = kMaxRenderStates,
                   const std::string& option = "--max-render-states");

/// The same for a Moore machine (AALpy's DOT dialect: each state drawn with its output).
std::string render(const automata::MooreMachine& machine, std::string_view format,
                   std::size_t max_states = kMaxMooreRenderStates, const std::string& option = "--max-render-states");

}  // namespace statelab::cli
