#include "languages/export.h"

#include <string>

#include "automata/cfg.h"
#include "base/error.h"

namespace statelab::languages {

automata::Machine machine_to_write(const Language& l, std::string_view engine_name, std::string_view ext) {
  std::string engine(engine_name);
  const std::string truth(to_string(l.ground_truth().engine));
  if (!engine.empty() && engine != "dfa" && engine != "pda" && engine != "cfg" && engine != "counter")
    throw InvalidArgument("--engine '" + engine + "': expected dfa, pda, cfg or counter");
  if (truth == "predicate" && engine.empty())
    throw InvalidArgument(l.name() + " is " + std::string(to_string(l.language_class())) +
                          " and has no automaton or grammar (its ground truth is a predicate written from the "
                          "definition)");
  const bool drawn = ext == ".svg" || ext == ".dot" || ext == ".att";
  if (engine.empty()) {
    if (ext == ".cfg") engine = "cfg";
    else if (ext == ".jff") engine = l.dfa() ? "dfa" : "pda";
    else if (drawn) engine = "dfa";
    else engine = truth == "predicate" ? (l.dfa() ? "dfa" : "none") : truth;
  }
  if (engine == "dfa" && l.dfa()) return *l.dfa();
  if (engine == "pda" && l.pda()) return *l.pda();
  if (engine == "pda" && l.grammar()) return automata::to_pda(*l.grammar(), automata::PdaAcceptance::final_state);
  if (engine == "cfg" && l.grammar()) return *l.grammar();
  if (engine == "cfg" && l.pda()) return automata::to_cfg(*l.pda());
  if (engine == "counter" && l.counter_machine()) return *l.counter_machine();
  throw InvalidArgument(l.name() + " has no " +
                        (engine == "dfa" ? std::string("finite automaton")
                         : engine == "counter" ? "counter machine"
                         : engine == "pda"     ? "pushdown automaton"
                                               : "grammar") +
                        " (its ground truth is " + truth + ")");
}

}  // namespace statelab::languages
