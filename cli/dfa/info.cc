#include "cli/dfa/info.h"

#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "automata/automaton_io.h"
#include "automata/decide.h"
#include "automata/minimize.h"
#include "cli/dfa/input.h"

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
    const bool deterministic = nfa.is_deterministic();
    const bool complete = nfa.is_complete_deterministic();
    const Dfa dfa = automata::determinize(nfa, o->max_states);
    const std::size_t minimal_states = automata::minimize(dfa).num_states();
    const bool minimal = complete && minimal_states == dfa.num_states();  // as is_minimal, without a second pass
    const bool empty = automata::is_empty(dfa), finite = automata::is_finite(dfa),
               universal = automata::is_universal(dfa);
    std::size_t accepting = 0;
    for (automata::State q = 0; q < nfa.num_states(); ++q) accepting += nfa.is_accepting(q);
    if (o->json) {
      std::cout << json{{"states", nfa.num_states()},
                        {"symbols", nfa.alphabet().names()},
                        {"accepting", accepting},
                        {"deterministic", deterministic},
                        {"complete", complete},
                        {"minimal", minimal},
                        {"minimal_states", minimal_states},
                        {"empty", empty},
                        {"finite", finite},
                        {"universal", universal}}
                       .dump()
                << "\n";
      return 0;
    }
    std::string symbols;
    for (const auto& s : nfa.alphabet().names()) symbols += (symbols.empty() ? "" : " ") + s;
    auto yes = [](bool b) { return b ? "yes" : "no"; };
    std::cout << "states:         " << nfa.num_states() << "\n"
              << "symbols:        " << symbols << "\n"
              << "accepting:      " << accepting << "\n"
              << "deterministic:  " << yes(deterministic) << "\n"
              << "complete:       " << yes(complete) << "\n"
              << "minimal:        " << yes(minimal) << " (minimal complete DFA: " << minimal_states << (minimal_states == 1 ? " state)\n" : " states)\n")
              << "empty:          " << yes(empty) << "\n"
              << "finite:         " << yes(finite) << "\n"
              << "universal:      " << yes(universal) << "\n";
    return 0;
  }});
}

}  // namespace statelab::cli
