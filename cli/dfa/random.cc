#include "cli/dfa/random.h"

#include <memory>
#include <string>

#include "automata/random_dfa.h"
#include "cli/dfa/input.h"
#include "cli/options.h"

namespace statelab::cli {

namespace {

using automata::Dfa;

struct DfaRandomOptions {
  std::size_t states = 0, symbols = 0, max_memory = kDefaultMemoryLimit;
  std::uint64_t seed = 0;
  double accepting = 0.5;
  std::string output, out_format;
  bool json = false;
};

}  // namespace

void add_dfa_random_command(CLI::App& parent, Commands& commands) {
  auto o = std::make_shared<DfaRandomOptions>();
  CLI::App* v = parent.add_subcommand("random", "a seeded random complete DFA");
  v->add_option("--states", o->states, "number of states")->required()->check(kAtLeastOne);
  v->add_option("--symbols", o->symbols, "alphabet size")->required()->check(kAtLeastOne);
  v->add_option("--seed", o->seed, "random seed")->required()->check(kNonNegative);
  v->add_option("--accepting", o->accepting, "probability that a state accepts")->check(CLI::Range(0.0, 1.0));
  add_max_memory_option(v, o->max_memory);
  v->add_option("-o,--output", o->output, "output file (format from its extension); - for standard output (JSON unless --output-format)")->required();
  v->add_option("--output-format", o->out_format, "output format: json, dot, jff or att");
  v->add_flag("--json", o->json, "print a JSON summary");
  commands.push_back({v, [o] {
    const Dfa dfa = automata::random_dfa(o->states, o->symbols, o->seed, o->accepting, memory_limit(o->max_memory));
    save_and_report(dfa, o->output, o->out_format, o->json);
    return 0;
  }});
}

}  // namespace statelab::cli
