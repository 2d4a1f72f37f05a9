#include "cli/dfa/count.h"

#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "automata/counting.h"
#include "cli/dfa/input.h"
#include "cli/options.h"
#include "cli/progress.h"

namespace statelab::cli {

namespace {

using automata::Dfa;
using nlohmann::json;

struct DfaCountOptions : InputOptions {
  std::string file;
  std::size_t length = 0, max_length = kMaxLength;
};

}  // namespace

void add_dfa_count_command(CLI::App& parent, Commands& commands) {
  auto o = std::make_shared<DfaCountOptions>();
  CLI::App* v = parent.add_subcommand("count", "the exact number of accepted words of a length");
  v->add_option("file", o->file, "automaton file")->required();
  v->add_option("--length", o->length, "word length")->required()->check(kNonNegative);
  v->add_option("--max-length", o->max_length, "refuse a longer --length (time is quadratic in it)")
      ->check(kNonNegative)
      ->capture_default_str();
  add_input_options(v, *o);
  commands.push_back({v, [o] {
    check_length(o->length, o->max_length, "dfa count: --length", "--max-length");
    const Dfa dfa = load_dfa(o->file, *o);
    TaskProgress progress("counting words of length " + std::to_string(o->length));
    const std::string count = automata::count_accepted(dfa, o->length, progress.callback()).str();
    progress.finish();
    if (o->json)
      std::cout << json{{"length", o->length}, {"count", count}}.dump() << "\n";
    else
      std::cout << count << "\n";
    return 0;
  }});
}

}  // namespace statelab::cli
