#include "cli/dfa/minimize.h"

#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "automata/minimize.h"
#include "cli/dfa/input.h"
#include "cli/options.h"

namespace statelab::cli {

namespace {

using automata::Dfa;
using nlohmann::json;

struct DfaMinimizeOptions : InputOptions {
  std::string file, output, out_format;
};

}  // namespace

void add_dfa_minimize_command(CLI::App& parent, Commands& commands) {
  auto o = std::make_shared<DfaMinimizeOptions>();
  CLI::App* v = parent.add_subcommand("minimize", "the minimal complete DFA (Hopcroft), states in breadth-first order");
  v->add_option("file", o->file, "automaton file")->required();
  v->add_option("-o,--output", o->output, "output file (format from its extension); - for standard output (JSON unless --output-format)")->required();
  v->add_option("--output-format", o->out_format, "output format: json, dot, jff or att");
  add_input_options(v, *o);
  commands.push_back({v, [o] {
    const Dfa dfa = load_dfa(o->file, *o);
    const Dfa result = automata::minimize(dfa);
    save(result, o->output, o->out_format);
    if (o->json)
      summary_stream(o->output) << json{{"states_in", dfa.num_states()}, {"states", result.num_states()}, {"output", o->output}}.dump()
                << "\n";
    else
      summary_stream(o->output) << "minimized " << dfa.num_states() << " -> " << result.num_states() << " states: " << o->output << "\n";
    return 0;
  }});
}

}  // namespace statelab::cli
