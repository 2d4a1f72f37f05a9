#include "cli/dfa/ops.h"

#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "automata/boolean_ops.h"
#include "base/error.h"
#include "automata/minimize.h"
#include "cli/dfa/input.h"
#include "cli/options.h"

namespace statelab::cli {

namespace {

using automata::Dfa;
using nlohmann::json;

struct DfaOpsOptions : InputOptions {
  std::string op, a, b, output, out_format;
};

}  // namespace

void add_dfa_ops_command(CLI::App& parent, Commands& commands) {
  auto o = std::make_shared<DfaOpsOptions>();
  CLI::App* v = parent.add_subcommand("ops", "boolean operations: intersect, union, difference, xor (two automata) or complement (one)");
  v->add_option("operation", o->op, "intersect, union, difference, xor or complement")
      ->required()
      ->check(CLI::IsMember({"intersect", "union", "difference", "xor", "complement"}));
  v->add_option("a", o->a, "first automaton")->required();
  v->add_option("b", o->b, "second automaton (not for complement)");
  v->add_option("-o,--output", o->output, "output file (format from its extension); - for standard output (JSON unless --output-format)")->required();
  v->add_option("--output-format", o->out_format, "output format: json, dot, jff or att");
  add_input_options(v, *o);
  commands.push_back({v, [o] {
    const Dfa a = load_dfa(o->a, *o);
    Dfa result;
    if (o->op == "complement") {
      if (!o->b.empty()) throw InvalidArgument("ops complement takes one automaton, but a second was given: " + o->b);
      result = automata::complement(a);
    } else {
      if (o->b.empty()) throw InvalidArgument("ops " + o->op + " needs two automata");
      const Dfa b = load_dfa(o->b, *o);
      const automata::BooleanOp op = o->op == "intersect"    ? automata::BooleanOp::intersection
                                     : o->op == "union"      ? automata::BooleanOp::union_
                                     : o->op == "difference" ? automata::BooleanOp::difference
                                                             : automata::BooleanOp::symmetric_difference;
      result = automata::product(a, b, op, o->max_states);
    }
    result = automata::minimize(result);
    save(result, o->output, o->out_format);
    if (o->json)
      summary_stream(o->output) << json{{"states", result.num_states()}, {"output", o->output}}.dump() << "\n";
    else
      summary_stream(o->output) << o->op << ": " << result.num_states() << " states: " << o->output << "\n";
    return 0;
  }});
}

}  // namespace statelab::cli
