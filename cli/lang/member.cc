#include "cli/lang/member.h"

#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/lang/language.h"
#include "cli/options.h"

namespace statelab::cli {

namespace {

using languages::Language;
using languages::Word;
using json = nlohmann::ordered_json;

struct LangMemberOptions {
  std::string name;
  std::vector<std::string> words;
  bool json = false;
};

}  // namespace

void add_lang_member_command(CLI::App& parent, Commands& commands) {
  auto o = std::make_shared<LangMemberOptions>();
  CLI::App* v = parent.add_subcommand(
      "member", "accept or reject each word (symbols run together, or space-separated; '' is the empty word; - reads stdin)");
  v->add_option("name", o->name, std::string(kLanguageNameHelp))->required();
  v->add_option("words", o->words, "words to test")->required();
  v->add_flag("--json", o->json, "machine-readable output");
  commands.push_back({v, [o] {
    const std::unique_ptr<Language> l = load_language(o->name, "member");
    const std::vector<std::string> texts = words_with_stdin(o->words);
    // Every word is checked before anything is printed: a bad word prints nothing but the error.
    std::vector<Word> words;
    for (const std::string& text : texts) words.push_back(parse_word(*l, text));
    json results = json::array();
    for (std::size_t i = 0; i < words.size(); ++i) {
      const bool accepted = l->contains(words[i]);
      if (o->json)
        results.push_back({{"word", texts[i]}, {"accepted", accepted}});
      else
        std::cout << (accepted ? "accept" : "reject") << "\n";
    }
    if (o->json) std::cout << results.dump() << "\n";
    return 0;
  }});
}

}  // namespace statelab::cli
