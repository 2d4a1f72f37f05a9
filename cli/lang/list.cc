#include "cli/lang/list.h"

#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/lang/language.h"
#include "cli/text.h"
#include "languages/explore.h"
#include "languages/registry.h"
#include "languages/task.h"

namespace statelab::cli {

namespace {

using languages::CatalogueEntry;
using json = nlohmann::ordered_json;

json parameters_json(const CatalogueEntry& e) {
  json out = json::array();
  for (const languages::ParameterInfo& p : e.parameters)
    out.push_back({{"key", p.key},
                   {"default", p.default_value.empty() ? json(nullptr) : json(p.default_value)},
                   {"required", p.required},
                   {"description", p.description}});
  return out;
}

struct LangListOptions {
  bool json = false;
};

}  // namespace

void add_lang_list_command(CLI::App& parent, Commands& commands) {
  auto o = std::make_shared<LangListOptions>();
  CLI::App* v = parent.add_subcommand("list", "every language and task of the catalogue: name, class, ground truth, description");
  v->add_flag("--json", o->json, "machine-readable output");
  commands.push_back({v, [o] {
    std::vector<CatalogueEntry> all = languages::language_catalogue();
    const auto& tasks = languages::task_catalogue();
    all.insert(all.end(), tasks.begin(), tasks.end());
    if (o->json) {
      json out = json::array();
      for (const CatalogueEntry& e : all)
        out.push_back({{"name", e.name},
                       {"usage", languages::usage(e)},
                       {"parameters", parameters_json(e)},
                       {"class", e.language_class},
                       {"alphabet", e.alphabet},
                       {"engine", languages::engines_of(e)},
                       {"summary", e.summary},
                       {"example", e.example}});
      std::cout << out.dump() << "\n";
      return 0;
    }
    // The alphabet and the parameters' meanings are in `lang show` and --json.
    std::vector<std::vector<std::string>> rows{{"NAME", "CLASS", "GROUND TRUTH", "DESCRIPTION"}};
    for (const CatalogueEntry& e : all)
      rows.push_back({languages::usage(e), e.language_class, languages::engines_of(e), e.summary});
    print_table(rows, {24, 17, 13});
    return 0;
  }});
}

}  // namespace statelab::cli
