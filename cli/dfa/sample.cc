#include "cli/dfa/sample.h"

#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "automata/counting.h"
#include "cli/dfa/input.h"
#include "cli/options.h"
#include "cli/progress.h"

namespace statelab::cli {

namespace {

using automata::Dfa;
using nlohmann::json;

struct DfaSampleOptions : InputOptions {
  std::string file;
  std::size_t length = 0, count = 1, max_length = kMaxLength, max_memory = kDefaultMemoryLimit;
  std::uint64_t seed = 0;
};

}  // namespace

void add_dfa_sample_command(CLI::App& parent, Commands& commands) {
  auto o = std::make_shared<DfaSampleOptions>();
  CLI::App* v = parent.add_subcommand("sample", "exact uniform random accepted words of a length");
  v->add_option("file", o->file, "automaton file")->required();
  v->add_option("--length", o->length, "word length")->required()->check(kNonNegative);
  v->add_option("--count", o->count, "how many words")->required()->check(kNonNegative);
  v->add_option("--seed", o->seed, "random seed")->required()->check(kNonNegative);
  v->add_option("--max-length", o->max_length, "refuse a longer --length (time and space are quadratic in it)")
      ->check(kNonNegative)
      ->capture_default_str();
  add_max_memory_option(v, o->max_memory);
  add_input_options(v, *o);
  commands.push_back({v, [o] {
    check_length(o->length, o->max_length, "dfa sample: --length", "--max-length");
    const Dfa dfa = load_dfa(o->file, *o);
    TaskProgress progress("building the sampler for length " + std::to_string(o->length));
    const std::vector<automata::Word> words = automata::sample_uniform(
        dfa, o->length, o->count, o->seed, memory_limit(o->max_memory), progress.callback());
    progress.finish();
    json out = json::array();
    for (const automata::Word& w : words) {
      if (o->json)
        out.push_back(dfa.alphabet().format_word(w));
      else
        std::cout << dfa.alphabet().format_word(w) << "\n";
    }
    if (o->json) std::cout << out.dump() << "\n";
    return 0;
  }});
}

}  // namespace statelab::cli
