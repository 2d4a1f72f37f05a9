#include "cli/dfa/learn.h"

#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "automata/automaton_io.h"
#include "automata/minimize.h"
#include "automata/nfa.h"
#include "bridge/lsharp.h"
#include "bridge/lstar.h"
#include "cli/text.h"

namespace statelab::cli {

void add_dfa_learn_command(CLI::App& parent, Commands& commands) {
  struct Opts {
    std::string target, method = "lstar", output;
    bool json = false;
  };
  auto o = std::make_shared<Opts>();
  CLI::App* v = parent.add_subcommand(
      "learn", "learn TARGET from a black-box teacher (L* or L#); exit 0 when the result is its minimal DFA");
  v->add_option("target", o->target, "the automaton the teacher answers with (json, dot, jff or att)")->required();
  v->add_option("--method", o->method, "lstar (observation table) or lsharp (observation tree, apartness)")
      ->check(CLI::IsMember({"lstar", "lsharp"}));
  v->add_option("-o,--output", o->output, "write the learned DFA (format from its extension)");
  v->add_flag("--json", o->json, "machine-readable output");
  commands.push_back({v, [o] {
    if (!o->output.empty()) automata::format_from_path(o->output);  // refuse an unknown extension before learning
    const automata::Dfa target = automata::determinize(automata::read_automaton(o->target), automata::kDefaultMaxStates);
    bridge::DfaRecognizer teacher(target);
    bridge::ExactOracle oracle(target);
    const auto r = o->method == "lsharp" ? bridge::lsharp(teacher, oracle) : bridge::lstar(teacher, oracle, {}, false);
    const automata::Dfa minimal = automata::minimize(target);
    const bool is_minimal = r.dfa == minimal;
    if (!o->output.empty()) automata::write_automaton(r.dfa, o->output);
    if (o->json) {
      std::cout << nlohmann::json{{"method", o->method},
                                  {"states", r.dfa.num_states()},
                                  {"minimal_states", minimal.num_states()},
                                  {"minimal", is_minimal},
                                  {"membership_queries", r.membership_queries},
                                  {"equivalence_queries", r.equivalence_queries},
                                  {"seconds", r.seconds}}
                       .dump()
                << "\n";
    } else {
      std::ostringstream line;
      line << o->method << ": " << r.dfa.num_states() << " states; " << r.membership_queries << " membership queries; "
           << r.equivalence_queries << " equivalence queries; " << r.seconds << " s; "
           << (is_minimal ? "the minimal DFA of the target" : "NOT the minimal DFA of the target") << " ("
           << minimal.num_states() << " states)";
      print_clauses(std::cout, line.str());
    }
    return is_minimal ? 0 : 1;
  }});
}

}  // namespace statelab::cli
