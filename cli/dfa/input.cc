#include "cli/dfa/input.h"

#include <iostream>
#include <nlohmann/json.hpp>

#include "automata/machine_io.h"
#include "base/error.h"
#include "cli/options.h"

namespace statelab::cli {

std::optional<automata::Format> format_option(const std::string& name) {
  if (name.empty()) return std::nullopt;
  return automata::format_from_name(name);
}

void add_input_options(CLI::App* verb, InputOptions& opts) {
  verb->add_option("--format", opts.format, "input format: json, dot, jff or att (default: from the extension)");
  verb->add_option("--max-states", opts.max_states, "limit on the states any construction may build")
      ->check(kAtLeastOne);
  verb->add_flag("--json", opts.json, "machine-readable output");
}

automata::Dfa load_dfa(const std::string& path, const InputOptions& opts) {
  return automata::determinize(automata::read_automaton(path, format_option(opts.format)), opts.max_states);
}

void save(const automata::Dfa& dfa, const std::string& path, const std::string& format) {
  automata::write_machine(dfa, path, automata::output_format(path, format, {".json", ".dot", ".jff", ".att"}));
}

void save_and_report(const automata::Dfa& dfa, const std::string& path, const std::string& format, bool json) {
  save(dfa, path, format);
  if (json)
    summary_stream(path) << nlohmann::json{{"states", dfa.num_states()}, {"output", path}}.dump() << "\n";
  else
    summary_stream(path) << "wrote " << path << " (" << dfa.num_states() << " states)\n";
}

}  // namespace statelab::cli
