#include "cli/dfa/equiv.h"

#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "automata/decide.h"
#include "automata/dfa.h"
#include "base/error.h"
#include "cli/dfa/input.h"
#include "cli/text.h"

namespace statelab::cli {

namespace {

using automata::Dfa;
using nlohmann::json;

struct DfaEquivOptions : InputOptions {
  std::string a, b;
};

}  // namespace

void add_dfa_equiv_command(CLI::App& parent, Commands& commands) {
  auto o = std::make_shared<DfaEquivOptions>();
  CLI::App* v = parent.add_subcommand(
      "equiv", "are two automata equivalent? exit 0 if so, 1 with the shortest counterexample if not, 2 on error");
  v->add_option("a", o->a, "first automaton")->required();
  v->add_option("b", o->b, "second automaton")->required();
  add_input_options(v, *o);
  commands.push_back({v, [o] {
    const Dfa a = load_dfa(o->a, *o), b = load_dfa(o->b, *o);
    automata::symbol_map(a.alphabet(), b.alphabet(), "equiv " + o->a + " " + o->b);  // the same names
    const std::optional<automata::Word> w = automata::find_counterexample(a, b);
    if (o->json) {
      json out{{"equivalent", !w}, {"counterexample", nullptr}, {"accepted_by", nullptr}};
      if (w) {
        out["counterexample"] = a.alphabet().format_word(*w);
        out["accepted_by"] = automata::accepts(a, *w) ? "A" : "B";
      }
      std::cout << out.dump() << "\n";
    } else if (!w) {
      std::cout << "equivalent\n";
    } else {
      std::cout << "counterexample: " << quoted(a.alphabet(), *w) << (w->empty() ? " (the empty word)" : "")
                << " accepted by "
                << (automata::accepts(a, *w) ? "A (" + o->a + ")" : "B (" + o->b + ")") << " only\n";
    }
    return w ? 1 : 0;
  }});
}

}  // namespace statelab::cli
