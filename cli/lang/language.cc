#include "cli/lang/language.h"

#include "automata/text.h"
#include "base/error.h"
#include "cli/options.h"
#include "languages/registry.h"
#include "languages/task.h"

namespace statelab::cli {

using languages::Language;
using languages::Word;

std::unique_ptr<Language> load_language(const std::string& name, std::string_view verb) {
  const std::string base = base_of(name);
  if (!is_language_name(base) && is_task_name(base))
    throw InvalidArgument("lang " + std::string(verb) + ": '" + base +
                          "' is a task (input to per-position targets), not a language; 'statelab lang show " + base +
                          "' describes it");
  return languages::make_language(name);
}

std::string symbols_of(const languages::Alphabet& alphabet) { return automata::join(alphabet.names(), " "); }

Word parse_word(const Language& lang, const std::string& text) {
  try {
    return lang.parse_word(text);
  } catch (const InvalidArgument& e) {
    throw InvalidArgument(lang.name() + ": " + e.what());
  }
}

}  // namespace statelab::cli
