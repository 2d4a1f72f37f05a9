#include "cli/dfa/render.h"

#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "automata/minimize.h"
#include "cli/dfa/input.h"
#include "cli/render.h"

namespace statelab::cli {

namespace {

using automata::Dfa;
using nlohmann::json;

struct DfaRenderOptions : InputOptions {
  std::string file, output;
  bool minimize = false;
};

}  // namespace

void add_dfa_render_command(CLI::App& parent, Commands& commands) {
  auto o = std::make_shared<DfaRenderOptions>();
  CLI::App* v = parent.add_subcommand("render", "draw an automaton: DOT, or SVG through Graphviz");
  v->add_option("file", o->file, "automaton file")->required();
  v->add_option("-o,--output", o->output, "out.dot or out.svg")->required();
  v->add_flag("--minimize", o->minimize, "draw the minimal DFA instead");
  add_input_options(v, *o);
  commands.push_back({v, [o] {
    Dfa dfa = load_dfa(o->file, *o);
    if (o->minimize) dfa = automata::minimize(dfa);
    render(dfa, o->output);
    if (o->json)
      std::cout << json{{"states", dfa.num_states()}, {"output", o->output}}.dump() << "\n";
    else
      std::cout << "rendered " << dfa.num_states() << " states: " << o->output << "\n";
    return 0;
  }});
}

}  // namespace statelab::cli
