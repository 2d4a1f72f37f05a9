#include "cli/lang/count.h"

#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "base/error.h"
#include "cli/lang/language.h"
#include "cli/options.h"
#include "cli/progress.h"

namespace statelab::cli {

namespace {

using languages::Count;
using languages::Language;
using json = nlohmann::ordered_json;

struct LangCountOptions {
  std::string name;
  std::size_t length = 0;
  bool json = false;
};

}  // namespace

void add_lang_count_command(CLI::App& parent, Commands& commands) {
  auto o = std::make_shared<LangCountOptions>();
  CLI::App* v = parent.add_subcommand("count", "the exact number of words of a length in the language");
  v->add_option("name", o->name, std::string(kLanguageNameHelp))->required();
  v->add_option("--length", o->length, "word length")->required()->check(kLength);
  v->add_flag("--json", o->json, "machine-readable output");
  commands.push_back({v, [o] {
    const std::unique_ptr<Language> l = load_language(o->name, "count");
    TaskProgress progress("counting words of length " + std::to_string(o->length));
    const std::optional<Count> c = l->count(o->length, progress.callback());
    progress.finish();
    if (!c)
      throw InvalidArgument("lang count: " + l->name() + " (" + std::string(languages::to_string(l->language_class())) +
                            ", ground truth " + std::string(languages::to_string(l->ground_truth().engine)) +
                            ") cannot be counted exactly");
    if (o->json)
      std::cout << json{{"language", l->name()}, {"length", o->length}, {"count", c->str()}}.dump() << "\n";
    else
      std::cout << c->str() << "\n";
    return 0;
  }});
}

}  // namespace statelab::cli
