#include "cli/lang/targets.h"

#include <algorithm>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "automata/text.h"
#include "cli/lang/language.h"
#include "cli/text.h"
#include "languages/registry.h"

namespace statelab::cli {

namespace {

using languages::Language;
using languages::PrefixTarget;
using languages::Symbol;
using languages::Word;
using json = nlohmann::ordered_json;

struct LangTargetsOptions {
  std::string name, word;
  bool json = false;
};

}  // namespace

void add_lang_targets_command(CLI::App& parent, Commands& commands) {
  auto o = std::make_shared<LangTargetsOptions>();
  CLI::App* v = parent.add_subcommand(
      "targets", "per-position targets of a word: the machine state after each prefix and the symbols that may follow");
  v->add_option("name", o->name, std::string(kLanguageNameHelp))->required();
  v->add_option("word", o->word, "the word ('' is the empty word)")->required();
  v->add_flag("--json", o->json, "machine-readable output");
  commands.push_back({v, [o] {
    const std::unique_ptr<Language> l = load_language(o->name, "targets");
    const Word word = parse_word(*l, o->word);
    const std::vector<PrefixTarget> targets = l->targets(word);
    const languages::Alphabet& alphabet = l->alphabet();
    auto next_of = [&](const PrefixTarget& t) {
      std::vector<std::string> next;
      for (Symbol a = 0; a < t.next.size(); ++a)
        if (t.next[a]) next.push_back(alphabet.name(a));
      return next;
    };
    if (o->json) {
      json rows = json::array();
      for (std::size_t i = 0; i < targets.size(); ++i)
        rows.push_back({{"length", i},
                        {"prefix", alphabet.format_word(std::span(word).first(i))},
                        {"state", targets[i].state},
                        {"next", next_of(targets[i])},
                        {"end", targets[i].end}});
      std::cout << json{{"language", l->name()},
                        {"word", alphabet.format_word(word)},
                        {"state_names", l->state_names()},
                        {"targets", rows}}
                       .dump()
                << "\n";
      return 0;
    }
    std::vector<std::vector<std::string>> table;
    std::vector<std::string> header{"LENGTH", "PREFIX"};
    for (const std::string& s : l->state_names()) header.push_back(s);
    header.push_back("END");
    header.push_back("NEXT");
    table.push_back(header);
    for (std::size_t i = 0; i < targets.size(); ++i) {
      std::vector<std::string> row{std::to_string(i), quoted(l->alphabet(), std::span(word).first(i))};
      // kDead is -1, also a value some states take (majority's ones_minus_zeros): a prefix is
      // dead only when nothing may follow it and it is not a word.
      const bool dead = !targets[i].end && std::none_of(targets[i].next.begin(), targets[i].next.end(), [](bool b) { return b; });
      for (std::int64_t x : targets[i].state) row.push_back(dead && x == languages::kDead ? "dead" : std::to_string(x));
      row.push_back(targets[i].end ? "yes" : "no");
      const std::vector<std::string> next = next_of(targets[i]);
      row.push_back(next.empty() ? "(none)" : automata::join(next, " "));
      table.push_back(row);
    }
    print_table(table);
    return 0;
  }});
}

}  // namespace statelab::cli
