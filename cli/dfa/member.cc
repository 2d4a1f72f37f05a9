#include "cli/dfa/member.h"

#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "automata/dfa.h"
#include "cli/dfa/input.h"
#include "cli/options.h"

namespace statelab::cli {

namespace {

using automata::Dfa;
using nlohmann::json;

struct DfaMemberOptions : InputOptions {
  std::string file;
  std::vector<std::string> words;
};

}  // namespace

void add_dfa_member_command(CLI::App& parent, Commands& commands) {
  auto o = std::make_shared<DfaMemberOptions>();
  CLI::App* v = parent.add_subcommand(
      "member", "accept or reject each word (symbols run together, or space-separated; '' is the empty word; - reads stdin)");
  v->add_option("file", o->file, "automaton file")->required();
  v->add_option("words", o->words, "words to test")->required();
  add_input_options(v, *o);
  commands.push_back({v, [o] {
    const Dfa dfa = load_dfa(o->file, *o);
    const std::vector<std::string> words = words_with_stdin(o->words);
    json results = json::array();
    for (const std::string& text : words) {
      const bool accepted = automata::accepts(dfa, dfa.alphabet().parse_word(text));
      if (o->json)
        results.push_back({{"word", text}, {"accepted", accepted}});
      else
        std::cout << (accepted ? "accept" : "reject") << "\n";
    }
    if (o->json) std::cout << results.dump() << "\n";
    return 0;
  }});
}

}  // namespace statelab::cli
