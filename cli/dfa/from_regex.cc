#include "cli/dfa/from_regex.h"

#include <memory>
#include <string>

#include "automata/regex.h"
#include "cli/dfa/input.h"
#include "cli/options.h"
#include "cli/text.h"

namespace statelab::cli {

namespace {

using automata::Dfa;

struct DfaFromRegexOptions {
  std::string pattern, alphabet, output, out_format;
  std::size_t max_states = automata::kDefaultMaxStates;
  bool json = false;
};

}  // namespace

void add_dfa_from_regex_command(CLI::App& parent, Commands& commands) {
  auto o = std::make_shared<DfaFromRegexOptions>();
  CLI::App* v = parent.add_subcommand("from-regex", "compile a regular expression to a minimal DFA (syntax: docs/regex.md)");
  v->add_option("pattern", o->pattern, "the regular expression")->required();
  v->add_option("--alphabet", o->alphabet,
                "the symbols: one character each (\"01\"), or names separated by commas (\"push,pop\")")
      ->required();
  v->add_option("-o,--output", o->output, "output file (format from its extension); - for standard output (JSON unless --output-format)")->required();
  v->add_option("--output-format", o->out_format, "output format: json, dot, jff or att");
  v->add_option("--max-states", o->max_states, "limit on the subset construction")->check(kAtLeastOne);
  v->add_flag("--json", o->json, "print a JSON summary");
  commands.push_back({v, [o] {
    const automata::Alphabet alphabet = parse_alphabet(o->alphabet);
    const Dfa result = automata::regex_to_dfa(o->pattern, alphabet, o->max_states);  // minimal already
    save_and_report(result, o->output, o->out_format, o->json);
    return 0;
  }});
}

}  // namespace statelab::cli
