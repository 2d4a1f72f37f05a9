#include "cli/dfa/info.h"

#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "automata/automaton_io.h"
#include "automata/decide.h"
#include "cli/dfa/input.h"
#include "cli/text.h"

namespace statelab::cli {

namespace {

using automata::Dfa;
using automata::Nfa;
using nlohmann::json;

struct DfaInfoOptions : InputOptions {
  std::string file;
};

}  // namespace

void add_dfa_info_command(CLI::App& parent, Commands& commands) {
  auto o = std::make_shared<DfaInfoOptions>();
  CLI::App* v = parent.add_subcommand("info", "states, alphabet and properties of an automaton");
  v->add_option("file", o->file, "automaton file")->required();
  add_input_options(v, *o);
  commands.push_back({v, [o] {
    const Nfa nfa = automata::read_automaton(o->file, format_option(o->format));
    const automata::AutomatonFacts f = automata::automaton_facts(nfa, o->max_states);
    if (o->json) {
      std::cout << json{{"states", nfa.num_states()},
                        {"symbols", nfa.alphabet().names()},
                        {"accepting", f.accepting},
                        {"deterministic", f.deterministic},
                        {"complete", f.complete},
                        {"minimal", f.minimal},
                        {"minimal_states", f.minimal_states},
                        {"empty", f.empty},
                        {"finite", f.finite},
                        {"universal", f.universal}}
                       .dump()
                << "\n";
      return 0;
    }
    std::string symbols;
    for (const auto& s : nfa.alphabet().names()) symbols += (symbols.empty() ? "" : " ") + s;
    auto yes = [](bool b) { return b ? "yes" : "no"; };
    std::cout << "states:         " << nfa.num_states() << "\n";
    print_wrapped("symbols:        ", symbols, 16);
    std::cout << "accepting:      " << f.accepting << "\n"
              << "deterministic:  " << yes(f.deterministic) << "\n"
              << "complete:       " << yes(f.complete) << "\n"
              << "minimal:        " << yes(f.minimal) << " (minimal complete DFA: " << counted(f.minimal_states, "state")
              << ")\n"
              << "empty:          " << yes(f.empty) << "\n"
              << "finite:         " << yes(f.finite) << "\n"
              << "universal:      " << yes(f.universal) << "\n";
    return 0;
  }});
}

}  // namespace statelab::cli
