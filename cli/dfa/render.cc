#include "cli/dfa/render.h"

#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "automata/machine_io.h"
#include "automata/minimize.h"
#include "base/file.h"
#include "cli/dfa/input.h"
#include "cli/options.h"
#include "cli/render.h"

namespace statelab::cli {

namespace {

using automata::Dfa;
using nlohmann::json;

struct DfaRenderOptions : InputOptions {
  std::string file, output, out_format;
  bool minimize = false;
  std::size_t max_render_states = kMaxRenderStates;
};

}  // namespace

void add_dfa_render_command(CLI::App& parent, Commands& commands) {
  auto o = std::make_shared<DfaRenderOptions>();
  CLI::App* v = parent.add_subcommand("render", "draw an automaton: DOT, or SVG through Graphviz");
  v->add_option("file", o->file, "automaton file")->required();
  v->add_option("-o,--output", o->output, "out.dot or out.svg; - for standard output (DOT unless --output-format svg)")
      ->required();
  v->add_option("--output-format", o->out_format, "dot or svg (default: from the extension)")
      ->check(CLI::IsMember({"dot", "svg"}));
  v->add_option("--max-render-states", o->max_render_states,
                "draw SVG only up to this many states (default " + std::to_string(kMaxRenderStates) + ")")
      ->check(kAtLeastOne);
  v->add_flag("--minimize", o->minimize, "draw the minimal DFA instead");
  add_input_options(v, *o);
  commands.push_back({v, [o] {
    const std::string format = automata::output_format(o->output, o->out_format, {".dot", ".svg"}, ".dot");
    Dfa dfa = load_dfa(o->file, *o);
    if (o->minimize) dfa = automata::minimize(dfa);
    write_file(o->output, render(dfa, format, o->max_render_states));
    if (o->json)
      summary_stream(o->output) << json{{"states", dfa.num_states()}, {"output", o->output}}.dump() << "\n";
    else
      summary_stream(o->output) << "rendered " << dfa.num_states() << " states: " << o->output << "\n";
    return 0;
  }});
}

}  // namespace statelab::cli
