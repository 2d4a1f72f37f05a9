#include "cli/render.h"

#include <unistd.h>

#include <atomic>
#include <cassert>
#include <filesystem>

#include "automata/dot_io.h"
#include "base/error.h"
#include "base/file.h"
#include "base/process.h"
#include "cli/progress.h"

namespace statelab::cli {

namespace {

// A fresh name in the temporary directory ($TMPDIR or /tmp) for Graphviz's input.
std::filesystem::path temporary_dot() {
  static std::atomic<unsigned long> counter{0};
  return std::filesystem::temp_directory_path() /
         ("statelab-render." + std::to_string(::getpid()) + "." + std::to_string(counter++) + ".tmp.dot");
}

// The SVG Graphviz draws of `dot`, the DOT text of an automaton of `states` states.
std::string draw_svg(const std::string& dot, std::size_t states, std::size_t max_states, const std::string& option) {
  if (states > max_states)
    throw LimitExceeded(std::to_string(states) + " states is more than " + std::to_string(max_states) +
                        " to draw as SVG (Graphviz may take minutes); raise " + option +
                        " to draw it anyway, or write .dot");
  const std::filesystem::path dot_file = temporary_dot();
  const RemoveOnSignal registered(dot_file);
  ChildResult dot_run;
  try {
    write_file(dot_file, dot);
    // Graphviz can take long on a large automaton: show that it runs (on a terminal).
    TaskProgress progress("drawing with Graphviz");
    dot_run = run_child({"dot", "-Tsvg", dot_file.string()}, 0, [&] { progress.update(0, 0); });
  } catch (...) {
    std::error_code ignored;
    std::filesystem::remove(dot_file, ignored);
    throw;
  }
  std::error_code ignored;
  std::filesystem::remove(dot_file, ignored);
  const int status = dot_run.status;
  const std::string& svg = dot_run.out;
  if (status == 127) throw IoError("drawing SVG needs Graphviz's 'dot' program, which is not installed (apt-get install graphviz)");
  if (status != 0) throw IoError("Graphviz's 'dot -Tsvg' failed with status " + std::to_string(status));
  return svg;
}

}  // namespace

std::string render(const automata::Dfa& dfa, std::string_view format, std::size_t max_states,
                   const std::string& option) {
  assert(format == ".dot" || format == ".svg");
  if (format == ".dot") return automata::write_dot(dfa);
  return draw_svg(automata::write_dot(dfa, automata::DotLabels::drawing), dfa.num_states(), max_states, option);
}

std::string render(const automata::MooreMachine& machine, std::string_view format, std::size_t max_states,
                   const std::string& option) {
  assert(format == ".dot" || format == ".svg");
  if (format == ".dot") return automata::format_moore(machine, automata::Format::dot);
  return draw_svg(automata::write_dot(machine.dfa, automata::state_output_names(machine), automata::DotLabels::drawing),
                  machine.dfa.num_states(), max_states, option);
}

}  // namespace statelab::cli
